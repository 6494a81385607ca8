/**
 * @module http/app
 * `createApp(makeDeps)`: the whole HTTP service, shared by the Node and Worker runtimes. Middleware,
 * routes, the one `onError` and the 404 live here; the runtime only supplies `makeDeps`.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { matchedRoutes, routePath } from 'hono/route'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import type { Deps } from '../core/deps'
import { AppError, type ErrorCode } from '../core/errors'
import { type BodyReader, ClientAbortError, readBodyFirst, readWebBody } from './body'
import { docsCsp, renderDocsPage } from './docs-page'
import type { AppEnv } from './env'
import { OPENAPI_CONFIG } from './openapi'
import { PROBLEM_CONTENT_TYPE, problemResponse } from './problem'
import { ADMIN_PATH, adminGate, adminRoutes } from './routes/admin'
import { auditRoutes } from './routes/audit'
import { batchesRoutes } from './routes/batches'
import { checksRoutes } from './routes/checks'
import { healthRoutes } from './routes/health'
import { listsRoutes } from './routes/lists'
import { rechecksRoutes } from './routes/rechecks'
import { replayRoutes } from './routes/replay'
import { settingsRoutes } from './routes/settings'
import { suppressionsRoutes } from './routes/suppressions'
import { webhooksRoutes } from './routes/webhooks'
import { type TenantLimits, tenantLimits } from './tenant-limits'
import { invalidInput, singleQueryValues, validationHook, zodToFieldIssues } from './validate'
import { webRoutes } from './web/routes'

export const BODY_LIMIT_BYTES = 64 * 1024

const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
}

/** Titles for the statuses Hono and the app raise as HTTPException and the code table does not name. */
const HTTP_TITLES: Partial<Record<number, string>> = {
  405: 'Method not allowed',
  415: 'Unsupported media type',
}

/** Paths whose bodies their route streams itself (`routes/batches.ts`). */
const BATCH_PATH = /^\/v1\/batches(\/|$)/

/**
 * List version imports (`routes/lists.ts`): a list of thousands of entries, so read within the
 * deployment's `LIST_IMPORT_MAX_BYTES` instead of 64 KiB, and only once the key is known.
 */
const LIST_IMPORT_PATH = /^\/v1\/lists\/[^/]+\/versions$/
const isListImport = (req: { method: string; path: string }): boolean =>
  req.method === 'POST' && LIST_IMPORT_PATH.test(req.path)

/**
 * Action POSTs that need no body (`routes/webhooks.ts`: rotate a secret, send a test, redeliver): sent
 * with no body at all, they need no Content-Type either. Anything sent is read and checked as usual.
 */
const BODYLESS_ACTION =
  /^\/v1\/(webhook-endpoints\/[^/]+\/(rotate-secret|test)|events\/[^/]+\/redeliver|checks\/[^/]+\/replay)$/

const sendsNoBody = (req: { header(name: string): string | undefined }): boolean =>
  !req.header('content-type') &&
  !req.header('transfer-encoding') &&
  (req.header('content-length') ?? '0') === '0'

const BEARER_RE = /^Bearer\s+(\S+)\s*$/i

/** nginx's "client closed request": logged for an abort; the client is gone, so nobody reads it. */
const CLIENT_CLOSED_REQUEST = 499 as StatusCode

/** The methods a 405 may list: Hono answers HEAD with the GET route, so GET brings HEAD along. */
const ROUTABLE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * Sent on every response. None is meant to be sniffed as another type, shown in a frame (clickjacking
 * of /docs) or to leak its URL in a Referer; JSON gets a CSP that allows nothing, /docs its own.
 */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const
const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"

export type AppOptions = {
  /** How this runtime reads request bodies (default: the web `Request` stream, fine everywhere). */
  readBody?: BodyReader
  /** Per-tenant limits on /v1 (Node server); none when absent (Workers, tests). */
  tenantLimits?: TenantLimits
}

export function createApp<B extends object = object>(
  makeDeps: (env: B) => Deps,
  { readBody = readWebBody, tenantLimits: limits }: AppOptions = {},
) {
  const app = new OpenAPIHono<AppEnv<B>>({ defaultHook: validationHook })

  /** Methods with a route (not just middleware) at `path`, for a 405's Allow header. */
  const allowedMethods = (path: string): string[] => {
    const allowed: string[] = []
    for (const method of ROUTABLE_METHODS) {
      const [handlers] = app.router.match(method, path)
      if (handlers.some(([[, route]]) => route.method !== 'ALL')) {
        allowed.push(method)
        if (method === 'GET') allowed.push('HEAD')
      }
    }
    return allowed
  }

  // First, so that it wraps every response: routes, problems from onError, the 404.
  app.use(async (c, next) => {
    await next()
    const headers = c.res.headers
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value)
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', DEFAULT_CSP)
  })

  // Accepts a caller's X-Request-Id if it is short and plain (hono's default check), else makes one.
  app.use(requestId())

  app.use(async (c, next) => {
    c.set('deps', makeDeps(c.env))
    const started = performance.now()
    await next()
    // One line per request: never the key, never the body.
    c.get('deps').logger.info({
      msg: 'request',
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      aborted: c.res.status === CLIENT_CLOSED_REQUEST || undefined,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: c.get('requestId'),
      tenant_id: c.get('principal')?.tenantId,
    })
  })

  // Unknown path: 404; known path, other method: 405 with Allow. Both before a body is read or a key
  // checked (the route table is public: /openapi.json).
  app.use(async (c, next) => {
    if (matchedRoutes(c).some((route) => route.method !== 'ALL')) return next()
    const allowed = allowedMethods(c.req.path)
    if (allowed.length === 0) return c.notFound()
    c.header('Allow', allowed.join(', '))
    throw new HTTPException(405, {
      message: `${c.req.method} is not allowed here; use ${allowed.join(', ')}`,
    })
  })

  // The admin API: 404 unless a root key is configured, then the root key and nothing else.
  app.use('/v1/admin/*', adminGate)

  // Batch uploads are files of up to 256 MiB, streamed to storage by their route: never read whole here.
  app.use('/v1/*', async (c, next) =>
    BATCH_PATH.test(c.req.path) ||
    isListImport(c.req) ||
    (BODYLESS_ACTION.test(c.req.path) && sendsNoBody(c.req))
      ? next()
      : readBodyFirst(readBody, BODY_LIMIT_BYTES)(c, next),
  )

  app.use('/v1/*', async (c, next) => {
    // Admin routes took the root key in adminGate; a tenant key is no use there.
    if (ADMIN_PATH.test(c.req.path)) return next()
    const match = BEARER_RE.exec(c.req.header('authorization') ?? '')
    if (!match) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <API key>')
    const principal = await c.get('deps').apiKeys.authenticate(match[1]!)
    if (!principal) throw new AppError('UNAUTHENTICATED', 'the API key is unknown or revoked')
    c.set('principal', principal)
    await next()
  })

  // Per-tenant in-flight cap and rate limit, when the runtime sets them (http/tenant-limits.ts).
  if (limits) {
    const limit = tenantLimits<B>(limits)
    // Admin requests belong to no tenant.
    app.use('/v1/*', (c, next) => (ADMIN_PATH.test(c.req.path) ? next() : limit(c, next)))
  }

  app.use('/v1/*', singleQueryValues)

  // After authentication: only a tenant's key makes the server hold more than 64 KiB of a body.
  app.use('/v1/lists/:id/versions', (c, next) =>
    isListImport(c.req)
      ? readBodyFirst(readBody, c.get('deps').screening?.importMaxBytes ?? BODY_LIMIT_BYTES)(
          c,
          next,
        )
      : next(),
  )

  app.route('/', healthRoutes)
  app.route('/', checksRoutes)
  app.route('/', listsRoutes)
  app.route('/', batchesRoutes)
  app.route('/', webhooksRoutes)
  app.route('/', adminRoutes)
  // Lists as data (issue 12): suppressions, settings, audit, replay (versions live in listsRoutes).
  app.route('/', suppressionsRoutes)
  app.route('/', settingsRoutes)
  app.route('/', auditRoutes)
  app.route('/', replayRoutes)
  app.route('/', rechecksRoutes)
  // The page for people (http/web): its own CSP, set by its routes.
  app.route('/', webRoutes)

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A tenant API key (`du_…`), created by `npm run -s dualuse -- keys create --tenant NAME`.',
  })
  app.doc31('/openapi.json', OPENAPI_CONFIG)
  // Rendered on first request, once every route is registered; the same HTML for the app's lifetime.
  let docsHtml: string | undefined
  app.get('/docs', async (c) => {
    docsHtml ??= renderDocsPage(app.getOpenAPI31Document(OPENAPI_CONFIG))
    c.header('Content-Security-Policy', await docsCsp())
    return c.html(docsHtml)
  })

  app.notFound((c) => problemResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`))

  app.onError((err, c) => {
    // Not a failure of ours: the request logger records it (status 499, `aborted`), no stack.
    if (err instanceof ClientAbortError) return c.body(null, CLIENT_CLOSED_REQUEST)
    if (err instanceof AppError) {
      const status = err.code === 'DATA_INVALID' || err.code === 'INTERNAL' ? 500 : undefined
      if (status === 500) logError(c.get('deps'), c.get('requestId'), err)
      const res = problemResponse(c, err.code, status === 500 ? 'internal error' : err.message, {
        errors: err.details,
      })
      if (err.code === 'UNAUTHENTICATED') res.headers.set('WWW-Authenticate', 'Bearer')
      return res
    }
    if (err instanceof HTTPException) {
      const code =
        HTTP_STATUS_CODES[err.status] ?? (err.status >= 500 ? 'INTERNAL' : 'INVALID_INPUT')
      if (err.status >= 500) {
        logError(c.get('deps'), c.get('requestId'), err)
        return problemResponse(c, 'INTERNAL', 'internal error')
      }
      // Hono's own messages ("Malformed JSON in request body", "Unsupported Media Type") are safe to show.
      return problemResponse(c, code, err.message || 'bad request', {
        status: err.status as ContentfulStatusCode,
        title: HTTP_TITLES[err.status],
      })
    }
    if (err instanceof ZodError) {
      const issue = invalidInput(zodToFieldIssues(err))
      return problemResponse(c, 'INVALID_INPUT', issue.message, { errors: issue.details })
    }
    logError(c.get('deps'), c.get('requestId'), err)
    return problemResponse(c, 'INTERNAL', 'internal error')
  })

  return app
}

function logError(deps: Deps | undefined, requestId: string | undefined, err: unknown): void {
  const fields = {
    msg: 'unhandled error',
    request_id: requestId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    cause: err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined,
    stack: err instanceof Error ? err.stack : undefined,
  }
  if (deps) deps.logger.error(fields)
  else console.error(JSON.stringify(fields))
}

export { PROBLEM_CONTENT_TYPE }
export type App = ReturnType<typeof createApp>
