/**
 * @module http/routes/suppressions
 * POST/GET /v1/suppressions, GET/DELETE /v1/suppressions/{id} (issue 12): a tenant marks a match as
 * reviewed and settled. Later checks in the scope keep the match with `suppressed_by` and do not let
 * it raise the verdict; a match on a list in force stays decisive unless the suppression accepts it.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../../core/errors'
import { createSuppression, deleteSuppression } from '../../core/lists/manage-suppressions'
import { type Suppression, SuppressionScopeSchema } from '../../core/lists/types'
import type { AppEnv } from '../env'
import { decodePosition, encodePosition, pageParams, pageSchema } from '../pagination'
import { validationHook } from '../validate'
import { actor, nowIso, screeningOf, screeningProblems } from './screening-common'

// A core schema (built before @hono/zod-openapi loaded, so without `.openapi()`): described with meta.
const ScopeSchema = SuppressionScopeSchema.meta({
  description:
    'Which matches the suppression settles: every field given must hold (at least one). E.g. `{reference, list_id: "chp", entry_code: "848210"}` settles CHP 8482.10 for that reference only.',
})

const CreateSuppressionSchema = z
  .object({
    scope: ScopeSchema,
    reason: z.string().trim().min(1).max(1000).meta({
      description: 'Why the match is settled, as the audit record and later checks show it.',
    }),
    expires_at: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s).toISOString())
      .optional()
      .meta({ description: 'When the suppression stops applying (ISO 8601); omit for never.' }),
    accept_in_force: z.string().trim().min(1).max(1000).optional().meta({
      description:
        'Why you accept hiding a match on a list that is law in force here (omit, and such matches still decide).',
    }),
  })
  .strict()
  .openapi('CreateSuppressionRequest')

const SuppressionSchema = z
  .object({
    id: z
      .string()
      .meta({ description: 'Id of the suppression (`sup_…`), as in `matches[].suppressed_by`.' }),
    scope: ScopeSchema,
    reason: z.string().meta({ description: 'Why the match is settled.' }),
    accept_in_force: z.string().nullable().meta({
      description: 'The reason given for hiding matches on lists in force; null when it may not.',
    }),
    expires_at: z
      .string()
      .nullable()
      .meta({ description: 'When it stops applying; null for never.' }),
    created_at: z.string().meta({ description: 'When it was made (ISO 8601, UTC).' }),
    created_by: z.string().meta({ description: 'Who made it: the API key’s name.' }),
    deleted_at: z
      .string()
      .nullable()
      .meta({ description: 'When it was deleted; null while in force.' }),
    deleted_by: z.string().nullable().meta({ description: 'Who deleted it; null while in force.' }),
  })
  .openapi('Suppression')

const SuppressionListSchema = pageSchema(
  SuppressionSchema,
  'Suppressions on this page, newest first.',
  'SuppressionList',
)

const IdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({ param: { name: 'id', in: 'path' }, description: 'The suppression’s id (`sup_…`).' }),
})

const ListQuerySchema = z.object({
  include_deleted: z
    .enum(['true', 'false'])
    .default('false')
    .meta({ description: 'Whether deleted suppressions are listed too.' }),
  ...pageParams('Suppressions'),
})

function body(s: Suppression) {
  return {
    id: s.id,
    scope: s.scope,
    reason: s.reason,
    accept_in_force: s.acceptInForce,
    expires_at: s.expiresAt,
    created_at: s.createdAt,
    created_by: s.createdBy,
    deleted_at: s.deletedAt,
    deleted_by: s.deletedBy,
  }
}

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/suppressions',
  operationId: 'createSuppression',
  tags: ['Suppressions'],
  summary: 'Settle a match',
  description:
    'Later checks in the scope keep the match, mark it `suppressed_by` this id, and do not let it raise the verdict. A match on a list that is law in force on the route is never hidden unless `accept_in_force` gives a reason. Audited.',
  security: [{ bearerAuth: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: CreateSuppressionSchema } } },
  },
  responses: {
    201: {
      description: 'The suppression, in force for checks made from now on.',
      content: { 'application/json': { schema: SuppressionSchema } },
    },
    ...screeningProblems,
  },
})

const listRouteDef = createRoute({
  method: 'get',
  path: '/v1/suppressions',
  operationId: 'listSuppressions',
  tags: ['Suppressions'],
  summary: 'Your suppressions, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: 'One page of suppressions.',
      content: { 'application/json': { schema: SuppressionListSchema } },
    },
    ...screeningProblems,
  },
})

const getRouteDef = createRoute({
  method: 'get',
  path: '/v1/suppressions/{id}',
  operationId: 'getSuppression',
  tags: ['Suppressions'],
  summary: 'One suppression',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: 'The suppression (deleted ones too).',
      content: { 'application/json': { schema: SuppressionSchema } },
    },
    ...screeningProblems,
  },
})

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/v1/suppressions/{id}',
  operationId: 'deleteSuppression',
  tags: ['Suppressions'],
  summary: 'Stop a suppression',
  description:
    'Checks made from now on are no longer settled by it; checks made before keep what they recorded. Audited.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    204: { description: 'Deleted.' },
    ...screeningProblems,
  },
})

export const suppressionsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createRouteDef, async (c) => {
    const s = await createSuppression(
      screeningOf(c),
      c.get('principal').tenantId,
      await actor(c),
      c.req.valid('json'),
      nowIso(c),
    )
    c.header('Location', `/v1/suppressions/${s.id}`)
    return c.json(body(s), 201)
  })
  .openapi(listRouteDef, async (c) => {
    const q = c.req.valid('query')
    const after = q.cursor === undefined ? undefined : decodePosition(q.cursor)
    const page = await screeningOf(c).repo.listSuppressions(c.get('principal').tenantId, {
      includeDeleted: q.include_deleted === 'true',
      limit: q.limit,
      after,
    })
    return c.json(
      {
        data: page.items.map(body),
        next_cursor: page.next ? encodePosition(page.next) : null,
      },
      200,
    )
  })
  .openapi(getRouteDef, async (c) => {
    const { id } = c.req.valid('param')
    const s = await screeningOf(c).repo.getSuppression(c.get('principal').tenantId, id)
    if (!s) throw new AppError('NOT_FOUND', `no suppression ${id}`)
    return c.json(body(s), 200)
  })
  .openapi(deleteRouteDef, async (c) => {
    const { id } = c.req.valid('param')
    await deleteSuppression(
      screeningOf(c),
      c.get('principal').tenantId,
      await actor(c),
      id,
      nowIso(c),
    )
    return c.body(null, 204)
  })
