/**
 * Property: no generated body or header makes a 5xx, and every 4xx is a problem document.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, makeHarness, PROBLEM } from './harness'

let h: Harness
let key: string
beforeAll(async () => {
  h = await makeHarness()
  key = (await h.newTenant()).key
})
afterAll(async () => {
  await h.close()
})

const nastyString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '<script>',
    "'; drop table check;--",
    '__proto__',
    'RU',
    'kz',
    '8482.10',
  ),
)

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    nastyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
})).value

const checkLike = fc.record(
  {
    description: fc.oneof(nastyString, jsonish),
    destination: fc.oneof(fc.constantFrom('RU', 'KZ', 'DE', 'XX', 'ru', ''), jsonish),
    final_destination: fc.oneof(fc.constantFrom('RU', 'BY', 'IR'), jsonish),
    transit: fc.oneof(fc.array(fc.constantFrom('RU', 'AM', 'ZZ', 1)), jsonish),
    hs_code: fc.oneof(fc.constantFrom('8482.10', '84 82', '84', 'abcd', '1234567890123'), jsonish),
    regime: fc.oneof(fc.constantFrom('KZ', 'EU', 'US', 'UK', 'CN'), jsonish),
    quantity: fc.oneof(fc.double(), jsonish),
  },
  { requiredKeys: [] },
)

const rawBody = fc.oneof(
  checkLike.map((v) => JSON.stringify(v)),
  jsonish.map((v) => JSON.stringify(v) ?? 'undefined'),
  fc.string({ maxLength: 200 }),
  checkLike.map((v) => JSON.stringify(v).slice(0, -1)),
  fc.constantFrom(
    '',
    '{',
    '{"description":',
    'null',
    '"str"',
    '1e999',
    '{"a":' + '['.repeat(5000),
    '{"__proto__":{"polluted":1},"description":"chair","destination":"RU"}',
    '{"constructor":{"prototype":{"x":1}},"description":"chair","destination":"RU"}',
  ),
)

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/)
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/xml',
        'multipart/form-data',
        '',
      ),
      headerValue,
    ),
    'idempotency-key': headerValue,
    'x-request-id': headerValue,
    authorization: fc.oneof(
      fc.constant('GOOD'),
      headerValue,
      fc.constantFrom('Bearer', 'Bearer ', 'bearer GOOD'),
    ),
  },
  { requiredKeys: [] },
)

const target = fc.constantFrom(
  ['POST', '/v1/checks'],
  ['POST', '/v1/checks'],
  ['POST', '/v1/checks'],
  ['GET', '/v1/checks'],
  ['GET', '/v1/checks/%00'],
  ['PUT', '/v1/checks'],
  ['DELETE', '/v1/checks/chk_1'],
  ['GET', '/v1/lists/..%2F..%2Fetc'],
)

const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'verdict', 'created_from', 'created_to', 'reference', 'x'),
  headerValue,
  {
    maxKeys: 3,
  },
)

describe('hostile input', () => {
  it('never answers 5xx, and every 4xx is a problem document (2,400 cases)', async () => {
    let sent = 0
    await fc.assert(
      fc.asyncProperty(target, rawBody, headers, query, async ([method, path], body, hdrs, q) => {
        const init: RequestInit & { headers: Record<string, string> } = { method, headers: {} }
        for (const [k, v] of Object.entries(hdrs)) {
          init.headers[k] = k === 'authorization' ? v.replace('GOOD', key) : v
        }
        if (method !== 'GET') init.body = body
        const qs = new URLSearchParams(q as Record<string, string>).toString()
        const res = await h.app.request(qs ? `${path}?${qs}` : path, init)
        sent++
        expect(res.status).toBeLessThan(500)
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe(PROBLEM)
          const problem = (await res.json()) as { status: number; code: string; type: string }
          expect(problem.status).toBe(res.status)
          expect(typeof problem.code).toBe('string')
        } else {
          await res.arrayBuffer()
        }
      }),
      { numRuns: 2400 },
    )
    expect(sent).toBeGreaterThanOrEqual(2000)
  }, 60_000)
})
