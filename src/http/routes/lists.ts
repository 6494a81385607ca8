/**
 * @module http/routes/lists
 * GET /v1/lists and GET /v1/lists/{id}: the controlled lists the engine was built from, with their
 * legal status, version and source, so a caller can see what a verdict rests on.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../../core/errors'
import { LEGAL_STATUSES, REGIMES } from '../../core/schemas'
import type { AppEnv } from '../env'
import { problemResponses } from '../problem'
import { validationHook } from '../validate'

const ListSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    jurisdiction: z.string(),
    legal_status: z.enum(LEGAL_STATUSES),
    version: z.string(),
    source: z.string(),
    regimes: z.array(z.enum(REGIMES)),
    match: z.enum(['hs_prefix', 'text']),
    note: z.string(),
    entry_count: z.number().int(),
  })
  .openapi('ListSummary')

const ListEntrySchema = z
  .object({
    code: z.string(),
    title: z.string(),
    tier: z.string().nullable(),
    partial: z.boolean(),
    text: z.string().optional(),
    derivation: z.string().optional(),
  })
  .openapi('ListEntry')

const ListSchema = ListSummarySchema.extend({ entries: z.array(ListEntrySchema) }).openapi('List')

const listListsRoute = createRoute({
  method: 'get',
  path: '/v1/lists',
  summary: 'The controlled lists in use',
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: 'All lists, without entries.',
      content: { 'application/json': { schema: z.object({ data: z.array(ListSummarySchema) }) } },
    },
    ...problemResponses,
  },
})

const getListRoute = createRoute({
  method: 'get',
  path: '/v1/lists/{id}',
  summary: 'One list with its entries',
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .meta({ param: { name: 'id', in: 'path' }, example: 'chp' }),
    }),
  },
  responses: {
    200: { description: 'The list.', content: { 'application/json': { schema: ListSchema } } },
    ...problemResponses,
  },
})

export const listsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listListsRoute, (c) => {
    const data = c.get('deps').checker.lists.map(({ entries, ...list }) => ({
      ...list,
      entry_count: entries.length,
    }))
    return c.json({ data }, 200)
  })
  .openapi(getListRoute, (c) => {
    const { id } = c.req.valid('param')
    const list = c.get('deps').checker.lists.find((l) => l.id === id)
    if (!list) throw new AppError('NOT_FOUND', `no list ${id}`)
    return c.json({ ...list, entry_count: list.entries.length }, 200)
  })
