/**
 * @module http/problem
 * RFC 9457 problem documents: the one shape of every HTTP error. `onError` in `app.ts` is the only
 * caller of `problemResponse`; routes throw `AppError` and never build error bodies themselves.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorCode, FieldIssue } from '../core/errors'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Code → status and title, one table (UNK `pkg/errors/http.ts`). */
export const PROBLEMS: Record<ErrorCode, { status: ContentfulStatusCode; title: string }> = {
  INVALID_INPUT: { status: 400, title: 'Invalid input' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable request' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  DATA_INVALID: { status: 500, title: 'Internal error' },
  INTERNAL: { status: 500, title: 'Internal error' },
  NOT_IMPLEMENTED: { status: 501, title: 'Not implemented' },
  UPSTREAM_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
}

/** A stable type URI per code; the docs page has an anchor for each (`/docs#problem-invalid-input`). */
export function problemType(code: ErrorCode): string {
  return `/docs#problem-${code.toLowerCase().replace(/_/g, '-')}`
}

export const ProblemSchema = z
  .object({
    type: z.string().meta({
      description: 'A link to this error code in the reference (`/docs#problem-…`).',
      example: '/docs#problem-invalid-input',
    }),
    title: z
      .string()
      .meta({ description: 'Short summary of the error code.', example: 'Invalid input' }),
    status: z.number().int().meta({ description: 'The HTTP status.', example: 400 }),
    detail: z.string().meta({
      description: 'What went wrong with this request, in words.',
      example: '/destination: must be an ISO 3166-1 alpha-2 country code',
    }),
    instance: z.string().meta({ description: 'The path of the request.', example: '/v1/checks' }),
    code: z.string().meta({
      description: 'Stable machine-readable error code (the table in the reference).',
      example: 'INVALID_INPUT',
    }),
    requestId: z.string().meta({
      description:
        'Id of the request (also in the `X-Request-Id` header); quote it when reporting.',
    }),
    errors: z
      .array(
        z.object({
          pointer: z.string().meta({
            description: 'JSON Pointer to the bad field, e.g. `/destination` or `/query/limit`.',
          }),
          message: z.string().meta({ description: 'What is wrong with that field.' }),
        }),
      )
      .optional()
      .meta({
        description: 'Present for invalid input: one entry per bad field, as a JSON Pointer.',
      }),
  })
  .openapi('Problem')

export type Problem = z.infer<typeof ProblemSchema>

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } }

/** Problem responses to spread into a route's `responses` (UNK `openapi_responses.ts`). */
export const problemResponses = {
  400: {
    description: 'Invalid input; `errors[]` points at each bad field.',
    content: problemContent,
  },
  401: { description: 'Missing, malformed, unknown or revoked API key.', content: problemContent },
  404: { description: 'No such resource for this tenant.', content: problemContent },
  413: { description: 'Request body over 64 KiB.', content: problemContent },
  415: {
    description: 'Body sent without Content-Type: application/json.',
    content: problemContent,
  },
  500: {
    description: 'Internal error; the body never carries internal details.',
    content: problemContent,
  },
} as const

export const idempotencyProblemResponses = {
  409: {
    description: 'A request with this Idempotency-Key is still in flight.',
    content: problemContent,
  },
  422: {
    description: 'This Idempotency-Key was used with a different body.',
    content: problemContent,
  },
} as const

export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  opts: { errors?: FieldIssue[]; status?: ContentfulStatusCode; title?: string } = {},
): Response {
  const entry = PROBLEMS[code]
  const status = opts.status ?? entry.status
  const body: Problem = {
    type: problemType(code),
    title: opts.title ?? entry.title,
    status,
    detail,
    instance: c.req.path,
    code,
    requestId: c.get('requestId') ?? '',
  }
  if (opts.errors && opts.errors.length > 0) body.errors = opts.errors
  return c.json(body, status, { 'Content-Type': PROBLEM_CONTENT_TYPE })
}
