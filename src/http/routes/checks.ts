/**
 * @module http/routes/checks
 * POST /v1/checks, GET /v1/checks/{id}, GET /v1/checks. Every check is stored as an immutable audit
 * record for the calling tenant; another tenant's check is reported as not found.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context, TypedResponse } from 'hono'
import { AppError } from '../../core/errors'
import type { StoredCheckWithLineage } from '../../core/rechecks/ports'
import { recordCheck } from '../../core/record-check'
import { CheckRequestSchema, CheckResultSchema, REGIMES, VERDICTS } from '../../core/schemas'
import type { AppEnv } from '../env'
import {
  createdRangeParams,
  decodePosition,
  encodePosition,
  pageParams,
  pageSchema,
} from '../pagination'
import { idempotencyProblemResponses, problemResponses } from '../problem'
import { validationHook } from '../validate'

export const CheckSchema = CheckResultSchema.extend({
  id: z.string().meta({
    description: 'Id of the stored check; `GET /v1/checks/{id}` returns it again.',
    example: 'chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
  }),
  created_at: z.string().meta({ description: 'When the check was made (ISO 8601, UTC).' }),
  input: z
    .object({
      description: z.string().meta({ description: 'The goods description, trimmed.' }),
      destination: z.string().meta({ description: 'The destination (ISO 3166-1 alpha-2).' }),
      final_destination: z
        .string()
        .optional()
        .meta({ description: 'The final destination, if one was sent.' }),
      transit: z
        .array(z.string())
        .optional()
        .meta({ description: 'The transit countries, if any were sent.' }),
      origin: z.string().optional().meta({ description: 'The origin, if one was sent.' }),
      hs_code: z
        .string()
        .optional()
        .meta({ description: 'The declared HS code, digits only, if one was sent.' }),
      regime: z
        .enum(REGIMES)
        .meta({ description: 'The regime applied (`KZ` when none was sent).' }),
      reference: z.string().optional().meta({ description: 'Your reference, if one was sent.' }),
      quantity: z.number().optional().meta({ description: 'The quantity, if one was sent.' }),
      value: z.number().optional().meta({ description: 'The value, if one was sent.' }),
      currency: z.string().optional().meta({ description: 'The currency of `value`, if sent.' }),
    })
    .meta({
      description:
        'The request as checked and stored (country codes upper-cased, the regime defaulted), so a filed record shows what was asked.',
    }),
  supersedes: z.string().optional().meta({
    description:
      'Only on a check re-issued by a re-check: the id of the stored check whose verdict changed under a new list version.',
  }),
  recheck_id: z.string().optional().meta({
    description: 'Only on a check re-issued by a re-check: the re-check that issued it (`rck_…`).',
  }),
  superseded_by: z.string().optional().meta({
    description:
      'Only on a check a re-check has re-issued: the id of the newer check that supersedes it (this one stays as it was).',
  }),
}).openapi('Check')

// zod 4 attaches methods per instance, so a schema built before @hono/zod-openapi was first imported
// has no `.openapi()`; `.extend({})` makes a fresh instance (same shape, still strict) that has it.
const CheckRequestBodySchema = CheckRequestSchema.extend({}).openapi('CheckRequest', {
  example: {
    description: 'Deep groove ball bearing 6205-2RS',
    destination: 'KZ',
    final_destination: 'RU',
  },
})

const CheckListSchema = pageSchema(
  CheckSchema,
  'The checks on this page, newest first.',
  'CheckList',
)

const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters without spaces')
    .optional()
    .meta({
      description: 'Retry-safe key, per tenant: the same key and body return the stored check.',
    }),
})

const ListQuerySchema = z.object({
  verdict: z.enum(VERDICTS).optional().meta({ description: 'Only checks with this verdict.' }),
  reference: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Only checks whose `reference` is exactly this.' }),
  ...createdRangeParams(),
  ...pageParams('Checks'),
})

const CheckIdParamsSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The check’s id (`chk_…`).',
      example: 'chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
    }),
})

/**
 * A check's response document (`CheckSchema`): its stored result JSON, `{"id":…,…}`, then `created_at`
 * and the stored request as `input`. Built from the stored bytes, so GET serves what POST answered.
 */
function responseJson(check: StoredCheckWithLineage): string {
  // Re-checks (issue 12 item 5): the lineage is not in the stored result (a replay compares that),
  // so it is added here, and only where there is one.
  let lineage = ''
  if (check.supersedes) lineage += `,"supersedes":${JSON.stringify(check.supersedes)}`
  if (check.recheckId) lineage += `,"recheck_id":${JSON.stringify(check.recheckId)}`
  if (check.supersededBy) lineage += `,"superseded_by":${JSON.stringify(check.supersededBy)}`
  return `${check.resultJson.slice(0, -1)},"created_at":${JSON.stringify(check.createdAt)},"input":${JSON.stringify(check.request)}${lineage}}`
}

type CheckBody = z.infer<typeof CheckSchema>

/**
 * A response whose body is already-serialized JSON of type `T`. Typed as `c.json` would type it, so
 * the route's declared response schema still holds for the compiler (tests parse bodies with it).
 */
function jsonText<T, S extends 200 | 201>(c: Context, text: string, status: S) {
  return c.body(text, status, { 'content-type': 'application/json' }) as unknown as TypedResponse<
    T,
    S,
    'json'
  >
}

const createCheckRoute = createRoute({
  method: 'post',
  path: '/v1/checks',
  operationId: 'createCheck',
  tags: ['Checks'],
  summary: 'Check one shipment line',
  description:
    'Classifies the goods, matches them against the controlled lists, applies the destination and regime rules, and stores the result as an audit record.',
  security: [{ bearerAuth: [] }],
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: CheckRequestBodySchema } } },
  },
  responses: {
    201: {
      description:
        'The check, stored. Also returned when an Idempotency-Key is replayed with the same body.',
      headers: {
        Location: { schema: { type: 'string' }, description: 'URL of the stored check.' },
      },
      content: { 'application/json': { schema: CheckSchema } },
    },
    ...problemResponses,
    ...idempotencyProblemResponses,
    503: {
      ...problemResponses[500],
      description:
        'No check thread is ready (the server is replacing one); nothing was stored: retry shortly.',
    },
  },
})

const getCheckRoute = createRoute({
  method: 'get',
  path: '/v1/checks/{id}',
  operationId: 'getCheck',
  tags: ['Checks'],
  summary: 'Get a stored check',
  security: [{ bearerAuth: [] }],
  request: { params: CheckIdParamsSchema },
  responses: {
    200: {
      description: 'The stored check.',
      content: { 'application/json': { schema: CheckSchema } },
    },
    ...problemResponses,
  },
})

const listChecksRoute = createRoute({
  method: 'get',
  path: '/v1/checks',
  operationId: 'listChecks',
  tags: ['Checks'],
  summary: 'List stored checks, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: 'One page of checks.',
      content: { 'application/json': { schema: CheckListSchema } },
    },
    ...problemResponses,
  },
})

export const checksRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createCheckRoute, async (c) => {
    const deps = c.get('deps')
    const principal = c.get('principal')
    const { check, replayed } = await recordCheck(
      deps,
      principal.tenantId,
      c.req.valid('json'),
      c.req.valid('header')['idempotency-key'],
    )
    c.header('Location', `/v1/checks/${check.id}`)
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return jsonText<CheckBody, 201>(c, responseJson(check), 201)
  })
  .openapi(getCheckRoute, async (c) => {
    const deps = c.get('deps')
    const principal = c.get('principal')
    const { id } = c.req.valid('param')
    const stored = await deps.checks.get(principal.tenantId, id)
    if (!stored) throw new AppError('NOT_FOUND', `no check ${id}`)
    return jsonText<CheckBody, 200>(c, responseJson(stored), 200)
  })
  .openapi(listChecksRoute, async (c) => {
    const deps = c.get('deps')
    const principal = c.get('principal')
    const q = c.req.valid('query')
    const page = await deps.checks.list(principal.tenantId, {
      verdict: q.verdict,
      reference: q.reference,
      createdFrom: q.created_from,
      createdTo: q.created_to,
      limit: q.limit,
      after: q.cursor === undefined ? undefined : decodePosition(q.cursor),
    })
    const nextCursor = page.next ? JSON.stringify(encodePosition(page.next)) : 'null'
    return jsonText<z.infer<typeof CheckListSchema>, 200>(
      c,
      `{"data":[${page.items.map(responseJson).join(',')}],"next_cursor":${nextCursor}}`,
      200,
    )
  })
