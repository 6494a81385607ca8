/**
 * @module http/pagination
 * The one way the API pages a listing: `limit` and an opaque `cursor` in the query, `next_cursor` in
 * the answer. A cursor is base64 of a small JSON array (for newest-first listings: the last item's
 * `created_at` and id); the API only ever reads back cursors it wrote, and says so in a 400 otherwise.
 */
import { z } from '@hono/zod-openapi'
import { AppError } from '../core/errors'

/**
 * The `limit` and `cursor` query parameters of a listing of `noun` ("Checks"): up to `max` a page,
 * `byDefault` when the caller does not say. Spread into the route's query schema beside its filters.
 */
export function pageParams(noun: string, max = 100, byDefault = 20) {
  return {
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(max)
      .default(byDefault)
      .meta({ description: `${noun} per page, 1 to ${max}.` }),
    cursor: z
      .string()
      .max(512)
      .optional()
      .meta({ description: 'The `next_cursor` of the previous page; omit for the first page.' }),
  }
}

/** An ISO 8601 time with its offset, compared as stored: normalized to UTC with milliseconds. */
const IsoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString())

/**
 * The `created_from` and `created_to` query parameters of a newest-first listing: a window on
 * `created_at`, from inclusive, to exclusive (so consecutive windows never count an item twice).
 */
export function createdRangeParams() {
  return {
    created_from: IsoDateTimeSchema.optional().meta({
      description:
        'Only those created at or after this time (ISO 8601 with offset, e.g. `2026-11-01T00:00:00Z`); inclusive.',
    }),
    created_to: IsoDateTimeSchema.optional().meta({
      description: 'Only those created before this time (ISO 8601 with offset); exclusive.',
    }),
  }
}

/** The `next_cursor` of every page of every listing. */
export const NextCursorSchema = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' })

/**
 * One page of a listing: `data` (its items, described by `dataDescription`: which and in what order)
 * and `next_cursor`, named `name` in the OpenAPI document.
 */
export function pageSchema<Item extends z.ZodType>(
  item: Item,
  dataDescription: string,
  name: string,
) {
  return z
    .object({
      data: z.array(item).meta({ description: dataDescription }),
      next_cursor: NextCursorSchema,
    })
    .openapi(name)
}

export function encodeCursor(parts: (string | number)[]): string {
  return btoa(JSON.stringify(parts)).replace(/=+$/, '')
}

/** The cursor's parts, each of the type `shape` gives; INVALID_INPUT naming /query/cursor otherwise. */
export function decodeCursor<T extends ('string' | 'number')[]>(
  raw: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  try {
    const parts = JSON.parse(atob(raw)) as unknown[]
    if (
      Array.isArray(parts) &&
      parts.length === shape.length &&
      parts.every((p, i) => typeof p === shape[i])
    )
      return parts as { [K in keyof T]: T[K] extends 'number' ? number : string }
  } catch {
    // fall through to the field error below
  }
  throw new AppError('INVALID_INPUT', '/query/cursor: is not a cursor this API returned', {
    details: [{ pointer: '/query/cursor', message: 'is not a cursor this API returned' }],
  })
}

/** A position in a newest-first listing: the last item seen. */
export type Position = { createdAt: string; id: string }

export function encodePosition(position: Position): string {
  return encodeCursor([position.createdAt, position.id])
}

export function decodePosition(raw: string): Position {
  const [createdAt, id] = decodeCursor(raw, ['string', 'string']) as [string, string]
  return { createdAt, id }
}
