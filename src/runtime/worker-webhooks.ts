/**
 * @module runtime/worker-webhooks
 * Webhooks on Workers: the dispatch that sends an event's pending deliveries to the `WEBHOOK_QUEUE`
 * Queue, the consumer that attempts each (`queue` handler, WEBHOOK_QUEUE_NAME) and retries a failure
 * with the queue's own delay, and the sweep (`scheduled`, WEBHOOK_SWEEP_CRON) that re-sends deliveries
 * whose message was lost or whose endpoint was re-enabled. D1 is the truth (the outbox); a message
 * only says "look at this delivery now", so duplicates and losses cost an extra look, never an event.
 */
import type { Message, MessageBatch, Queue } from '@cloudflare/workers-types'
import { z } from 'zod'
import type { Logger } from '../core/ports'
import {
  type DelivererDeps,
  deliverWebhook,
  logWebhookAttempt,
} from '../core/webhooks/deliver-webhook'
import type { WebhookDeps } from '../core/webhooks/manage-endpoints'
import type { WebhookRepo } from '../core/webhooks/ports'
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../core/webhooks/retry-schedule'
import { parseSecretKey, type SecretBox, secretBox } from '../core/webhooks/secret-box'
import { d1Store } from '../storage/d1'
import { newWebhookAttemptId, newWebhookEndpointId, newWebhookEventId } from '../storage/ids'
import { webhookRepo } from '../storage/repos/webhook-repo'

/** The consumer's queue, as named in wrangler.toml (`[[queues.consumers]]`). */
export const WEBHOOK_QUEUE_NAME = 'dualuse-webhooks'
/** The sweep's schedule, as written in wrangler.toml (`[triggers] crons`): every minute. */
export const WEBHOOK_SWEEP_CRON = '* * * * *'
/**
 * A delivery due longer ago than this and not leased has lost its message (or waited for its endpoint
 * to be re-enabled): the sweep sends it again. Shorter would race the queue's own retries.
 */
export const SWEEP_GRACE_MS = 60_000
/** The Queues limits: messages per `sendBatch`, and the longest `delaySeconds`. */
const SEND_BATCH_MAX = 100
const MAX_DELAY_SECONDS = 43_200
/** Deliveries the sweep re-sends per run; the next minute takes the rest. */
const SWEEP_LIMIT = 500
/** A message may arrive a little before its delivery is due (clock skew, rounded delays). */
const EARLY_ARRIVAL_MS = 2_000
/** Held while an attempt runs: past the 10 s timeout with room to record it. */
const LEASE_MS = 60_000

const DeliveryMessageSchema = z.object({
  eventId: z.string().min(1).max(64),
  endpointId: z.string().min(1).max(64),
})
type DeliveryMessage = z.infer<typeof DeliveryMessageSchema>

/** The Worker's bindings as far as webhooks go (strings from `[vars]` and secrets). */
export type WebhookBindings = {
  DB: Env['DB']
  WEBHOOK_QUEUE?: Queue | unknown
  WEBHOOK_SECRET_KEY?: string
  WEBHOOK_ALLOW_PRIVATE?: string
  WEBHOOK_RETRY_SCHEDULE?: string
}

// Lives for the isolate: importing the AES key is a Web Crypto call per box, the key changes only
// with a redeploy.
let cachedBox: { key: string; box: SecretBox } | undefined
function boxFor(key: string | undefined): SecretBox | null {
  const raw = key ? parseSecretKey(key) : null
  if (!key || !raw) return null
  if (cachedBox?.key !== key) cachedBox = { key, box: secretBox(raw) }
  return cachedBox.box
}

function queueOf(env: WebhookBindings): Queue<DeliveryMessage> | null {
  const q = env.WEBHOOK_QUEUE as Queue<DeliveryMessage> | undefined
  return q && typeof q.sendBatch === 'function' ? q : null
}

async function send(queue: Queue<DeliveryMessage>, messages: DeliveryMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_BATCH_MAX)
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })))
}

function policyOf(env: WebhookBindings) {
  // No resolver: a Worker cannot resolve names itself; Cloudflare's egress does not reach private
  // networks (docs/webhooks.md, "Safety").
  return { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true' }
}

function delivererOf(env: WebhookBindings, repo: WebhookRepo): DelivererDeps {
  return {
    repo,
    secrets: boxFor(env.WEBHOOK_SECRET_KEY),
    policy: policyOf(env),
    schedule:
      (env.WEBHOOK_RETRY_SCHEDULE && parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE)) ||
      DEFAULT_RETRY_SCHEDULE,
    now: () => new Date(),
    random: Math.random,
    newAttemptId: newWebhookAttemptId,
  }
}

/** `Deps.webhooks` for one request. */
export function workerWebhooks(
  env: WebhookBindings,
  repo: WebhookRepo,
  logger: Logger,
): WebhookDeps {
  return {
    repo,
    secrets: boxFor(env.WEBHOOK_SECRET_KEY),
    policy: policyOf(env),
    newEndpointId: newWebhookEndpointId,
    newEventId: newWebhookEventId,
    dispatch: {
      async dispatched(eventIds) {
        const queue = queueOf(env)
        if (!queue) return
        try {
          const messages: DeliveryMessage[] = []
          for (const id of eventIds) messages.push(...(await repo.pendingFor(id)))
          await send(queue, messages)
        } catch (err) {
          // The outbox has the deliveries: the sweep sends them within a couple of minutes.
          logger.error({
            msg: 'webhook dispatch failed',
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          })
        }
      },
    },
  }
}

/**
 * The queue consumer: one attempt per message whose delivery is pending, due and not leased; a failed
 * attempt is retried with the schedule's delay through the queue, anything else acknowledged.
 */
export async function consumeWebhookQueue(
  batch: MessageBatch<unknown>,
  env: WebhookBindings,
  logger: Logger,
): Promise<void> {
  const repo = webhookRepo(d1Store(env.DB))
  const deliverer = delivererOf(env, repo)
  for (const message of batch.messages) await consumeOne(message, repo, deliverer, logger)
}

async function consumeOne(
  message: Message<unknown>,
  repo: WebhookRepo,
  deliverer: DelivererDeps,
  logger: Logger,
): Promise<void> {
  const parsed = DeliveryMessageSchema.safeParse(message.body)
  if (!parsed.success) {
    logger.error({ msg: 'webhook message dropped: not a delivery', message_id: message.id })
    message.ack()
    return
  }
  const { eventId, endpointId } = parsed.data
  const now = deliverer.now()
  try {
    const due = await repo.claimOne(
      eventId,
      endpointId,
      now.toISOString(),
      new Date(now.getTime() + EARLY_ARRIVAL_MS).toISOString(),
      new Date(now.getTime() + LEASE_MS).toISOString(),
    )
    // Delivered or given up already, leased by another consumer, not due, or its endpoint disabled:
    // nothing to do now (the sweep sends it when it is due again).
    if (!due) {
      message.ack()
      return
    }
    const record = await deliverWebhook(deliverer, due)
    logWebhookAttempt(logger, record)
    if (record.outcome === 'retry' && record.nextAttemptAt) {
      const seconds = Math.ceil((Date.parse(record.nextAttemptAt) - Date.now()) / 1000)
      message.retry({ delaySeconds: Math.min(Math.max(seconds, 0), MAX_DELAY_SECONDS) })
    } else {
      message.ack()
    }
  } catch (err) {
    // D1 unavailable: let the queue try again soon; the delivery's lease runs out meanwhile.
    logger.error({
      msg: 'webhook consumer error',
      event_id: eventId,
      endpoint_id: endpointId,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    })
    message.retry({ delaySeconds: 30 })
  }
}

/** The cron sweep: re-sends pending deliveries overdue by more than `SWEEP_GRACE_MS`. */
export async function sweepWebhooks(env: WebhookBindings, logger: Logger): Promise<number> {
  const queue = queueOf(env)
  if (!queue) return 0
  const repo = webhookRepo(d1Store(env.DB))
  const overdue = await repo.overdue(
    new Date(Date.now() - SWEEP_GRACE_MS).toISOString(),
    SWEEP_LIMIT,
  )
  await send(queue, overdue)
  if (overdue.length > 0) logger.info({ msg: 'webhook sweep', resent: overdue.length })
  return overdue.length
}
