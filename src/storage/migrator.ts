/**
 * @module storage/migrator
 * Applies the migration registry with Kysely's Migrator and throws on failure (ATP `pds/src/db/migrator.ts`).
 * Works over better-sqlite3 and D1 alike: the SQLite adapter runs migrations without a transaction.
 */
import { type Kysely, type MigrationResult, Migrator } from 'kysely'
import { migrations } from './migrations'
import type { Database } from './schema'

/** Brings `db` to the latest schema. Idempotent; throws if any migration fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    throw new Error('database migration failed', { cause: error })
  }
  return results ?? []
}
