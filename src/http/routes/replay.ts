/**
 * @module http/routes/replay
 * POST /v1/checks/{id}/replay (issue 12): runs a stored check again against the list versions,
 * settings and suppressions it recorded, and says whether the result is the same. Stores nothing.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { replayCheck } from '../../core/lists/replay-check'
import { CheckResultSchema } from '../../core/schemas'
import type { AppEnv } from '../env'
import { validationHook } from '../validate'
import { screeningProblems, unprocessableProblem } from './screening-common'

const ReplaySchema = z
  .object({
    check_id: z.string().meta({ description: 'The stored check that was replayed.' }),
    same_result: z.boolean().meta({
      description: 'Whether the replay gave exactly the stored result.',
    }),
    engine_changed: z.boolean().meta({
      description:
        'Whether the engine has changed since the check was made (then a difference may come from the engine, not the lists).',
    }),
    result: CheckResultSchema.extend({
      id: z.string().meta({ description: 'The stored check’s id.' }),
    }).meta({ description: 'The result of the replay, in the shape of a check’s result.' }),
  })
  .openapi('CheckReplay')

const replayRoute = createRoute({
  method: 'post',
  path: '/v1/checks/{id}/replay',
  operationId: 'replayCheck',
  tags: ['Checks'],
  summary: 'Replay a stored check against the versions it recorded',
  description:
    'Runs the stored request again with each list at the version named in its `versions.lists`, the settings of its `versions.settings` and the suppressions as they stood when it was made. Nothing is stored. Send no body.',
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .meta({ param: { name: 'id', in: 'path' }, description: 'The check’s id (`chk_…`).' }),
    }),
  },
  responses: {
    200: {
      description: 'The replay and whether it matches the stored result.',
      content: { 'application/json': { schema: ReplaySchema } },
    },
    ...screeningProblems,
    ...unprocessableProblem,
  },
})

export const replayRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  replayRoute,
  async (c) => {
    const { id } = c.req.valid('param')
    const replay = await replayCheck(c.get('deps'), c.get('principal').tenantId, id)
    return c.json(
      {
        check_id: replay.check.id,
        same_result: replay.same,
        engine_changed: replay.engineChanged,
        result: replay.result,
      },
      200,
    )
  },
)
