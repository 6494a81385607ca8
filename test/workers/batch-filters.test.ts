// Batch names and the listing's filters in workerd: the batch row (and its name) lives in D1, and the
// name filter's LIKE must ignore ASCII case there as it does on SQLite. Uploads are held (the queue has
// no consumer), so the batches stay `queued`.
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/runtime/worker'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

const BASE = 'https://dualuse.test'
const FILE = 'reference,description,destination\nA1,Wooden office chairs,DE\n'

type Named = { id: string; name: string | null; status: string }

async function newKey(): Promise<string> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return (await createApiKey(db, tenant.id, new Date())).key
}

async function call(key: string, path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(`${BASE}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  })
  return (await worker.fetch(
    request as never,
    { ...env, BATCH_QUEUE: env.HELD_BATCH_QUEUE },
    createExecutionContext(),
  )) as unknown as Response
}

async function list(key: string, query: string): Promise<string[]> {
  const res = await call(key, `/v1/batches?${query}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: Named[] }).data.map((b) => b.id)
}

describe('batch names and listing filters on the Worker (D1)', () => {
  it('names a batch after its multipart file or ?name=, and finds it by name, status and date', async () => {
    const key = await newKey()
    const form = new FormData()
    form.append('file', new Blob([FILE], { type: 'text/csv' }), 'invoice-2026-11.csv')
    const byFile = await call(key, '/v1/batches', { method: 'POST', body: form })
    expect(byFile.status).toBe(202)
    const invoice = (await byFile.json()) as Named
    expect(invoice.name).toBe('invoice-2026-11.csv')
    const byQuery = await call(key, '/v1/batches?name=manifest.csv', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: FILE,
    })
    expect(byQuery.status).toBe(202)
    const manifest = (await byQuery.json()) as Named
    expect(manifest.name).toBe('manifest.csv')

    expect(await list(key, 'name=INVOICE-2026-11')).toEqual([invoice.id])
    expect(await list(key, 'name=.csv&status=queued')).toEqual([manifest.id, invoice.id])
    expect(await list(key, 'status=completed')).toEqual([])
    expect(await list(key, 'created_from=2999-01-01T00:00:00Z')).toEqual([])
    // Another tenant's listing finds neither by name.
    expect(await list(await newKey(), 'name=invoice')).toEqual([])
  })
})
