/**
 * @module runtime/worker-rechecks
 * Re-checks on Workers (issue 12 item 5): the `RecheckQueue` that sends a job's first page to
 * `RECHECK_QUEUE`, the consumer (`queue` handler, RECHECK_QUEUE_NAME) that runs one page per message
 * and sends the next, and the sweep (`scheduled`, RECHECK_SWEEP_CRON) that re-sends a job that has
 * not moved for a while (a lost message, a failed send). D1 is the truth: a message names a job and
 * the cursor its page starts from, and a message whose cursor the job has moved past is acknowledged
 * and dropped, so duplicates and redeliveries cost a read, never a second re-issue.
 */
import type { Message, MessageBatch, Queue } from '@cloudflare/workers-types'
import { z } from 'zod'
import { describeError as describe, JOB_STEP_MAX_ATTEMPTS } from '../core/job-attempts'
import type { Logger } from '../core/ports'
import type { Recheck, RecheckQueue, RecheckRepo } from '../core/rechecks/ports'
import { isFinished, type RecheckDeps, runRecheckPage } from '../core/rechecks/run-recheck-page'
import { d1Store } from '../storage/d1'
import { newCheckId } from '../storage/ids'
import { recheckRepo } from '../storage/repos/recheck-repo'
import { screeningRepo } from '../storage/repos/screening-repo'
import { webhookRepo } from '../storage/repos/webhook-repo'
import { checkerOf } from './checker'
import { contextDataCache, registerLazily, screeningDeps } from './screening-deps'
import { workerEngine } from './worker-engine'
import { type WebhookBindings, workerWebhooks } from './worker-webhooks'

/** The consumer's queue, as named in wrangler.toml (`[[queues.consumers]]`). */
export const RECHECK_QUEUE_NAME = 'dualuse-rechecks'
/** The sweep's schedule, as written in wrangler.toml (`[triggers] crons`): every five minutes. */
export const RECHECK_SWEEP_CRON = '*/5 * * * *'
/** A job with no progress for this long has lost its message: the sweep sends it again. */
export const RECHECK_STALL_MS = 5 * 60_000
/**
 * Tries of one page before its job is marked failed: wrangler.toml's `max_retries` + 1. The queue
 * drops a message after its last retry; failing the job then keeps it from staying `running`. The
 * Node runner fails a job after as many tries of a page.
 */
export const RECHECK_PAGE_MAX_ATTEMPTS = JOB_STEP_MAX_ATTEMPTS
/**
 * Stored checks per message: a page is one invocation, each check a few milliseconds of CPU on the
 * isolate's engine, and one D1 batch for the page's re-issued checks and events.
 */
const PAGE_SIZE = 100
const SEND_BATCH_MAX = 100
const SWEEP_LIMIT = 100

const PageMessageSchema = z.object({
  recheckId: z.string().min(1).max(64),
  after: z.object({ createdAt: z.string().max(64), id: z.string().max(64) }).nullable(),
})
type PageMessage = z.infer<typeof PageMessageSchema>

/** The Worker's bindings as far as re-checks go. */
export type RecheckBindings = WebhookBindings & { RECHECK_QUEUE?: Queue | unknown }

function queueOf(env: RecheckBindings): Queue<PageMessage> | null {
  const q = env.RECHECK_QUEUE as Queue<PageMessage> | undefined
  return q && typeof q.sendBatch === 'function' ? q : null
}

const pageOf = (job: Pick<Recheck, 'id' | 'cursor'>): PageMessage => ({
  recheckId: job.id,
  after: job.cursor,
})

async function send(queue: Queue<PageMessage>, messages: PageMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX)
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })))
}

/** Sends each job's next page; a failed send is logged (the sweep sends it later). */
export function queueRechecks(queue: Queue, logger: Logger): RecheckQueue {
  return {
    async enqueue(jobs) {
      try {
        await send(queue as Queue<PageMessage>, jobs.map(pageOf))
      } catch (err) {
        logger.error({ msg: 'recheck enqueue failed', error: describe(err) })
      }
    },
  }
}

/** `Deps.rechecks` for one request, or undefined (no re-checks) where RECHECK_QUEUE is not bound. */
export function workerRechecks(
  env: RecheckBindings,
  repo: RecheckRepo,
  logger: Logger,
): { repo: RecheckRepo; queue: RecheckQueue } | undefined {
  const queue = queueOf(env)
  return queue ? { repo, queue: queueRechecks(queue as Queue, logger) } : undefined
}

// For the isolate's lifetime, as in worker.ts: built-in lists registered once on first use (module
// evaluation may not touch D1), tenants' context data kept by revision.
const registerBuiltIns = registerLazily(() => workerEngine().catalogue.lists)
const contexts = contextDataCache()

function consumerDeps(env: RecheckBindings, logger: Logger): RecheckDeps {
  const store = d1Store(env.DB)
  const screening = screeningRepo(store)
  return {
    repo: recheckRepo(store),
    // The isolate's engine, as the Worker's checks use it.
    checker: checkerOf(workerEngine()),
    screening: screeningDeps({
      repo: screening,
      hsCodes: () => workerEngine().catalogue.hs.map((h) => h.code),
      builtInLists: () => workerEngine().catalogue.lists,
      ready: registerBuiltIns(screening),
      contexts,
    }),
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger,
    webhooks: workerWebhooks(env, webhookRepo(store), logger),
  }
}

/** Seconds before a failed page is tried again: 10 s, 40 s, 160 s, then 5 minutes. */
function retryDelay(attempts: number): number {
  return Math.min(300, 10 * 4 ** Math.max(0, attempts - 1))
}

/**
 * The `queue` handler's re-check branch: one page per message, then the next page's message. A page
 * that fails is retried with back-off; after the last try the job is marked `failed`.
 */
export async function consumeRecheckQueue(
  batch: MessageBatch<unknown>,
  env: RecheckBindings,
  logger: Logger,
): Promise<void> {
  const queue = queueOf(env)
  const deps = consumerDeps(env, logger)
  for (const message of batch.messages) await consumeOne(message, deps, queue, logger)
}

async function consumeOne(
  message: Message<unknown>,
  deps: RecheckDeps,
  queue: Queue<PageMessage> | null,
  logger: Logger,
): Promise<void> {
  const parsed = PageMessageSchema.safeParse(message.body)
  if (!parsed.success) {
    logger.error({ msg: 'recheck message dropped: not a page', message_id: message.id })
    message.ack()
    return
  }
  const { recheckId, after } = parsed.data
  try {
    const job = await deps.repo.byId(recheckId)
    // Gone, finished, or moved past this page by another delivery (which sent the next one).
    if (!job || isFinished(job) || (job.cursor?.id ?? null) !== (after?.id ?? null)) {
      message.ack()
      return
    }
    const next = await runRecheckPage(deps, job, { pageSize: PAGE_SIZE, concurrency: 1 })
    if (isFinished(next)) {
      logger.info({
        msg: 'recheck completed',
        recheck_id: next.id,
        checks: next.checksDone,
        changed: next.changed,
      })
    } else if (queue) {
      // A failed send leaves the job still: the sweep sends its page again.
      await send(queue, [pageOf(next)]).catch((err) =>
        logger.error({
          msg: 'recheck next page not sent',
          recheck_id: next.id,
          error: describe(err),
        }),
      )
    }
    message.ack()
  } catch (err) {
    if (message.attempts < RECHECK_PAGE_MAX_ATTEMPTS) {
      logger.error({
        msg: 'recheck page retried',
        recheck_id: recheckId,
        attempts: message.attempts,
        error: describe(err),
      })
      message.retry({ delaySeconds: retryDelay(message.attempts) })
      return
    }
    logger.error({ msg: 'recheck failed', recheck_id: recheckId, error: describe(err) })
    try {
      await deps.repo.fail(recheckId, describe(err), new Date().toISOString())
      message.ack()
    } catch (failErr) {
      logger.error({
        msg: 'recheck not marked failed',
        recheck_id: recheckId,
        error: describe(failErr),
      })
      message.retry()
    }
  }
}

/** The cron sweep: re-sends the page of each unfinished job that has not moved for RECHECK_STALL_MS. */
export async function sweepRechecks(
  env: RecheckBindings,
  logger: Logger,
  now: Date = new Date(),
): Promise<number> {
  const queue = queueOf(env)
  if (!queue) return 0
  const repo = recheckRepo(d1Store(env.DB))
  const stalled = await repo.stalled(
    new Date(now.getTime() - RECHECK_STALL_MS).toISOString(),
    SWEEP_LIMIT,
  )
  await send(queue, stalled.map(pageOf))
  // The next sweep waits another RECHECK_STALL_MS before sending it again.
  for (const job of stalled) await repo.touch(job.id, now.toISOString())
  if (stalled.length > 0) logger.info({ msg: 'recheck sweep', resent: stalled.length })
  return stalled.length
}
