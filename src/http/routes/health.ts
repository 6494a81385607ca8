/**
 * @module http/routes/health
 * GET /healthz: database reachable, checks possible, and the versions of the engine and lists. No
 * auth: load balancers and uptime checks call it.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../../core/errors'
import type { AppEnv } from '../env'
import { problemResponses } from '../problem'

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.literal('ok'),
    versions: z.object({ engine: z.string(), lists: z.record(z.string(), z.string()) }),
  })
  .openapi('Health')

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and readiness',
  responses: {
    200: { description: 'Serving.', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      ...problemResponses[500],
      description: 'The database does not answer, or no check thread is ready.',
    },
  },
})

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, async (c) => {
  const deps = c.get('deps')
  try {
    await deps.health.ping()
  } catch (cause) {
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
