/**
 * @module http/tenant-limits
 * Per-tenant fairness (issue 8): one tenant cannot take the whole server. Each tenant may have at most
 * `maxInFlight` `/v1` requests in flight, and may start requests at `ratePerSecond` on average with
 * bursts of up to `burst` (a token bucket). Past either limit the request gets 429 `RATE_LIMITED` with
 * `Retry-After` (seconds) and a problem document, before any work is done for it.
 *
 * Mounted after authentication (it needs the tenant), only when the runtime passes limits to
 * `createApp`: the Node server does (env `TENANT_MAX_IN_FLIGHT`, `TENANT_RATE_PER_SECOND`,
 * `TENANT_BURST`, parsed once at start); the Worker does not, since an isolate sees only a share of
 * a tenant's traffic and counting there would limit nothing predictable.
 */
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../core/errors'
import type { AppEnv } from './env'

export type TenantLimits = {
  /** Requests of one tenant being served at once; the next one is refused. */
  maxInFlight: number
  /** Requests per second one tenant may start, on average (the bucket's refill rate). */
  ratePerSecond: number
  /** Requests one tenant may start at once after a quiet spell (the bucket's size). */
  burst: number
}

/**
 * Defaults: 8 in flight is the abusive probe, and more than a client gains from (a check
 * costs milliseconds; the server has a few CPUs); 50/s with bursts of 100 is well above what the
 * batch importer and interactive use need, and far below what one process serves (~1,000 checks/s).
 */
export const DEFAULT_TENANT_LIMITS: TenantLimits = { maxInFlight: 8, ratePerSecond: 50, burst: 100 }

type TenantState = { inFlight: number; tokens: number; refilledAt: number }

// Per process (per isolate if ever mounted on Workers), for the life of the process: tenant id →
// its requests in flight and its token bucket. One small entry per tenant that has made a request;
// tenants are provisioned by an operator, so the map is as bounded as the tenant table.
const tenants = new Map<string, TenantState>()

/**
 * The middleware. `now` is a clock in milliseconds (monotonic by default), injected by tests so the
 * bucket refills without sleeping.
 */
export function tenantLimits<B extends object = object>(
  limits: TenantLimits,
  now: () => number = () => performance.now(),
): MiddlewareHandler<AppEnv<B>> {
  const { maxInFlight, ratePerSecond, burst } = limits
  return async (c, next) => {
    const tenantId = c.get('principal').tenantId
    const t = now()
    let state = tenants.get(tenantId)
    if (!state) {
      state = { inFlight: 0, tokens: burst, refilledAt: t }
      tenants.set(tenantId, state)
    }
    state.tokens = Math.min(burst, state.tokens + ((t - state.refilledAt) / 1000) * ratePerSecond)
    state.refilledAt = t
    if (state.inFlight >= maxInFlight) {
      // Nothing says when one of them ends: a check takes milliseconds, so a second is a fair wait.
      c.header('Retry-After', '1')
      throw new AppError(
        'RATE_LIMITED',
        `this tenant already has ${maxInFlight} requests in flight, the most allowed; retry when one has finished`,
      )
    }
    if (state.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - state.tokens) / ratePerSecond))
      c.header('Retry-After', String(seconds))
      throw new AppError(
        'RATE_LIMITED',
        `this tenant sent more than ${ratePerSecond} requests per second (bursts of ${burst}); retry after ${seconds} s`,
      )
    }
    state.tokens -= 1
    state.inFlight++
    try {
      await next()
    } finally {
      state.inFlight--
    }
  }
}
