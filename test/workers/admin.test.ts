/**
 * The admin API in workerd over D1, through the real worker.ts: the root key (a miniflare binding, as
 * `wrangler secret put ROOT_API_KEY` sets it in production) creates a tenant and a key, the key
 * checks goods, and revoking it stops it.
 */
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT_KEY = env.ROOT_API_KEY
if (!ROOT_KEY) throw new Error('vitest.config.ts must bind ROOT_API_KEY for the workers project')

const fetchWorker = (path: string, init?: RequestInit) =>
  exports.default.fetch(`https://dualuse.test${path}`, init)

const asRoot = (method: string, path: string, body?: unknown, key = ROOT_KEY) =>
  fetchWorker(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

const checkWith = (key: string) =>
  fetchWorker('/v1/checks', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Deep groove ball bearing 6205-2RS', destination: 'KZ' }),
  })

describe('admin API in workerd with D1', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await fetchWorker('/healthz')).arrayBuffer()
  })

  it('creates a tenant and a key with the root key; the key checks goods until revoked', async () => {
    const name = `t-${crypto.randomUUID()}`
    const created = await asRoot('POST', '/v1/admin/tenants', { name })
    expect(created.status).toBe(201)
    const tenant = (await created.json()) as { id: string; name: string }
    expect(tenant.name).toBe(name)

    const keyRes = await asRoot('POST', `/v1/admin/tenants/${tenant.id}/keys`, { name: 'edge' })
    expect(keyRes.status).toBe(201)
    const { id, key, prefix } = (await keyRes.json()) as { id: string; key: string; prefix: string }
    expect(key.startsWith(prefix)).toBe(true)

    const check = await checkWith(key)
    expect(check.status).toBe(201)
    await check.arrayBuffer()

    const listed = await asRoot('GET', `/v1/admin/tenants/${tenant.id}/keys`)
    const text = await listed.text()
    expect(text).not.toContain(key)
    const [info] = (JSON.parse(text) as { data: { id: string; last_used_at: string | null }[] })
      .data
    expect(info).toMatchObject({ id, last_used_at: expect.any(String) })

    expect((await asRoot('DELETE', `/v1/admin/keys/${id}`)).status).toBe(204)
    const refused = await checkWith(key)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
  })

  it('refuses a tenant key on the admin API and the root key on tenant routes', async () => {
    const created = await asRoot('POST', '/v1/admin/tenants', { name: `t-${crypto.randomUUID()}` })
    const { id } = (await created.json()) as { id: string }
    const { key } = (await (
      await asRoot('POST', `/v1/admin/tenants/${id}/keys`, { name: 'k' })
    ).json()) as { key: string }
    const asTenant = await asRoot('GET', '/v1/admin/tenants', undefined, key)
    expect(asTenant.status).toBe(401)
    await asTenant.arrayBuffer()
    const rootOnTenant = await checkWith(ROOT_KEY)
    expect(rootOnTenant.status).toBe(401)
    await rootOnTenant.arrayBuffer()
  })
})
