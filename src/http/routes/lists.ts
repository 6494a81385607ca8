/**
 * @module http/routes/lists
 * The controlled lists a verdict rests on (GET /v1/lists, GET /v1/lists/{id}), and lists as living
 * data (issue 12): their immutable versions and entries, a tenant's own lists (`blocking` or
 * `watch`), and new versions imported as CSV or JSON, answered with their diff.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { ControlList } from '../../core/catalogue/types'
import { AppError } from '../../core/errors'
import { createTenantList, importListVersion, visibleList } from '../../core/lists/manage-lists'
import { parseListFile } from '../../core/lists/parse-list-file'
import {
  CountryListSchema,
  type ImportedEntry,
  LegalStatusSchema,
  ListIdSchema,
  type ListMeta,
  type ListVersionMeta,
  OPERATOR,
  OWN_LIST_MODES,
} from '../../core/lists/types'
import { LEGAL_STATUSES, REGIMES } from '../../core/schemas'
import type { AppEnv } from '../env'
import { decodeCursor, encodeCursor, NextCursorSchema, pageParams } from '../pagination'
import { problemResponses } from '../problem'
import { validationHook } from '../validate'
import { actor, conflictProblem, nowIso, screeningOf, screeningProblems } from './screening-common'

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
    mode: z
      .enum(['builtin', ...OWN_LIST_MODES])
      .optional()
      .meta({
        description:
          'How the list decides: `builtin` (the catalogue’s rules), `blocking` (its entries make a check at least `review`, `prohibited` when it is law in force) or `watch` (shown, never decides). Absent on deployments without list versions.',
      }),
    owner: z.enum(['catalogue', 'operator', 'tenant']).optional().meta({
      description:
        'Whose list it is: the built-in catalogue’s, one the operator imported for every tenant, or your own.',
    }),
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

const ListIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The list’s id, from `GET /v1/lists`.',
      example: 'chp',
    }),
})

const DiffEntrySchema = z.object({
  code: z.string().meta({ description: 'The entry’s code.' }),
  title: z.string().meta({ description: 'The entry’s title.' }),
})
const DiffFieldsSchema = z.object({
  title: z.string().meta({ description: 'The entry’s title.' }),
  category: z.string().nullable().meta({ description: 'The entry’s tier or category, or null.' }),
  patterns: z.array(z.string()).meta({ description: 'The entry’s text patterns.' }),
})
const ListDiffSchema = z
  .object({
    previous_version: z.string().nullable().meta({
      description: 'The version this one is compared with; null for a list’s first version.',
    }),
    added: z.array(DiffEntrySchema).meta({ description: 'Entries new in this version.' }),
    removed: z.array(DiffEntrySchema).meta({ description: 'Entries gone in this version.' }),
    changed: z
      .array(
        z.object({
          code: z.string().meta({ description: 'The entry’s code.' }),
          before: DiffFieldsSchema.meta({ description: 'The entry in the previous version.' }),
          after: DiffFieldsSchema.meta({ description: 'The entry in this version.' }),
        }),
      )
      .meta({ description: 'Entries whose title, category or patterns changed.' }),
  })
  .openapi('ListDiff')

const ListVersionSchema = z
  .object({
    id: z.string().meta({ description: 'Id of the version (`lv_…`).' }),
    list_id: z.string().meta({ description: 'The list’s id.' }),
    version: z.string().meta({
      description:
        'The version’s label, as recorded in `versions.lists` of the checks made with it (`1`, `2`, … unless the import named one).',
    }),
    seq: z.number().int().meta({ description: 'Order of the version in its list, from 1.' }),
    in_effect: z
      .boolean()
      .meta({ description: 'Whether new checks use this version (the latest).' }),
    effective_date: z
      .string()
      .nullable()
      .meta({ description: 'The date the source says the version takes effect, if given.' }),
    legal_status: z.enum(LEGAL_STATUSES).meta({
      description:
        'What this version is in law; `in_force` on a blocking list makes its matches `prohibited`.',
    }),
    source: z.string().meta({ description: 'Where this version was taken from.' }),
    entry_count: z.number().int().meta({ description: 'Number of entries.' }),
    content_hash: z
      .string()
      .meta({ description: 'SHA-256 of the entries (code order): equal content, equal hash.' }),
    created_at: z.string().meta({ description: 'When the version was stored (ISO 8601, UTC).' }),
    created_by: z
      .string()
      .meta({ description: 'Who stored it: the API key’s name, or the operator.' }),
    diff: ListDiffSchema.meta({ description: 'What changed against the previous version.' }),
    rechecks: z.array(z.string()).optional().meta({
      description:
        'In the answer to an import only: ids of the re-checks the new version started (`GET /v1/rechecks/{id}`); empty when re-checks are off (`recheck_days` 0) or not available here.',
    }),
  })
  .openapi('ListVersion')

const ListVersionListSchema = z
  .object({
    data: z.array(ListVersionSchema).meta({ description: 'Every version, newest first.' }),
  })
  .openapi('ListVersionList')

const StoredEntrySchema = z
  .object({
    code: z.string().meta({ description: 'HS code (2 to 10 digits) or control code.' }),
    title: z.string().meta({ description: 'The entry’s title.' }),
    category: z.string().nullable().meta({ description: 'The entry’s tier or category, or null.' }),
    patterns: z
      .array(z.string())
      .meta({ description: 'Words or phrases that match the description directly.' }),
  })
  .openapi('ListVersionEntry')

const EntryPageSchema = z
  .object({
    list_id: z.string().meta({ description: 'The list’s id.' }),
    version: z.string().meta({ description: 'The version the entries belong to.' }),
    data: z
      .array(StoredEntrySchema)
      .meta({ description: 'The entries on this page, in file order.' }),
    next_cursor: NextCursorSchema,
  })
  .openapi('ListEntryPage')

const CreateListSchema = z
  .object({
    id: ListIdSchema.meta({
      description:
        'Your id for the list: 2 to 64 lower-case letters, digits or `_`, not a built-in list’s id.',
      example: 'acme_denied_goods',
    }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: 'The list’s name, as reasons quote it.' }),
    mode: z.enum(OWN_LIST_MODES).meta({
      description:
        '`blocking`: its entries make a check at least `review`, or `prohibited` when its version is `in_force`; `watch`: matches are shown, never decide.',
    }),
    legal_status: LegalStatusSchema.meta({
      description:
        'The default legal status of its versions: `in_force` says the list is law for you (a Kazakh official list, once published), which makes blocking matches `prohibited`.',
    }),
    source: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .meta({ description: 'Where the list comes from (an act, a URL, an internal policy).' }),
    destinations: CountryListSchema.optional().meta({
      description:
        'Countries (ISO 3166-1 alpha-2) whose routes the list applies to (destination, transit or final); omit for every route.',
    }),
  })
  .strict()
  .openapi('CreateListRequest')

const ImportEntrySchema = z
  .object({
    code: z.string().meta({
      description:
        'An HS code of 2 to 10 digits that exists in HS 2022 (dots and spaces allowed), or a control code such as `3A001` or `ML10`.',
    }),
    title: z.string().meta({ description: 'The entry’s title.' }),
    category: z.string().optional().meta({ description: 'The entry’s tier or category.' }),
    tier: z.string().optional().meta({ description: 'Same as `category`, for tiered lists.' }),
    patterns: z.array(z.string()).optional().meta({
      description:
        'Words or phrases that match the description directly (whole words, any case); required for a control code.',
    }),
  })
  .openapi('ListImportEntry')

const ImportJsonSchema = z
  .object({
    version: z.string().optional().meta({
      description:
        'A label for the version (default: its number in the list). Labels are never reused.',
    }),
    effective_date: z
      .string()
      .optional()
      .meta({ description: 'The date the source says the version takes effect (YYYY-MM-DD).' }),
    legal_status: LegalStatusSchema.optional().meta({
      description: 'What this version is in law (default: the list’s).',
    }),
    source: z
      .string()
      .optional()
      .meta({ description: 'Where this version comes from (default: the list’s).' }),
    entries: z.array(ImportEntrySchema).meta({ description: 'Every entry of the new version.' }),
  })
  .openapi('ListImportRequest')

const ImportQuerySchema = z.object({
  version: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'For a CSV body: a label for the version (default: its number).' }),
  effective_date: z.iso
    .date()
    .optional()
    .meta({ description: 'For a CSV body: the date the version takes effect (YYYY-MM-DD).' }),
  legal_status: LegalStatusSchema.optional().meta({
    description: 'For a CSV body: what this version is in law (default: the list’s).',
  }),
  source: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'For a CSV body: where this version comes from (default: the list’s).' }),
})

const EntriesQuerySchema = z.object({
  version: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'The version’s label; default the version in effect.' }),
  ...pageParams('Entries', 1000, 100),
})

const listListsRoute = createRoute({
  method: 'get',
  path: '/v1/lists',
  operationId: 'listLists',
  tags: ['Lists'],
  summary: 'The controlled lists in use',
  description:
    'The built-in lists, the lists the operator imported for every tenant, and your own lists, each at the version new checks use.',
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
  description: 'The list at the version new checks use, with every entry.',
  security: [{ bearerAuth: [] }],
  request: { params: ListIdParamSchema },
  responses: {
    200: { description: 'The list.', content: { 'application/json': { schema: ListSchema } } },
    ...problemResponses,
  },
})

const createListRoute = createRoute({
  method: 'post',
  path: '/v1/lists',
  operationId: 'createList',
  tags: ['Lists'],
  summary: 'Create one of your own lists',
  description:
    'A list only your checks use, `blocking` or `watch`. It has no entries until you import a version (`POST /v1/lists/{id}/versions`).',
  security: [{ bearerAuth: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: CreateListSchema } } },
  },
  responses: {
    201: {
      description: 'The list, created (no version yet).',
      content: { 'application/json': { schema: ListSummarySchema } },
    },
    ...screeningProblems,
    ...conflictProblem,
  },
})

const listVersionsRoute = createRoute({
  method: 'get',
  path: '/v1/lists/{id}/versions',
  operationId: 'listListVersions',
  tags: ['Lists'],
  summary: 'Every version of a list',
  description:
    'Versions are immutable: each keeps its entries, legal status, source, content hash and diff, so a check can be explained and replayed against the versions it recorded.',
  security: [{ bearerAuth: [] }],
  request: { params: ListIdParamSchema },
  responses: {
    200: {
      description: 'The versions, newest first.',
      content: { 'application/json': { schema: ListVersionListSchema } },
    },
    ...screeningProblems,
  },
})

const createVersionRoute = createRoute({
  method: 'post',
  path: '/v1/lists/{id}/versions',
  operationId: 'createListVersion',
  tags: ['Lists'],
  summary: 'Import a new version of your list',
  description:
    'The whole list as CSV (`Content-Type: text/csv`; columns `code,title,category` at least, optional `patterns` separated by `|`; version fields as query parameters) or JSON. Every code is checked against HS 2022 (or must be a control code with patterns); each problem is reported with a pointer to its row and column (`/rows/7/code`) or entry (`/entries/3/code`). New checks use the new version at once. The same content as the version in effect, without a new label, stores nothing and answers 200.',
  security: [{ bearerAuth: [] }],
  request: {
    params: ListIdParamSchema,
    query: ImportQuerySchema,
    body: {
      // Not `required`: with it, @hono/zod-openapi would validate a CSV body against the JSON schema.
      // An empty or missing body is refused by the list parser ("has no entries").
      required: false,
      content: {
        'application/json': { schema: ImportJsonSchema },
        'text/csv': {
          schema: z.string().meta({
            description: 'CSV with a header row: code,title,category[,patterns].',
            example: 'code,title,category,patterns\n8482.10,Ball bearings,bearings,\n',
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'The version, stored, with its diff against the previous one.',
      content: { 'application/json': { schema: ListVersionSchema } },
    },
    200: {
      description: 'The version already stored with the same content (nothing changed).',
      content: { 'application/json': { schema: ListVersionSchema } },
    },
    ...screeningProblems,
    ...conflictProblem,
    413: {
      description:
        'Body over the deployment’s import limit (`LIST_IMPORT_MAX_BYTES`, 8 MiB by default; other requests keep 64 KiB); nothing was stored.',
      content: problemResponses[413].content,
    },
  },
})

const getEntriesRoute = createRoute({
  method: 'get',
  path: '/v1/lists/{id}/entries',
  operationId: 'listListEntries',
  tags: ['Lists'],
  summary: 'The entries of a list version, a page at a time',
  security: [{ bearerAuth: [] }],
  request: { params: ListIdParamSchema, query: EntriesQuerySchema },
  responses: {
    200: {
      description: 'One page of entries.',
      content: { 'application/json': { schema: EntryPageSchema } },
    },
    ...screeningProblems,
  },
})

function versionBody(v: ListVersionMeta, inEffect: boolean) {
  return {
    id: v.id,
    list_id: v.listId,
    version: v.version,
    seq: v.seq,
    in_effect: inEffect,
    effective_date: v.effectiveDate,
    legal_status: v.legalStatus,
    source: v.source,
    entry_count: v.entryCount,
    content_hash: v.contentHash,
    created_at: v.createdAt,
    created_by: v.createdBy,
    diff: v.diff,
  }
}

function entryBody(e: ImportedEntry) {
  return { code: e.code, title: e.title, category: e.category, patterns: e.patterns }
}

/** An own list (tenant's or operator-imported) as a list summary, at its version in effect. */
function ownSummary(list: ListMeta, version: ListVersionMeta | null) {
  return {
    id: list.id,
    name: list.name,
    jurisdiction: list.owner === OPERATOR ? 'operator' : 'tenant',
    legal_status: version?.legalStatus ?? list.legalStatus,
    version: version?.version ?? '',
    source: version?.source ?? list.source,
    regimes: [...REGIMES],
    match: 'hs_prefix' as const,
    note:
      list.mode === 'watch'
        ? 'A watch list: matches are shown, never decide.'
        : 'A blocking list: matches make a check at least review, prohibited when the list is law in force.',
    entry_count: version?.entryCount ?? 0,
    mode: list.mode,
    owner: list.owner === OPERATOR ? ('operator' as const) : ('tenant' as const),
  }
}

function builtInSummary({ entries, ...list }: ControlList) {
  return { ...list, entry_count: entries.length }
}

/** The list `id` as the caller sees it, or NOT_FOUND: its own, or the operator's. */
async function requireList(c: Parameters<typeof screeningOf>[0], id: string): Promise<ListMeta> {
  const list = await visibleList(screeningOf(c), c.get('principal').tenantId, id)
  if (!list) throw new AppError('NOT_FOUND', `no list ${id}`)
  return list
}

export const listsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listListsRoute, async (c) => {
    const builtIn = c.get('deps').checker.lists.map((l) => ({
      ...builtInSummary(l),
      mode: 'builtin' as const,
      owner: 'catalogue' as const,
    }))
    const screening = c.get('deps').screening
    if (!screening) return c.json({ data: builtIn.map(({ mode: _m, owner: _o, ...l }) => l) }, 200)
    await screening.ready()
    const tenantId = c.get('principal').tenantId
    const lists = (await screening.repo.listLists([OPERATOR, tenantId])).filter(
      (l) => l.mode !== 'builtin',
    )
    const latest = new Map(
      (await screening.repo.latestVersions([OPERATOR, tenantId])).map((v) => [
        `${v.owner}|${v.listId}`,
        v,
      ]),
    )
    const own = lists.map((l) => ownSummary(l, latest.get(`${l.owner}|${l.id}`) ?? null))
    return c.json({ data: [...builtIn, ...own] }, 200)
  })
  .openapi(getListRoute, async (c) => {
    const { id } = c.req.valid('param')
    const builtIn = c.get('deps').checker.lists.find((l) => l.id === id)
    if (builtIn) return c.json({ ...builtIn, entry_count: builtIn.entries.length }, 200)
    const screening = c.get('deps').screening
    const list = screening ? await visibleList(screening, c.get('principal').tenantId, id) : null
    if (!screening || !list) throw new AppError('NOT_FOUND', `no list ${id}`)
    const version = await screening.repo.latestVersion(list.owner, list.id)
    const entries = version ? await screening.repo.versionEntries(version.id) : []
    return c.json(
      {
        ...ownSummary(list, version),
        entries: entries.map((e) => ({
          code: e.code,
          title: e.title,
          tier: e.category,
          partial: e.partial,
          ...(e.patterns.length > 0 ? { text: e.patterns.join(' | ') } : {}),
        })),
      },
      200,
    )
  })
  .openapi(createListRoute, async (c) => {
    const input = c.req.valid('json')
    const list = await createTenantList(
      screeningOf(c),
      c.get('principal').tenantId,
      await actor(c),
      input,
      nowIso(c),
    )
    c.header('Location', `/v1/lists/${list.id}`)
    return c.json(ownSummary(list, null), 201)
  })
  .openapi(listVersionsRoute, async (c) => {
    const { id } = c.req.valid('param')
    const list = await requireList(c, id)
    const versions = await screeningOf(c).repo.listVersions(list.owner, list.id)
    return c.json({ data: versions.map((v, i) => versionBody(v, i === 0)) }, 200)
  })
  .openapi(createVersionRoute, async (c) => {
    const { id } = c.req.valid('param')
    const screening = screeningOf(c)
    const tenantId = c.get('principal').tenantId
    const list = await screening.repo.getList(tenantId, id)
    if (!list) {
      if (await visibleList(screening, tenantId, id))
        throw new AppError(
          'FORBIDDEN',
          `list ${id} is the operator’s: its versions are imported with dualuse lists import`,
        )
      throw new AppError('NOT_FOUND', `no list ${id}`)
    }
    const type = c.req.header('content-type') ?? ''
    const format = /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)
      ? 'json'
      : /^text\/(csv|plain)\s*(;|$)/i.test(type)
        ? 'csv'
        : null
    if (!format)
      throw new AppError(
        'INVALID_INPUT',
        'send the list as text/csv (code,title,category[,patterns]) or application/json',
      )
    const parsed = parseListFile(await c.req.text(), format, screening.hs)
    const query = c.req.valid('query')
    if (format === 'csv') Object.assign(parsed, query)
    const rechecks = c.get('deps').rechecks
    const { version, created } = await importListVersion(
      screening,
      list,
      parsed,
      await actor(c),
      nowIso(c),
      // Its re-check is written with the version, when something here runs re-checks.
      { recheck: rechecks !== undefined },
    )
    c.header('Location', `/v1/lists/${id}/entries?version=${encodeURIComponent(version.version)}`)
    const latest = await screening.repo.latestVersion(list.owner, list.id)
    const jobs = rechecks ? await rechecks.repo.forVersion(version.id, tenantId) : []
    if (created && rechecks && jobs.length > 0) await rechecks.queue.enqueue(jobs)
    const body = {
      ...versionBody(version, latest?.id === version.id),
      rechecks: jobs.map((j) => j.id),
    }
    return created ? c.json(body, 201) : c.json(body, 200)
  })
  .openapi(getEntriesRoute, async (c) => {
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    const list = await requireList(c, id)
    const { repo } = screeningOf(c)
    const version =
      q.version === undefined
        ? await repo.latestVersion(list.owner, list.id)
        : await repo.versionByLabel(list.owner, list.id, q.version)
    if (!version)
      throw new AppError(
        'NOT_FOUND',
        q.version === undefined
          ? `list ${id} has no version yet`
          : `list ${id} has no version ${q.version}`,
      )
    const offset = q.cursor === undefined ? 0 : (decodeCursor(q.cursor, ['number'])[0] ?? 0)
    const entries = await repo.versionEntries(version.id)
    const page = entries.slice(offset, offset + q.limit)
    const next = offset + q.limit < entries.length ? encodeCursor([offset + q.limit]) : null
    return c.json(
      { list_id: id, version: version.version, data: page.map(entryBody), next_cursor: next },
      200,
    )
  })
