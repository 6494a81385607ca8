import { expect } from 'vitest'
/**
 * Test harness for the HTTP app: a real migrated SQLite `:memory:` store, a fake deterministic
 * checker (the engine has its own tests) and a capturing logger.
 */
import type { Deps } from '../../src/core/deps'
import type { GoodsChecker } from '../../src/core/ports'
import type { CheckRequest, CheckResult } from '../../src/core/schemas'
import { createApp } from '../../src/http/app'
import { storagePorts } from '../../src/storage'
import { newCheckId } from '../../src/storage/ids'
import { migrateToLatest } from '../../src/storage/migrator'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'
import { openSqliteStore } from '../../src/storage/sqlite'

export const fakeChecker: GoodsChecker = {
  versions: { engine: 'test', lists: { chp: '2024-02-23' } },
  lists: [
    {
      id: 'chp',
      name: 'Common High Priority list',
      jurisdiction: 'EU/US/UK/JP',
      legal_status: 'guidance',
      version: '2024-02-23',
      source: 'test',
      regimes: ['KZ', 'EU'],
      match: 'hs_prefix',
      note: '',
      entries: [{ code: '848210', title: 'Ball bearings', tier: '3.B', partial: false }],
    },
  ],
  check(request: CheckRequest): CheckResult {
    const risky = /bearing/i.test(request.description)
    return {
      reference: request.reference ?? null,
      verdict: risky ? 'high_risk' : 'clear',
      risk_score: risky ? 70 : 5,
      classification: {
        candidates: [],
        declared_code: request.hs_code ?? null,
        declared_code_consistent: null,
      },
      matches: [],
      destination: {
        country: request.destination,
        final_destination: request.final_destination ?? request.destination,
        transit: request.transit ?? [],
        category: 'other',
        note: '',
      },
      reasons: [],
      obligations: [],
      versions: { engine: 'test', lists: { chp: '2024-02-23' } },
    }
  },
}

export type Harness = Awaited<ReturnType<typeof makeHarness>>

export async function makeHarness(overrides: Partial<Deps> = {}) {
  const store = openSqliteStore(':memory:')
  await migrateToLatest(store.db)
  const logs: Record<string, unknown>[] = []
  const deps: Deps = {
    ...storagePorts(store),
    checker: fakeChecker,
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger: { info: (f) => logs.push(f), error: (f) => logs.push({ ...f, level: 'error' }) },
    ...overrides,
  }
  const app = createApp(() => deps)
  const newTenant = async (name = `t-${crypto.randomUUID()}`) => {
    const tenant = await ensureTenant(store.db, name, new Date())
    const { key, keyId } = await createApiKey(store.db, tenant.id, new Date())
    return { tenant, key, keyId }
  }
  const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request('/v1/checks', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (key: string, path: string) =>
    app.request(path, { headers: { authorization: `Bearer ${key}` } })
  return { app, store, deps, logs, newTenant, post, get, close: () => store.close() }
}

export const PROBLEM = 'application/problem+json'

/** Asserts an RFC 9457 problem response and returns its body. */
export async function expectProblem(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe(PROBLEM)
  const body = (await res.json()) as {
    type: string
    title: string
    status: number
    detail: string
    code: string
    requestId: string
    instance: string
    errors?: { pointer: string; message: string }[]
  }
  expect(body.status).toBe(status)
  expect(body.requestId).toBe(res.headers.get('x-request-id'))
  expect(body.type).toMatch(/^\/docs#problem-/)
  if (code) expect(body.code).toBe(code)
  return body
}
