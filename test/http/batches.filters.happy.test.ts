/**
 * Batch names and the filters of `GET /v1/batches` (name, status, created_from/created_to), on SQLite
 * through the app: what the web page's History asks the server for.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type BatchDoc, makeBatchHarness } from './batch-harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
let h: H | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

type Named = BatchDoc & { name: string | null }
type Page = { data: Named[]; next_cursor: string | null }

const FILE = 'reference,description,destination\nA1,Wooden office chairs,DE\n'

async function list(key: string, query: string): Promise<Page> {
  const res = await h!.get(key, `/v1/batches?${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Page
}

async function multipart(key: string, filename: string, query = ''): Promise<Named> {
  const form = new FormData()
  form.append('file', new Blob([FILE], { type: 'text/csv' }), filename)
  const res = await h!.app.request(`/v1/batches${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  })
  expect(res.status).toBe(202)
  return (await res.json()) as Named
}

async function named(key: string, name?: string): Promise<Named> {
  const query = name === undefined ? '' : `?name=${encodeURIComponent(name)}`
  const res = await h!.upload(key, FILE, 'text/csv', query)
  expect(res.status).toBe(202)
  return (await res.json()) as Named
}

describe('batch names', () => {
  it('names a batch after ?name=, else the multipart file, else nothing; GET and the list show it', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const given = await named(key, 'November invoices')
    expect(given.name).toBe('November invoices')
    expect(((await (await h.get(key, `/v1/batches/${given.id}`)).json()) as Named).name).toBe(
      'November invoices',
    )
    expect((await multipart(key, 'invoice-2026-11.csv')).name).toBe('invoice-2026-11.csv')
    // A path some clients send is cut to the file's name; ?name= wins over the file's.
    expect((await multipart(key, 'C:\\Users\\broker\\manifest 7.csv')).name).toBe('manifest 7.csv')
    expect((await multipart(key, 'invoice.csv', '?name=Batch%20A')).name).toBe('Batch A')
    expect((await named(key)).name).toBeNull()
    const all = await list(key, '')
    expect(all.data.map((b) => b.name)).toEqual([
      null,
      'Batch A',
      'manifest 7.csv',
      'invoice-2026-11.csv',
      'November invoices',
    ])
  })
})

describe('GET /v1/batches filters', () => {
  it('finds batches by a part of their name, ignoring case, with % and _ taken literally', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const november = await multipart(key, 'invoice-2026-11.csv')
    const december = await multipart(key, 'invoice-2026-12.csv')
    const underscore = await named(key, 'lot_7')
    await named(key, 'lotx7')
    await named(key)
    const ids = async (query: string) => (await list(key, query)).data.map((b) => b.id)
    expect(await ids('name=invoice-2026-11.csv')).toEqual([november.id])
    expect(await ids('name=INVOICE-2026')).toEqual([december.id, november.id])
    expect(await ids('name=lot_7')).toEqual([underscore.id])
    expect(await ids(`name=${encodeURIComponent('%')}`)).toEqual([])
    expect(await ids('name=nothing-like-it')).toEqual([])
  })

  it('filters by status', async () => {
    h = await makeBatchHarness({ gated: true })
    const { key } = await h.newTenant()
    const running = await named(key, 'a')
    await h.waitFor(key, running.id, (b) => b.status === 'running')
    const cancelled = await named(key, 'b')
    const queued = await named(key, 'c')
    expect((await h.send(key, 'POST', `/v1/batches/${cancelled.id}/cancel`)).status).toBe(200)
    const ids = async (status: string) =>
      (await list(key, `status=${status}`)).data.map((b) => b.id)
    expect(await ids('running')).toEqual([running.id])
    expect(await ids('cancelled')).toEqual([cancelled.id])
    expect(await ids('queued')).toEqual([queued.id])
    expect(await ids('completed')).toEqual([])
    h.release(10)
    await h.waitFor(key, queued.id, (b) => b.status === 'completed')
    expect(await ids('completed')).toEqual([queued.id, running.id])
  })

  it('filters by creation time: from inclusive, to exclusive, offsets as UTC; filters combine', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const at = async (iso: string, name: string) => {
      h!.deps.clock = { now: () => new Date(iso) }
      return named(key, name)
    }
    const oct = await at('2026-10-31T23:59:59.999Z', 'invoice-oct.csv')
    const nov1 = await at('2026-11-01T00:00:00.000Z', 'invoice-nov-a.csv')
    const nov2 = await at('2026-11-20T12:00:00.000Z', 'manifest-nov.csv')
    const dec = await at('2026-12-01T00:00:00.000Z', 'invoice-dec.csv')
    const ids = async (query: string) => (await list(key, query)).data.map((b) => b.id)
    const november = 'created_from=2026-11-01T00:00:00Z&created_to=2026-12-01T00:00:00Z'
    expect(await ids(november)).toEqual([nov2.id, nov1.id])
    expect(await ids('created_to=2026-11-01T00:00:00Z')).toEqual([oct.id])
    expect(await ids('created_from=2026-12-01T01:00:00%2B01:00')).toEqual([dec.id])
    expect(await ids(`${november}&name=invoice`)).toEqual([nov1.id])
    await h.waitFor(key, nov1.id, (b) => b.status === 'completed')
    expect(await ids(`${november}&name=invoice&status=completed`)).toEqual([nov1.id])
    expect(await ids(`${november}&name=invoice&status=cancelled`)).toEqual([])
  })

  it('pages a filtered listing with its cursor', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const kept: string[] = []
    for (let i = 0; i < 5; i++) {
      const b = await named(key, i % 2 ? `other-${i}` : `invoice-${i}`)
      if (i % 2 === 0) kept.unshift(b.id)
    }
    const first = await list(key, 'name=invoice&limit=2')
    expect(first.data.map((b) => b.id)).toEqual(kept.slice(0, 2))
    const second = await list(key, `name=invoice&limit=2&cursor=${first.next_cursor}`)
    expect(second.data.map((b) => b.id)).toEqual(kept.slice(2))
    expect(second.next_cursor).toBeNull()
  })
})
