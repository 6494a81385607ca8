// Re-checks in workerd over D1 (issue 12 item 5): a tenant list version sends its re-check's first
// page to RECHECK_QUEUE, the real consumer runs the pages, and a changed verdict is re-issued as a
// linked check with its `check.verdict_changed` event; a job whose message was lost is re-sent by the
// cron sweep; a page delivered again changes nothing.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import worker from '../../src/runtime/worker'
import { RECHECK_QUEUE_NAME, RECHECK_SWEEP_CRON } from '../../src/runtime/worker-rechecks'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

const BASE = 'https://dualuse.test'
const BEARING = { description: 'Deep groove ball bearing 6205-2RS', destination: 'DE' }
const UNREADABLE = { description: 'qwzx blorp', destination: 'CL' }

type Recheck = {
  id: string
  status: string
  checks_total: number
  checks_done: number
  changed: number
}
type Check = { id: string; verdict: string; supersedes?: string; superseded_by?: string }

async function newKey(): Promise<{ key: string; tenantId: string }> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return {
    key: (await createApiKey(db, tenant.id, new Date(), 'rechecker')).key,
    tenantId: tenant.id,
  }
}

const init = (key: string, method: string, body?: unknown, type?: string): RequestInit => ({
  method,
  headers: {
    authorization: `Bearer ${key}`,
    ...(body === undefined ? {} : { 'content-type': type ?? 'application/json' }),
  },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
})

const call = (key: string, method: string, path: string, body?: unknown, type?: string) =>
  exports.default.fetch(`${BASE}${path}`, init(key, method, body, type))

/** A queue that takes every message and delivers none: a message lost on its way. */
const lostQueue = { send: async () => {}, sendBatch: async () => {} }

async function listWithVersion(key: string, id: string, opts: { lose?: boolean } = {}) {
  expect(
    (
      await call(key, 'POST', '/v1/lists', {
        id,
        name: 'Denied goods',
        mode: 'blocking',
        legal_status: 'guidance',
        source: 'policy 7',
      })
    ).status,
  ).toBe(201)
  const req = init(key, 'POST', 'code,title,category\n8482.10,Ball bearings,bearings\n', 'text/csv')
  const res = opts.lose
    ? ((await worker.fetch(
        new Request(`${BASE}/v1/lists/${id}/versions`, req) as never,
        { ...env, RECHECK_QUEUE: lostQueue } as never,
        createExecutionContext(),
      )) as unknown as Response)
    : await exports.default.fetch(`${BASE}/v1/lists/${id}/versions`, req)
  expect(res.status).toBe(201)
  const body = (await res.json()) as { rechecks: string[] }
  expect(body.rechecks).toHaveLength(1)
  return body.rechecks[0]!
}

async function getRecheck(key: string, id: string): Promise<Recheck> {
  const res = await call(key, 'GET', `/v1/rechecks/${id}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Recheck
}

async function completed(key: string, id: string): Promise<Recheck> {
  const deadline = Date.now() + 45_000
  for (;;) {
    const r = await getRecheck(key, id)
    if (r.status === 'completed') return r
    if (Date.now() > deadline) throw new Error(`recheck ${id} is still ${r.status}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('re-checks in workerd with D1 and a Queue', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await exports.default.fetch(`${BASE}/healthz`)).arrayBuffer()
  })

  it('runs a re-check through the queue: the changed check is re-issued and linked, with its event', async () => {
    const { key, tenantId } = await newKey()
    const bearing = (await (await call(key, 'POST', '/v1/checks', BEARING)).json()) as Check
    const other = (await (await call(key, 'POST', '/v1/checks', UNREADABLE)).json()) as Check
    expect([bearing.verdict, other.verdict]).toEqual(['clear', 'clear'])

    const id = await listWithVersion(key, 'w_denied')
    const done = await completed(key, id)
    expect(done).toMatchObject({ checks_total: 2, checks_done: 2, changed: 1 })

    const old = (await (await call(key, 'GET', `/v1/checks/${bearing.id}`)).json()) as Check
    expect(old.verdict).toBe('clear')
    const renewed = (await (
      await call(key, 'GET', `/v1/checks/${old.superseded_by}`)
    ).json()) as Check
    expect(renewed).toMatchObject({ verdict: 'review', supersedes: bearing.id })
    const untouched = (await (await call(key, 'GET', `/v1/checks/${other.id}`)).json()) as Check
    expect(untouched.superseded_by).toBeUndefined()

    const event = await env.DB.prepare(
      `select payload_json from webhook_event where tenant_id = ? and type = 'check.verdict_changed'`,
    )
      .bind(tenantId)
      .first<{ payload_json: string }>()
    expect(JSON.parse(event!.payload_json).data).toMatchObject({
      id: renewed.id,
      previous_id: bearing.id,
      previous_verdict: 'clear',
      verdict: 'review',
      changes: { recheck_id: id, list_id: 'w_denied', version: '1' },
    })

    // Another tenant does not see it.
    const stranger = await newKey()
    expect((await call(stranger.key, 'GET', `/v1/rechecks/${id}`)).status).toBe(404)
  })

  it('re-sends a job whose message was lost from the cron sweep, and a page delivered again changes nothing', async () => {
    const { key } = await newKey()
    await call(key, 'POST', '/v1/checks', BEARING)
    const id = await listWithVersion(key, 'w_lost', { lose: true })
    expect((await getRecheck(key, id)).status).toBe('queued')

    // Make it look stalled: its last progress 10 minutes ago.
    await env.DB.prepare(`update recheck set updated_at = ? where id = ?`)
      .bind(new Date(Date.now() - 600_000).toISOString(), id)
      .run()
    await worker.scheduled(createScheduledController({ cron: RECHECK_SWEEP_CRON }) as never, env)
    const done = await completed(key, id)
    expect(done).toMatchObject({ checks_total: 1, checks_done: 1, changed: 1 })

    // The first page's message delivered again (a redelivery): acknowledged, nothing re-issued.
    const batch = createMessageBatch(RECHECK_QUEUE_NAME, [
      { id: `dup-${id}`, timestamp: new Date(), attempts: 1, body: { recheckId: id, after: null } },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch as never, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual([`dup-${id}`])
    const again = await getRecheck(key, id)
    expect(again).toMatchObject({ checks_done: 1, changed: 1 })
    const all = (await (await call(key, 'GET', '/v1/checks')).json()) as { data: Check[] }
    expect(all.data).toHaveLength(2)
  })
})
