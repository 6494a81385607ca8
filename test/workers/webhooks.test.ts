// Webhooks on the Worker, in workerd: deliveries through the real WEBHOOK_QUEUE consumer to a real
// HTTP receiver (test/workers/webhook-receiver.ts), retries with the queue's delay, and the cron sweep
// re-sending a delivery whose message was lost. Signatures are verified with `standardwebhooks`.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { beforeAll, describe, expect, inject, it, vi } from 'vitest'
import worker from '../../src/runtime/worker'
import { WEBHOOK_QUEUE_NAME, WEBHOOK_SWEEP_CRON } from '../../src/runtime/worker-webhooks'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

const BASE = 'https://dualuse.test'
const receiver = inject('webhookReceiver')
const FLAGGED = {
  description: 'Deep groove ball bearing 6205-2RS',
  destination: 'KZ',
  final_destination: 'RU',
}
const CLEAR = { description: 'wooden dining chair', destination: 'DE' }

type Logged = { headers: Record<string, string>; body: string; status: number }

async function newKey(): Promise<string> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return (await createApiKey(db, tenant.id, new Date())).key
}

/** Through the Worker's own fetch handler, with `bindings` replacing some of the test env's. */
async function call(
  key: string,
  method: string,
  path: string,
  body?: unknown,
  bindings: Record<string, unknown> = {},
): Promise<Response> {
  const init: RequestInit = {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }
  if (Object.keys(bindings).length === 0) return exports.default.fetch(`${BASE}${path}`, init)
  return (await worker.fetch(
    new Request(`${BASE}${path}`, init) as never,
    { ...env, ...bindings },
    createExecutionContext(),
  )) as unknown as Response
}

async function endpoint(key: string, mode: 'ok' | 'fail2') {
  const token = crypto.randomUUID()
  const res = await call(key, 'POST', '/v1/webhook-endpoints', {
    url: `${receiver}/hook/${token}/${mode}`,
    events: ['check.flagged'],
  })
  expect(res.status).toBe(201)
  const created = (await res.json()) as { id: string; secret: string }
  return { ...created, token }
}

async function received(token: string): Promise<Logged[]> {
  return (await (await fetch(`${receiver}/log/${token}`)).json()) as Logged[]
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await get()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function pendingDelivery(endpointId: string) {
  return d1Store(env.DB)
    .db.selectFrom('webhook_delivery')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .executeTakeFirstOrThrow()
}

describe('webhooks on the Worker', () => {
  beforeAll(async () => {
    // The first request builds the engine for this isolate.
    await (await exports.default.fetch(`${BASE}/healthz`)).arrayBuffer()
  })

  it('delivers check.flagged through the queue, retrying failures, once per webhook-id and none for clear checks', async () => {
    const key = await newKey()
    const e = await endpoint(key, 'fail2')
    const flagged = (await (await call(key, 'POST', '/v1/checks', FLAGGED)).json()) as {
      id: string
      verdict: string
    }
    expect(flagged.verdict).not.toBe('clear')
    const clear = (await (await call(key, 'POST', '/v1/checks', CLEAR)).json()) as { id: string }

    const log = await until(
      () => received(e.token),
      (l) => l.some((r) => r.status === 204),
    )
    expect(log.map((r) => r.status)).toEqual([500, 500, 204])
    expect(new Set(log.map((r) => r.headers['webhook-id'])).size).toBe(1)
    const payload = new Webhook(e.secret).verify(log[2]!.body, log[2]!.headers) as {
      type: string
      data: { id: string }
    }
    expect(payload).toMatchObject({ type: 'check.flagged', data: { id: flagged.id } })
    expect(log.some((r) => r.body.includes(clear.id))).toBe(false)

    const attempts = (await (
      await call(key, 'GET', `/v1/webhook-endpoints/${e.id}/deliveries`)
    ).json()) as { data: { attempt: number; status_code: number }[] }
    expect(attempts.data.map((a) => [a.attempt, a.status_code])).toEqual([
      [3, 204],
      [2, 500],
      [1, 500],
    ])
  })

  it('retries a failed attempt with the schedule’s delay and acknowledges the delivered one', async () => {
    const key = await newKey()
    const e = await endpoint(key, 'fail2')
    // Sent to a queue nobody reads: this test hands the message to the consumer itself.
    await call(key, 'POST', '/v1/checks', FLAGGED, { WEBHOOK_QUEUE: env.HELD_WEBHOOK_QUEUE })
    const d = await pendingDelivery(e.id)
    const consume = async (attempts: number) => {
      const batch = createMessageBatch(WEBHOOK_QUEUE_NAME, [
        {
          id: `m-${attempts}-${crypto.randomUUID()}`,
          timestamp: new Date(),
          attempts,
          body: { eventId: d.event_id, endpointId: d.endpoint_id },
        },
      ])
      // The pool's queue result records a retry but not its delay: read that off the call itself.
      const retry = vi.spyOn(batch.messages[0]!, 'retry')
      const ctx = createExecutionContext()
      await worker.queue(batch as never, env)
      return { ...(await getQueueResult(batch, ctx)), retryCalls: retry.mock.calls }
    }
    const first = await consume(1)
    expect(first.retryMessages).toHaveLength(1)
    // WEBHOOK_RETRY_SCHEDULE=1,1,2: one second, stretched by up to 10 % of jitter, rounded up.
    const [options] = first.retryCalls[0] as [{ delaySeconds: number }]
    expect(options.delaySeconds).toBeGreaterThanOrEqual(1)
    expect(options.delaySeconds).toBeLessThanOrEqual(2)
    const afterFirst = await pendingDelivery(e.id)
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, lease_until: null })
    await new Promise((r) => setTimeout(r, 1200))
    expect((await consume(2)).retryMessages).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 1200))
    const third = await consume(3)
    expect(third.retryMessages).toEqual([])
    expect(third.explicitAcks).toHaveLength(1)
    expect((await pendingDelivery(e.id)).status).toBe('delivered')
    // A duplicate message after delivery changes nothing.
    const dup = await consume(4)
    expect(dup.explicitAcks).toHaveLength(1)
    expect((await received(e.token)).map((r) => r.status)).toEqual([500, 500, 204])
  })

  it('sweeps a delivery whose message was lost back into the queue on the cron trigger', async () => {
    const key = await newKey()
    const e = await endpoint(key, 'ok')
    await call(key, 'POST', '/v1/checks', FLAGGED, { WEBHOOK_QUEUE: env.HELD_WEBHOOK_QUEUE })
    const d = await pendingDelivery(e.id)
    // The message is lost (nobody reads the held queue) and the delivery has been due for 2 minutes.
    await d1Store(env.DB)
      .db.updateTable('webhook_delivery')
      .set({ next_attempt_at: new Date(Date.now() - 120_000).toISOString() })
      .where('event_id', '=', d.event_id)
      .execute()
    await worker.scheduled(createScheduledController({ cron: WEBHOOK_SWEEP_CRON }) as never, env)
    const log = await until(
      () => received(e.token),
      (l) => l.length > 0,
    )
    expect(log[0]).toMatchObject({ status: 204 })
    expect(log[0]!.headers['webhook-id']).toBe(d.event_id)
    await until(
      () => pendingDelivery(e.id),
      (row) => row.status === 'delivered',
    )
  })

  it('refuses private and metadata addresses without WEBHOOK_ALLOW_PRIVATE', async () => {
    const key = await newKey()
    for (const url of ['https://169.254.169.254/', 'https://[::1]/', 'https://10.0.0.1/']) {
      const res = await call(
        key,
        'POST',
        '/v1/webhook-endpoints',
        { url, events: ['check.flagged'] },
        { WEBHOOK_ALLOW_PRIVATE: 'false' },
      )
      expect(res.status).toBe(422)
      const problem = (await res.json()) as { errors: { pointer: string }[] }
      expect(problem.errors[0]!.pointer).toBe('/url')
    }
  })

  it("answers 404 for another tenant's endpoint and event", async () => {
    const a = await newKey()
    const b = await newKey()
    const e = await endpoint(a, 'ok')
    await call(a, 'POST', '/v1/checks', FLAGGED)
    const events = (await (await call(a, 'GET', '/v1/events')).json()) as { data: { id: string }[] }
    expect(events.data).toHaveLength(1)
    expect((await call(b, 'GET', `/v1/webhook-endpoints/${e.id}`)).status).toBe(404)
    expect((await call(b, 'GET', `/v1/events/${events.data[0]!.id}`)).status).toBe(404)
    expect(
      ((await (await call(b, 'GET', '/v1/events')).json()) as { data: unknown[] }).data,
    ).toEqual([])
  })
})
