import { afterEach, describe, expect, it } from 'vitest'
import { type BatchDoc, makeBatchHarness } from './batch-harness'
import { expectProblem } from './harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
let h: H | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('batches are per tenant', () => {
  it('hides one tenant’s batch from another on every endpoint', async () => {
    h = await makeBatchHarness()
    const a = await h.newTenant()
    const b = await h.newTenant()
    const file = 'reference,description,destination\nA1,Ball bearings,RU\n'
    const { id } = (await (await h.upload(a.key, file, 'text/csv')).json()) as BatchDoc
    await h.waitFor(a.key, id, (x) => x.status === 'completed')
    for (const [method, path] of [
      ['GET', `/v1/batches/${id}`],
      ['GET', `/v1/batches/${id}/results?format=csv`],
      ['POST', `/v1/batches/${id}/cancel`],
      ['DELETE', `/v1/batches/${id}`],
    ] as const)
      await expectProblem(await h.send(b.key, method, path), 404, 'NOT_FOUND')
    const list = (await (await h.get(b.key, '/v1/batches')).json()) as { data: BatchDoc[] }
    expect(list.data).toEqual([])
    // Still there for its owner.
    expect((await h.get(a.key, `/v1/batches/${id}/results`)).status).toBe(200)
  })

  it('filters only the caller’s batches: another tenant’s name, status or dates find nothing', async () => {
    h = await makeBatchHarness()
    const a = await h.newTenant()
    const b = await h.newTenant()
    const file = 'reference,description,destination\nA1,Ball bearings,RU\n'
    const res = await h.upload(a.key, file, 'text/csv', '?name=invoice-2026-11.csv')
    const { id } = (await res.json()) as BatchDoc
    await h.waitFor(a.key, id, (x) => x.status === 'completed')
    const mine = await h.upload(b.key, file, 'text/csv', '?name=other.csv')
    const other = (await mine.json()) as BatchDoc
    await h.waitFor(b.key, other.id, (x) => x.status === 'completed')
    for (const query of [
      'name=invoice-2026-11.csv',
      'name=invoice',
      'status=completed',
      'created_from=2000-01-01T00:00:00Z',
    ]) {
      const seen = (await (await h.get(b.key, `/v1/batches?${query}`)).json()) as {
        data: BatchDoc[]
      }
      expect(seen.data.map((x) => x.id)).toEqual(query.startsWith('name') ? [] : [other.id])
    }
    const owner = (await (await h.get(a.key, '/v1/batches?name=invoice')).json()) as {
      data: BatchDoc[]
    }
    expect(owner.data.map((x) => x.id)).toEqual([id])
  })

  it('does not share Idempotency-Keys between tenants', async () => {
    h = await makeBatchHarness()
    const a = await h.newTenant()
    const b = await h.newTenant()
    const file = 'reference,description,destination\nA1,Ball bearings,RU\n'
    const headers = { 'idempotency-key': 'same' }
    const x = (await (await h.upload(a.key, file, 'text/csv', '', headers)).json()) as BatchDoc
    const y = (await (await h.upload(b.key, file, 'text/csv', '', headers)).json()) as BatchDoc
    expect(x.id).not.toBe(y.id)
  })

  it('asks for a key before reading an upload', async () => {
    h = await makeBatchHarness()
    const res = await h.app.request('/v1/batches', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'reference,description\n',
    })
    await expectProblem(res, 401, 'UNAUTHENTICATED')
    expect(await h.countStored()).toEqual({ batches: 0, chunks: 0 })
  })
})
