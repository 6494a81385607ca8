/**
 * @module runtime/batch-runner
 * The Node implementation of the batch job (`BatchQueue`): leases a queued or running batch in SQLite
 * (the shared loop, `leased-job-loop.ts`), checks its unchecked chunks on the check threads, stores
 * each chunk's results as it goes, and marks the batch completed. Crash-safe by construction: a
 * chunk's results are written once (`saveResults` is conditional), and a batch whose runner died is
 * leased again when its lease runs out, so a restarted server resumes it and every row comes out
 * exactly once. Never stuck: each try of a chunk is counted before it starts (`startChunk`), and a
 * chunk that fails `JOB_STEP_MAX_ATTEMPTS` tries, by an error or by taking the process down with it,
 * fails its batch with `batch.failed`, as the Workers queue consumer does. Also purges batches past
 * their retention.
 */
import { checkBatchChunk } from '../core/batch/check-chunk'
import { purgeBatches } from '../core/batch/purge-batches'
import type { BatchRow } from '../core/batch/read-rows'
import { describeError, JOB_STEP_MAX_ATTEMPTS } from '../core/job-attempts'
import { batchScreeningInput } from '../core/lists/batch-screening'
import type { ScreeningDeps } from '../core/lists/ports'
import type {
  BatchChunk,
  BatchContextRef,
  BatchQueue,
  BatchRepo,
  ChunkChecker,
  Logger,
} from '../core/ports'
import {
  type Lease,
  type LeasedRunner,
  type LeaseTimings,
  startLeasedJobLoop,
} from './leased-job-loop'

export type BatchRunnerOptions = LeaseTimings & {
  repo: BatchRepo
  checkChunk: ChunkChecker
  /**
   * Called when the runner stops working a batch (completed, failed, lost or stopped): the checker
   * drops the readings it kept for the batch's chunks (core/batch/check-chunk.ts `batchReadings`).
   */
  batchEnded?: (batchId: string) => void
  /** Where a batch's recorded screening context is read (absent: every batch uses the catalogue alone). */
  screening?: ScreeningDeps
  logger: Logger
  /** Chunks checked at once: one per check thread, plus one so no thread waits for the next. */
  concurrency: number
  /** Batches are deleted this many days after they were created. */
  retentionDays: number
  purgeEveryMs?: number
}

/** The lease (default 15 s) is renewed every few chunks; an idle runner polls every second. */
export type BatchRunner = BatchQueue & LeasedRunner

/** "chunk 3 (lines 1502–2001)": where the rows of a chunk that failed its batch are in the file. */
function chunkPlace(chunk: BatchChunk): string {
  try {
    const rows = JSON.parse(chunk.rowsJson) as BatchRow[]
    const first = rows[0]?.line
    const last = rows.at(-1)?.line
    if (first !== undefined && last !== undefined)
      return `chunk ${chunk.seq} (lines ${first}–${last})`
  } catch {
    // An unreadable chunk is named by its number alone.
  }
  return `chunk ${chunk.seq}`
}

export function startBatchRunner(opts: BatchRunnerOptions): BatchRunner {
  const { repo, logger } = opts
  const purgeEveryMs = opts.purgeEveryMs ?? 60 * 60_000
  const now = opts.now ?? (() => new Date())
  const concurrency = Math.max(1, opts.concurrency)
  let nextPurge = 0

  async function runBatch(batch: BatchContextRef, lease: Lease): Promise<void> {
    const batchId = batch.id
    const { owner } = lease
    // Read once per batch: every chunk is checked with the context recorded at its seal.
    const screening = await batchScreeningInput(opts.screening, batch)
    const buffer: BatchChunk[] = []
    let after = -1
    let exhausted = false
    // No longer ours: cancelled, deleted, failed, or leased by another runner after ours ran out.
    let lost = false
    // Errors of chunks that failed this pass: the other chunks are still checked, then the pass fails.
    const errors: unknown[] = []
    let fetching: Promise<void> | null = null
    const fill = async () => {
      if (!(await repo.renew(batchId, owner, lease.until()))) {
        lost = true
        exhausted = true
        return
      }
      const got = await repo.unchecked(batchId, after, concurrency * 2)
      if (got.length === 0) exhausted = true
      else {
        buffer.push(...got)
        after = got.at(-1)!.seq
      }
    }
    const next = async (): Promise<BatchChunk | undefined> => {
      while (buffer.length === 0 && !exhausted && !lease.stopped() && !lost) {
        fetching ??= fill().finally(() => {
          fetching = null
        })
        await fetching
      }
      return lease.stopped() || lost ? undefined : buffer.shift()
    }
    const failBatch = async (chunk: BatchChunk, reason: string) => {
      lost = true
      const failure = `${chunkPlace(chunk)} ${reason}`
      await repo.fail(batchId, now().toISOString(), failure)
      logger.error({ msg: 'batch failed', batch_id: batchId, seq: chunk.seq, failure })
    }
    const tryChunk = async (chunk: BatchChunk) => {
      // Counted before checking: a chunk that takes the process down counts as a failed try.
      const tries = await repo.startChunk(batchId, chunk.seq, owner)
      if (tries === null) return // checked by another runner, or the lease is gone (the next fill sees)
      if (tries > JOB_STEP_MAX_ATTEMPTS) {
        await failBatch(
          chunk,
          `was tried ${tries - 1} times without finishing (the server stopped during each try)`,
        )
        return
      }
      try {
        await checkBatchChunk(repo, opts.checkChunk, chunk, screening)
      } catch (err) {
        if (tries < JOB_STEP_MAX_ATTEMPTS) throw err
        await failBatch(chunk, `failed ${tries} tries: ${describeError(err)}`)
      }
    }
    const worker = async () => {
      for (let chunk = await next(); chunk; chunk = await next()) {
        try {
          await tryChunk(chunk)
        } catch (error) {
          errors.push(error)
          logger.error({
            msg: 'batch chunk failed',
            batch_id: batchId,
            seq: chunk.seq,
            error: describeError(error),
          })
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    if (lost || lease.stopped()) return
    // Its failed chunks stay unchecked: the batch is leased again, and they tried again, once the
    // lease runs out.
    if (errors.length > 0) throw errors[0]
    if (await repo.complete(batchId, owner, now().toISOString()))
      logger.info({ msg: 'batch completed', batch_id: batchId })
  }

  async function purge(): Promise<void> {
    if (Date.now() < nextPurge) return
    nextPurge = Date.now() + purgeEveryMs
    const removed = await purgeBatches(repo, opts.retentionDays, now())
    if (removed > 0) logger.info({ msg: 'batches purged', count: removed })
  }

  const loop = startLeasedJobLoop({
    claim: (owner, at, leaseUntil) => repo.claim(owner, at, leaseUntil),
    work: async (batch, lease) => {
      try {
        await runBatch(batch, lease)
      } finally {
        opts.batchEnded?.(batch.id)
      }
    },
    beforeClaim: purge,
    logger,
    errorMsg: 'batch runner error',
    leaseMs: opts.leaseMs ?? 15_000,
    pollMs: opts.pollMs ?? 1_000,
    retryDelayMs: opts.retryDelayMs,
    now,
  })
  return {
    enqueue() {
      loop.wake()
    },
    idle: loop.idle,
    stop: loop.stop,
  }
}
