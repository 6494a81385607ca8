/**
 * The web page's server side (http/web): HTML with its labels and strict CSP, the same-origin assets,
 * the stored-check page, and the `input` a filed record shows. The page's behaviour in a browser is in
 * test/browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CheckSchema } from '../../src/http/routes/checks'
import { WEB_CSP } from '../../src/http/web/routes'
import { type Harness, makeHarness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await makeHarness()
})
afterAll(async () => {
  await h.close()
})

describe('GET /', () => {
  it('serves the page with a CSP that allows this origin only and nothing inline', async () => {
    const res = await h.app.request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = res.headers.get('content-security-policy')
    expect(csp).toBe(WEB_CSP)
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("form-action 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    const html = await res.text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    // No inline script or style, and no URL of another origin to load.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toMatch(/<style|\sstyle=/)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    for (const label of ['API key', 'Goods description', 'Destination', 'Batch file', 'History'])
      expect(html).toContain(`>${label}<`)
    expect(html).toMatch(/<button type="submit">Check<\/button>/)
    expect(html).toMatch(/<button type="submit">Upload<\/button>/)
    expect(html).toContain('role="status"')
    expect(html).toContain('<option value="RU">Russian Federation</option>')
  })

  it('never gives the API key field a name, so no form can put it in a URL', async () => {
    const html = await (await h.app.request('/')).text()
    const field = /<input[^>]*id="api-key"[^>]*>/.exec(html)?.[0]
    expect(field).toBeDefined()
    expect(field).not.toMatch(/\bname=/)
    expect(field).toContain('type="password"')
  })
})

describe('GET /web/*', () => {
  it('serves the script and stylesheet the page links, cacheable for good at their versioned URL', async () => {
    const html = await (await h.app.request('/')).text()
    const script = /<script src="([^"]+)"/.exec(html)![1]!
    const style = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!
    const js = await h.app.request(script)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toContain('immutable')
    expect(await js.text()).toContain('sessionStorage')
    const css = await h.app.request(style)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(await css.text()).toContain('@media print')
    // An old or missing version is revalidated rather than cached.
    const stale = await h.app.request('/web/app.js?v=0')
    expect(stale.headers.get('cache-control')).toBe('no-cache')
  })

  it('parses as JavaScript', async () => {
    const js = await (await h.app.request('/web/app.js')).text()
    expect(() => new Function(js)).not.toThrow()
  })
})

describe('GET /checks/{id}', () => {
  it('serves the record page for a check id, with the same CSP', async () => {
    const res = await h.app.request('/checks/chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(WEB_CSP)
    expect(await res.text()).toContain('data-check-id="chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S"')
  })

  it('answers 404 problem for a path that is not a check id', async () => {
    const res = await h.app.request('/checks/a%3Cb')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })
})

describe('the check document', () => {
  it('carries the stored request as input, in POST, GET and the list', async () => {
    const { key } = await h.newTenant()
    const created = await h.post(key, {
      description: 'Deep groove ball bearing 6205-2RS',
      destination: 'ru',
      hs_code: '8482.10',
    })
    const body = (await created.json()) as { id: string; input: Record<string, unknown> }
    expect(CheckSchema.strict().safeParse(body).error).toBeUndefined()
    expect(body.input).toEqual({
      description: 'Deep groove ball bearing 6205-2RS',
      destination: 'RU',
      hs_code: '848210',
      regime: 'KZ',
    })
    const got = (await (await h.get(key, `/v1/checks/${body.id}`)).json()) as typeof body
    expect(got.input).toEqual(body.input)
    const list = (await (await h.get(key, '/v1/checks')).json()) as { data: (typeof body)[] }
    expect(list.data[0]!.input).toEqual(body.input)
  })
})
