/**
 * @module storage/migrator
 * Applies the migration registry with Kysely's Migrator and throws on failure (ATP `pds/src/db/migrator.ts`).
 * Works over better-sqlite3 and D1 alike: the SQLite adapter runs migrations without a transaction.
 */
import { DEFAULT_MIGRATION_TABLE, type Kysely, type MigrationResult, Migrator, sql } from 'kysely'
import { AppError } from '../core/errors'
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

export type SchemaState =
  | { state: 'current' }
  | { state: 'missing' }
  | { state: 'behind'; applied: number; latest: number }

/**
 * Where `db`'s schema stands against the registry, from Kysely's migration table alone (one small
 * read, cheap enough for every health probe, on SQLite and D1 alike). Migrations this code does not
 * know (a newer deploy migrated first) count as current: old code keeps working on a newer schema
 * (STYLE §5). Throws if the database cannot be read.
 */
export async function readSchemaState(db: Kysely<Database>): Promise<SchemaState> {
  let rows: { name: string }[]
  try {
    ;({ rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(
      DEFAULT_MIGRATION_TABLE,
    )}`.execute(db))
  } catch (err) {
    if (/no such table/i.test(err instanceof Error ? err.message : String(err))) {
      return { state: 'missing' }
    }
    throw err
  }
  const applied = new Set(rows.map((r) => r.name))
  const known = Object.keys(migrations)
  const done = known.filter((name) => applied.has(name)).length
  return done === known.length
    ? { state: 'current' }
    : { state: 'behind', applied: done, latest: known.length }
}

/**
 * The shared health verdict on a database: resolves if it answers and its schema is current.
 * @throws AppError UPSTREAM_UNAVAILABLE whose message is the reason, safe to show without auth (no
 * path, no SQL): unreadable, schema missing, or schema behind.
 */
export async function assertSchemaCurrent(db: Kysely<Database>): Promise<void> {
  let schema: SchemaState
  try {
    schema = await readSchemaState(db)
  } catch (cause) {
    const code = (cause as { code?: unknown })?.code
    throw new AppError(
      'UPSTREAM_UNAVAILABLE',
      `database cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause },
    )
  }
  if (schema.state === 'missing') {
    throw new AppError('UPSTREAM_UNAVAILABLE', 'database schema is missing: migrations not applied')
  }
  if (schema.state === 'behind') {
    throw new AppError(
      'UPSTREAM_UNAVAILABLE',
      `database schema is behind: ${schema.applied} of ${schema.latest} migrations applied`,
    )
  }
}
