/**
 * HTTP hygiene (issue 8, item 5) through `app.request`: 415, 405 with Allow, repeated query
 * parameters, well-formed Unicode, client aborts, and the security headers on every response.
 * The same behaviours over a real socket: test/runtime/http-hygiene-socket.test.ts.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wellFormedJsonText } from '../../src/http/body'
import { expectProblem, type Harness, makeHarness } from './harness'

// Node 20 has it; the project's lib (ES2022) does not declare it yet.
const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed()

let h: Harness
let key: string
beforeAll(async () => {
  h = await makeHarness()
  key = (await h.newTenant()).key
})
afterAll(async () => {
  await h.close()
})

const BODY = JSON.stringify({ description: 'wooden chair', destination: 'DE' })
const auth = () => ({ authorization: `Bearer ${key}` })

type Listed = { data: { id: string; reference: string | null }[] }

describe('request body media type', () => {
  it.each([
    ['no Content-Type, a JSON body', undefined, BODY],
    ['no Content-Type, no body', undefined, undefined],
    ['text/plain', 'text/plain', BODY],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'a=b'],
  ])('answers 415 problem for %s', async (_, contentType, body) => {
    const headers: Record<string, string> = auth()
    if (contentType) headers['content-type'] = contentType
    const res = await h.app.request('/v1/checks', { method: 'POST', headers, body })
    const problem = await expectProblem(res, 415)
    expect(problem.title).toBe('Unsupported media type')
  })

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/vnd.dualuse+json',
  ])('accepts %s', async (contentType) => {
    const res = await h.post(key, BODY, { 'content-type': contentType })
    expect(res.status).toBe(201)
  })
})

describe('unsupported methods', () => {
  it.each([
    ['PUT', '/v1/checks/chk_01M8BT8SQYBERARFJXYX2H95R8', 'GET, HEAD'],
    ['PATCH', '/v1/checks/chk_01M8BT8SQYBERARFJXYX2H95R8', 'GET, HEAD'],
    ['DELETE', '/v1/checks/chk_01M8BT8SQYBERARFJXYX2H95R8', 'GET, HEAD'],
    ['PUT', '/v1/checks', 'GET, HEAD, POST'],
    ['PATCH', '/v1/checks', 'GET, HEAD, POST'],
    ['DELETE', '/v1/checks', 'GET, HEAD, POST'],
    ['POST', '/v1/lists/chp', 'GET, HEAD'],
    ['POST', '/docs', 'GET, HEAD'],
    ['DELETE', '/openapi.json', 'GET, HEAD'],
    ['POST', '/healthz', 'GET, HEAD'],
  ])('answers 405 problem with Allow for %s %s', async (method, path, allow) => {
    const res = await h.app.request(path, {
      method,
      headers: { ...auth(), 'content-type': 'application/json' },
      body: method === 'DELETE' ? undefined : BODY,
    })
    expect(res.headers.get('allow')).toBe(allow)
    const problem = await expectProblem(res, 405)
    expect(problem.title).toBe('Method not allowed')
    expect(problem.detail).toContain(method)
  })

  it('answers 405 before asking for a key or a content type', async () => {
    const res = await h.app.request('/v1/checks/chk_1', { method: 'PUT', body: 'x' })
    expect(res.headers.get('allow')).toBe('GET, HEAD')
    await expectProblem(res, 405)
  })

  it('still answers 404 for a path that has no route at all, before a key or a content type', async () => {
    const res = await h.app.request('/v1/nothing', { method: 'PUT', body: 'x' })
    await expectProblem(res, 404, 'NOT_FOUND')
    expect(res.headers.get('allow')).toBeNull()
  })

  it('serves HEAD from the GET route', async () => {
    const res = await h.app.request('/v1/checks', { method: 'HEAD', headers: auth() })
    expect(res.status).toBe(200)
  })
})

describe('repeated query parameters', () => {
  it.each([
    ['limit', 'limit=100&limit=1'],
    ['reference', 'reference=a&verdict=clear&reference=b'],
    ['x', 'x=1&x=1'],
  ])('answers 400 problem naming %s', async (name, qs) => {
    const res = await h.get(key, `/v1/checks?${qs}`)
    const problem = await expectProblem(res, 400, 'INVALID_INPUT')
    expect(problem.errors).toEqual([
      { pointer: `/query/${name}`, message: 'is given more than once; send it once' },
    ])
    expect(problem.detail).toContain(`/query/${name}`)
    expect(problem.detail).not.toContain('NaN')
  })

  it('answers 401 first when the key is missing', async () => {
    const res = await h.app.request('/v1/checks?limit=1&limit=2')
    await expectProblem(res, 401, 'UNAUTHENTICATED')
  })
})

describe('well-formed Unicode', () => {
  it('stores a reference with a lone surrogate as U+FFFD and finds it again by that reference', async () => {
    const reference = `INV-\ud800-${crypto.randomUUID()}`
    // JSON.stringify writes the lone surrogate as the escape "\ud800", as a client would.
    const body = JSON.stringify({ description: 'chair \udc00 legs', destination: 'DE', reference })
    expect(body).toContain('\\ud800')
    const res = await h.post(key, body)
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; reference: string }
    expect(created.reference).toBe(wellFormed(reference))
    expect(created.reference).toContain('\ufffd')

    const stored = await h.deps.checks.get((await tenantOf(key)).id, created.id)
    expect(stored?.request.reference).toBe(wellFormed(reference))
    expect(stored?.request.description).toBe('chair \ufffd legs')

    // URLSearchParams encodes the lone surrogate as U+FFFD (UTF-8), so the original string finds it too.
    for (const sent of [reference, wellFormed(reference)]) {
      const list = await h.get(key, `/v1/checks?${new URLSearchParams({ reference: sent })}`)
      expect(list.status).toBe(200)
      expect(((await list.json()) as Listed).data.map((c) => c.id)).toEqual([created.id])
    }
    const got = await h.get(key, `/v1/checks/${created.id}`)
    expect(((await got.json()) as { reference: string }).reference).toBe(created.reference)
  })

  it('keeps surrogate pairs, escaped or not, and an escaped backslash before "ud800"', async () => {
    const reference = `😀 \\ud800 ${crypto.randomUUID()}`
    const escapedPair = JSON.stringify({
      description: 'chair',
      destination: 'DE',
      reference,
    }).replace('😀', '\\uD83D\\uDE00')
    const res = await h.post(key, escapedPair)
    expect(res.status).toBe(201)
    expect(((await res.json()) as { reference: string }).reference).toBe(reference)
  })

  it('parses any JSON string to its well-formed form (property)', () => {
    // Every character as a \u escape, or as JSON.stringify writes it.
    const escapeAll = (s: string) =>
      `"${[...Array(s.length).keys()].map((i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(JSON.parse(wellFormedJsonText(JSON.stringify(s)))).toBe(wellFormed(s))
        expect(JSON.parse(wellFormedJsonText(escapeAll(s)))).toBe(wellFormed(s))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('client aborts', () => {
  it('logs a body that fails mid-stream as an abort (499), not a 500, and without a stack', async () => {
    h.logs.length = 0
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"description":"cha'))
        controller.error(new Error('socket hang up'))
      },
    })
    const res = await h.app.request('/v1/checks', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(499)
    expect(h.logs).toEqual([
      expect.objectContaining({ msg: 'request', method: 'POST', status: 499, aborted: true }),
    ])
    expect(JSON.stringify(h.logs)).not.toContain('stack')
  })
})

describe('security headers', () => {
  const requests: [string, () => Response | Promise<Response>][] = [
    ['a JSON list', () => h.get(key, '/v1/checks')],
    ['a created check', () => h.post(key, BODY)],
    ['a 400 problem', () => h.post(key, '{}')],
    ['a 401 problem', () => h.app.request('/v1/checks')],
    ['a 404 problem', () => h.app.request('/nowhere')],
    ['a 405 problem', () => h.app.request('/v1/checks', { method: 'DELETE' })],
    ['a 415 problem', () => h.app.request('/v1/checks', { method: 'POST', headers: auth() })],
    ['/healthz', () => h.app.request('/healthz')],
    ['/openapi.json', () => h.app.request('/openapi.json')],
    ['/docs', () => h.app.request('/docs')],
  ]
  it.each(requests)('are on %s', async (_, send) => {
    const res = await send()
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    await res.arrayBuffer()
  })

  it('keep the /docs policy that allows its stylesheet by hash and no script', async () => {
    const res = await h.app.request('/docs')
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    )
  })

  it('give JSON a policy that allows nothing', async () => {
    const res = await h.get(key, '/v1/lists')
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    )
  })
})

async function tenantOf(apiKey: string): Promise<{ id: string }> {
  const principal = await h.deps.apiKeys.authenticate(apiKey)
  if (!principal) throw new Error('unknown key')
  return { id: principal.tenantId }
}
