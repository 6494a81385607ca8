/**
 * @module http/routes/batches
 * HTTP batches (issue 9): POST /v1/batches (the body is the file, streamed to storage), GET one, GET the
 * list, cancel, delete, and the results streamed in input order. Rows are checked off the request path
 * by the runtime's batch runner. Another tenant's batch is reported as not found. Where the runtime has
 * no batches (a Worker without its R2 bucket and queue bound) every operation answers 501 problem.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
// The self-contained ESM build: the package's default entry uses Node's global `Buffer` when the module
// loads, and a Worker without nodejs_compat has none (the Worker would not start). Same code, same output.
import { stringify } from 'csv-stringify/browser/esm/sync'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  type BatchFormat,
  type BatchRow,
  CSV_RESULT_COLUMNS,
  csvResultCells,
  outcomeFromJsonl,
} from '../../core/batch'
import { createBatch, parseRowDefaults } from '../../core/batch/create-batch'
import type { Deps } from '../../core/deps'
import { AppError } from '../../core/errors'
import { BATCH_STATUSES, type StoredBatch, type StoredChunk } from '../../core/ports'
import { VERDICTS } from '../../core/schemas'
import { ClientAbortError } from '../body'
import type { AppEnv } from '../env'
import { multipartBoundary, multipartField } from '../multipart'
import {
  createdRangeParams,
  decodePosition,
  encodePosition,
  pageParams,
  pageSchema,
} from '../pagination'
import { idempotencyProblemResponses, ProblemSchema, problemResponses } from '../problem'
import { validationHook } from '../validate'

const TallySchema = z.object({
  prohibited: z.number().int().meta({ description: 'Rows whose verdict is `prohibited`.' }),
  high_risk: z.number().int().meta({ description: 'Rows whose verdict is `high_risk`.' }),
  review: z.number().int().meta({ description: 'Rows whose verdict is `review`.' }),
  clear: z.number().int().meta({ description: 'Rows whose verdict is `clear`.' }),
})

export const BatchSchema = z
  .object({
    id: z.string().meta({
      description: 'Id of the batch; `GET /v1/batches/{id}` returns it again.',
      example: 'bat_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
    }),
    name: z.string().nullable().meta({
      description:
        'What the batch is called: the `name` given at upload, else the uploaded file’s name (multipart); null when neither was given.',
      example: 'invoice-2026-11.csv',
    }),
    status: z.enum(BATCH_STATUSES).meta({
      description:
        'Where the batch is: results can be read once it is `completed`, or `failed` (the rows checked before it failed; see `failure`).',
    }),
    format: z.enum(['csv', 'jsonl']).meta({ description: 'The uploaded file’s format.' }),
    rows_total: z.number().int().meta({ description: 'Rows in the file (header excluded).' }),
    rows_checked: z
      .number()
      .int()
      .meta({ description: 'Rows checked so far, error rows included.' }),
    rows_failed: z.number().int().meta({ description: 'Error rows among those checked.' }),
    counts: TallySchema.meta({ description: 'Checked rows per verdict.' }),
    counts_by_destination: z
      .record(
        z.string(),
        TallySchema.extend({ error: z.number().int().meta({ description: 'Error rows.' }) }),
      )
      .meta({ description: 'Checked rows per destination (as given, `-` for none) and verdict.' }),
    created_at: z.string().meta({ description: 'When the batch was uploaded (ISO 8601, UTC).' }),
    completed_at: z.string().nullable().meta({
      description:
        'When the batch completed, failed or was cancelled (ISO 8601, UTC); null before.',
    }),
    failure: z.string().nullable().meta({
      description:
        'Why a `failed` batch stopped: the chunk of rows that could not be checked (its lines in the file) after every try, and the last error; null otherwise.',
      example:
        'chunk 3 (lines 1502–2001) failed 6 tries: Error: check thread stopped (exit code 1)',
    }),
    results_url: z.string().meta({
      description: 'Where to read the results, in the uploaded file’s format.',
      example: '/v1/batches/bat_…/results?format=jsonl',
    }),
    screening: z
      .object({
        at: z.string().meta({
          description:
            'When the context was fixed: the end of the upload (ISO 8601, UTC). Suppressions and their expiry are weighed at this time for every row.',
        }),
        lists: z.record(z.string(), z.string()).meta({
          description:
            'The version of each list the rows are checked with, by list id: built-in lists, the operator’s and your own (each row’s `versions.lists` says the same).',
        }),
        settings: z.string().meta({
          description:
            'Digest of the settings the rows are checked with (each row’s `versions.settings`).',
        }),
      })
      .optional()
      .meta({
        description:
          'Your lists, suppressions and settings as they stood when the upload ended: every row is checked with them, whatever you change while the batch runs. Absent on batches checked with the built-in lists alone.',
      }),
  })
  .openapi('Batch')

const BatchListSchema = pageSchema(
  BatchSchema,
  'The batches on this page, newest first.',
  'BatchList',
)

/** Longest batch name kept: a file name's usual limit. */
const NAME_MAX = 255

// biome-ignore lint/suspicious/noControlCharactersInRegex: a name is refused with them, or cleaned of them
const CONTROL_CHARS = /[\x00-\x1f\x7f]/g

const NameSchema = z
  .string()
  .min(1)
  .max(NAME_MAX)
  // `search` ignores the regex's `g` state, so the one pattern serves both uses.
  .refine((s) => s.search(CONTROL_CHARS) === -1, 'must not contain control characters')

const country = z.string().max(8).optional()
const CreateQuerySchema = z.object({
  name: NameSchema.optional().meta({
    description:
      'What to call the batch (up to 255 characters), e.g. the file’s name; listed with it and found by `GET /v1/batches?name=`. Without it, a multipart upload is named after its file.',
    example: 'invoice-2026-11.csv',
  }),
  destination: country.meta({ description: 'Destination for rows that name none.' }),
  regime: z.string().max(8).optional().meta({ description: 'Regime for rows that name none.' }),
  origin: country.meta({ description: 'Origin for rows that name none.' }),
  final_destination: country.meta({ description: 'Final destination for rows that name none.' }),
})

const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters without spaces')
    .optional()
    .meta({
      description:
        'Retry-safe key, per tenant: the same key with the same file (and `name`) returns the batch it created.',
    }),
})

const IdParamsSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The batch’s id (`bat_…`).',
      example: 'bat_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
    }),
})

const ListQuerySchema = z.object({
  status: z.enum(BATCH_STATUSES).optional().meta({ description: 'Only batches with this status.' }),
  name: NameSchema.optional().meta({
    description:
      'Only batches whose `name` contains this text, ignoring case for ASCII letters (`invoice-2026-11` finds `Invoice-2026-11.csv`). Batches without a name never match.',
    example: 'invoice-2026-11',
  }),
  ...createdRangeParams(),
  ...pageParams('Batches'),
})

const ResultsQuerySchema = z.object({
  format: z
    .enum(['jsonl', 'csv'])
    .default('jsonl')
    .meta({ description: 'JSON Lines (a full result per row) or CSV (one line per row).' }),
  verdict: z
    .enum([...VERDICTS, 'error'])
    .optional()
    .meta({ description: 'Only rows with this verdict (or only error rows).' }),
})

const problemContent = { 'application/problem+json': { schema: ProblemSchema } }
const batchProblems = {
  ...problemResponses,
  501: {
    description:
      'Batches are not set up on this deployment (a Worker without its R2 bucket and queue).',
    content: problemContent,
  },
}

const fileBody = { type: 'string', format: 'binary' } as const

const createBatchRoute = createRoute({
  method: 'post',
  path: '/v1/batches',
  operationId: 'createBatch',
  tags: ['Batches'],
  summary: 'Upload a batch file',
  description:
    'The body is the file: CSV (comma, semicolon or tab, told from the header; UTF-8 with or without BOM) or JSON Lines, or a multipart form with the file in a `file` field. It is streamed to storage and checked off the request path; poll the batch, then read its results.',
  security: [{ bearerAuth: [] }],
  request: {
    query: CreateQuerySchema,
    headers: IdempotencyHeadersSchema,
    body: {
      required: true,
      content: {
        'text/csv': { schema: fileBody },
        'application/x-ndjson': { schema: fileBody },
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              file: { ...fileBody, description: 'The CSV or JSON Lines file.' },
            },
            required: ['file'],
          },
        },
      },
    },
  },
  responses: {
    202: {
      description:
        'The batch, stored and queued. Also returned when an Idempotency-Key is replayed with the same file.',
      headers: { Location: { schema: { type: 'string' }, description: 'URL of the batch.' } },
      content: { 'application/json': { schema: BatchSchema } },
    },
    ...batchProblems,
    ...idempotencyProblemResponses,
    413: {
      description: 'Over 256 MiB or 1,000,000 rows; nothing was stored.',
      content: problemContent,
    },
    415: {
      description: 'Not text/csv, application/x-ndjson or multipart/form-data.',
      content: problemContent,
    },
  },
})

const getBatchRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  operationId: 'getBatch',
  tags: ['Batches'],
  summary: 'Get a batch and its progress',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'The batch.', content: { 'application/json': { schema: BatchSchema } } },
    ...batchProblems,
  },
})

const listBatchesRoute = createRoute({
  method: 'get',
  path: '/v1/batches',
  operationId: 'listBatches',
  tags: ['Batches'],
  summary: 'List batches, newest first',
  description:
    'The filters combine: every one given must hold. A `cursor` continues the listing it came from; send the same filters with it.',
  security: [{ bearerAuth: [] }],
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: 'One page of batches.',
      content: { 'application/json': { schema: BatchListSchema } },
    },
    ...batchProblems,
  },
})

const cancelBatchRoute = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  operationId: 'cancelBatch',
  tags: ['Batches'],
  summary: 'Cancel a batch',
  description:
    'A queued or running batch stops at its next chunk; the rows checked so far stay counted. Cancelling a cancelled batch changes nothing.',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamsSchema },
  responses: {
    200: {
      description: 'The batch, cancelled.',
      content: { 'application/json': { schema: BatchSchema } },
    },
    ...batchProblems,
    409: { description: 'The batch has completed or failed already.', content: problemContent },
  },
})

const deleteBatchRoute = createRoute({
  method: 'delete',
  path: '/v1/batches/{id}',
  operationId: 'deleteBatch',
  tags: ['Batches'],
  summary: 'Delete a batch, its rows and its results',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamsSchema },
  responses: { 204: { description: 'Deleted.' }, ...batchProblems },
})

const resultsRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/results',
  operationId: 'getBatchResults',
  tags: ['Batches'],
  summary: 'Stream a completed batch’s results, in input order',
  description:
    'JSON Lines: per row, the check result with `row` (its line in the file) after `reference`, or `{reference, row, error}` — the documents of the CLI’s `batch --format jsonl`. CSV: the CLI’s CSV columns (input columns echoed, verdict, risk score, top HS code, decisive entry, first reason). A `failed` batch serves the rows checked before it failed (`rows_checked` of `rows_total`; the rows of the chunk named in `failure` are missing).',
  security: [{ bearerAuth: [] }],
  request: { params: IdParamsSchema, query: ResultsQuerySchema },
  responses: {
    200: {
      description: 'The results, streamed.',
      content: {
        'application/x-ndjson': { schema: { type: 'string' } },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    ...batchProblems,
    409: {
      description:
        'The batch has not completed nor failed: queued, running or cancelled (its status is in the detail).',
      content: problemContent,
    },
  },
})

function batchesOf(deps: Deps): NonNullable<Deps['batches']> {
  if (!deps.batches)
    throw new AppError('NOT_IMPLEMENTED', 'batches over HTTP are not available on this runtime yet')
  return deps.batches
}

function toJson(batch: StoredBatch): z.infer<typeof BatchSchema> {
  const { tally, byDestination, rows } = batch.progress
  const { error, ...counts } = tally
  return {
    id: batch.id,
    name: batch.name,
    status: batch.status,
    format: batch.format,
    rows_total: batch.rowsTotal,
    rows_checked: rows,
    rows_failed: error,
    counts,
    counts_by_destination: byDestination,
    created_at: batch.createdAt,
    completed_at: batch.completedAt,
    failure: batch.failure,
    results_url: `/v1/batches/${batch.id}/results?format=${batch.format === 'csv' ? 'csv' : 'jsonl'}`,
    ...(batch.screening
      ? {
          screening: {
            at: batch.screening.at,
            lists: batch.screening.lists,
            settings: batch.screening.settings,
          },
        }
      : {}),
  }
}

const CSV_TYPES =
  /^(text\/csv|application\/csv|application\/vnd\.ms-excel|text\/tab-separated-values)$/i
const JSONL_TYPES = /^application\/(x-ndjson|ndjson|jsonl|x-jsonlines|jsonlines|json-lines)$/i

function formatOf(mediaType: string | null, filename: string | null): BatchFormat | null {
  if (mediaType && CSV_TYPES.test(mediaType)) return 'csv'
  if (mediaType && JSONL_TYPES.test(mediaType)) return 'jsonl'
  if (filename && /\.(jsonl|ndjson)$/i.test(filename)) return 'jsonl'
  if (filename && /\.(csv|tsv|txt)$/i.test(filename)) return 'csv'
  return null
}

/**
 * A batch name from an uploaded file's name: the last path segment (some clients send a path),
 * without control characters, at most NAME_MAX characters; null when nothing is left.
 */
function nameOfFile(filename: string | null): string | null {
  if (filename === null) return null
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
  const clean = base.replace(CONTROL_CHARS, '').trim()
  return clean === '' ? null : Array.from(clean).slice(0, NAME_MAX).join('')
}

function unsupported(): HTTPException {
  return new HTTPException(415, {
    message:
      'send the file as Content-Type: text/csv or application/x-ndjson, or as multipart/form-data with a "file" field',
  })
}

/** The request body as it arrives; a failed read is the client gone (logged as an abort). */
async function* bodyChunks(c: Context): AsyncGenerator<Uint8Array> {
  const body = c.req.raw.body
  if (!body) return
  const reader = body.getReader()
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await reader.read()
      } catch (err) {
        throw new ClientAbortError(err)
      }
      if (next.done) return
      yield next.value
    }
  } finally {
    // Refused part way (413, a bad file): the rest of the body is not read.
    reader.cancel().catch(() => {})
  }
}

export const batchesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createBatchRoute, async (c) => {
    const deps = c.get('deps')
    batchesOf(deps)
    const principal = c.get('principal')
    const { name, ...rowDefaults } = c.req.valid('query')
    const defaults = parseRowDefaults(rowDefaults)
    let fileName: string | null = null
    const contentType = c.req.header('content-type') ?? ''
    const mediaType = contentType.split(';')[0]!.trim()
    let format: BatchFormat | null = null
    let body: AsyncIterable<Uint8Array> = bodyChunks(c)
    if (/^multipart\/form-data$/i.test(mediaType)) {
      const boundary = multipartBoundary(contentType)
      if (!boundary)
        throw new AppError('INVALID_INPUT', 'the multipart Content-Type has no boundary')
      const parts = multipartField(body, boundary, 'file', (part) => {
        format = formatOf(part.contentType, part.filename) ?? 'csv'
        fileName = nameOfFile(part.filename)
      })
      // The file part's header (read before its first byte) tells the format.
      const first = await parts.next()
      body = (async function* () {
        if (!first.done) yield first.value
        yield* parts
      })()
    } else {
      format = formatOf(mediaType, null)
      if (!format) throw unsupported()
    }
    const length = c.req.header('content-length')
    const { batch, replayed } = await createBatch(deps, {
      tenantId: principal.tenantId,
      body,
      format: format ?? 'csv',
      defaults,
      contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      // A name given outright wins over the one the file part carries.
      name: name ?? fileName,
    })
    c.header('Location', `/v1/batches/${batch.id}`)
    if (replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(toJson(batch), 202)
  })
  .openapi(getBatchRoute, async (c) => {
    const { repo } = batchesOf(c.get('deps'))
    const { id } = c.req.valid('param')
    const batch = await repo.get(c.get('principal').tenantId, id)
    if (!batch) throw new AppError('NOT_FOUND', `no batch ${id}`)
    return c.json(toJson(batch), 200)
  })
  .openapi(listBatchesRoute, async (c) => {
    const { repo } = batchesOf(c.get('deps'))
    const q = c.req.valid('query')
    const page = await repo.list(c.get('principal').tenantId, {
      status: q.status,
      name: q.name,
      createdFrom: q.created_from,
      createdTo: q.created_to,
      limit: q.limit,
      after: q.cursor === undefined ? undefined : decodePosition(q.cursor),
    })
    return c.json(
      { data: page.items.map(toJson), next_cursor: page.next ? encodePosition(page.next) : null },
      200,
    )
  })
  .openapi(cancelBatchRoute, async (c) => {
    const { repo } = batchesOf(c.get('deps'))
    const { id } = c.req.valid('param')
    const batch = await repo.cancel(c.get('principal').tenantId, id)
    if (!batch) throw new AppError('NOT_FOUND', `no batch ${id}`)
    if (batch.status !== 'cancelled')
      throw new AppError(
        'CONFLICT',
        `batch ${id} is ${batch.status}: only a queued or running batch can be cancelled`,
      )
    return c.json(toJson(batch), 200)
  })
  .openapi(deleteBatchRoute, async (c) => {
    const { repo } = batchesOf(c.get('deps'))
    const { id } = c.req.valid('param')
    const batch = await repo.get(c.get('principal').tenantId, id)
    if (!batch) throw new AppError('NOT_FOUND', `no batch ${id}`)
    await repo.discard(batch.id)
    return c.body(null, 204)
  })
  .openapi(resultsRoute, async (c) => {
    const { repo } = batchesOf(c.get('deps'))
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    const batch = await repo.get(c.get('principal').tenantId, id)
    if (!batch) throw new AppError('NOT_FOUND', `no batch ${id}`)
    // A failed batch's checked rows are served (its `failure` and counts say what is missing); a
    // queued, running or cancelled one's are not, so part of a file is never taken for all of it.
    if (batch.status !== 'completed' && batch.status !== 'failed')
      throw new AppError(
        'CONFLICT',
        `batch ${id} is ${batch.status} (${batch.progress.rows} of ${batch.rowsTotal} rows checked): results are served once it has completed or failed`,
      )
    const lines = resultText(repo.readChunks(batch.id), q.format, q.verdict)
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next()
        if (next.done) controller.close()
        else
          controller.enqueue(
            typeof next.value === 'string' ? encoder.encode(next.value) : next.value,
          )
      },
      async cancel() {
        await lines.return(undefined)
      },
    })
    return c.body(stream, 200, {
      'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      'content-disposition': `attachment; filename="${batch.id}.${q.format}"`,
    }) as never
  })

/** `verdict` of a stored JSON Lines document: the first `"verdict":"` is the top-level one. */
function verdictOf(line: string): string {
  const at = line.indexOf('"verdict":"')
  if (at === -1) return 'error'
  const start = at + 11
  return line.slice(start, line.indexOf('"', start))
}

/**
 * The results document, piece by piece: a chunk's stored bytes as they are when every row of it is
 * served as JSON Lines (the bulk of downloads), else text made from them.
 */
async function* resultText(
  chunks: AsyncIterable<StoredChunk>,
  format: 'jsonl' | 'csv',
  verdict: string | undefined,
): AsyncGenerator<string | Uint8Array> {
  if (format === 'csv') yield `${CSV_RESULT_COLUMNS.join(',')}\n`
  const decoder = new TextDecoder()
  for await (const chunk of chunks) {
    if (chunk.resultBytes === null) continue
    if (format === 'jsonl' && verdict === undefined) {
      yield chunk.resultBytes
      continue
    }
    const lines = decoder.decode(chunk.resultBytes).split('\n')
    lines.pop()
    if (format === 'jsonl') {
      const kept = lines.filter((l) => verdictOf(l) === verdict)
      if (kept.length > 0) yield `${kept.join('\n')}\n`
      continue
    }
    const rows = JSON.parse(chunk.rowsJson) as BatchRow[]
    const records: (string | number)[][] = []
    lines.forEach((line, i) => {
      if (verdict !== undefined && verdictOf(line) !== verdict) return
      const outcome = outcomeFromJsonl(JSON.parse(line) as Record<string, unknown>)
      records.push(csvResultCells(rows[i]!, outcome))
    })
    if (records.length > 0) yield stringify(records)
  }
}
