/**
 * @module storage/repos/newest-first
 * Keyset pagination over `(created_at, id)`, newest first, shared by the listings of checks and
 * batches: a cursor is the last row of a page, and the next page starts strictly after it.
 */
import { type RawBuilder, sql } from 'kysely'

export type NewestFirstCursor = { createdAt: string; id: string }

/** Rows older than the cursor (ties on `created_at` broken by `id`, as the listing orders them). */
export function olderThan(after: NewestFirstCursor, table?: string): RawBuilder<boolean> {
  // Qualified when the query reads another table too (a subquery with its own id column).
  const createdAt = sql.ref(table ? `${table}.created_at` : 'created_at')
  const id = sql.ref(table ? `${table}.id` : 'id')
  return sql<boolean>`(${createdAt} < ${after.createdAt} or (${createdAt} = ${after.createdAt} and ${id} < ${after.id}))`
}

/** One page of `limit` rows from a query that fetched `limit + 1`, and the cursor of the next page. */
export function pageOf<R extends { created_at: string; id: string }>(
  rows: R[],
  limit: number,
): { page: R[]; next: NewestFirstCursor | null } {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    page,
    next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null,
  }
}
