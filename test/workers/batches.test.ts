// HTTP batches on the Worker, in workerd: upload into R2 + D1, chunks through the real Queue consumer,
// results streamed from R2. Deliveries a test controls go through HELD_BATCH_QUEUE (no consumer) and
// then the Worker's own `queue` handler, so retries and duplicates are the platform's, not a mock's.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import type { R2Bucket } from '@cloudflare/workers-types'
import { beforeAll, describe, expect, it } from 'vitest'
import { type BatchRow, readBatchRows } from '../../src/core/batch'
import { classificationCache } from '../../src/core/classify/classification-cache'
import { defaultSettings } from '../../src/core/lists/manage-settings'
import { settingsDigest } from '../../src/core/lists/versions'
import { checkChunkOn } from '../../src/runtime/checker'
import { contextDataCache, registerLazily, screeningDeps } from '../../src/runtime/screening-deps'
import worker from '../../src/runtime/worker'
import {
  BATCH_CHUNK_MAX_ATTEMPTS,
  BATCH_PURGE_CRON,
  BATCH_QUEUE_NAME,
  checkChunkInWorker,
  consumeChunkMessages,
} from '../../src/runtime/worker-batches'
import { workerEngine } from '../../src/runtime/worker-engine'
import { storagePorts } from '../../src/storage'
import { d1Store } from '../../src/storage/d1'
import { r2ChunkBodies } from '../../src/storage/r2'
import { batchRepo } from '../../src/storage/repos/batch-repo'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

type BatchDoc = {
  id: string
  status: string
  rows_total: number
  rows_checked: number
  rows_failed: number
  counts: Record<string, number>
  completed_at: string | null
}

const BASE = 'https://dualuse.test'
// The generated Env names the platform's global types, which this tsconfig does not load.
const bucket = env.BATCHES as unknown as R2Bucket

async function newTenant(): Promise<{ key: string; tenantId: string }> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return { key: (await createApiKey(db, tenant.id, new Date())).key, tenantId: tenant.id }
}

const newKey = async () => (await newTenant()).key

const DESCRIPTIONS = [
  'Deep groove ball bearing 6205-2RS',
  'wooden chair',
  'CNC milling machine, 5-axis, positioning accuracy 4 µm',
  'cotton T-shirts, men, size L',
  'Programmable logic controller Siemens S7-1500',
  'frequency changer 600 Hz, 40 kW',
  'hydraulic pump for excavator',
  'ceramic coffee mugs',
]
const DESTINATIONS = ['KZ', 'DE', 'AM', 'CN', 'TR']

/**
 * A CSV of `rows` goods lines, some of them bad (no destination, a stray quote) so error lines come out
 * too; the defaults give most rows their final destination.
 */
function csvOf(rows: number): string {
  const lines = ['reference;description;destination;final_destination']
  for (let i = 0; i < rows; i++) {
    const desc = DESCRIPTIONS[i % DESCRIPTIONS.length]!
    if (i % 97 === 13) lines.push(`R${i};${desc};;`)
    else if (i % 131 === 7) lines.push(`R${i};"${desc};KZ;RU`)
    else lines.push(`R${i};${desc};${DESTINATIONS[i % DESTINATIONS.length]};${i % 3 ? 'RU' : ''}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

/**
 * What the Node path stores for the same file: the shared reader, then the check of each chunk's rows
 * with the screening context of a tenant that has no lists, suppressions or settings of its own, every
 * row read afresh (a cache that keeps nothing): the bytes a batch gives without reusing readings.
 */
async function nodePathJsonl(csv: string): Promise<string> {
  const rows: BatchRow[] = []
  for await (const row of readBatchRows(new Response(csv).body!, { format: 'csv', defaults: {} }))
    rows.push(row)
  const settings = defaultSettings()
  const data = {
    key: 'no-lists',
    operator: [],
    tenant: [],
    suppressions: [],
    settings,
    settingsDigest: await settingsDigest(settings),
  }
  return checkChunkOn(
    workerEngine(),
    JSON.parse(JSON.stringify(rows)) as BatchRow[],
    { data, at: new Date().toISOString() },
    classificationCache(workerEngine().classifier, 0),
  ).lines.join('')
}

function auth(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${key}`, ...extra }
}

/** Uploads through the real queue (the consumer picks the chunks up), or holds the chunk messages. */
async function upload(key: string, csv: string, opts: { held?: boolean } = {}): Promise<BatchDoc> {
  const init = { method: 'POST', headers: auth(key, { 'content-type': 'text/csv' }), body: csv }
  const res = opts.held
    ? ((await worker.fetch(
        new Request(`${BASE}/v1/batches`, init) as never,
        { ...env, BATCH_QUEUE: env.HELD_BATCH_QUEUE },
        createExecutionContext(),
      )) as unknown as Response)
    : await exports.default.fetch(`${BASE}/v1/batches`, init)
  expect(res.status).toBe(202)
  const doc = (await res.json()) as BatchDoc
  expect(res.headers.get('location')).toBe(`/v1/batches/${doc.id}`)
  return doc
}

async function getBatch(key: string, id: string): Promise<BatchDoc> {
  const res = await exports.default.fetch(`${BASE}/v1/batches/${id}`, { headers: auth(key) })
  expect(res.status).toBe(200)
  return (await res.json()) as BatchDoc
}

async function waitFor(key: string, id: string, status: string): Promise<BatchDoc> {
  const deadline = Date.now() + 45_000
  for (;;) {
    const doc = await getBatch(key, id)
    if (doc.status === status) return doc
    if (Date.now() > deadline) throw new Error(`batch ${id} is still ${doc.status}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function chunkMessages(batchId: string, seqs: number[], attempts = 1) {
  return seqs.map((seq) => ({
    id: `${batchId}-${seq}-${attempts}-${crypto.randomUUID()}`,
    timestamp: new Date(),
    attempts,
    body: { batchId, seq },
  }))
}

/** How many descriptions the isolate's classifier read while `run` ran. */
async function readsDuring(run: () => Promise<void>): Promise<number> {
  const { classifier } = workerEngine()
  const classify = classifier.classify
  let reads = 0
  classifier.classify = (description) => {
    reads++
    return classify.call(classifier, description)
  }
  try {
    await run()
  } finally {
    classifier.classify = classify
  }
  return reads
}

/** Delivers chunk messages to the Worker's own `queue` handler, as the platform would. */
async function deliver(batchId: string, seqs: number[], attempts = 1) {
  const messages = chunkMessages(batchId, seqs, attempts)
  const batch = createMessageBatch(BATCH_QUEUE_NAME, messages)
  const ctx = createExecutionContext()
  await worker.queue(batch as never, env)
  return { messages, result: await getQueueResult(batch, ctx) }
}

async function objectKeys(prefix: string): Promise<string[]> {
  return (await bucket.list({ prefix })).objects.map((o) => o.key).sort()
}

/** `Deps.screening` over the test D1, built as the Worker builds it. */
function screeningOverD1() {
  const repo = storagePorts(d1Store(env.DB)).screeningRepo
  return screeningDeps({
    repo,
    hsCodes: () => workerEngine().catalogue.hs.map((h) => h.code),
    builtInLists: () => workerEngine().catalogue.lists,
    ready: registerLazily(() => workerEngine().catalogue.lists)(repo),
    contexts: contextDataCache(),
  })
}

const silentLogger = () => {
  const lines: Record<string, unknown>[] = []
  return {
    lines,
    info: (f: Record<string, unknown>) => lines.push(f),
    error: (f: Record<string, unknown>) => lines.push(f),
  }
}

describe('HTTP batches on the Worker (R2 + Queues + D1)', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await exports.default.fetch(`${BASE}/healthz`)).arrayBuffer()
  })

  it('checks an upload through the queue consumer and serves the Node path results in input order', async () => {
    const key = await newKey()
    const csv = csvOf(1_100)
    const created = await upload(key, csv)
    expect(created).toMatchObject({ status: 'queued', rows_total: 1_100, rows_checked: 0 })

    const done = await waitFor(key, created.id, 'completed')
    expect(done.rows_checked).toBe(1_100)
    expect(done.rows_failed).toBeGreaterThan(0)
    expect(done.completed_at).not.toBeNull()

    const res = await exports.default.fetch(
      `${BASE}/v1/batches/${created.id}/results?format=jsonl`,
      { headers: auth(key) },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson')
    const text = await res.text()
    expect(text).toBe(await nodePathJsonl(csv))
    const lines = text.trimEnd().split('\n')
    expect(lines).toHaveLength(1_100)
    expect(lines.map((l) => (JSON.parse(l) as { reference: string }).reference)).toEqual(
      Array.from({ length: 1_100 }, (_, i) => `R${i}`),
    )

    const csvRes = await exports.default.fetch(
      `${BASE}/v1/batches/${created.id}/results?format=csv&verdict=error`,
      { headers: auth(key) },
    )
    expect(csvRes.status).toBe(200)
    expect((await csvRes.text()).trimEnd().split('\n')).toHaveLength(1 + done.rows_failed)

    // The bulk is in R2, three chunks of rows and results; D1 keeps no copy of it.
    expect(await objectKeys(`batches/${created.id}/`)).toEqual([
      `batches/${created.id}/0.results.jsonl.gz`,
      `batches/${created.id}/0.rows.json.gz`,
      `batches/${created.id}/1.results.jsonl.gz`,
      `batches/${created.id}/1.rows.json.gz`,
      `batches/${created.id}/2.results.jsonl.gz`,
      `batches/${created.id}/2.rows.json.gz`,
    ])
    const stored = await env.DB.prepare(
      'SELECT seq, length(rows_gz) AS rows_bytes, length(result_gz) AS result_bytes FROM batch_chunk WHERE batch_id = ? ORDER BY seq',
    )
      .bind(created.id)
      .all()
    expect(stored.results).toEqual(
      [0, 1, 2].map((seq) => ({ seq, rows_bytes: 0, result_bytes: 0 })),
    )
  })

  it('reads a line repeated across the chunks of one delivery from the batch’s readings, same bytes', async () => {
    const key = await newKey()
    const csv = csvOf(1_100)
    const created = await upload(key, csv, { held: true })
    // All three chunks in one delivery: they share the batch's readings (the 8 lines are read at
    // most twice each), and the results are the bytes of reading every row afresh.
    const engine = workerEngine()
    const reads = await readsDuring(async () => {
      const { result } = await deliver(created.id, [0, 1, 2])
      expect(result.retryMessages).toEqual([])
    })
    expect(reads).toBeGreaterThanOrEqual(DESCRIPTIONS.length)
    expect(reads).toBeLessThanOrEqual(2 * DESCRIPTIONS.length)
    expect((await waitFor(key, created.id, 'completed')).rows_checked).toBe(1_100)
    const res = await exports.default.fetch(
      `${BASE}/v1/batches/${created.id}/results?format=jsonl`,
      { headers: auth(key) },
    )
    expect(await res.text()).toBe(await nodePathJsonl(csv))
    // Nothing is kept on the isolate's engine, which serves every tenant.
    expect(engine.classifications.size).toBe(0)
  })

  it('keeps each batch’s readings apart in a delivery that mixes two tenants’ chunks', async () => {
    const csv = csvOf(1_000)
    const keys = [await newKey(), await newKey()]
    const [a, b] = [
      await upload(keys[0]!, csv, { held: true }),
      await upload(keys[1]!, csv, { held: true }),
    ]
    const messages = [
      ...chunkMessages(a!.id, [0]),
      ...chunkMessages(b!.id, [0]),
      ...chunkMessages(a!.id, [1]),
      ...chunkMessages(b!.id, [1]),
    ]
    const reads = await readsDuring(async () => {
      const delivery = createMessageBatch(BATCH_QUEUE_NAME, messages)
      await worker.queue(delivery as never, env)
      expect((await getQueueResult(delivery, createExecutionContext())).retryMessages).toEqual([])
    })
    // Each batch reads each of its lines twice (first and second sighting), then from its own
    // readings: the same lines in the other tenant's batch are read afresh, as if never checked.
    expect(reads).toBe(2 * 2 * DESCRIPTIONS.length)
    const afresh = await nodePathJsonl(csv)
    for (const [i, created] of [a!, b!].entries()) {
      expect((await waitFor(keys[i]!, created.id, 'completed')).rows_checked).toBe(1_000)
      const res = await exports.default.fetch(
        `${BASE}/v1/batches/${created.id}/results?format=jsonl`,
        { headers: auth(keys[i]!) },
      )
      expect(await res.text()).toBe(afresh)
    }
  })

  it('answers 409 problem for results until the batch has completed', async () => {
    const key = await newKey()
    const created = await upload(key, csvOf(20), { held: true })
    const early = await exports.default.fetch(`${BASE}/v1/batches/${created.id}/results`, {
      headers: auth(key),
    })
    expect(early.status).toBe(409)
    expect(early.headers.get('content-type')).toBe('application/problem+json')

    const { result } = await deliver(created.id, [0])
    expect(result.retryMessages).toEqual([])
    expect((await waitFor(key, created.id, 'completed')).rows_checked).toBe(20)
    const late = await exports.default.fetch(`${BASE}/v1/batches/${created.id}/results`, {
      headers: auth(key),
    })
    expect(late.status).toBe(200)
    expect((await late.text()).trimEnd().split('\n')).toHaveLength(20)
  })

  it('skips the chunks of a cancelled batch: acked, not checked, results stay 409', async () => {
    const key = await newKey()
    const created = await upload(key, csvOf(700), { held: true })
    const cancel = await exports.default.fetch(`${BASE}/v1/batches/${created.id}/cancel`, {
      method: 'POST',
      headers: auth(key),
    })
    expect(cancel.status).toBe(200)
    expect(((await cancel.json()) as BatchDoc).status).toBe('cancelled')

    const { messages, result } = await deliver(created.id, [0, 1])
    expect(result.retryMessages).toEqual([])
    expect(new Set(result.explicitAcks)).toEqual(new Set(messages.map((m) => m.id)))

    const after = await getBatch(key, created.id)
    expect(after).toMatchObject({ status: 'cancelled', rows_checked: 0 })
    expect(await objectKeys(`batches/${created.id}/`)).toEqual([
      `batches/${created.id}/0.rows.json.gz`,
      `batches/${created.id}/1.rows.json.gz`,
    ])
    const results = await exports.default.fetch(`${BASE}/v1/batches/${created.id}/results`, {
      headers: auth(key),
    })
    expect(results.status).toBe(409)
  })

  it('retries a chunk whose consumer failed after writing R2, and duplicates change nothing', async () => {
    const key = await newKey()
    const csv = csvOf(600)
    const created = await upload(key, csv, { held: true })

    // The R2 write of chunk 0's results lands, then the consumer fails before D1 records the chunk.
    let tripped = false
    const faulty = new Proxy(bucket, {
      get(target, prop) {
        if (prop === 'put')
          return async (...args: Parameters<R2Bucket['put']>) => {
            const written = await target.put(...args)
            if (!tripped && args[0].endsWith('/0.results.jsonl.gz')) {
              tripped = true
              throw new Error('connection reset after the write')
            }
            return written
          }
        const value = Reflect.get(target, prop)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const logger = silentLogger()
    const messages = chunkMessages(created.id, [0, 1])
    const batch = createMessageBatch(BATCH_QUEUE_NAME, messages)
    const ctx = createExecutionContext()
    await consumeChunkMessages(batch, {
      repo: batchRepo(d1Store(env.DB), r2ChunkBodies(faulty)),
      checkChunk: checkChunkInWorker,
      clock: { now: () => new Date() },
      logger,
      // As the Worker's handler does: the batch's rows with the context recorded at its seal.
      screening: screeningOverD1(),
    })
    const first = await getQueueResult(batch, ctx)
    expect(first.explicitAcks).toEqual([messages[1]!.id])
    expect(first.retryMessages).toEqual([expect.objectContaining({ msgId: messages[0]!.id })])
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ msg: 'batch chunk retried', seq: 0, attempts: 1 }),
    )
    // Chunk 0's results object is there, but the chunk is not counted: the batch is still running.
    expect(await objectKeys(`batches/${created.id}/0.results`)).toHaveLength(1)
    expect(await getBatch(key, created.id)).toMatchObject({ status: 'running', rows_checked: 100 })

    // The platform's retry, through the Worker's own handler: the chunk is checked, the batch completes.
    const retry = await deliver(created.id, [0], 2)
    expect(retry.result.retryMessages).toEqual([])
    const done = await waitFor(key, created.id, 'completed')
    expect(done.rows_checked).toBe(600)

    // Every message delivered again: acked, nothing counted twice, the same bytes served.
    const again = await deliver(created.id, [0, 1, 1])
    expect(again.result.explicitAcks).toHaveLength(3)
    expect(await getBatch(key, created.id)).toEqual(done)
    const res = await exports.default.fetch(`${BASE}/v1/batches/${created.id}/results`, {
      headers: auth(key),
    })
    expect(await res.text()).toBe(await nodePathJsonl(csv))
    // Announced once (the webhooks outbox), however often the last chunk was delivered.
    const events = await env.DB.prepare('SELECT type FROM webhook_event WHERE subject_id = ?')
      .bind(created.id)
      .all()
    expect(events.results).toEqual([{ type: 'batch.completed' }])
  })

  it('marks the batch failed when a chunk fails on its last try', async () => {
    const key = await newKey()
    const created = await upload(key, csvOf(10), { held: true })
    const unreadable = new Proxy(bucket, {
      get(target, prop) {
        if (prop === 'get')
          return async () => {
            throw new Error('R2 unavailable')
          }
        const value = Reflect.get(target, prop)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const messages = chunkMessages(created.id, [0], BATCH_CHUNK_MAX_ATTEMPTS)
    const batch = createMessageBatch(BATCH_QUEUE_NAME, messages)
    const ctx = createExecutionContext()
    await consumeChunkMessages(batch, {
      repo: batchRepo(d1Store(env.DB), r2ChunkBodies(unreadable)),
      checkChunk: checkChunkInWorker,
      clock: { now: () => new Date() },
      logger: silentLogger(),
    })
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual([messages[0]!.id])
    expect(await getBatch(key, created.id)).toMatchObject({
      status: 'failed',
      rows_checked: 0,
      failure: `chunk 0 failed ${BATCH_CHUNK_MAX_ATTEMPTS} tries: Error: R2 unavailable`,
    })
    const events = await env.DB.prepare('SELECT type FROM webhook_event WHERE subject_id = ?')
      .bind(created.id)
      .all()
    expect(events.results).toEqual([{ type: 'batch.failed' }])
  })

  it("answers 404 for another tenant's batch on every endpoint and leaves it untouched", async () => {
    const owner = await newKey()
    const other = await newKey()
    const created = await upload(owner, csvOf(5), { held: true })
    const requests: [string, string][] = [
      ['GET', `/v1/batches/${created.id}`],
      ['GET', `/v1/batches/${created.id}/results`],
      ['POST', `/v1/batches/${created.id}/cancel`],
      ['DELETE', `/v1/batches/${created.id}`],
    ]
    for (const [method, path] of requests) {
      const res = await exports.default.fetch(`${BASE}${path}`, { method, headers: auth(other) })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
    const list = await exports.default.fetch(`${BASE}/v1/batches`, { headers: auth(other) })
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([])
    expect(await getBatch(owner, created.id)).toMatchObject({ status: 'queued' })
    expect(await objectKeys(`batches/${created.id}/`)).toHaveLength(1)
  })

  it('deletes a batch with its R2 objects, and the cron purge removes batches past retention', async () => {
    const { key, tenantId } = await newTenant()
    const deleted = await upload(key, csvOf(10), { held: true })
    const del = await exports.default.fetch(`${BASE}/v1/batches/${deleted.id}`, {
      method: 'DELETE',
      headers: auth(key),
    })
    expect(del.status).toBe(204)
    expect(await objectKeys(`batches/${deleted.id}/`)).toEqual([])
    const gone = await exports.default.fetch(`${BASE}/v1/batches/${deleted.id}`, {
      headers: auth(key),
    })
    expect(gone.status).toBe(404)

    // One batch created 31 days ago through the same repository, one today.
    const repo = batchRepo(d1Store(env.DB), r2ChunkBodies(bucket))
    const oldId = `bat_old_${crypto.randomUUID()}`
    await repo.open({
      id: oldId,
      tenantId,
      format: 'csv',
      createdAt: new Date(Date.now() - 31 * 86_400_000).toISOString(),
    })
    await repo.appendChunk(oldId, 0, 1, JSON.stringify([{ line: 2, reference: null, input: {} }]))
    await repo.seal(oldId, tenantId, 1)
    const kept = await upload(key, csvOf(3), { held: true })

    await worker.scheduled(createScheduledController({ cron: BATCH_PURGE_CRON }) as never, env)
    expect(await objectKeys(`batches/${oldId}/`)).toEqual([])
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM batch WHERE id = ?').bind(oldId).first('n'),
    ).toBe(0)
    expect(await getBatch(key, kept.id)).toMatchObject({ status: 'queued' })
  })

  it('answers 501 problem where the Worker has no BATCHES bucket bound', async () => {
    const key = await newKey()
    const { BATCHES: _unbound, ...withoutBucket } = env
    const res = (await worker.fetch(
      new Request(`${BASE}/v1/batches`, {
        method: 'POST',
        headers: auth(key, { 'content-type': 'text/csv' }),
        body: csvOf(2),
      }) as never,
      withoutBucket as typeof env,
      createExecutionContext(),
    )) as unknown as Response
    expect(res.status).toBe(501)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('NOT_IMPLEMENTED')
  })
})
