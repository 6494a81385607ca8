/**
 * @module http/validate
 * The validation hook for every route: turns a failed zod parse into an AppError so every 400 comes
 * out of `onError` in the same shape (HMW zod-openapi README, "A DRY approach").
 */
import type { Context } from 'hono'
import type { z } from 'zod'
import { AppError, type FieldIssue, issuesToFieldIssues } from '../core/errors'

const TARGET_PREFIX: Record<string, string> = {
  json: '',
  query: '/query',
  param: '/params',
  header: '/headers',
}

/** Field issues with JSON Pointers; an unknown key gets a pointer of its own rather than the parent's. */
export function zodToFieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push(
          ...issuesToFieldIssues(
            [{ path: [...issue.path, key], message: 'is not a known field' }],
            prefix,
          ),
        )
      }
    } else {
      out.push(...issuesToFieldIssues([issue], prefix))
    }
  }
  return out
}

export function invalidInput(details: FieldIssue[]): AppError {
  const summary = details
    .slice(0, 5)
    .map((d) => `${d.pointer || '/'}: ${d.message}`)
    .join('; ')
  return new AppError('INVALID_INPUT', summary || 'invalid input', { details })
}

export function validationHook(result: {
  target: string
  success: boolean
  error?: z.ZodError
}): void {
  if (!result.success && result.error) {
    throw invalidInput(zodToFieldIssues(result.error, TARGET_PREFIX[result.target] ?? ''))
  }
}

/**
 * Middleware: refuses a query parameter given more than once. No parameter of this API takes a list,
 * and silently keeping the first or last of `?limit=100&limit=1` would answer a question the caller
 * did not ask (the validators would otherwise see an array: "expected number, received NaN").
 */
export async function singleQueryValues(c: Context, next: () => Promise<void>): Promise<void> {
  const url = c.req.url
  const start = url.indexOf('?')
  if (start !== -1) {
    const seen = new Set<string>()
    for (const name of new URLSearchParams(url.slice(start + 1)).keys()) {
      if (seen.has(name)) {
        throw invalidInput(
          issuesToFieldIssues(
            [{ path: [name], message: 'is given more than once; send it once' }],
            '/query',
          ),
        )
      }
      seen.add(name)
    }
  }
  await next()
}
