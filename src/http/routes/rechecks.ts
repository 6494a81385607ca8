/**
 * @module http/routes/rechecks
 * GET /v1/rechecks and GET /v1/rechecks/{id} (issue 12 item 5): the tenant's re-checks, each started
 * by a new list version, with progress (checks done of the total) and how many verdicts changed.
 * Each changed check was re-issued as a new check that supersedes the old one.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { AppError } from '../../core/errors'
import { RECHECK_STATUSES, type Recheck } from '../../core/rechecks/ports'
import type { AppEnv } from '../env'
import { decodePosition, encodePosition, pageParams, pageSchema } from '../pagination'
import { validationHook } from '../validate'
import { screeningProblems } from './screening-common'

const RecheckSchema = z
  .object({
    id: z.string().meta({ description: 'Id of the re-check (`rck_…`).' }),
    status: z.enum(RECHECK_STATUSES).meta({
      description:
        '`queued` (not started), `running`, `completed`, or `failed` (it could not finish; see `error`).',
    }),
    list_version: z
      .object({
        list_id: z.string().meta({ description: 'The list that gained a version.' }),
        owner: z.enum(['operator', 'tenant']).meta({
          description:
            'Whose list: the operator’s (built-in or imported for every tenant) or your own.',
        }),
        version_id: z.string().meta({ description: 'Id of the new version (`lv_…`).' }),
        version: z.string().meta({ description: 'The new version’s label.' }),
        previous_version: z
          .string()
          .nullable()
          .meta({ description: 'The label of the version it replaced; null for a first version.' }),
      })
      .meta({ description: 'The list version that caused the re-check.' }),
    window: z
      .object({
        days: z.number().int().meta({ description: 'Your `recheck_days` setting at the time.' }),
        from: z.string().meta({ description: 'Checks made at or after this (ISO 8601, UTC) …' }),
        to: z.string().meta({ description: '… and before this: when the version was stored.' }),
      })
      .meta({ description: 'Which stored checks are re-checked.' }),
    checks_total: z.number().int().meta({
      description: 'Stored checks in the window not already superseded, when the re-check began.',
    }),
    checks_done: z.number().int().meta({ description: 'Checks re-checked so far.' }),
    changed: z.number().int().meta({
      description:
        'Checks whose verdict changed: each re-issued as a new check (`supersedes` names the old one) and announced as `check.verdict_changed`.',
    }),
    error: z
      .string()
      .nullable()
      .meta({ description: 'Why a `failed` re-check stopped; null otherwise.' }),
    created_at: z.string().meta({ description: 'When the re-check was created (ISO 8601, UTC).' }),
    started_at: z
      .string()
      .nullable()
      .meta({ description: 'When its first page was checked; null while `queued`.' }),
    completed_at: z
      .string()
      .nullable()
      .meta({ description: 'When it completed or failed; null until then.' }),
  })
  .openapi('Recheck')

const RecheckListSchema = pageSchema(
  RecheckSchema,
  'Re-checks on this page, newest first.',
  'RecheckList',
)

const QuerySchema = z.object({
  ...pageParams('Re-checks'),
})

const IdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, description: 'The re-check’s id (`rck_…`).' }),
})

const listRechecksRoute = createRoute({
  method: 'get',
  path: '/v1/rechecks',
  operationId: 'listRechecks',
  tags: ['Lists'],
  summary: 'Your re-checks, newest first',
  description:
    'A re-check starts when one of your lists, or an operator’s list, gains a version: your stored checks of the last `recheck_days` days (a setting, default 90) are checked again against the versions now in effect.',
  security: [{ bearerAuth: [] }],
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'One page of re-checks.',
      content: { 'application/json': { schema: RecheckListSchema } },
    },
    ...screeningProblems,
  },
})

const getRecheckRoute = createRoute({
  method: 'get',
  path: '/v1/rechecks/{id}',
  operationId: 'getRecheck',
  tags: ['Lists'],
  summary: 'A re-check’s progress and results',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: 'The re-check.',
      content: { 'application/json': { schema: RecheckSchema } },
    },
    ...screeningProblems,
  },
})

export function recheckBody(r: Recheck): z.infer<typeof RecheckSchema> {
  return {
    id: r.id,
    status: r.status,
    list_version: {
      list_id: r.listId,
      owner: r.listOwner === '' ? 'operator' : 'tenant',
      version_id: r.versionId,
      version: r.version,
      previous_version: r.previousVersion,
    },
    window: { days: r.windowDays, from: r.windowFrom, to: r.windowTo },
    checks_total: r.checksTotal,
    checks_done: r.checksDone,
    changed: r.changed,
    error: r.lastError,
    created_at: r.createdAt,
    started_at: r.startedAt,
    completed_at: r.completedAt,
  }
}

function rechecksOf(c: Context<AppEnv>) {
  const rechecks = c.get('deps').rechecks
  if (!rechecks)
    throw new AppError('NOT_IMPLEMENTED', 're-checks are not available on this deployment')
  return rechecks
}

export const rechecksRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRechecksRoute, async (c) => {
    const q = c.req.valid('query')
    const after = q.cursor === undefined ? undefined : decodePosition(q.cursor)
    const page = await rechecksOf(c).repo.list(c.get('principal').tenantId, {
      limit: q.limit,
      after,
    })
    return c.json(
      {
        data: page.items.map(recheckBody),
        next_cursor: page.next ? encodePosition(page.next) : null,
      },
      200,
    )
  })
  .openapi(getRecheckRoute, async (c) => {
    const { id } = c.req.valid('param')
    const recheck = await rechecksOf(c).repo.get(c.get('principal').tenantId, id)
    if (!recheck) throw new AppError('NOT_FOUND', `no re-check ${id}`)
    return c.json(recheckBody(recheck), 200)
  })
