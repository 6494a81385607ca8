/**
 * @module http/routes/health
 * GET /healthz: database readable (and, on Node, writable) with its schema current, checks possible,
 * and the versions of the engine and lists. No auth: load balancers and uptime checks call it, so a
 * failure answers 503 with the reason in `detail` and nothing more.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../../core/errors'
import type { AppEnv } from '../env'
import { problemResponses } from '../problem'

const HealthSchema = z
  .object({
    status: z
      .literal('ok')
      .meta({ description: 'Always `ok` on a 200: the service can check goods.' }),
    database: z.literal('ok').meta({
      description: 'Always `ok` on a 200: the database answers and its schema is current.',
    }),
    versions: z
      .object({
        engine: z.string().meta({ description: 'Version of the screening engine.' }),
        lists: z
          .record(z.string(), z.string())
          .meta({ description: 'Version of each controlled list, by list id.' }),
      })
      .meta({ description: 'What a check made now would be made with.' }),
  })
  .openapi('Health')

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['Health'],
  summary: 'Liveness and readiness',
  description:
    'For load balancers and uptime checks: answers 200 when the database is readable (and, on Node, writable) with its schema current and a check thread is ready.',
  // Public: a load balancer has no API key.
  security: [],
  responses: {
    200: { description: 'Serving.', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      ...problemResponses[500],
      description:
        'The database cannot be read or written, its schema is missing or behind the migrations, or no check thread is ready; `detail` says which.',
    },
  },
})

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, async (c) => {
  const deps = c.get('deps')
  try {
    await deps.health.ping()
  } catch (cause) {
    // The probe's own reasons (read-only, schema behind…) are written to be shown; anything else
    // may carry a path or SQL, so it stays a generic reason.
    if (cause instanceof AppError && cause.code === 'UPSTREAM_UNAVAILABLE') throw cause
    throw new AppError('UPSTREAM_UNAVAILABLE', 'database unreachable', { cause })
  }
  // A server that cannot check goods should leave the load balancer's rotation until it can.
  if (deps.checker.isReady?.() === false) {
    throw new AppError('UPSTREAM_UNAVAILABLE', 'no check thread is ready')
  }
  const { engine, lists } = deps.checker.versions
  return c.json(
    { status: 'ok' as const, database: 'ok' as const, versions: { engine, lists } },
    200,
  )
})
