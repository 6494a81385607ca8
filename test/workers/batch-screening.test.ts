// HTTP batches with the tenant's screening context (issue 12) on the Worker: chunks go through the
// Worker's own `queue` handler over D1 + R2, each batch's rows checked with the lists, suppressions
// and settings recorded at its seal, whatever changed before the chunk's message arrived, and one
// tenant's lists never reach another tenant's batch.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import worker from '../../src/runtime/worker'
import { BATCH_QUEUE_NAME } from '../../src/runtime/worker-batches'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

const BASE = 'https://dualuse.test'

async function newKey(name: string): Promise<string> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return (await createApiKey(db, tenant.id, new Date(), name)).key
}

const call = (key: string, method: string, path: string, body?: unknown, type?: string) =>
  exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': type ?? 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })

type Row = {
  reference: string
  verdict: string
  matches: { list_id: string; suppressed_by?: string }[]
  versions: { lists: Record<string, string>; settings?: string }
}
type Batch = { id: string; status: string; screening?: { lists: Record<string, string> } }

const FILE = [
  { reference: 'r1', description: 'SKF 6205-2RS ball bearings', destination: 'DE' },
  { reference: 'r3', description: 'Deep groove ball bearing 6205-2RS', destination: 'RU' },
  { reference: 'r4', description: 'Deep groove ball bearing 6205-2RS', destination: 'RU' },
]
  .map((r) => JSON.stringify(r))
  .join('\n')

/** Uploads with the chunk messages held (a queue without a consumer): `deliver` sends them later. */
async function uploadHeld(key: string): Promise<Batch> {
  const res = (await worker.fetch(
    new Request(`${BASE}/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body: FILE,
    }) as never,
    { ...env, BATCH_QUEUE: env.HELD_BATCH_QUEUE },
    createExecutionContext(),
  )) as unknown as Response
  expect(res.status).toBe(202)
  return (await res.json()) as Batch
}

/** Delivers the batch's one chunk message to the Worker's own `queue` handler, as the platform would. */
async function deliver(batchId: string): Promise<void> {
  const batch = createMessageBatch(BATCH_QUEUE_NAME, [
    {
      id: `${batchId}-0-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { batchId, seq: 0 },
    },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch as never, env)
  const result = await getQueueResult(batch, ctx)
  expect(result.explicitAcks).toHaveLength(1)
}

async function results(key: string, id: string): Promise<Map<string, Row>> {
  const batch = (await (await call(key, 'GET', `/v1/batches/${id}`)).json()) as Batch
  expect(batch.status).toBe('completed')
  const res = await call(key, 'GET', `/v1/batches/${id}/results?format=jsonl`)
  expect(res.status).toBe(200)
  const rows = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
  return new Map(rows.map((r) => [r.reference, r]))
}

describe('HTTP batches with the tenant’s screening context in workerd', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await exports.default.fetch(`${BASE}/healthz`)).arrayBuffer()
  })

  it('checks queued chunks with the lists and suppressions of the seal, for that tenant only', async () => {
    const key = await newKey('worker-batch-anna')
    const created = await call(key, 'POST', '/v1/lists', {
      id: 'acme_ban',
      name: 'ACME ban',
      mode: 'blocking',
      legal_status: 'in_force',
      source: 'ACME policy',
      destinations: ['DE'],
    })
    expect(created.status).toBe(201)
    const v1 = 'code,title,category\n8482.10,Ball bearings,bearings\n'
    expect((await call(key, 'POST', '/v1/lists/acme_ban/versions', v1, 'text/csv')).status).toBe(
      201,
    )
    const sup = await call(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'r3', list_id: 'chp', entry_code: '8482.10' },
      reason: 'Reviewed: end-user certificate on file',
    })
    expect(sup.status).toBe(201)
    const suppressionId = ((await sup.json()) as { id: string }).id

    const batch = await uploadHeld(key)
    expect(batch.screening?.lists.acme_ban).toBe('1')
    // Before the chunk's message arrives: the list drops bearings and the suppression goes.
    const v2 = await call(key, 'POST', '/v1/lists/acme_ban/versions', {
      entries: [{ code: '9401', title: 'Seats', category: 'seats' }],
    })
    expect(v2.status).toBe(201)
    expect((await call(key, 'DELETE', `/v1/suppressions/${suppressionId}`)).status).toBe(204)

    await deliver(batch.id)
    const rows = await results(key, batch.id)
    expect(rows.get('r1')?.verdict).toBe('prohibited')
    expect(rows.get('r1')?.versions.lists.acme_ban).toBe('1')
    expect(rows.get('r3')?.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBe(
      suppressionId,
    )
    expect(rows.get('r3')?.verdict).not.toBe('high_risk')
    expect(rows.get('r4')?.verdict).toBe('high_risk')

    // Another tenant's batch of the same file: none of it.
    const other = await newKey('worker-batch-bob')
    const theirs = await uploadHeld(other)
    expect(theirs.screening?.lists).not.toHaveProperty('acme_ban')
    await deliver(theirs.id)
    const their = await results(other, theirs.id)
    expect(their.get('r1')?.verdict).toBe('clear')
    expect(their.get('r3')?.verdict).toBe('high_risk')
    for (const row of their.values()) {
      expect(row.matches.some((m) => m.suppressed_by || m.list_id === 'acme_ban')).toBe(false)
      expect(row.versions.lists).not.toHaveProperty('acme_ban')
    }
  })
})
