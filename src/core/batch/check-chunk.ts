/**
 * @module core/batch/check-chunk
 * A chunk of batch rows → one JSON Lines document per row and what the chunk adds to its batch's
 * progress. The HTTP batch's check threads and tests run `checkChunkRows`; the Node runner calls
 * `checkBatchChunk` per stored chunk, the Workers queue consumer `checkQueuedChunk` per message.
 */
import { type ClassificationCache, classificationCache } from '../classify/classification-cache'
import type { Engine } from '../engine'
import { batchScreeningInput } from '../lists/batch-screening'
import type { CheckContext } from '../lists/compile-context'
import type { ScreeningDeps } from '../lists/ports'
import type { ScreeningInput } from '../lists/types'
import type { BatchChunk, BatchRepo, BatchTally, ChunkChecker, ChunkSummary, Clock } from '../ports'
import type { Verdict } from '../schemas'
import { checkBatchRow, jsonlResultLine } from './check-row'
import type { BatchRow } from './read-rows'

export function emptyTally(): BatchTally {
  return { prohibited: 0, high_risk: 0, review: 0, clear: 0, error: 0 }
}

/**
 * A fresh cache of readings (classify/classification-cache.ts) for the rows of ONE batch: a
 * description repeated in it (the same SKU on several invoice rows) is read once or twice (up to 512
 * readings kept, least recently used out).
 * Why per batch, and never on the engine: a server engine serves every tenant, and a kept reading
 * answers faster, so a cache shared between batches would let one tenant time what another had
 * checked. A batch is one tenant's upload; its cache is found only by its batch id (`batchReadings`)
 * and dropped when its checker is done with it. The engine's own (`engine.classifications`, off on
 * servers) is not read.
 */
export function newReadings(engine: Engine): ClassificationCache {
  return classificationCache(engine.classifier)
}

export type BatchReadings = {
  /**
   * The cache of batch `batchId`'s readings, made on its first chunk; without an id, a fresh one for
   * this chunk alone.
   */
  of(batchId?: string): ClassificationCache
  /** Drops the batch's readings (its checker is done with it). */
  end(batchId: string): void
  /** Batches whose readings are kept now. */
  readonly size: number
}

/**
 * Readings by batch, for a checker that checks the chunks of a few batches at a time (a Node check
 * thread while its process's runner works one batch, a Workers queue delivery of a few chunk
 * messages). At most `keep` batches' (the oldest out, ~10 MB each at most), so a batch whose end was
 * never announced (its runner lost the lease) is dropped when newer ones come.
 */
export function batchReadings(engine: Engine, keep = 1): BatchReadings {
  const byBatch = new Map<string, ClassificationCache>()
  return {
    of(batchId) {
      if (batchId === undefined) return newReadings(engine)
      let readings = byBatch.get(batchId)
      if (!readings) {
        readings = newReadings(engine)
        byBatch.set(batchId, readings)
        if (byBatch.size > keep) byBatch.delete(byBatch.keys().next().value!)
      }
      return readings
    },
    end(batchId) {
      byBatch.delete(batchId)
    },
    get size() {
      return byBatch.size
    },
  }
}

/**
 * Checks `rows` in this thread, with the batch's compiled context when it has one (pass the engine
 * `compileContext` returned with it). Pure; never throws for bad input (a bad row is an error row).
 * `readings`: the batch's cache of readings (`batchReadings`), by default one for these rows alone.
 * Only ever rows of that one batch: the cache must not serve another tenant (`newReadings`).
 */
export function checkChunkRows(
  engine: Engine,
  rows: BatchRow[],
  context?: CheckContext,
  readings: ClassificationCache = newReadings(engine),
): { lines: string[]; outcomes: (Verdict | 'error')[] } {
  const lines: string[] = []
  const outcomes: (Verdict | 'error')[] = []
  // The same engine but for where readings come from: a reading depends on the description alone
  // (the classifier is shared), so results are the same bytes as reading every row afresh.
  const chunkEngine: Engine = { ...engine, classifications: readings }
  for (const row of rows) {
    const outcome = checkBatchRow(chunkEngine, row, context)
    lines.push(jsonlResultLine(row, outcome))
    outcomes.push(outcome.error ? 'error' : outcome.result.verdict)
  }
  return { lines, outcomes }
}

/** The destination a row is counted under: as given (after defaults), upper-cased; `-` for none. */
function destinationOf(row: BatchRow): string {
  const value = row.input?.destination
  return typeof value === 'string' && value.trim() ? value.trim().toUpperCase().slice(0, 16) : '-'
}

export function summarizeChunk(rows: BatchRow[], outcomes: (Verdict | 'error')[]): ChunkSummary {
  const tally = emptyTally()
  const byDestination: Record<string, BatchTally> = {}
  rows.forEach((row, i) => {
    const outcome = outcomes[i] ?? 'error'
    tally[outcome]++
    const dest = destinationOf(row)
    byDestination[dest] ??= emptyTally()
    byDestination[dest][outcome]++
  })
  return { rows: rows.length, tally, byDestination }
}

/** Adds `add` into `into` (progress = the sum of the checked chunks' summaries). */
export function addSummary(into: ChunkSummary, add: ChunkSummary): ChunkSummary {
  into.rows += add.rows
  for (const key of Object.keys(into.tally) as (keyof BatchTally)[])
    into.tally[key] += add.tally[key] ?? 0
  for (const [dest, tally] of Object.entries(add.byDestination)) {
    into.byDestination[dest] ??= emptyTally()
    for (const key of Object.keys(tally) as (keyof BatchTally)[])
      into.byDestination[dest][key] += tally[key] ?? 0
  }
  return into
}

/**
 * The `check-batch-chunk` job: checks one stored chunk with its batch's screening context and stores
 * its results. Idempotent: a chunk checked twice (a runner killed after checking, before its lease ran
 * out) keeps its first results, which are the same (the engine is pure and the context is fixed at
 * seal time, `lists/batch-screening.ts`).
 */
export async function checkBatchChunk(
  repo: BatchRepo,
  checkChunk: ChunkChecker,
  chunk: BatchChunk,
  screening?: ScreeningInput,
): Promise<void> {
  const rows = JSON.parse(chunk.rowsJson) as BatchRow[]
  const checked = await checkChunk(rows, screening, chunk.batchId)
  const results = 'utf8' in checked ? checked.utf8 : checked.lines.join('')
  await repo.saveResults(chunk.batchId, chunk.seq, results, summarizeChunk(rows, checked.outcomes))
}

/**
 * The `check-batch-chunk` job as a queue message names it (Workers: at least once, any order, no
 * lease). Checks chunk `seq` if it still needs it, then settles the batch (`running`, or `completed`
 * after its last chunk). Safe to repeat at any point: a chunk already checked is not checked again and
 * keeps its results, and a cancelled or deleted batch is left alone. `checked` says whether this call
 * checked the chunk. `screening`: where the batch's recorded context is read (absent: the catalogue
 * alone).
 */
export async function checkQueuedChunk(
  repo: BatchRepo,
  checkChunk: ChunkChecker,
  chunk: { batchId: string; seq: number },
  clock: Clock,
  screening?: ScreeningDeps,
): Promise<{ checked: boolean; completed: boolean }> {
  const pending = await repo.pendingChunk(chunk.batchId, chunk.seq)
  if (pending)
    await checkBatchChunk(
      repo,
      checkChunk,
      pending,
      await batchScreeningInput(screening, pending.batch),
    )
  // Also when the chunk was checked already: a consumer that died after storing the last chunk's
  // results, before completing the batch, completes it on the redelivery.
  const completed = await repo.settle(chunk.batchId, clock.now().toISOString())
  return { checked: pending !== null, completed }
}
