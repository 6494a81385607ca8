import { afterEach, describe, expect, it } from 'vitest'
import { makeBatchHarness } from './batch-harness'
import { expectProblem, makeHarness } from './harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
let h: H | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const rows = (n: number) =>
  `reference,description,destination\n${Array.from({ length: n }, (_, i) => `R${i},Wooden chairs,DE`).join('\n')}\n`

describe('POST /v1/batches refusals leave no batch', () => {
  it.each([
    ['an empty file', '', 'text/csv', 400],
    ['a header without rows', 'reference,description,destination\n', 'text/csv', 400],
    ['a header without a description column', 'ref;dest\nA;RU\n', 'text/csv', 400],
    ['a binary file', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe]), 'text/csv', 400],
    ['an empty JSON Lines file', '\n\n', 'application/x-ndjson', 400],
    [
      'a spreadsheet',
      'PK..',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      415,
    ],
    ['no Content-Type', rows(2), null, 415],
    ['multipart without a file field', 'x', 'multipart/form-data; boundary=zz', 400],
  ] as const)('refuses %s', async (_name, body, type, status) => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const res = await h.upload(key, body as RequestInit['body'], type)
    await expectProblem(res, status)
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })

  it('refuses a bad default in the query with a pointer to it', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const body = await expectProblem(
      await h.upload(key, rows(2), 'text/csv', '?destination=XX'),
      400,
    )
    expect(body.errors?.[0]?.pointer).toBe('/query/destination')
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })

  it('refuses a name with a control character, or over 255 characters, with a pointer to it', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    for (const name of ['line%0Abreak', 'x'.repeat(256), '']) {
      const body = await expectProblem(
        await h.upload(key, rows(2), 'text/csv', `?name=${name}`),
        400,
        'INVALID_INPUT',
      )
      expect(body.errors?.[0]?.pointer).toBe('/query/name')
    }
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })

  it('refuses listing filters it cannot read, each with a pointer to it', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    for (const [query, pointer] of [
      ['status=open', '/query/status'],
      ['status=done', '/query/status'],
      ['name=', '/query/name'],
      ['created_from=2026-11-01', '/query/created_from'],
      ['created_to=yesterday', '/query/created_to'],
    ] as const) {
      const body = await expectProblem(
        await h.get(key, `/v1/batches?${query}`),
        400,
        'INVALID_INPUT',
      )
      expect(body.errors?.map((e) => e.pointer)).toEqual([pointer])
    }
  })

  it('refuses more rows than the limit with 413, after storing some chunks, and keeps nothing', async () => {
    h = await makeBatchHarness({ limits: { maxRows: 1200 } })
    const { key } = await h.newTenant()
    const body = await expectProblem(await h.upload(key, rows(1201), 'text/csv'), 413)
    expect(body.detail).toContain('1200 rows')
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
    expect((await h.upload(key, rows(1200), 'text/csv')).status).toBe(202)
  })

  it('refuses a body over the byte limit, declared or counted, with 413', async () => {
    h = await makeBatchHarness({ limits: { maxBytes: 1000 } })
    const { key } = await h.newTenant()
    await expectProblem(
      await h.upload(key, rows(2), 'text/csv', '', { 'content-length': '5000' }),
      413,
    )
    const stream = new Blob([rows(100)]).stream()
    await expectProblem(
      await h.app.request('/v1/batches', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
      413,
    )
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })

  it('reports bad rows as error rows and goes on', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    const file =
      'reference,description,destination\nA,"Steel pipe 12"" ,RU\nB,Wooden chairs,DE\nC,x,y,z\n'
    const res = await h.upload(key, file, 'text/csv')
    const { id } = (await res.json()) as { id: string }
    const done = await h.waitFor(key, id, (b) => b.status === 'completed')
    expect(done.rows_total).toBe(3)
    expect(done.rows_failed).toBe(2)
  })

  it('answers 404 problem for an unknown batch on every operation', async () => {
    h = await makeBatchHarness()
    const { key } = await h.newTenant()
    for (const [method, path] of [
      ['GET', '/v1/batches/bat_nope'],
      ['GET', '/v1/batches/bat_nope/results'],
      ['POST', '/v1/batches/bat_nope/cancel'],
      ['DELETE', '/v1/batches/bat_nope'],
    ] as const)
      await expectProblem(await h.send(key, method, path), 404, 'NOT_FOUND')
  })
})

describe('a runtime without batches (the Worker, for now)', () => {
  it('answers 501 problem on /v1/batches', async () => {
    const plain = await makeHarness()
    const { key } = await plain.newTenant()
    const res = await plain.app.request('/v1/batches', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: rows(1),
    })
    await expectProblem(res, 501, 'NOT_IMPLEMENTED')
    await expectProblem(await plain.get(key, '/v1/batches'), 501, 'NOT_IMPLEMENTED')
    await plain.close()
  })
})
