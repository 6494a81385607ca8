/**
 * @module http/routes/audit
 * GET /v1/audit (issue 12): the tenant's append-only record of changes to its lists, suppressions and
 * settings, newest first. Each record was written in the same atomic write as the change it records.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AuditRecord } from '../../core/lists/ports'
import type { AppEnv } from '../env'
import { decodePosition, encodePosition, pageParams, pageSchema } from '../pagination'
import { validationHook } from '../validate'
import { screeningOf, screeningProblems } from './screening-common'

const AuditRecordSchema = z
  .object({
    id: z.string().meta({ description: 'Id of the record (`aud_…`).' }),
    created_at: z.string().meta({ description: 'When the change was made (ISO 8601, UTC).' }),
    actor: z.string().meta({ description: 'Who made it: the API key’s name (or `key <id>`).' }),
    key_id: z.string().nullable().meta({ description: 'Id of the API key that made it.' }),
    action: z.string().meta({
      description:
        'What was done: `list.created`, `list_version.created`, `suppression.created`, `suppression.deleted`, `settings.changed`.',
    }),
    subject_type: z
      .enum(['list', 'list_version', 'suppression', 'settings'])
      .meta({ description: 'What kind of thing was changed.' }),
    subject_id: z.string().meta({ description: 'Id of the thing changed.' }),
    detail: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The change: the values given, or before and after.' }),
  })
  .openapi('AuditRecord')

const AuditListSchema = pageSchema(
  AuditRecordSchema,
  'Records on this page, newest first.',
  'AuditList',
)

const QuerySchema = z.object({
  ...pageParams('Records'),
})

const listAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'listAuditRecords',
  tags: ['Audit'],
  summary: 'Changes to your lists, suppressions and settings, newest first',
  security: [{ bearerAuth: [] }],
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'One page of audit records.',
      content: { 'application/json': { schema: AuditListSchema } },
    },
    ...screeningProblems,
  },
})

function body(r: AuditRecord) {
  return {
    id: r.id,
    created_at: r.createdAt,
    actor: r.actor,
    key_id: r.keyId,
    action: r.action,
    subject_type: r.subjectType,
    subject_id: r.subjectId,
    detail: r.detail,
  }
}

export const auditRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
  listAuditRoute,
  async (c) => {
    const q = c.req.valid('query')
    const after = q.cursor === undefined ? undefined : decodePosition(q.cursor)
    const page = await screeningOf(c).repo.listAudit(c.get('principal').tenantId, {
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
  },
)
