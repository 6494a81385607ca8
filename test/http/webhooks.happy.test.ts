import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually, makeWebhookHarness, type Received, startReceiver } from './webhook-harness'

type Endpoint = { id: string; url: string; events: string[]; status: string; secret?: string }
type Attempt = {
  event_id: string
  attempt: number
  status_code: number | null
  error: string | null
  next_attempt_at: string | null
  duration_ms: number
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(answer?: Parameters<typeof startReceiver>[0]) {
  const h = await makeWebhookHarness()
  const receiver = await startReceiver(answer)
  cleanups.push(h.close, receiver.close)
  const { key } = await h.newTenant()
  return { h, receiver, key }
}

async function createEndpoint(
  h: Awaited<ReturnType<typeof makeWebhookHarness>>,
  key: string,
  body: Record<string, unknown>,
): Promise<Endpoint> {
  const res = await h.call(key, 'POST', '/v1/webhook-endpoints', body)
  expect(res.status).toBe(201)
  return (await res.json()) as Endpoint
}

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its secret only in the create response', async () => {
    const { h, receiver, key } = await setup()
    const res = await h.call(key, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url,
      events: ['check.flagged', 'batch.completed', 'check.flagged'],
      description: 'ERP',
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as Endpoint & Record<string, unknown>
    expect(created).toMatchObject({
      url: receiver.url,
      events: ['check.flagged', 'batch.completed'],
      status: 'enabled',
      description: 'ERP',
      disabled_reason: null,
    })
    expect(created.id).toMatch(/^whe_[0-9A-Z]{26}$/)
    expect(created.secret).toMatch(/^whsec_/)
    expect(res.headers.get('location')).toBe(`/v1/webhook-endpoints/${created.id}`)

    const got = (await (
      await h.call(key, 'GET', `/v1/webhook-endpoints/${created.id}`)
    ).json()) as Record<string, unknown>
    const { secret: _, ...withoutSecret } = created
    expect(got).toEqual(withoutSecret)
    const list = (await (await h.call(key, 'GET', '/v1/webhook-endpoints')).json()) as {
      data: Endpoint[]
    }
    expect(list.data.map((e) => e.id)).toEqual([created.id])
    expect(JSON.stringify(list)).not.toContain(created.secret)
    // A dump of the database does not show it either: it is sealed under the key.
    const row = await h.store.db
      .selectFrom('webhook_endpoint')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(created.secret!.slice(6))
  })

  it('changes, disables, re-enables and deletes an endpoint', async () => {
    const { h, receiver, key } = await setup()
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    const patched = await h.call(key, 'PATCH', `/v1/webhook-endpoints/${e.id}`, {
      events: ['batch.completed', 'batch.failed'],
      description: null,
      status: 'disabled',
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({
      events: ['batch.completed', 'batch.failed'],
      description: null,
      status: 'disabled',
      disabled_reason: expect.stringMatching(/^disabled through the API/),
    })
    const enabled = await h.call(key, 'PATCH', `/v1/webhook-endpoints/${e.id}`, {
      status: 'enabled',
    })
    expect(await enabled.json()).toMatchObject({ status: 'enabled', disabled_reason: null })
    expect((await h.call(key, 'DELETE', `/v1/webhook-endpoints/${e.id}`)).status).toBe(204)
    expect((await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}`)).status).toBe(404)
  })
})

describe('check.flagged delivery', () => {
  it('delivers every flagged check once per webhook-id through two failures, and none for clear checks', async () => {
    // The receiver fails the first two attempts of every message.
    const { h, receiver, key } = await setup((_r, n) => (n < 2 ? 500 : 204))
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    const descriptions = [
      'Deep groove ball bearing 6205-2RS',
      'wooden dining chair',
      'ball bearing 6305',
      'cotton t-shirts',
      'bearing housing unit',
    ]
    const checks: { id: string; verdict: string; reference: string | null }[] = []
    for (const [i, description] of descriptions.entries()) {
      const res = await h.post(key, { description, destination: 'RU', reference: `R${i}` })
      expect(res.status).toBe(201)
      checks.push((await res.json()) as (typeof checks)[number])
    }
    const flagged = checks.filter((c) => c.verdict !== 'clear')
    expect(flagged).toHaveLength(3)
    await eventually(() => receiver.accepted().length === 3)
    // Let any stray retry show up before counting.
    await new Promise((r) => setTimeout(r, 500))

    const wh = new Webhook(e.secret!)
    const byId = new Map<string, Received[]>()
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id'])
      byId.set(id, [...(byId.get(id) ?? []), r])
    }
    expect(byId.size).toBe(3)
    const delivered = receiver.accepted().map((r) => {
      const verified = wh.verify(r.body, r.headers as Record<string, string>) as {
        type: string
        data: { id: string; verdict: string; reference: string; url: string }
      }
      expect(r.headers['webhook-id']).toMatch(/^evt_/)
      expect(r.headers['content-type']).toBe('application/json')
      return verified
    })
    expect(delivered.map((d) => d.type)).toEqual([
      'check.flagged',
      'check.flagged',
      'check.flagged',
    ])
    expect(delivered.map((d) => d.data.id).sort()).toEqual(flagged.map((c) => c.id).sort())
    for (const d of delivered) {
      const check = flagged.find((c) => c.id === d.data.id)!
      expect(d.data).toMatchObject({
        verdict: check.verdict,
        reference: check.reference,
        url: `/v1/checks/${check.id}`,
      })
    }
    // Each message three times: the same id and body on every retry.
    for (const tries of byId.values()) {
      expect(tries.map((t) => t.status)).toEqual([500, 500, 204])
      expect(new Set(tries.map((t) => t.body)).size).toBe(1)
    }

    // The delivery log: three attempts per event, newest first, with the next attempt of each failure.
    const log = (await (
      await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}/deliveries?limit=100`)
    ).json()) as { data: Attempt[] }
    expect(log.data).toHaveLength(9)
    for (const a of log.data) {
      if (a.attempt < 3) {
        expect(a).toMatchObject({ status_code: 500, error: 'HTTP 500: no thanks (500)' })
        expect(a.next_attempt_at).not.toBeNull()
      } else {
        expect(a).toMatchObject({ status_code: 204, error: null, next_attempt_at: null })
      }
    }

    // Every event is listed, with the payload it was sent with.
    const events = (await (await h.call(key, 'GET', '/v1/events?type=check.flagged')).json()) as {
      data: { id: string; type: string; data: { id: string } }[]
    }
    expect(events.data.map((ev) => ev.id).sort()).toEqual([...byId.keys()].sort())
    const one = await h.call(key, 'GET', `/v1/events/${events.data[0]!.id}`)
    expect(await one.json()).toEqual(events.data[0])
  })

  it('keeps delivering to other endpoints while one receiver hangs: it holds only its share of the slots', async () => {
    const h = await makeWebhookHarness({ concurrency: 2, perEndpoint: 1 })
    // Reads each request and never answers: every attempt to it runs to the 2 s timeout.
    let hangingRequests = 0
    const hanging = createServer(() => {
      hangingRequests += 1
    })
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
    const fast = await startReceiver(() => 204)
    cleanups.push(h.close, fast.close, async () => {
      hanging.closeAllConnections()
      await new Promise<void>((resolve) => hanging.close(() => resolve()))
    })
    const slowTenant = await h.newTenant()
    const fastTenant = await h.newTenant()
    const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`
    await createEndpoint(h, slowTenant.key, { url: hangingUrl, events: ['check.flagged'] })
    const flag = async (key: string) => {
      const res = await h.post(key, {
        description: 'Deep groove ball bearing 6205-2RS',
        destination: 'RU',
      })
      expect(((await res.json()) as { verdict: string }).verdict).not.toBe('clear')
    }
    for (let i = 0; i < 4; i++) await flag(slowTenant.key)
    await eventually(() => hangingRequests >= 1)

    await createEndpoint(h, fastTenant.key, { url: fast.url, events: ['check.flagged'] })
    await flag(fastTenant.key)
    await eventually(() => fast.accepted().length === 1, 8_000)
    // With both slots open to it, the hanging receiver's four older deliveries would all have been
    // tried first (two rounds of 2 s) before the other endpoint's.
    expect(hangingRequests).toBeLessThanOrEqual(2)
  })

  it('stores the event of a flagged check even when no endpoint wants it', async () => {
    const { h, key } = await setup()
    const res = await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    const { id } = (await res.json()) as { id: string }
    const events = (await (await h.call(key, 'GET', '/v1/events')).json()) as {
      data: { type: string; data: { id: string } }[]
    }
    expect(events.data).toMatchObject([{ type: 'check.flagged', data: { id } }])
  })

  it('gives up after the schedule is spent, and redelivers on request with the same webhook-id', async () => {
    let up = false
    const { h, receiver, key } = await setup(() => (up ? 200 : 503))
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    // The first attempt and three retries (schedule 0.2, 0.2, 0.4 s), then nothing more.
    await eventually(() => receiver.received.length === 4)
    await new Promise((r) => setTimeout(r, 800))
    expect(receiver.received).toHaveLength(4)
    const log = (await (
      await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}/deliveries`)
    ).json()) as { data: Attempt[] }
    expect(log.data[0]).toMatchObject({ attempt: 4, status_code: 503, next_attempt_at: null })

    up = true
    const eventId = String(receiver.received[0]!.headers['webhook-id'])
    const res = await h.app.request(`/v1/events/${eventId}/redeliver`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ endpoint_ids: [e.id] })
    await eventually(() => receiver.accepted().length === 1)
    expect(receiver.accepted()[0]!.headers['webhook-id']).toBe(eventId)
  })

  it('disables an endpoint that answers 410 Gone, saying why', async () => {
    const { h, receiver, key } = await setup(() => 410)
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    await eventually(async () => {
      const got = (await (await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}`)).json()) as {
        status: string
      }
      return got.status === 'disabled'
    })
    const got = (await (await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}`)).json()) as {
      disabled_reason: string
    }
    expect(got.disabled_reason).toMatch(/answered 410 Gone/)
    // No retry of a 410, and nothing more is sent to a disabled endpoint.
    await h.post(key, { description: 'ball bearing 6205', destination: 'RU' })
    await new Promise((r) => setTimeout(r, 500))
    expect(receiver.received).toHaveLength(1)
  })

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const { h, receiver, key } = await setup((_r, n) => (n === 0 ? 302 : 200))
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    await eventually(() => receiver.accepted().length === 1)
    const log = (await (
      await h.call(key, 'GET', `/v1/webhook-endpoints/${e.id}/deliveries`)
    ).json()) as { data: Attempt[] }
    expect(log.data.at(-1)).toMatchObject({
      status_code: 302,
      error: expect.stringMatching(/^redirect not followed/),
    })
  })
})

describe('secrets and tests', () => {
  it('signs with both secrets for a day after a rotation', async () => {
    const { h, receiver, key } = await setup()
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    const rotated = await h.call(key, 'POST', `/v1/webhook-endpoints/${e.id}/rotate-secret`)
    expect(rotated.status).toBe(200)
    const { secret } = (await rotated.json()) as { secret: string }
    expect(secret).not.toBe(e.secret)
    await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    await eventually(() => receiver.accepted().length === 1)
    const r = receiver.accepted()[0]!
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).toBeTruthy()
    expect(new Webhook(e.secret!).verify(r.body, r.headers as Record<string, string>)).toBeTruthy()
  })

  it('sends a webhook.test event to the endpoint on request', async () => {
    const { h, receiver, key } = await setup()
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['batch.completed'] })
    const res = await h.call(key, 'POST', `/v1/webhook-endpoints/${e.id}/test`)
    expect(res.status).toBe(202)
    const event = (await res.json()) as { id: string; type: string }
    expect(event).toMatchObject({ type: 'webhook.test', data: { endpoint_id: e.id } })
    await eventually(() => receiver.accepted().length === 1)
    const r = receiver.accepted()[0]!
    expect(r.headers['webhook-id']).toBe(event.id)
    expect(
      new Webhook(e.secret!).verify(r.body, r.headers as Record<string, string>),
    ).toMatchObject({
      type: 'webhook.test',
    })
  })

  it('never writes a signing secret to the log', async () => {
    const { h, receiver, key } = await setup((_r, n) => (n < 1 ? 500 : 200))
    const e = await createEndpoint(h, key, { url: receiver.url, events: ['check.flagged'] })
    const rotated = (await (
      await h.call(key, 'POST', `/v1/webhook-endpoints/${e.id}/rotate-secret`)
    ).json()) as { secret: string }
    await h.post(key, { description: 'ball bearing 6305', destination: 'RU' })
    await eventually(() => receiver.accepted().length === 1)
    const log = JSON.stringify(h.logs)
    expect(log).toContain('webhook attempt')
    for (const s of [e.secret!, rotated.secret]) {
      expect(log).not.toContain(s)
      expect(log).not.toContain(s.slice(6))
    }
  })
})
