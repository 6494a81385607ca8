/**
 * @module http/web/routes
 * The web page for people (issue 11): GET / (check a line, upload a batch, history), GET /checks/{id}
 * (a stored check as a printable record), and the page's script and stylesheet under /web/. Same app on
 * Node and Workers; nothing here imports node:*.
 *
 * Tenant data is drawn in the browser, not here: the API key lives only in the browser session and is
 * sent only as an Authorization header (never a cookie or a URL), so a server-rendered page has no key
 * to read tenant data with. The server renders the frame; the script fills it from /v1.
 */
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../env'
import { WEB_SCRIPT } from './client-script'
import { WEB_STYLE } from './client-style'
import { type AssetUrls, CheckPage, HomePage } from './pages'

/**
 * This origin only, nothing inline: the script and stylesheet are files from /web/, fetches go to /v1,
 * and forms are never submitted by the browser (the script sends them), so `form-action 'none'` keeps
 * a form sent without the script from putting anything in a URL.
 */
export const WEB_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

/** FNV-1a, 32 bits: a cache key for an asset, not a security digest. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

// Module scope: the assets are constants, so their digests are computed once per process or isolate.
const SCRIPT_VERSION = fnv1a(WEB_SCRIPT)
const STYLE_VERSION = fnv1a(WEB_STYLE)
const ASSETS: AssetUrls = {
  script: `/web/app.js?v=${SCRIPT_VERSION}`,
  style: `/web/app.css?v=${STYLE_VERSION}`,
}

/** Check ids as the API makes them; anything else is not a page. */
const CHECK_ID_RE = /^[A-Za-z0-9_-]{1,64}$/

export const webRoutes = new Hono<AppEnv>()

const page = (body: { toString(): string }) => `<!doctype html>${body.toString()}`

webRoutes.get('/', (c) => {
  c.header('Content-Security-Policy', WEB_CSP)
  c.header('Cache-Control', 'no-cache')
  return c.html(page(<HomePage assets={ASSETS} />))
})

webRoutes.get('/checks/:id', (c) => {
  const id = c.req.param('id')
  if (!CHECK_ID_RE.test(id)) return c.notFound()
  c.header('Content-Security-Policy', WEB_CSP)
  c.header('Cache-Control', 'no-cache')
  return c.html(page(<CheckPage assets={ASSETS} id={id} />))
})

/** A versioned URL may be cached for good; the bare one is revalidated. */
function asset(version: string, type: string, body: string) {
  return (c: Context<AppEnv>) => {
    c.header('Content-Type', type)
    c.header(
      'Cache-Control',
      c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'no-cache',
    )
    return c.body(body)
  }
}

webRoutes.get('/web/app.js', asset(SCRIPT_VERSION, 'text/javascript; charset=utf-8', WEB_SCRIPT))
webRoutes.get('/web/app.css', asset(STYLE_VERSION, 'text/css; charset=utf-8', WEB_STYLE))
