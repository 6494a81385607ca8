/**
 * @module storage/sqlite
 * The embedded store: better-sqlite3 through Kysely. Node only; never imported by the Worker.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
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
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, atomic: sqliteAtomic(db), close: () => db.destroy() }
}
