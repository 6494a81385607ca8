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
    id: z
      .string()
      .meta({ description: 'The list’s id, as in `matches[].list_id`.', example: 'chp' }),
    name: z.string().meta({ description: 'The list’s name.' }),
    jurisdiction: z.string().meta({ description: 'Who issued the list, e.g. `EU/US/UK/JP`.' }),
    legal_status: z.enum(LEGAL_STATUSES).meta({
      description:
        'What the list is in law: `in_force`, `guidance` (not itself a prohibition), `reported` (never published as law) or `snapshot`.',
    }),
    version: z.string().meta({ description: 'The version in use, usually its publication date.' }),
    source: z.string().meta({ description: 'Where the list was taken from.' }),
    regimes: z
      .array(z.enum(REGIMES))
      .meta({ description: 'The regimes whose rules may weigh this list.' }),
    match: z.enum(['hs_prefix', 'text']).meta({
      description: 'How entries are matched: by HS code prefix, or by the entry’s text.',
    }),
    note: z.string().meta({ description: 'What to know when reading a match on this list.' }),
    entry_count: z.number().int().meta({ description: 'Number of entries.' }),
  })
  .openapi('ListSummary')

const ListEntrySchema = z
  .object({
    code: z
      .string()
      .meta({ description: 'The entry’s code: an HS code prefix for `hs_prefix` lists.' }),
    title: z.string().meta({ description: 'The entry’s title.' }),
    tier: z
      .string()
      .nullable()
      .meta({ description: 'The entry’s tier where the list has tiers, else null.' }),
    partial: z.boolean().meta({
      description:
        'Whether the entry covers only part of its code (an "ex" entry): the text decides.',
    }),
    text: z
      .string()
      .optional()
      .meta({ description: 'The entry’s wording in the source, where it has one.' }),
    derivation: z
      .string()
      .optional()
      .meta({ description: 'How the entry’s codes were derived, where the source names no code.' }),
  })
  .openapi('ListEntry')

const ListSchema = ListSummarySchema.extend({
  entries: z.array(ListEntrySchema).meta({ description: 'Every entry of the list.' }),
}).openapi('List')

const ListListSchema = z
  .object({
    data: z.array(ListSummarySchema).meta({ description: 'Every list, without entries.' }),
  })
  .openapi('ListSummaryList')

const listListsRoute = createRoute({
  method: 'get',
  path: '/v1/lists',
  operationId: 'listLists',
  tags: ['Lists'],
  summary: 'The controlled lists in use',
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: 'All lists, without entries.',
      content: { 'application/json': { schema: ListListSchema } },
    },
    ...problemResponses,
  },
})

const getListRoute = createRoute({
  method: 'get',
  path: '/v1/lists/{id}',
  operationId: 'getList',
  tags: ['Lists'],
  summary: 'One list with its entries',
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .meta({
          param: { name: 'id', in: 'path' },
          description: 'The list’s id, from `GET /v1/lists`.',
          example: 'chp',
        }),
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
