/**
 * @module storage/repos/newest-first
 * Keyset pagination over `(created_at, id)`, newest first, shared by every listing (checks, batches,
 * re-checks, webhook endpoints, events and attempts, suppressions, the audit log): a cursor is the last
 * row of a page, and the next page starts strictly after it.
 */
import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely'

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

/**
 * Runs `q` as one page of a newest-first listing: the rows after `filter.after` (when given), in
 * `(created_at, id)` descending order, `filter.limit` of them, and the cursor of the next page.
 * `table` qualifies the columns when the query reads another table too.
 */
export async function newestFirstPage<
  DB,
  TB extends keyof DB,
  R extends { created_at: string; id: string },
>(
  q: SelectQueryBuilder<DB, TB, R>,
  filter: { limit: number; after?: NewestFirstCursor },
  table?: string,
): Promise<{ page: R[]; next: NewestFirstCursor | null }> {
  const column = (name: string) => sql.ref(table ? `${table}.${name}` : name)
  const rows = await (filter.after ? q.where(olderThan(filter.after, table)) : q)
    .orderBy(column('created_at'), 'desc')
    .orderBy(column('id'), 'desc')
    .limit(filter.limit + 1)
    .execute()
  return pageOf(rows, filter.limit)
}
