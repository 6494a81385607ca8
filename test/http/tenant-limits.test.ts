/**
 * Issue 8: per-tenant fairness. Through `app.request` with a checker the test holds open (requests in
 * flight) and an injected clock (the bucket refills without sleeping).
 */
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { NodeEnvSchema } from '../../src/config/env'
import type { CheckRequest, CheckResult } from '../../src/core/schemas'
import { createApp } from '../../src/http/app'
import type { AppEnv } from '../../src/http/env'
import { DEFAULT_TENANT_LIMITS, tenantLimits } from '../../src/http/tenant-limits'
import { expectProblem, fakeChecker, makeHarness } from './harness'

const body = { description: 'stainless steel ball bearings 6205-2RS', destination: 'KZ' }

/** A checker whose checks wait until the test releases them: requests stay in flight. */
function heldChecker() {
  const waiting: (() => void)[] = []
  return {
    checker: {
      ...fakeChecker,
      check: (request: CheckRequest): Promise<CheckResult> =>
        new Promise((resolve) => waiting.push(() => resolve(fakeChecker.check(request)))),
    },
    waiting,
    releaseAll: () => {
      for (const release of waiting.splice(0)) release()
    },
  }
}

/** Lets pending requests reach the checker (they read the body and authenticate first). */
async function settle(until: () => boolean) {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 1))
}

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

describe('tenant limits', () => {
  it('answers the N+1-th concurrent request of one tenant 429 with Retry-After, while another tenant passes', async () => {
    const held = heldChecker()
    const h = await makeHarness({ checker: held.checker })
    cleanup.push(() => h.close())
    // The harness's app has no limits (as on Workers): this one is the Node server's.
    const app = createApp(() => h.deps, {
      tenantLimits: { maxInFlight: 3, ratePerSecond: 1000, burst: 1000 },
    })
    const post = (key: string) =>
      app.request('/v1/checks', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const a = await h.newTenant()
    const b = await h.newTenant()

    const inFlight = [post(a.key), post(a.key), post(a.key)]
    await settle(() => held.waiting.length === 3)
    expect(held.waiting).toHaveLength(3)

    const refused = await post(a.key)
    expect(refused.headers.get('retry-after')).toBe('1')
    const problem = await expectProblem(refused, 429, 'RATE_LIMITED')
    expect(problem.detail).toMatch(/3 requests in flight/)

    // Another tenant is not held back by A's requests.
    const other = post(b.key)
    await settle(() => held.waiting.length === 4)
    held.releaseAll()
    expect((await other).status).toBe(201)
    for (const res of await Promise.all(inFlight)) expect(res.status).toBe(201)

    // A's slots are free again once its requests have finished.
    const again = post(a.key)
    await settle(() => held.waiting.length === 1)
    held.releaseAll()
    expect((await again).status).toBe(201)
  })

  it('frees the slot of a request that failed', async () => {
    const h = await makeHarness()
    cleanup.push(() => h.close())
    const app = createApp(() => h.deps, {
      tenantLimits: { maxInFlight: 1, ratePerSecond: 1000, burst: 1000 },
    })
    const a = await h.newTenant()
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/v1/checks', {
        method: 'POST',
        headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ description: '' }),
      })
      await expectProblem(res, 400, 'INVALID_INPUT')
    }
  })

  it('rate-limits a tenant with a token bucket that refills with the clock', async () => {
    // The middleware alone on a bare app: the clock is injected, no sleeping.
    let ms = 0
    const app = new Hono<AppEnv>()
    app.use(async (c, next) => {
      c.set('principal', { tenantId: c.req.header('x-tenant')!, keyId: 'k' })
      await next()
    })
    app.use(tenantLimits({ maxInFlight: 100, ratePerSecond: 2, burst: 3 }, () => ms))
    app.get('/v1/x', (c) => c.text('ok'))
    app.onError((err, c) => c.text(err.message, 429))
    const tenant = `rate-${crypto.randomUUID()}`
    const get = (t = tenant) => app.request('/v1/x', { headers: { 'x-tenant': t } })

    // The burst, then a refusal that says when a token is back (0.5 s at 2/s: rounded up to 1 s).
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200)
    const refused = await get()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    // Another tenant has its own bucket.
    expect((await get(`rate-${crypto.randomUUID()}`)).status).toBe(200)

    ms += 499
    expect((await get()).status).toBe(429)
    ms += 1 // 0.5 s: one token back
    expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(429)

    // A long pause refills only up to the burst.
    ms += 60_000
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200)
    expect((await get()).status).toBe(429)
  })

  it('says how long to wait when the rate is below one a second', async () => {
    const tenantId = `slow-${crypto.randomUUID()}`
    const tenantApp = new Hono<AppEnv>()
    tenantApp.use(async (c, next) => {
      c.set('principal', { tenantId, keyId: 'k' })
      await next()
    })
    tenantApp.use(tenantLimits({ maxInFlight: 8, ratePerSecond: 0.25, burst: 1 }, () => 0))
    tenantApp.get('/v1/x', (c) => c.text('ok'))
    tenantApp.onError((err, c) => c.text(err.message, 429))
    expect((await tenantApp.request('/v1/x')).status).toBe(200)
    const refused = await tenantApp.request('/v1/x')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('4')
  })

  it('has the documented defaults, the same in the env schema', () => {
    const env = NodeEnvSchema.parse({})
    expect(DEFAULT_TENANT_LIMITS).toEqual({ maxInFlight: 8, ratePerSecond: 50, burst: 100 })
    expect({
      maxInFlight: env.TENANT_MAX_IN_FLIGHT,
      ratePerSecond: env.TENANT_RATE_PER_SECOND,
      burst: env.TENANT_BURST,
    }).toEqual(DEFAULT_TENANT_LIMITS)
  })

  it('is off unless the runtime sets limits (Workers, the harness)', async () => {
    const h = await makeHarness()
    cleanup.push(() => h.close())
    const a = await h.newTenant()
    const results = await Promise.all(Array.from({ length: 20 }, () => h.post(a.key, body)))
    for (const res of results) expect(res.status).toBe(201)
  })
})
