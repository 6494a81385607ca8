/**
 * @module runtime/worker-batches
 * HTTP batches on Workers: the `BatchQueue` that sends one Queue message per chunk, the consumer
 * that checks them (`queue` handler, BATCH_QUEUE_NAME) and the retention purge (`scheduled`, cron
 * BATCH_PURGE_CRON). Rows and results live in R2 (`storage/r2.ts`), the batch and per-chunk state in
 * D1, so progress and completion are D1 queries. Delivery is at least once, in any order: the
 * consumer runs the core's `checkQueuedChunk`, which is safe to repeat at any point.
 */
import type { MessageBatch, Queue, R2Bucket } from '@cloudflare/workers-types'
import { z } from 'zod'
import { WorkerBindingsSchema } from '../config/env'
import { type BatchReadings, batchReadings, checkQueuedChunk } from '../core/batch/check-chunk'
import { purgeBatches } from '../core/batch/purge-batches'
import type { Deps } from '../core/deps'
import { AppError } from '../core/errors'
import { describeError as describe, JOB_STEP_MAX_ATTEMPTS } from '../core/job-attempts'
import type { ScreeningDeps } from '../core/lists/ports'
import type { BatchQueue, BatchRepo, ChunkChecker, Clock, Logger } from '../core/ports'
import { d1Store } from '../storage/d1'
import { newBatchId } from '../storage/ids'
import { r2ChunkBodies } from '../storage/r2'
import { batchRepo } from '../storage/repos/batch-repo'
import { checkChunkOn } from './checker'
import { workerEngine } from './worker-engine'

/** The consumer's queue, as named in wrangler.toml (`[[queues.consumers]]`). */
export const BATCH_QUEUE_NAME = 'dualuse-batches'
/** The purge's schedule, as written in wrangler.toml (`[triggers] crons`). */
export const BATCH_PURGE_CRON = '17 * * * *'
/**
 * Tries of one message before its batch is marked failed: wrangler.toml's `max_retries` + 1. The
 * queue drops a message after its last retry; failing the batch then keeps it from staying `running`
 * for ever. The Node runner fails a batch after as many tries of a chunk.
 */
export const BATCH_CHUNK_MAX_ATTEMPTS = JOB_STEP_MAX_ATTEMPTS
/** Messages per `sendBatch` call: the Queues limit. */
const SEND_BATCH_MAX = 100

const ChunkMessageSchema = z.object({
  batchId: z.string().min(1).max(64),
  seq: z.number().int().min(0),
})
export type ChunkMessage = z.infer<typeof ChunkMessageSchema>

const BatchSettingsSchema = WorkerBindingsSchema.pick({
  BATCH_MAX_ROWS: true,
  BATCH_MAX_BYTES: true,
  BATCH_RETENTION_DAYS: true,
})

/** The Worker's bindings as far as batches go (parsed by `WorkerBindingsSchema` before use). */
export type BatchBindings = {
  DB: Env['DB']
  BATCHES?: R2Bucket | Env['BATCHES']
  BATCH_QUEUE?: Queue | Env['BATCH_QUEUE']
  /** `[vars]`, strings; defaults in `NodeEnvSchema`. */
  BATCH_MAX_ROWS?: unknown
  BATCH_MAX_BYTES?: unknown
  BATCH_RETENTION_DAYS?: unknown
}

/**
 * Chunks are checked in the consumer's isolate, on the Worker's one engine, with the batch's context
 * compiled once per isolate (shared with the isolate's checks).
 */
export const checkChunkInWorker: ChunkChecker = async (rows, screening) =>
  checkChunkOn(workerEngine(), rows, screening)

/**
 * Messages in one delivery at most: wrangler.toml's `max_batch_size`, so every batch of a delivery
 * keeps its readings. Out of step with it, nothing goes wrong: a delivery with more batches reads the
 * oldest one's lines again, and the readings are bounded by the delivery's rows either way.
 */
const DELIVERY_MAX_MESSAGES = 4

/**
 * The checker of one queue delivery: as `checkChunkInWorker`, and a batch's chunks in the same
 * delivery share the readings of its repeated descriptions (core/batch/check-chunk.ts
 * `batchReadings`). Made per delivery and dropped with it, never kept in the isolate, which serves
 * every tenant's requests and deliveries.
 */
export function deliveryChunkChecker(): ChunkChecker {
  let readings: BatchReadings | undefined
  return async (rows, screening, batchId) => {
    const engine = workerEngine()
    readings ??= batchReadings(engine, DELIVERY_MAX_MESSAGES)
    return checkChunkOn(engine, rows, screening, readings.of(batchId))
  }
}

/** The batch repository over D1 with chunk bodies in R2; null where BATCHES is not bound. */
export function workerBatchRepo(env: BatchBindings): BatchRepo | null {
  if (!env.BATCHES) return null
  return batchRepo(d1Store(env.DB), r2ChunkBodies(env.BATCHES as R2Bucket))
}

/** Sends one message per chunk, at most 100 per call. */
export function queueChunks(queue: Queue): BatchQueue {
  return {
    async enqueue(batchId, chunks) {
      try {
        for (let start = 0; start < chunks; start += SEND_BATCH_MAX) {
          const messages = []
          for (let seq = start; seq < Math.min(chunks, start + SEND_BATCH_MAX); seq++)
            messages.push({
              body: { batchId, seq } satisfies ChunkMessage,
              contentType: 'json' as const,
            })
          await queue.sendBatch(messages)
        }
      } catch (cause) {
        // Refused as a whole (createBatch deletes the batch); messages already sent find it gone.
        throw new AppError(
          'UPSTREAM_UNAVAILABLE',
          'the batch queue did not take the batch: retry the upload',
          { cause },
        )
      }
    },
  }
}

/**
 * `Deps.batches` for the Worker over `repo` (from `storagePorts` with R2 chunk bodies), or undefined
 * (/v1/batches answers 501) where the BATCHES bucket or BATCH_QUEUE is not bound.
 */
export function workerBatches(env: BatchBindings, repo: BatchRepo): Deps['batches'] {
  if (!env.BATCHES || !env.BATCH_QUEUE) return undefined
  const settings = BatchSettingsSchema.parse(env)
  return {
    repo,
    queue: queueChunks(env.BATCH_QUEUE as Queue),
    limits: { maxRows: settings.BATCH_MAX_ROWS, maxBytes: settings.BATCH_MAX_BYTES },
    newId: newBatchId,
  }
}

export type ChunkConsumerDeps = {
  repo: BatchRepo
  checkChunk: ChunkChecker
  clock: Clock
  logger: Logger
  /** Where each batch's recorded screening context is read (absent: the catalogue alone). */
  screening?: ScreeningDeps
}

/** Seconds before a failed chunk is tried again: 5 s, 20 s, 80 s, then 5 minutes. */
function retryDelay(attempts: number): number {
  return Math.min(300, 5 * 4 ** Math.max(0, attempts - 1))
}

/**
 * Consumes one delivery of chunk messages: each is checked and acked on its own, so one failing chunk
 * does not hold back the others. A failure is retried with back-off; after the last try the batch is
 * marked `failed`. A message that is not a chunk message is acked and logged (retrying cannot help).
 */
export async function consumeChunkMessages(
  batch: MessageBatch<unknown>,
  deps: ChunkConsumerDeps,
): Promise<void> {
  const { repo, logger } = deps
  for (const message of batch.messages) {
    const parsed = ChunkMessageSchema.safeParse(message.body)
    if (!parsed.success) {
      logger.error({ msg: 'batch message refused', queue: batch.queue, message_id: message.id })
      message.ack()
      continue
    }
    const { batchId, seq } = parsed.data
    try {
      const { completed } = await checkQueuedChunk(
        repo,
        deps.checkChunk,
        parsed.data,
        deps.clock,
        deps.screening,
      )
      message.ack()
      if (completed) logger.info({ msg: 'batch completed', batch_id: batchId })
    } catch (err) {
      if (message.attempts < BATCH_CHUNK_MAX_ATTEMPTS) {
        logger.error({
          msg: 'batch chunk retried',
          batch_id: batchId,
          seq,
          attempts: message.attempts,
          error: describe(err),
        })
        message.retry({ delaySeconds: retryDelay(message.attempts) })
        continue
      }
      logger.error({ msg: 'batch failed', batch_id: batchId, seq, error: describe(err) })
      try {
        await repo.fail(
          batchId,
          deps.clock.now().toISOString(),
          `chunk ${seq} failed ${message.attempts} tries: ${describe(err)}`,
        )
        message.ack()
      } catch (failErr) {
        // The queue drops the message after this try anyway; nothing else can record the failure.
        logger.error({
          msg: 'batch not marked failed',
          batch_id: batchId,
          error: describe(failErr),
        })
        message.retry()
      }
    }
  }
}

/**
 * The `queue` handler's batch branch: chunk messages over the Worker's own bindings, each batch's rows
 * checked with the screening context it recorded (`screening`, built as for the isolate's requests).
 */
export async function consumeBatchQueue(
  batch: MessageBatch<unknown>,
  env: BatchBindings,
  logger: Logger,
  screening?: ScreeningDeps,
): Promise<void> {
  const repo = workerBatchRepo(env)
  if (!repo) {
    // Bindings removed while messages were in flight: keep them for a deploy that has them.
    logger.error({ msg: 'batch messages without the BATCHES bucket', queue: batch.queue })
    batch.retryAll({ delaySeconds: 300 })
    return
  }
  await consumeChunkMessages(batch, {
    repo,
    checkChunk: deliveryChunkChecker(),
    clock: { now: () => new Date() },
    logger,
    screening,
  })
}

/** The `scheduled` handler's batch branch: deletes batches past BATCH_RETENTION_DAYS, R2 objects included. */
export async function purgeExpiredBatches(
  env: BatchBindings,
  logger: Logger,
  now: Date = new Date(),
): Promise<number> {
  const repo = workerBatchRepo(env)
  if (!repo) return 0
  const removed = await purgeBatches(repo, BatchSettingsSchema.parse(env).BATCH_RETENTION_DAYS, now)
  if (removed > 0) logger.info({ msg: 'batches purged', count: removed })
  return removed
}
