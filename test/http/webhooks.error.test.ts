import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem, makeHarness } from './harness'
import { makeWebhookHarness } from './webhook-harness'

describe('webhook endpoint input', () => {
  let h: Awaited<ReturnType<typeof makeWebhookHarness>>
  let key: string
  beforeAll(async () => {
    h = await makeWebhookHarness()
    key = (await h.newTenant()).key
  })
  afterAll(() => h.close())

  it.each([
    ['no events', { url: 'https://x.example/', events: [] }, '/events'],
    ['an unknown event', { url: 'https://x.example/', events: ['check.cleared'] }, '/events/0'],
    ['no url', { events: ['check.flagged'] }, '/url'],
    [
      'an unknown field',
      { url: 'https://x.example/', events: ['check.flagged'], secret: 'x' },
      '/secret',
    ],
  ])('answers 400 problem for %s', async (_, body, pointer) => {
    const res = await h.call(key, 'POST', '/v1/webhook-endpoints', body)
    const problem = await expectProblem(res, 400, 'INVALID_INPUT')
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
  })

  it('answers 422 problem for a URL that is not a URL', async () => {
    const res = await h.call(key, 'POST', '/v1/webhook-endpoints', {
      url: 'not a url',
      events: ['check.flagged'],
    })
    const problem = await expectProblem(res, 422)
    expect(problem.errors).toEqual([{ pointer: '/url', message: 'is not a URL' }])
  })

  it('answers 404 problem for an unknown endpoint or event', async () => {
    await expectProblem(await h.call(key, 'GET', '/v1/webhook-endpoints/whe_nope'), 404)
    await expectProblem(await h.call(key, 'POST', '/v1/webhook-endpoints/whe_nope/test'), 404)
    await expectProblem(await h.call(key, 'GET', '/v1/events/evt_nope'), 404)
    await expectProblem(await h.call(key, 'POST', '/v1/events/evt_nope/redeliver'), 404)
  })

  it('answers 400 problem for a cursor it did not issue', async () => {
    await expectProblem(await h.call(key, 'GET', '/v1/events?cursor=zzz'), 400)
  })

  it('requires an API key', async () => {
    const res = await h.app.request('/v1/webhook-endpoints')
    await expectProblem(res, 401)
  })
})

describe('without webhooks wired', () => {
  it('answers 501 problem', async () => {
    const h = await makeHarness()
    try {
      const { key } = await h.newTenant()
      const res = await h.get(key, '/v1/webhook-endpoints')
      await expectProblem(res, 501, 'NOT_IMPLEMENTED')
    } finally {
      await h.close()
    }
  })
})
