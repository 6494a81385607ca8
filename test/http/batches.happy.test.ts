import { afterEach, describe, expect, it } from 'vitest'
import { CSV_RESULT_COLUMNS } from '../../src/core/batch'
import { type BatchDoc, cliOutput, makeBatchHarness } from './batch-harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
let h: H | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const LINES = [
  ['INV-1', 'Deep groove ball bearing 6205-2RS', 'RU', '', ''],
  ['INV-2', 'Cotton T-shirts, men’s, knitted', 'DE', '', ''],
  ['INV-3', 'Programmable logic controller, Siemens S7-1200', 'KZ', '', 'RU'],
  ['INV-4', 'Frozen salmon fillets', '', '', ''],
  ['INV-5', 'CNC machining centre, 5-axis', 'XX', '', ''],
]

/** Excel's "CSV UTF-8" in a semicolon locale: BOM, ";" and CRLF. */
function semicolonCsv(rows = LINES): string {
  const head = 'reference;description;destination;hs_code;final_destination'
  return `\ufeff${[head, ...rows.map((r) => r.join(';'))].join('\r\n')}\r\n`
}

function manyRows(n: number): string {
  const out = ['reference,description,destination']
  for (let i = 0; i < n; i++)
    out.push(
      `R${i},${i % 2 ? 'Ball bearings 6204' : 'Wooden office chairs'},${i % 3 ? 'RU' : 'DE'}`,
    )
  return `${out.join('\n')}\n`
}

async function results(key: string, id: string, query: string) {
  const res = await h!.get(key, `/v1/batches/${id}/results?${query}`)
  expect(res.status).toBe(200)
  return res.text()
}

describe('POST /v1/batches and the results', () => {
  it('takes a semicolon CSV with BOM and CRLF and returns the CLI’s JSONL and CSV, in input order', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const file = semicolonCsv()
    const res = await h.upload(key, file, 'text/csv; charset=utf-8', '?destination=AM')
    expect(res.status).toBe(202)
    const created = (await res.json()) as BatchDoc
    expect(created.id).toMatch(/^bat_/)
    expect(res.headers.get('location')).toBe(`/v1/batches/${created.id}`)
    expect(created).toMatchObject({ rows_total: 5, format: 'csv' })
    expect(['queued', 'running', 'completed']).toContain(created.status)

    const done = await h.waitFor(key, created.id, (b) => b.status === 'completed')
    expect(done).toMatchObject({ rows_checked: 5, rows_failed: 1 })
    expect(done.completed_at).not.toBeNull()
    expect(done.counts_by_destination['AM']).toBeDefined() // the default filled INV-4's destination
    expect(done.counts_by_destination['XX']?.error).toBe(1)
    const verdicts = Object.values(done.counts).reduce((a, b) => a + b, 0)
    expect(verdicts).toBe(4)

    const defaults = { destination: 'AM' }
    expect(await results(key, created.id, 'format=jsonl')).toBe(
      await cliOutput(file, 'csv', 'jsonl', defaults),
    )
    expect(await results(key, created.id, 'format=csv')).toBe(
      `${CSV_RESULT_COLUMNS.join(',')}\n${await cliOutput(file, 'csv', 'csv', defaults)}`,
    )
    const rows = (await results(key, created.id, 'format=jsonl'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reference: string; row: number })
    expect(rows.map((r) => [r.reference, r.row])).toEqual([
      ['INV-1', 2],
      ['INV-2', 3],
      ['INV-3', 4],
      ['INV-4', 5],
      ['INV-5', 6],
    ])
  })

  it('takes JSON Lines, over several chunks, and filters results by verdict', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const lines: string[] = []
    for (let i = 0; i < 1100; i++)
      lines.push(
        JSON.stringify({
          reference: `J${i}`,
          description: i % 2 ? 'Ball bearings 6204' : 'Wooden office chairs',
          ...(i % 5 ? { destination: 'RU' } : {}),
        }),
      )
    const file = `${lines.join('\n')}\n`
    const res = await h.upload(key, file, 'application/x-ndjson', '?destination=BY&regime=eu')
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as BatchDoc
    await h.waitFor(key, id, (b) => b.status === 'completed')
    const defaults = { destination: 'BY', regime: 'EU' }
    const all = await results(key, id, 'format=jsonl')
    expect(all).toBe(await cliOutput(file, 'jsonl', 'jsonl', defaults))
    expect(all.trim().split('\n')).toHaveLength(1100)
    const clear = await results(key, id, 'format=jsonl&verdict=clear')
    const expected = all
      .trim()
      .split('\n')
      .filter((l) => (JSON.parse(l) as { verdict?: string }).verdict === 'clear')
    expect(clear.trim().split('\n')).toEqual(expected)
  })

  it('takes a multipart form with the file in a "file" field', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const file = semicolonCsv()
    const form = new FormData()
    form.append('note', 'ignored')
    form.append('file', new Blob([file], { type: 'text/csv' }), 'invoice.csv')
    const res = await h.app.request('/v1/batches?destination=AM', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as BatchDoc
    await h.waitFor(key, id, (b) => b.status === 'completed')
    expect(await results(key, id, 'format=jsonl')).toBe(
      await cliOutput(file, 'csv', 'jsonl', { destination: 'AM' }),
    )
  })

  it('reports progress chunk by chunk, and serves results only once completed', async () => {
    h = await makeBatchHarness({ gated: true })
    const { key } = await h.newTenant()
    const res = await h.upload(key, manyRows(1200), 'text/csv')
    const { id } = (await res.json()) as BatchDoc
    h.release(1)
    const part = await h.waitFor(key, id, (b) => b.rows_checked === 500)
    expect(part).toMatchObject({ status: 'running', rows_total: 1200 })
    const early = await h.get(key, `/v1/batches/${id}/results`)
    expect(early.status).toBe(409)
    expect(((await early.json()) as { detail: string }).detail).toContain('running')
    h.release(2)
    const done = await h.waitFor(key, id, (b) => b.status === 'completed')
    expect(done.rows_checked).toBe(1200)
  })

  it('cancels a running batch: it stops at the next chunk', async () => {
    h = await makeBatchHarness({ gated: true })
    const { key } = await h.newTenant()
    const { id } = (await (await h.upload(key, manyRows(1500), 'text/csv')).json()) as BatchDoc
    h.release(1)
    await h.waitFor(key, id, (b) => b.rows_checked === 500)
    const cancelled = await h.send(key, 'POST', `/v1/batches/${id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(((await cancelled.json()) as BatchDoc).status).toBe('cancelled')
    h.release(10)
    await new Promise((r) => setTimeout(r, 100))
    const after = (await (await h.get(key, `/v1/batches/${id}`)).json()) as BatchDoc
    expect(after.status).toBe('cancelled')
    expect(after.rows_checked).toBeLessThan(1500)
    expect((await h.send(key, 'POST', `/v1/batches/${id}/cancel`)).status).toBe(200)
  })

  it('refuses to cancel a completed batch with 409', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const { id } = (await (await h.upload(key, manyRows(3), 'text/csv')).json()) as BatchDoc
    await h.waitFor(key, id, (b) => b.status === 'completed')
    expect((await h.send(key, 'POST', `/v1/batches/${id}/cancel`)).status).toBe(409)
  })

  it('deletes a batch with its rows and results', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const { id } = (await (await h.upload(key, manyRows(700), 'text/csv')).json()) as BatchDoc
    await h.waitFor(key, id, (b) => b.status === 'completed')
    expect((await h.send(key, 'DELETE', `/v1/batches/${id}`)).status).toBe(204)
    expect((await h.get(key, `/v1/batches/${id}`)).status).toBe(404)
    expect((await h.get(key, `/v1/batches/${id}/results`)).status).toBe(404)
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })

  it('replays the same Idempotency-Key and file as the same batch; another file is 422', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const file = manyRows(600)
    const headers = { 'idempotency-key': 'upload-1' }
    const first = await h.upload(key, file, 'text/csv', '', headers)
    const a = (await first.json()) as BatchDoc
    const again = await h.upload(key, file, 'text/csv', '', headers)
    expect(again.status).toBe(202)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(((await again.json()) as BatchDoc).id).toBe(a.id)
    const other = await h.upload(key, manyRows(601), 'text/csv', '', headers)
    expect(other.status).toBe(422)
    const list = (await (await h.get(key, '/v1/batches')).json()) as { data: BatchDoc[] }
    expect(list.data.map((b) => b.id)).toEqual([a.id])
    expect((await h.countStored()).batches).toBe(1)
  })

  it('lists the tenant’s batches newest first, with a cursor', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push(((await (await h.upload(key, manyRows(2), 'text/csv')).json()) as BatchDoc).id)
    const page1 = (await (await h.get(key, '/v1/batches?limit=2')).json()) as {
      data: BatchDoc[]
      next_cursor: string | null
    }
    expect(page1.data.map((b) => b.id)).toEqual([ids[2], ids[1]])
    const page2 = (await (
      await h.get(key, `/v1/batches?limit=2&cursor=${page1.next_cursor}`)
    ).json()) as { data: BatchDoc[]; next_cursor: string | null }
    expect(page2.data.map((b) => b.id)).toEqual([ids[0]])
    expect(page2.next_cursor).toBeNull()
  })
})

describe('retention', () => {
  it('purges batches past their retention and uploads left open, and keeps the rest', async () => {
    h = await makeBatchHarness()
    const { key, tenant } = await h.newTenant()
    const { id } = (await (
      await h.upload(key, 'reference,description,destination\nA,Wooden chairs,DE\n', 'text/csv')
    ).json()) as BatchDoc
    await h.waitFor(key, id, (b) => b.status === 'completed')
    // An upload cut off by a crash: open, never sealed.
    await h.repo.open({
      id: 'bat_open',
      tenantId: tenant.id,
      format: 'csv',
      createdAt: '2020-01-01T00:00:00.000Z',
    })
    await h.repo.appendChunk('bat_open', 0, 1, '[]')
    expect(await h.repo.purge('2000-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z')).toBe(1)
    expect((await h.get(key, `/v1/batches/${id}`)).status).toBe(200)
    expect(await h.repo.purge('2999-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z')).toBe(1)
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })
})
