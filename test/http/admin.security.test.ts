import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAdminHarness, ROOT_KEY } from './admin-harness'
import { expectProblem } from './harness'

let h: Awaited<ReturnType<typeof makeAdminHarness>>
let off: Awaited<ReturnType<typeof makeAdminHarness>>
beforeAll(async () => {
  h = await makeAdminHarness()
  off = await makeAdminHarness(null)
})
afterAll(async () => {
  await Promise.all([h.close(), off.close()])
})

const ROUTES: [string, string, unknown?][] = [
  ['POST', '/v1/admin/tenants', { name: 'acme' }],
  ['GET', '/v1/admin/tenants'],
  ['POST', '/v1/admin/tenants/ten_01JS4Y8Z6T9V5C3M2N1P0Q7R8S/keys', { name: 'k' }],
  ['GET', '/v1/admin/tenants/ten_01JS4Y8Z6T9V5C3M2N1P0Q7R8S/keys'],
  ['DELETE', '/v1/admin/keys/0123456789abcdef'],
]

describe('admin API without ROOT_API_KEY', () => {
  it.each(ROUTES)(
    'answers %s %s with 404 problem, whatever the token',
    async (method, path, body) => {
      for (const key of [ROOT_KEY, 'anything']) {
        await expectProblem(await off.admin(method, path, body, key), 404, 'NOT_FOUND')
      }
    },
  )
})

describe('admin API authorisation', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a Basic scheme', `Basic ${btoa(`admin:${ROOT_KEY}`)}`],
    ['a wrong key of the same length', `Bearer ${'x'.repeat(ROOT_KEY.length)}`],
    ['the root key missing its last character', `Bearer ${ROOT_KEY.slice(0, -1)}`],
    ['the root key with one more character', `Bearer ${ROOT_KEY}k`],
  ])('returns 401 problem for %s', async (_label, authorization) => {
    for (const [method, path, body] of ROUTES) {
      const res = await h.app.request(path, {
        method,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      })
      await expectProblem(res, 401, 'UNAUTHENTICATED')
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
  })

  it('refuses a working tenant key on admin routes with 401 problem', async () => {
    const { key } = await h.newTenant()
    expect((await h.get(key, '/v1/lists')).status).toBe(200)
    for (const [method, path, body] of ROUTES) {
      await expectProblem(await h.admin(method, path, body, key), 401, 'UNAUTHENTICATED')
    }
  })

  it('refuses the root key on tenant routes with 401 problem', async () => {
    await expectProblem(
      await h.post(ROOT_KEY, { description: 'wooden chair', destination: 'DE' }),
      401,
      'UNAUTHENTICATED',
    )
    await expectProblem(await h.get(ROOT_KEY, '/v1/lists'), 401, 'UNAUTHENTICATED')
    await expectProblem(await h.get(ROOT_KEY, '/v1/checks'), 401, 'UNAUTHENTICATED')
  })
})

describe('secrets in logs and errors', () => {
  it('never writes the root key or a created key to the log or an error body', async () => {
    h.logs.length = 0
    const created = await h.admin('POST', '/v1/admin/tenants', {
      name: `t-${crypto.randomUUID()}`,
    })
    const { id } = (await created.json()) as { id: string }
    const keyRes = await h.admin('POST', `/v1/admin/tenants/${id}/keys`, { name: 'ci' })
    const { key, id: keyId } = (await keyRes.json()) as { key: string; id: string }
    await h.admin('GET', `/v1/admin/tenants/${id}/keys`)
    await h.post(key, { description: 'ball bearing', destination: 'KZ' })
    // Wrong tokens: a near miss of the root key and the tenant key on the admin API.
    const nearMiss = `${ROOT_KEY.slice(0, -1)}x`
    const bodies = [
      await (await h.admin('GET', '/v1/admin/tenants', undefined, nearMiss)).text(),
      await (await h.admin('GET', '/v1/admin/tenants', undefined, key)).text(),
      await (await h.get(ROOT_KEY, '/v1/checks')).text(),
    ]
    await h.admin('DELETE', `/v1/admin/keys/${keyId}`)
    await h.post(key, { description: 'ball bearing', destination: 'KZ' })

    const logged = JSON.stringify(h.logs)
    expect(h.logs.length).toBeGreaterThanOrEqual(9)
    // The secret is everything after `du_<id>_`; it is base64url, so it may hold "_" itself.
    const secretOfKey = key.slice('du_'.length + 16 + 1)
    expect(secretOfKey).toHaveLength(43)
    for (const secret of [ROOT_KEY, nearMiss, key, secretOfKey]) {
      expect(logged).not.toContain(secret)
      for (const body of bodies) expect(body).not.toContain(secret)
    }
    // Admin requests are logged like any other, without a tenant.
    expect(h.logs).toContainEqual(
      expect.objectContaining({ route: '/v1/admin/tenants', status: 201, tenant_id: undefined }),
    )
  })
})
