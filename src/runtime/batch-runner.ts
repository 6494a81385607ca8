/**
 * @module runtime/batch-runner
 * The Node implementation of the batch job (`BatchQueue`): an in-process loop that leases a queued or
 * running batch in SQLite, checks its unchecked chunks on the check threads, stores each chunk's
 * results as it goes, and marks the batch completed. Crash-safe by construction: a chunk's results
 * are written once (`saveResults` is conditional), and a batch whose runner died is leased again
 * when its lease runs out, so a restarted server resumes it and every row comes out exactly once.
 * Also purges batches past their retention.
 */
import { checkBatchChunk } from '../core/batch/check-chunk'
import { purgeBatches } from '../core/batch/purge-batches'
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

export type BatchRunnerOptions = {
  repo: BatchRepo
  checkChunk: ChunkChecker
  /** Where a batch's recorded screening context is read (absent: every batch uses the catalogue alone). */
  screening?: ScreeningDeps
  logger: Logger
  /** Chunks checked at once: one per check thread, plus one so no thread waits for the next. */
  concurrency: number
  /** Batches are deleted this many days after they were created. */
  retentionDays: number
  /** How long a lease lasts without renewal (renewed every few chunks). A dead runner's batch resumes after it. */
  leaseMs?: number
  /** How often an idle runner looks for work another process queued. */
  pollMs?: number
  purgeEveryMs?: number
  now?: () => Date
}

export type BatchRunner = BatchQueue & {
  /** Stops taking chunks, waits for those in flight, and keeps the lease until it runs out. */
  stop(): Promise<void>
  /** Resolves when the runner has nothing to do (tests). */
  idle(): Promise<void>
}

const RETRY_DELAY_MS = 2_000

export function startBatchRunner(opts: BatchRunnerOptions): BatchRunner {
  const { repo, logger } = opts
  const leaseMs = opts.leaseMs ?? 15_000
  const pollMs = opts.pollMs ?? 1_000
  const purgeEveryMs = opts.purgeEveryMs ?? 60 * 60_000
  const now = opts.now ?? (() => new Date())
  const owner = `${Date.now().toString(36)}-${crypto.randomUUID()}`
  const concurrency = Math.max(1, opts.concurrency)
  const leaseUntil = () => new Date(now().getTime() + leaseMs).toISOString()

  let stopped = false
  let wake: (() => void) | null = null
  let idleWaiters: (() => void)[] = []

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = null
        resolve()
      }
      wake = done
    })

  async function runBatch(batch: BatchContextRef): Promise<void> {
    const batchId = batch.id
    // Read once per batch: every chunk is checked with the context recorded at its seal.
    const screening = await batchScreeningInput(opts.screening, batch)
    const buffer: BatchChunk[] = []
    let after = -1
    let exhausted = false
    let lost = false
    let fetching: Promise<void> | null = null
    const fill = async () => {
      if (!(await repo.renew(batchId, owner, leaseUntil()))) {
        // Cancelled, deleted, or leased by another runner after ours ran out.
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
      while (buffer.length === 0 && !exhausted && !stopped) {
        fetching ??= fill().finally(() => {
          fetching = null
        })
        await fetching
      }
      return stopped || lost ? undefined : buffer.shift()
    }
    const worker = async () => {
      for (let chunk = await next(); chunk; chunk = await next())
        await checkBatchChunk(repo, opts.checkChunk, chunk, screening)
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    if (lost || stopped) return
    if (await repo.complete(batchId, owner, now().toISOString()))
      logger.info({ msg: 'batch completed', batch_id: batchId })
  }

  async function purge(): Promise<void> {
    const removed = await purgeBatches(repo, opts.retentionDays, now())
    if (removed > 0) logger.info({ msg: 'batches purged', count: removed })
  }

  async function loop(): Promise<void> {
    let nextPurge = 0
    while (!stopped) {
      try {
        if (Date.now() >= nextPurge) {
          nextPurge = Date.now() + purgeEveryMs
          await purge()
        }
        const claimed = await repo.claim(owner, now().toISOString(), leaseUntil())
        if (!claimed) {
          for (const resolve of idleWaiters.splice(0)) resolve()
          await sleep(pollMs)
          continue
        }
        await runBatch(claimed)
      } catch (err) {
        // A check thread that died, a busy database: the batch keeps its lease and is taken up again
        // when the lease runs out; its stored chunks are not checked again.
        logger.error({
          msg: 'batch runner error',
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        })
        if (!stopped) await sleep(RETRY_DELAY_MS)
      }
    }
  }

  const running = loop()
  return {
    enqueue() {
      wake?.()
    },
    idle() {
      return new Promise((resolve) => idleWaiters.push(resolve))
    },
    async stop() {
      stopped = true
      wake?.()
      await running
      for (const resolve of idleWaiters.splice(0)) resolve()
      idleWaiters = []
    },
  }
}
