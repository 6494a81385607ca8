import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeApiKey } from '../../src/storage/repos/tenant-repo'
import { expectProblem, type Harness, makeHarness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await makeHarness()
})
afterAll(async () => {
  await h.close()
})

const body = { description: 'ball bearing 6205', destination: 'KZ', final_destination: 'RU' }

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['a malformed key', 'Bearer not-a-key'],
    ['an unknown well-formed key', `Bearer du_0123456789abcdef_${'A'.repeat(43)}`],
  ])('returns 401 problem for %s', async (_label, authorization) => {
    const res = await h.app.request('/v1/checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    })
    await expectProblem(res, 401, 'UNAUTHENTICATED')
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('returns 401 problem for a right id with a wrong secret', async () => {
    const { key } = await h.newTenant()
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    await expectProblem(await h.post(forged, body), 401, 'UNAUTHENTICATED')
  })

  it('returns 401 problem for a revoked key', async () => {
    const { key } = await h.newTenant()
    expect((await h.post(key, body)).status).toBe(201)
    expect(await revokeApiKey(h.store.db, key, new Date())).toBe(true)
    await expectProblem(await h.post(key, body), 401, 'UNAUTHENTICATED')
  })

  it('stores keys only as hashes', async () => {
    const { key, keyId } = await h.newTenant()
    const row = await h.store.db
      .selectFrom('api_key')
      .selectAll()
      .where('id', '=', keyId)
      .executeTakeFirstOrThrow()
    // The secret is base64url and may itself contain "_": take everything after `du_<id>_`.
    const secret = key.slice(`du_${keyId}_`.length)
    expect(secret).toHaveLength(43)
    expect(JSON.stringify(row)).not.toContain(secret)
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('tenant isolation', () => {
  it("returns 404 problem for another tenant's check and hides it from listings", async () => {
    const a = await h.newTenant()
    const b = await h.newTenant()
    const created = (await (await h.post(a.key, body)).json()) as { id: string }
    await expectProblem(await h.get(b.key, `/v1/checks/${created.id}`), 404, 'NOT_FOUND')
    const list = (await (await h.get(b.key, '/v1/checks')).json()) as { data: unknown[] }
    expect(list.data).toEqual([])
    expect((await h.get(a.key, `/v1/checks/${created.id}`)).status).toBe(200)
  })

  it('keeps Idempotency-Keys per tenant', async () => {
    const a = await h.newTenant()
    const b = await h.newTenant()
    const ra = await h.post(a.key, body, { 'idempotency-key': 'shared-key' })
    const rb = await h.post(
      b.key,
      { ...body, reference: 'other' },
      { 'idempotency-key': 'shared-key' },
    )
    expect(ra.status).toBe(201)
    expect(rb.status).toBe(201)
    expect(((await ra.json()) as { id: string }).id).not.toBe(
      ((await rb.json()) as { id: string }).id,
    )
  })
})

describe('Idempotency-Key', () => {
  it('returns the stored check for the same key and body, storing it once', async () => {
    const { key, tenant } = await h.newTenant()
    const idem = crypto.randomUUID()
    const first = await h.post(key, body, { 'idempotency-key': idem })
    // Same meaning, different key order and spacing: still the same request.
    const reordered = `{ "final_destination": "RU", "destination": "KZ", "description": "ball bearing 6205" }`
    const second = await h.post(key, reordered, { 'idempotency-key': idem })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await second.json()).toEqual(await first.json())
    const rows = await h.store.db
      .selectFrom('check')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .execute()
    expect(rows).toHaveLength(1)
  })

  it('returns 422 problem for the same key with a different body', async () => {
    const { key } = await h.newTenant()
    const idem = crypto.randomUUID()
    expect((await h.post(key, body, { 'idempotency-key': idem })).status).toBe(201)
    await expectProblem(
      await h.post(key, { ...body, destination: 'DE' }, { 'idempotency-key': idem }),
      422,
      'UNPROCESSABLE',
    )
  })

  it('returns 409 problem while a request with the same key is in flight', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const base = await makeHarness()
    const slowChecks = {
      ...base.deps.checks,
      insert: async (...args: Parameters<typeof base.deps.checks.insert>) => {
        await gate
        return base.deps.checks.insert(...args)
      },
    }
    const slow = await makeHarness({
      checks: slowChecks,
      idempotency: base.deps.idempotency,
      apiKeys: base.deps.apiKeys,
    })
    const { key } = await base.newTenant()
    const idem = crypto.randomUUID()
    const firstP = slow.post(key, body, { 'idempotency-key': idem })
    await new Promise((r) => setTimeout(r, 20))
    await expectProblem(await slow.post(key, body, { 'idempotency-key': idem }), 409, 'CONFLICT')
    release()
    expect((await firstP).status).toBe(201)
    expect((await slow.post(key, body, { 'idempotency-key': idem })).status).toBe(201)
    await slow.close()
    await base.close()
  })

  it('releases the key when the check fails, so a retry can succeed', async () => {
    let fail = true
    const base = await makeHarness()
    const flaky = await makeHarness({
      idempotency: base.deps.idempotency,
      apiKeys: base.deps.apiKeys,
      checks: base.deps.checks,
      checker: {
        ...base.deps.checker,
        check: (r) => {
          if (fail) throw new Error('boom')
          return base.deps.checker.check(r)
        },
      },
    })
    const { key } = await base.newTenant()
    const idem = crypto.randomUUID()
    await expectProblem(await flaky.post(key, body, { 'idempotency-key': idem }), 500, 'INTERNAL')
    fail = false
    expect((await flaky.post(key, body, { 'idempotency-key': idem })).status).toBe(201)
    await flaky.close()
    await base.close()
  })
})
