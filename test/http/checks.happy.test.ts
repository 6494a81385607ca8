import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CheckSchema } from '../../src/http/routes/checks'
import { type Harness, makeHarness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await makeHarness()
})
afterAll(async () => {
  await h.close()
})

const bearing = {
  description: 'Deep groove ball bearing 6205-2RS',
  destination: 'kz',
  final_destination: 'RU',
}

describe('POST /v1/checks', () => {
  it('returns 201 with Location, the result and an id, and stores the check', async () => {
    const { key } = await h.newTenant()
    const res = await h.post(key, { ...bearing, reference: 'INV-1/7' })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const text = await res.text()
    // The documented schema (strict: no field it does not declare), as the OpenAPI document says.
    expect(CheckSchema.strict().safeParse(JSON.parse(text)).error).toBeUndefined()
    const body = JSON.parse(text) as Record<string, unknown>
    expect(body.id).toMatch(/^chk_[0-9A-Z]{26}$/)
    expect(Object.keys(body)[0]).toBe('id')
    expect(res.headers.get('location')).toBe(`/v1/checks/${body.id}`)
    expect(body).toMatchObject({
      reference: 'INV-1/7',
      verdict: 'high_risk',
      destination: { country: 'KZ' },
    })
    expect(typeof body.created_at).toBe('string')

    // Read back, the check is served exactly as it was first answered.
    const again = await h.get(key, `/v1/checks/${body.id}`)
    expect(again.status).toBe(200)
    expect(again.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await again.text()).toBe(text)
  })

  it('sends a request id header on every response', async () => {
    const { key } = await h.newTenant()
    const res = await h.post(key, bearing, { 'x-request-id': 'trace-123' })
    expect(res.headers.get('x-request-id')).toBe('trace-123')
    const fresh = await h.app.request('/healthz')
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('logs one JSON line per request without the key or the body', async () => {
    const { key } = await h.newTenant()
    const before = h.logs.length
    const res = await h.post(key, { ...bearing, description: 'secret-widget bearing' })
    const lines = h.logs.slice(before)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      msg: 'request',
      method: 'POST',
      route: '/v1/checks',
      status: 201,
    })
    expect(lines[0]!.request_id).toBe(res.headers.get('x-request-id'))
    const text = JSON.stringify(lines)
    expect(text).not.toContain(key)
    expect(text).not.toContain('secret-widget')
  })
})

describe('GET /v1/checks', () => {
  it('lists newest first, filters by verdict and reference, and pages with a cursor', async () => {
    const { key } = await h.newTenant()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await h.post(key, {
        description: i % 2 ? 'wooden chair' : 'ball bearing',
        destination: 'KZ',
        reference: `ref-${i}`,
      })
      ids.push(((await res.json()) as { id: string }).id)
    }
    const all = (await (await h.get(key, '/v1/checks?limit=2')).json()) as {
      data: { id: string }[]
      next_cursor: string | null
    }
    expect(all.data.map((c) => c.id)).toEqual([ids[4], ids[3]])
    const seen = [...all.data.map((c) => c.id)]
    let cursor = all.next_cursor
    while (cursor) {
      const page = (await (
        await h.get(key, `/v1/checks?limit=2&cursor=${cursor}`)
      ).json()) as typeof all
      seen.push(...page.data.map((c) => c.id))
      cursor = page.next_cursor
    }
    expect(seen).toEqual([...ids].reverse())

    const clear = (await (await h.get(key, '/v1/checks?verdict=clear')).json()) as typeof all
    expect(clear.data.map((c) => c.id)).toEqual([ids[3], ids[1]])
    const byRef = (await (await h.get(key, '/v1/checks?reference=ref-2')).json()) as typeof all
    expect(byRef.data.map((c) => c.id)).toEqual([ids[2]])
    const future = (await (
      await h.get(key, '/v1/checks?created_from=2999-01-01T00:00:00Z')
    ).json()) as typeof all
    expect(future.data).toEqual([])
    const past = (await (
      await h.get(key, '/v1/checks?created_to=2000-01-01T00:00:00%2B05:00')
    ).json()) as typeof all
    expect(past.data).toEqual([])
  })
})

describe('lists, health and docs', () => {
  it('lists the controlled lists with legal status and entry counts', async () => {
    const { key } = await h.newTenant()
    const res = await h.get(key, '/v1/lists')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      data: [{ id: 'chp', legal_status: 'guidance', entry_count: 1 }],
    })
    const one = (await (await h.get(key, '/v1/lists/chp')).json()) as { entries: unknown[] }
    expect(one.entries).toHaveLength(1)
  })

  it('reports the database and versions on /healthz without auth', async () => {
    const res = await h.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'ok',
      database: 'ok',
      versions: { engine: 'test', lists: { chp: '2024-02-23' } },
    })
  })

  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const res = await h.app.request('/openapi.json')
    const doc = (await res.json()) as {
      openapi: string
      paths: Record<string, unknown>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/checks',
        '/v1/checks/{id}',
        '/v1/lists',
        '/v1/lists/{id}',
        '/healthz',
      ]),
    )
    expect(doc.components.schemas).toHaveProperty('CheckRequest')
    expect(doc.components.schemas).toHaveProperty('Problem')
  })

  it('serves a docs page that loads nothing from another origin', async () => {
    const res = await h.app.request('/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).not.toMatch(/<link[^>]+href="?https?:/)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(html).toContain('id="problem-invalid-input"')
  })
})
