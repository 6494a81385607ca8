/**
 * @module runtime/webhook-deliverer
 * The Node deliverer of webhooks: an in-process loop that leases due deliveries in SQLite and attempts
 * each one (`deliverWebhook`), several at once so one slow receiver (up to the 10 s timeout) does not
 * hold up the others. Crash-safe because the outbox is: a delivery is a row, written with the check or
 * batch that caused it, and a lease that dies with its process runs out and is taken up again, by this
 * process after a restart or by another server process. Delivery is therefore at least once.
 */

import type { Logger } from '../core/ports'
import {
  DELIVERY_TIMEOUT_MS,
  type DelivererDeps,
  deliverWebhook,
} from '../core/webhooks/deliver-webhook'
import type { DueDelivery, WebhookDispatch } from '../core/webhooks/ports'

export type WebhookDelivererOptions = {
  deliverer: DelivererDeps
  logger: Logger
  /** Attempts in flight at once. */
  concurrency?: number
  /** How often an idle deliverer looks for due deliveries (retries come due while it sleeps). */
  pollMs?: number
}

export type WebhookDeliverer = WebhookDispatch & {
  /** Stops leasing; waits for the attempts in flight (each bounded by the delivery timeout). */
  stop(): Promise<void>
}

const ERROR_PAUSE_MS = 2_000

export function startWebhookDeliverer(opts: WebhookDelivererOptions): WebhookDeliverer {
  const { deliverer, logger } = opts
  const concurrency = opts.concurrency ?? 8
  const pollMs = opts.pollMs ?? 500
  // Longer than an attempt can take, so a live attempt never loses its lease to another deliverer.
  const leaseMs = (deliverer.timeoutMs ?? DELIVERY_TIMEOUT_MS) + 20_000
  const inFlight = new Set<Promise<void>>()
  let stopped = false
  let wake: (() => void) | null = null
  let woken = false

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
        woken = false
        resolve()
        return
      }
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = null
        woken = false
        resolve()
      }
      wake = done
    })
  const poke = () => {
    woken = true
    wake?.()
  }

  function attempt(due: DueDelivery): void {
    const run = deliverWebhook(deliverer, due)
      .then((record) => {
        // Never the URL (it may carry a token of the receiver's) nor any header: ids and outcome only.
        const log = record.outcome === 'delivered' ? logger.info : logger.error
        log({
          msg: 'webhook attempt',
          event_id: record.eventId,
          endpoint_id: record.endpointId,
          attempt: record.attempt,
          status_code: record.statusCode,
          outcome: record.outcome,
          error: record.error ?? undefined,
          next_attempt_at: record.nextAttemptAt ?? undefined,
          endpoint_disabled: record.disableEndpoint ?? undefined,
        })
      })
      .catch((err: unknown) => {
        // The attempt could not be recorded (a busy database): its lease runs out and it is retried.
        logger.error({
          msg: 'webhook deliverer error',
          event_id: due.eventId,
          endpoint_id: due.endpointId,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        })
      })
      .finally(() => {
        inFlight.delete(run)
        poke()
      })
    inFlight.add(run)
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        const free = concurrency - inFlight.size
        if (free > 0) {
          const now = deliverer.now()
          const claimed = await deliverer.repo.claimDue(
            now.toISOString(),
            new Date(now.getTime() + leaseMs).toISOString(),
            free,
          )
          for (const due of claimed) attempt(due)
          // A full page means more may be due: look again at once if there is room.
          if (claimed.length === free && inFlight.size < concurrency) continue
        }
        await sleep(pollMs)
      } catch (err) {
        logger.error({
          msg: 'webhook deliverer error',
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        })
        if (!stopped) await sleep(ERROR_PAUSE_MS)
      }
    }
  }

  const running = loop()
  return {
    dispatched() {
      poke()
    },
    async stop() {
      stopped = true
      wake?.()
      await running
      await Promise.allSettled([...inFlight])
    },
  }
}
