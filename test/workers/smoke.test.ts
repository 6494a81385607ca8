import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

async function newKey(): Promise<string> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return (await createApiKey(db, tenant.id, new Date())).key
}

const fetchWorker = (path: string, init?: RequestInit) =>
  exports.default.fetch(`https://dualuse.test${path}`, init)

describe('worker.ts in workerd with D1', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await fetchWorker('/healthz')).arrayBuffer()
  })

  it('creates a check with the real engine and reads it back', async () => {
    const key = await newKey()
    const res = await fetchWorker('/v1/checks', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        description: 'Deep groove ball bearing 6205-2RS',
        destination: 'KZ',
        final_destination: 'RU',
      }),
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as {
      id: string
      verdict: string
      matches: { list_id: string }[]
    }
    expect(res.headers.get('location')).toBe(`/v1/checks/${created.id}`)
    expect(created.matches.some((m) => m.list_id === 'chp')).toBe(true)

    const got = await fetchWorker(`/v1/checks/${created.id}`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(got.status).toBe(200)
    expect(await got.json()).toEqual(created)
  })

  it("returns 404 problem for another tenant's check", async () => {
    const a = await newKey()
    const b = await newKey()
    const res = await fetchWorker('/v1/checks', {
      method: 'POST',
      headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'wooden chair', destination: 'DE' }),
    })
    const { id } = (await res.json()) as { id: string }
    const other = await fetchWorker(`/v1/checks/${id}`, {
      headers: { authorization: `Bearer ${b}` },
    })
    expect(other.status).toBe(404)
    expect(other.headers.get('content-type')).toBe('application/problem+json')
  })

  it('answers /healthz with the database reachable', async () => {
    const res = await fetchWorker('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' })
  })
})
