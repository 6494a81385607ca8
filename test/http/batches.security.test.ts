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
