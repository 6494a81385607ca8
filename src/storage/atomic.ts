/**
 * @module storage/atomic
 * Multi-statement writes that commit together. kysely-d1 has no transactions ("Transactions are not
 * supported yet", kysely-d1 `src/index.ts`), so shared code never calls `db.transaction()`: it compiles
 * the queries and hands them here. D1 runs a `batch()` as one transaction; on better-sqlite3 the
 * store's group-commit writer runs them in a savepoint (`storage/sqlite.ts`).
 */
import type { D1Database } from '@cloudflare/workers-types'
import type { CompiledQuery, Kysely } from 'kysely'
import type { Database } from './schema'

export type AtomicWrite = (queries: readonly CompiledQuery[]) => Promise<void>

/** A database handle plus the way to write several statements atomically on that driver. */
export type Store = { db: Kysely<Database>; atomic: AtomicWrite }

export function d1Atomic(d1: D1Database): AtomicWrite {
  return async (queries) => {
    await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.parameters)))
  }
}
