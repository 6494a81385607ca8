/**
 * @module storage/sqlite
 * The embedded store: better-sqlite3 through Kysely. Node only; never imported by the Worker.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely'
import { type Store, sqliteAtomic } from './atomic'
import type { Database as Schema } from './schema'

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for `:memory:`. */
export function openSqliteStore(path: string): Store & { close(): Promise<void> } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  // WAL lets readers proceed during a write; the busy timeout covers a CLI writing while the server runs.
  sqlite.pragma('journal_mode = WAL')
  // In WAL mode NORMAL stays consistent and survives a process crash; only an OS crash or power cut
  // can lose the last commits. FULL would fsync every check (one per request) and halve throughput.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  })
  return { db, atomic: sqliteAtomic(db), close: () => db.destroy() }
}

/** The app runs a fixed set of statements; more than this many distinct ones means dynamic SQL. */
const MAX_CACHED_STATEMENTS = 256

/**
 * Kysely's SQLite driver prepares every query anew; preparing cost more than running the insert of a
 * check. better-sqlite3 statements are reusable, and Kysely runs each one synchronously to the end on
 * the single connection, so one prepared statement per SQL text is safe to share.
 */
function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => sqlite.close(),
    prepare(sqlText) {
      let statement = cache.get(sqlText)
      if (!statement) {
        statement = sqlite.prepare(sqlText) as unknown as SqliteStatement
        if (cache.size < MAX_CACHED_STATEMENTS) cache.set(sqlText, statement)
      }
      return statement
    },
  }
}
