/**
 * @module core/batch/check-chunk
 * A chunk of batch rows → one JSON Lines document per row and what the chunk adds to its batch's
 * progress. The HTTP batch's check threads and tests run `checkChunkRows`; the Node runner calls
 * `checkBatchChunk` per stored chunk, the Workers queue consumer `checkQueuedChunk` per message.
 */
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
 * Checks `rows` in this thread, with the batch's compiled context when it has one (pass the engine
 * `compileContext` returned with it). Pure; never throws for bad input (a bad row is an error row).
 */
export function checkChunkRows(
  engine: Engine,
  rows: BatchRow[],
  context?: CheckContext,
): { lines: string[]; outcomes: (Verdict | 'error')[] } {
  const lines: string[] = []
  const outcomes: (Verdict | 'error')[] = []
  for (const row of rows) {
    const outcome = checkBatchRow(engine, row, context)
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
  const { lines, outcomes } = await checkChunk(rows, screening)
  await repo.saveResults(chunk.batchId, chunk.seq, lines.join(''), summarizeChunk(rows, outcomes))
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
