/**
 * @module errors
 * The one error type of the product. Every layer throws `AppError`; each transport (HTTP problem+json,
 * CLI exit codes, queue retry) maps its `code` its own way.
 */

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'DATA_INVALID'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL'

/** One bad field: a JSON Pointer (RFC 6901) into the input and a sentence a person can act on. */
export type FieldIssue = { pointer: string; message: string }

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause })
    this.name = 'AppError'
  }

  get details(): FieldIssue[] {
    return this.extra.details ?? []
  }
}

/** Turns zod issues into field issues with JSON Pointers, so every transport reports them alike. */
export function issuesToFieldIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): FieldIssue[] {
  return issues.map((issue) => ({
    pointer:
      prefix +
      issue.path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
    message: issue.message,
  }))
}
