/**
 * The web page on the Worker (issue 11): the same routes as on Node, in workerd, with the strict CSP and
 * the same-origin script and stylesheet. The page's behaviour is tested in Chromium against Node
 * (test/browser); this proves the Worker serves it (no node:* on the page's import path).
 */
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { WEB_CSP } from '../../src/http/web/routes'

const fetchWorker = (path: string) => exports.default.fetch(`https://dualuse.test${path}`)

describe('the web page on worker.ts in workerd', () => {
  it('serves GET / as HTML with its CSP and the labelled fields', async () => {
    const res = await fetchWorker('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('content-security-policy')).toBe(WEB_CSP)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    const html = await res.text()
    for (const label of ['API key', 'Goods description', 'Destination', 'Batch file'])
      expect(html).toContain(`>${label}<`)
    expect(html).toContain('role="status"')
  })

  it('serves the script and stylesheet the page links', async () => {
    const html = await (await fetchWorker('/')).text()
    const script = /<script src="([^"]+)"/.exec(html)![1]!
    const style = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!
    const js = await fetchWorker(script)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toContain('sessionStorage')
    const css = await fetchWorker(style)
    expect(css.status).toBe(200)
    expect(await css.text()).toContain('@media print')
  })

  it('serves the printable record page of a check', async () => {
    const res = await fetchWorker('/checks/chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(WEB_CSP)
    expect(await res.text()).toContain('data-check-id="chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S"')
  })
})
