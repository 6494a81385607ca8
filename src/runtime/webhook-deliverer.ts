/**
 * @module runtime/webhook-deliverer
 * The Node deliverer of webhooks: an in-process loop that leases due deliveries in SQLite and attempts
 * each one (`attemptWebhook`), many at once so one slow receiver (up to the 10 s timeout) does not
 * hold up the others, and at most `perEndpoint` to one endpoint, so it cannot take every slot either. Crash-safe because the outbox is: a delivery is a row, written with the check or
 * batch that caused them, and a lease that dies with its process runs out and is taken up again, by this
 * process after a restart or by another server process. Delivery is therefore at least once.
 *
 * It shares the event loop with the checks the server answers, where each turn can take milliseconds
 * under load; what it does per delivery is therefore done per group where it can be: due deliveries
 * are leased in batches (one UPDATE for many), and attempts are recorded several per atomic write.
 */

import type { Logger } from '../core/ports'
import {
  attemptWebhook,
  DELIVERY_TIMEOUT_MS,
  type DelivererDeps,
  logWebhookAttempt,
} from '../core/webhooks/deliver-webhook'
import type { AttemptRecord, DueDelivery, WebhookDispatch } from '../core/webhooks/ports'

export type WebhookDelivererOptions = {
  deliverer: DelivererDeps
  logger: Logger
  /** Attempts in flight at once. */
  concurrency?: number
  /** Attempts in flight to one endpoint at once: a receiver that times out holds no more slots. */
  perEndpoint?: number
  /** How often an idle deliverer looks for due deliveries (retries come due while it sleeps). */
  pollMs?: number
  /** The least time between two lease writes (the claim of due deliveries), however often woken. */
  claimIntervalMs?: number
  /** Attempts recorded in one write at most; a smaller group is written `recordDelayMs` after its first. */
  recordBatch?: number
  recordDelayMs?: number
}

export type WebhookDeliverer = WebhookDispatch & {
  /** Stops leasing; waits for the attempts in flight (each bounded by the delivery timeout) and records them. */
  stop(): Promise<void>
}

/**
 * The default of WEBHOOK_DELIVERY_CONCURRENCY: deliveries yield CPU to checks under peak load (they lag
 * and catch up after it) while a receiver timing out holds a bounded number of connections (the Node
 * poster's per-host limit is the same). 64 kept up with ~2,300 deliveries/s but took the checks of a
 * 2-CPU server down to 72–94 % of their rate (BENCHMARKS.md).
 */
export const DELIVERER_CONCURRENCY = 16
/**
 * The default of WEBHOOK_DELIVERY_PER_ENDPOINT: all the slots but a quarter (12 of 16). A receiver that
 * answers slowly or times out (10 s) leaves that quarter to every other endpoint, while one busy,
 * healthy endpoint keeps most of its throughput: at half the slots (8 of 16) it received 20,085
 * deliveries instead of 36,973 during the same loaded runs of bench/webhooks.ts (BENCHMARKS.md,
 * "Webhooks").
 */
export function defaultPerEndpoint(concurrency: number): number {
  return Math.max(1, concurrency - Math.max(1, Math.floor(concurrency / 4)))
}
const ERROR_PAUSE_MS = 2_000

export function startWebhookDeliverer(opts: WebhookDelivererOptions): WebhookDeliverer {
  const { deliverer, logger } = opts
  const concurrency = opts.concurrency ?? DELIVERER_CONCURRENCY
  const perEndpoint = Math.min(concurrency, opts.perEndpoint ?? defaultPerEndpoint(concurrency))
  const pollMs = opts.pollMs ?? 500
  const recordBatch = opts.recordBatch ?? 64
  const recordDelayMs = opts.recordDelayMs ?? 10
  // Every flagged check wakes the deliverer, and so does every finished attempt: claiming on each would
  // be a lease write per delivery. A claim every 20 ms at most adds that much latency, no more.
  const claimIntervalMs = opts.claimIntervalMs ?? 20
  // A lease is taken for a group of free slots, not one slot as each frees: a quarter of them.
  const claimMin = Math.max(1, Math.floor(concurrency / 4))
  // Longer than an attempt can take and its record wait, so a live attempt never loses its lease to
  // another deliverer.
  const leaseMs = (deliverer.timeoutMs ?? DELIVERY_TIMEOUT_MS) + 20_000
  const inFlight = new Set<Promise<void>>()
  /** Attempts in flight per endpoint id (absent: none). */
  const busy = new Map<string, number>()
  const writes = new Set<Promise<void>>()
  let toRecord: AttemptRecord[] = []
  let recordTimer: ReturnType<typeof setTimeout> | null = null
  let stopped = false
  let wake: (() => void) | null = null
  let woken = false
  let lastClaimAt = 0

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

  function writeRecords(): void {
    if (recordTimer) clearTimeout(recordTimer)
    recordTimer = null
    if (toRecord.length === 0) return
    const group = toRecord
    toRecord = []
    const write = deliverer.repo
      .recordAttempts(group)
      .then(() => {
        for (const record of group) logWebhookAttempt(logger, record)
      })
      .catch((err: unknown) => {
        // Not recorded (a busy database): the leases run out and the deliveries are attempted again.
        for (const record of group)
          logger.error({
            msg: 'webhook deliverer error',
            event_id: record.eventId,
            endpoint_id: record.endpointId,
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          })
      })
      .finally(() => writes.delete(write))
    writes.add(write)
  }

  function record(r: AttemptRecord): void {
    toRecord.push(r)
    if (toRecord.length >= recordBatch) writeRecords()
    else recordTimer ??= setTimeout(writeRecords, recordDelayMs)
  }

  function attempt(due: DueDelivery): void {
    busy.set(due.endpointId, (busy.get(due.endpointId) ?? 0) + 1)
    const run = attemptWebhook(deliverer, due)
      .then(record)
      .catch((err: unknown) => {
        // Not attempted (attemptWebhook fails only on a fault of ours): the lease runs out, it is retried.
        logger.error({
          msg: 'webhook deliverer error',
          event_id: due.eventId,
          endpoint_id: due.endpointId,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        })
      })
      .finally(() => {
        inFlight.delete(run)
        const left = (busy.get(due.endpointId) ?? 1) - 1
        if (left > 0) busy.set(due.endpointId, left)
        else busy.delete(due.endpointId)
        poke()
      })
    inFlight.add(run)
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        const early = lastClaimAt + claimIntervalMs - Date.now()
        if (early > 0) await new Promise((resolve) => setTimeout(resolve, early))
        if (stopped) break
        const free = concurrency - inFlight.size
        const now = deliverer.now()
        // A slot freed one at a time is not worth a lease write of its own: wait for a group of them,
        // unless nothing is in flight or a poll is due (new events then wait at most `pollMs`).
        if (
          free > 0 &&
          (free >= claimMin || inFlight.size === 0 || Date.now() - lastClaimAt >= pollMs)
        ) {
          lastClaimAt = Date.now()
          const claimed = await deliverer.repo.claimDue(
            now.toISOString(),
            new Date(now.getTime() + leaseMs).toISOString(),
            free,
            { perEndpoint, inFlight: busy },
          )
          // A full page means more may be due: the attempts' completions wake the loop for them.
          for (const due of claimed) attempt(due)
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
      writeRecords()
      await Promise.allSettled([...writes])
    },
  }
}
