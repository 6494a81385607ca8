import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/errors'
import { BODY_LIMIT_BYTES } from '../../src/http/app'
import { expectProblem, type Harness, makeHarness } from './harness'

let h: Harness
let key: string
beforeAll(async () => {
  h = await makeHarness()
  key = (await h.newTenant()).key
})
afterAll(async () => {
  await h.close()
})

describe.each([
  ['a missing description', { destination: 'RU' }, '/description'],
  ['an empty description', { description: '  ', destination: 'RU' }, '/description'],
  ['an unknown country', { description: 'chair', destination: 'XX' }, '/destination'],
  [
    'a bad transit entry',
    { description: 'chair', destination: 'KZ', transit: ['RU', 'ZZ'] },
    '/transit/1',
  ],
  ['a malformed HS code', { description: 'chair', destination: 'KZ', hs_code: '84A2' }, '/hs_code'],
  ['an unknown regime', { description: 'chair', destination: 'KZ', regime: 'CN' }, '/regime'],
  ['an unknown field', { description: 'chair', destination: 'KZ', colour: 'red' }, '/colour'],
  ['a negative value', { description: 'chair', destination: 'KZ', value: -1 }, '/value'],
])('POST /v1/checks with %s', (_label, body, pointer) => {
  it(`returns 400 problem pointing at ${pointer}`, async () => {
    const problem = await expectProblem(await h.post(key, body), 400, 'INVALID_INPUT')
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
    expect(problem.instance).toBe('/v1/checks')
  })
})

describe('POST /v1/checks with a bad body', () => {
  it('returns 400 problem for malformed JSON', async () => {
    const problem = await expectProblem(
      await h.post(key, '{"description": "x",'),
      400,
      'INVALID_INPUT',
    )
    expect(problem.detail).toMatch(/Malformed JSON/)
  })

  it('returns 400 problem for a JSON array body', async () => {
    await expectProblem(await h.post(key, '[1,2]'), 400, 'INVALID_INPUT')
  })

  it('returns 415 problem without a JSON content type', async () => {
    const res = await h.app.request('/v1/checks', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
      body: 'description=chair',
    })
    await expectProblem(res, 415)
  })

  it('returns 413 problem for a body over 64 KiB and stores nothing', async () => {
    const before = await h.store.db
      .selectFrom('check')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const big = JSON.stringify({ description: 'x'.repeat(BODY_LIMIT_BYTES), destination: 'KZ' })
    await expectProblem(await h.post(key, big), 413, 'PAYLOAD_TOO_LARGE')
    const after = await h.store.db
      .selectFrom('check')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('returns 400 problem for an Idempotency-Key with spaces', async () => {
    const problem = await expectProblem(
      await h.post(key, { description: 'chair', destination: 'KZ' }, { 'idempotency-key': 'a b' }),
      400,
    )
    expect(problem.errors?.[0]?.pointer).toBe('/headers/idempotency-key')
  })
})

describe('GET errors', () => {
  it('returns 404 problem for an unknown check', async () => {
    await expectProblem(await h.get(key, '/v1/checks/chk_nope'), 404, 'NOT_FOUND')
  })

  it('returns 404 problem for an unknown list', async () => {
    await expectProblem(await h.get(key, '/v1/lists/nope'), 404, 'NOT_FOUND')
  })

  it('returns 404 problem for an unknown route', async () => {
    await expectProblem(await h.app.request('/nope'), 404, 'NOT_FOUND')
  })

  it.each([
    ['limit=0', '/query/limit'],
    ['limit=abc', '/query/limit'],
    ['verdict=maybe', '/query/verdict'],
    ['created_from=yesterday', '/query/created_from'],
    ['cursor=%25%25%25', '/query/cursor'],
  ])('returns 400 problem for ?%s', async (query, pointer) => {
    const problem = await expectProblem(
      await h.get(key, `/v1/checks?${query}`),
      400,
      'INVALID_INPUT',
    )
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
  })
})

describe('internal failures', () => {
  it('returns a generic 500 problem without the internal message', async () => {
    const broken = await makeHarness({
      checker: {
        versions: { engine: 'x', lists: {} },
        lists: [],
        check: () => {
          throw new Error('secret internal detail at /srv/db')
        },
      },
    })
    const { key: k } = await broken.newTenant()
    const res = await broken.post(k, { description: 'chair', destination: 'KZ' })
    const problem = await expectProblem(res, 500, 'INTERNAL')
    expect(JSON.stringify(problem)).not.toContain('secret')
    expect(broken.logs.some((l) => l.level === 'error')).toBe(true)
    await broken.close()
  })

  it('returns 503 problem on /healthz when the database does not answer', async () => {
    const down = await makeHarness({
      health: { ping: () => Promise.reject(new Error('disk gone')) },
    })
    await expectProblem(await down.app.request('/healthz'), 503, 'UPSTREAM_UNAVAILABLE')
    await down.close()
  })

  it('returns 503 on /healthz, and a 503 problem for a check, while no check thread is ready', async () => {
    const unavailable = () => {
      throw new AppError('UPSTREAM_UNAVAILABLE', 'no check thread is ready; retry shortly')
    }
    const waiting = await makeHarness({
      checker: {
        versions: { engine: 'x', lists: {} },
        lists: [],
        check: unavailable,
        isReady: () => false,
      },
    })
    await expectProblem(await waiting.app.request('/healthz'), 503, 'UPSTREAM_UNAVAILABLE')
    const { key: k } = await waiting.newTenant()
    const res = await waiting.post(
      k,
      { description: 'chair', destination: 'KZ' },
      { 'idempotency-key': 'retry-me' },
    )
    await expectProblem(res, 503, 'UPSTREAM_UNAVAILABLE')
    expect(
      ((await (await waiting.get(k, '/v1/checks')).json()) as { data: unknown[] }).data,
    ).toEqual([])
    // Once a thread is back, the retry with the same Idempotency-Key is checked and stored.
    waiting.deps.checker = h.deps.checker
    const retry = await waiting.post(
      k,
      { description: 'chair', destination: 'KZ' },
      { 'idempotency-key': 'retry-me' },
    )
    expect(retry.status).toBe(201)
    await waiting.close()
  })
})
