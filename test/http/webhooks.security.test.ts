/**
 * Webhooks: tenant isolation (one case per operation) and the SSRF guard at save and delivery time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostResolver } from '../../src/core/webhooks/ports'
import { expectProblem } from './harness'
import { eventually, makeWebhookHarness, startReceiver } from './webhook-harness'

describe('tenant isolation', () => {
  let h: Awaited<ReturnType<typeof makeWebhookHarness>>
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let a: string
  let b: string
  let endpointId: string
  let eventId: string

  beforeAll(async () => {
    h = await makeWebhookHarness()
    receiver = await startReceiver()
    a = (await h.newTenant()).key
    b = (await h.newTenant()).key
    const created = await h.call(a, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url,
      events: ['check.flagged'],
    })
    endpointId = ((await created.json()) as { id: string }).id
    await h.post(a, { description: 'ball bearing 6305', destination: 'RU' })
    await eventually(() => receiver.accepted().length === 1)
    eventId = String(receiver.accepted()[0]!.headers['webhook-id'])
  })
  afterAll(async () => {
    await h.close()
    await receiver.close()
  })

  it.each([
    ['GET', '/v1/webhook-endpoints/{endpoint}', undefined],
    ['PATCH', '/v1/webhook-endpoints/{endpoint}', { description: 'mine now' }],
    ['DELETE', '/v1/webhook-endpoints/{endpoint}', undefined],
    ['POST', '/v1/webhook-endpoints/{endpoint}/rotate-secret', undefined],
    ['POST', '/v1/webhook-endpoints/{endpoint}/test', undefined],
    ['GET', '/v1/webhook-endpoints/{endpoint}/deliveries', undefined],
    ['GET', '/v1/events/{event}', undefined],
    ['POST', '/v1/events/{event}/redeliver', undefined],
    ['POST', '/v1/events/{event}/redeliver', { endpoint_id: '{endpoint}' }],
  ])("answers 404 to another tenant's %s %s", async (method, template, body) => {
    const fill = (s: string) => s.replace('{endpoint}', endpointId).replace('{event}', eventId)
    const res = await h.call(
      b,
      method,
      fill(template),
      body && JSON.parse(fill(JSON.stringify(body))),
    )
    await expectProblem(res, 404, 'NOT_FOUND')
  })

  it("lists neither another tenant's endpoints nor its events", async () => {
    const endpoints = (await (await h.call(b, 'GET', '/v1/webhook-endpoints')).json()) as {
      data: unknown[]
    }
    const events = (await (await h.call(b, 'GET', '/v1/events')).json()) as { data: unknown[] }
    expect(endpoints.data).toEqual([])
    expect(events.data).toEqual([])
  })

  it("does not redeliver another tenant's event to one's own endpoint", async () => {
    const own = await h.call(b, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url,
      events: ['check.flagged'],
    })
    const ownId = ((await own.json()) as { id: string }).id
    const res = await h.call(b, 'POST', `/v1/events/${eventId}/redeliver`, { endpoint_id: ownId })
    await expectProblem(res, 404)
    // B's flagged check goes to B's endpoint only, never to A's.
    const before = receiver.received.length
    await h.post(b, { description: 'ball bearing 6205', destination: 'RU' })
    await eventually(() => receiver.received.length === before + 1)
    const log = (await (
      await h.call(a, 'GET', `/v1/webhook-endpoints/${endpointId}/deliveries`)
    ).json()) as { data: unknown[] }
    expect(log.data).toHaveLength(1)
  })

  it('still has the endpoint after the other tenant tried to change and delete it', async () => {
    const res = await h.call(a, 'GET', `/v1/webhook-endpoints/${endpointId}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ description: null, status: 'enabled' })
  })
})

describe('SSRF guard', () => {
  const table: Record<string, string[]> = { 'hooks.example.test': ['93.184.215.14'] }
  const resolver: HostResolver = {
    async resolve(host) {
      const found = table[host]
      if (!found) throw new Error('ENOTFOUND')
      return found
    },
  }

  it.each([
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://metadata.google.internal/',
    'http://hooks.example.test/hook',
  ])('refuses an endpoint at %s with a 422 problem pointing at /url', async (url) => {
    const h = await makeWebhookHarness({ allowPrivate: false, resolver })
    try {
      const { key } = await h.newTenant()
      const res = await h.call(key, 'POST', '/v1/webhook-endpoints', {
        url,
        events: ['check.flagged'],
      })
      const problem = await expectProblem(res, 422, 'UNPROCESSABLE')
      expect(problem.errors?.[0]?.pointer).toBe('/url')
      const list = (await (await h.call(key, 'GET', '/v1/webhook-endpoints')).json()) as {
        data: unknown[]
      }
      expect(list.data).toEqual([])
    } finally {
      await h.close()
    }
  })

  it('refuses a PATCH to a private URL', async () => {
    const h = await makeWebhookHarness({ allowPrivate: false, resolver })
    try {
      const { key } = await h.newTenant()
      const created = await h.call(key, 'POST', '/v1/webhook-endpoints', {
        url: 'https://hooks.example.test/hook',
        events: ['check.flagged'],
      })
      expect(created.status).toBe(201)
      const { id } = (await created.json()) as { id: string }
      const res = await h.call(key, 'PATCH', `/v1/webhook-endpoints/${id}`, {
        url: 'https://[fd00:ec2::254]/',
      })
      const problem = await expectProblem(res, 422)
      expect(problem.errors).toEqual([
        { pointer: '/url', message: 'must not point at a metadata address (fd00:ec2::254)' },
      ])
    } finally {
      await h.close()
    }
  })

  it('refuses at delivery time a host that has come to resolve to a private address', async () => {
    const receiver = await startReceiver()
    const h = await makeWebhookHarness({ allowPrivate: false, resolver })
    try {
      const { key } = await h.newTenant()
      table['rebind.example.test'] = ['93.184.215.14']
      const created = await h.call(key, 'POST', '/v1/webhook-endpoints', {
        url: `https://rebind.example.test:${receiver.port}/hook`,
        events: ['check.flagged'],
      })
      expect(created.status).toBe(201)
      const { id } = (await created.json()) as { id: string }
      // DNS changes after the endpoint was saved: now it points at this machine.
      table['rebind.example.test'] = ['127.0.0.1']
      await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
      let log: { data: { error: string | null; status_code: number | null }[] } = { data: [] }
      await eventually(async () => {
        log = (await (
          await h.call(key, 'GET', `/v1/webhook-endpoints/${id}/deliveries`)
        ).json()) as typeof log
        return log.data.length > 0
      })
      expect(log.data[0]).toMatchObject({
        status_code: null,
        error:
          'not sent: the URL host rebind.example.test resolves to a loopback address (127.0.0.1)',
      })
      expect(receiver.received).toHaveLength(0)
    } finally {
      await h.close()
      await receiver.close()
    }
  })
})
