import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAdminHarness } from './admin-harness'
import { expectProblem } from './harness'

let h: Awaited<ReturnType<typeof makeAdminHarness>>
beforeAll(async () => {
  h = await makeAdminHarness()
})
afterAll(async () => {
  await h.close()
})

const check = { description: 'ball bearing 6205', destination: 'KZ', final_destination: 'RU' }

type TenantJson = { id: string; name: string; created_at: string }
type NewKeyJson = { id: string; name: string; key: string; prefix: string; created_at: string }
type KeyJson = {
  id: string
  name: string | null
  prefix: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

async function newTenant(name = `t-${crypto.randomUUID()}`): Promise<TenantJson> {
  const res = await h.admin('POST', '/v1/admin/tenants', { name })
  expect(res.status).toBe(201)
  return (await res.json()) as TenantJson
}

async function newKey(tenantId: string, name = 'erp-production'): Promise<NewKeyJson> {
  const res = await h.admin('POST', `/v1/admin/tenants/${tenantId}/keys`, { name })
  expect(res.status).toBe(201)
  return (await res.json()) as NewKeyJson
}

async function keysOf(tenantId: string): Promise<KeyJson[]> {
  const res = await h.admin('GET', `/v1/admin/tenants/${tenantId}/keys`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: KeyJson[] }).data
}

describe('admin API: tenants', () => {
  it('creates a tenant and lists it', async () => {
    const name = `acme-${crypto.randomUUID().slice(0, 8)}`
    const tenant = await newTenant(name)
    expect(tenant).toEqual({
      id: expect.stringMatching(/^ten_/),
      name,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    const res = await h.admin('GET', '/v1/admin/tenants')
    expect(res.status).toBe(200)
    const { data } = (await res.json()) as { data: TenantJson[] }
    expect(data).toContainEqual(tenant)
  })

  it('returns 409 problem for a name that is taken', async () => {
    const { name } = await newTenant()
    const body = await expectProblem(
      await h.admin('POST', '/v1/admin/tenants', { name }),
      409,
      'CONFLICT',
    )
    expect(body.errors).toEqual([{ pointer: '/name', message: expect.any(String) }])
  })

  it.each([
    ['an empty name', { name: '' }],
    ['a name with a space', { name: 'acme corp' }],
    ['a name over 64 characters', { name: 'a'.repeat(65) }],
    ['an unknown field', { name: 'acme2', plan: 'gold' }],
  ])('returns 400 problem for %s', async (_label, body) => {
    await expectProblem(await h.admin('POST', '/v1/admin/tenants', body), 400, 'INVALID_INPUT')
  })
})

describe('admin API: keys', () => {
  it('creates a key that works on POST /v1/checks for that tenant', async () => {
    const tenant = await newTenant()
    const created = await newKey(tenant.id, 'erp-production')
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-z]{16}$/),
      name: 'erp-production',
      key: expect.stringMatching(/^du_[0-9a-z]{16}_[A-Za-z0-9_-]{43}$/),
      prefix: `du_${created.id}_`,
      created_at: expect.any(String),
    })
    expect(created.key.startsWith(created.prefix)).toBe(true)

    const res = await h.post(created.key, check)
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    // The check belongs to the new tenant: its key reads it, another tenant's does not.
    expect((await h.get(created.key, `/v1/checks/${id}`)).status).toBe(200)
    const other = await newKey((await newTenant()).id)
    expect((await h.get(other.key, `/v1/checks/${id}`)).status).toBe(404)
  })

  it('lists keys with their prefix and last use, never the key', async () => {
    const tenant = await newTenant()
    const created = await newKey(tenant.id, 'ci')
    const before = await keysOf(tenant.id)
    expect(before).toEqual([
      {
        id: created.id,
        name: 'ci',
        prefix: created.prefix,
        created_at: created.created_at,
        last_used_at: null,
        revoked_at: null,
      },
    ])
    expect((await h.post(created.key, check)).status).toBe(201)
    const res = await h.admin('GET', `/v1/admin/tenants/${tenant.id}/keys`)
    const text = await res.text()
    expect(text).not.toContain(created.key)
    expect(text).not.toContain(created.key.slice(created.prefix.length))
    const [after] = (JSON.parse(text) as { data: KeyJson[] }).data
    expect(after?.last_used_at).not.toBeNull()
  })

  it('revokes a key: the next request with it gets 401, through the auth cache', async () => {
    const tenant = await newTenant()
    const created = await newKey(tenant.id)
    // Twice, so the second is served from the cache in front of the lookup.
    expect((await h.post(created.key, check)).status).toBe(201)
    expect((await h.post(created.key, check)).status).toBe(201)

    const res = await h.admin('DELETE', `/v1/admin/keys/${created.id}`)
    expect(res.status).toBe(204)
    await expectProblem(await h.post(created.key, check), 401, 'UNAUTHENTICATED')
    const [listed] = await keysOf(tenant.id)
    expect(listed?.revoked_at).not.toBeNull()
    // A retried DELETE gets the same answer.
    expect((await h.admin('DELETE', `/v1/admin/keys/${created.id}`)).status).toBe(204)
  })

  it('leaves the tenant’s other keys working when one is revoked', async () => {
    const tenant = await newTenant()
    const a = await newKey(tenant.id, 'a')
    const b = await newKey(tenant.id, 'b')
    expect((await h.admin('DELETE', `/v1/admin/keys/${a.id}`)).status).toBe(204)
    expect((await h.post(b.key, check)).status).toBe(201)
    // Two keys made in the same millisecond list in id order, which is random: compare as a set.
    expect((await keysOf(tenant.id)).map((k) => k.name).sort()).toEqual(['a', 'b'])
  })

  it('returns 404 problem for an unknown tenant or key', async () => {
    const missing = 'ten_01JS4Y8Z6T9V5C3M2N1P0Q7R8S'
    await expectProblem(
      await h.admin('POST', `/v1/admin/tenants/${missing}/keys`, { name: 'x' }),
      404,
      'NOT_FOUND',
    )
    await expectProblem(await h.admin('GET', `/v1/admin/tenants/${missing}/keys`), 404, 'NOT_FOUND')
    await expectProblem(
      await h.admin('DELETE', '/v1/admin/keys/0123456789abcdef'),
      404,
      'NOT_FOUND',
    )
  })

  it.each([
    ['no name', {}],
    ['a blank name', { name: '   ' }],
    ['a name over 100 characters', { name: 'n'.repeat(101) }],
  ])('returns 400 problem for a key with %s', async (_label, body) => {
    const tenant = await newTenant()
    await expectProblem(
      await h.admin('POST', `/v1/admin/tenants/${tenant.id}/keys`, body),
      400,
      'INVALID_INPUT',
    )
  })
})
