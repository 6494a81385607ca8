/**
 * @module storage/sqlite
 * The embedded store: better-sqlite3 through Kysely. Node only; never imported by the Worker.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { type CompiledQuery, Kysely, SqliteDialect, type SqliteStatement } from 'kysely'
import type { AtomicWrite, Store } from './atomic'
import type { Database as Schema } from './schema'

export type SqliteStore = Store & {
  /**
   * True when another connection (the `keys` CLI, another server process) has committed since the
   * last call: SQLite's `data_version`, which this connection's own commits do not change.
   */
  changedElsewhere(): boolean
  close(): Promise<void>
}

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for `:memory:`. */
export function openSqliteStore(path: string): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  // WAL lets readers proceed during a write; the busy timeout covers a CLI writing while the server runs.
  sqlite.pragma('journal_mode = WAL')
  // In WAL mode NORMAL stays consistent and survives a process crash; only an OS crash or power cut
  // can lose the last commits. FULL would fsync every commit and halve throughput.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  const statements = statementCache(sqlite)
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({
      database: { close: () => sqlite.close(), prepare: (text) => statements.get(text) },
    }),
  })
  const writer = groupCommitWriter(sqlite, statements)
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  let lastDataVersion = dataVersion.get()
  return {
    db,
    atomic: writer.write,
    changedElsewhere: () => {
      const now = dataVersion.get()
      const changed = now !== lastDataVersion
      lastDataVersion = now
      return changed
    },
    close: async () => {
      writer.flush()
      await db.destroy()
    },
  }
}

/** The app runs a fixed set of statements; more than this many distinct ones means dynamic SQL. */
const MAX_CACHED_STATEMENTS = 256

type StatementCache = { get(sqlText: string): SqliteStatement }

/**
 * Kysely's SQLite driver prepares every query anew; preparing cost more than running the insert of a
 * check. better-sqlite3 statements are reusable, and every use runs synchronously to the end on the
 * single connection, so one prepared statement per SQL text is safe to share.
 */
function statementCache(sqlite: Database.Database): StatementCache {
  const cache = new Map<string, SqliteStatement>()
  return {
    get(sqlText) {
      let statement = cache.get(sqlText)
      if (!statement) {
        statement = sqlite.prepare(sqlText) as unknown as SqliteStatement
        if (cache.size < MAX_CACHED_STATEMENTS) cache.set(sqlText, statement)
      }
      return statement
    },
  }
}

/** Bounds the wait of the first write in a group: the group commits at this size at the latest. */
const MAX_GROUP_SIZE = 256

type PendingWrite = {
  queries: readonly CompiledQuery[]
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Atomic writes with group commit. A commit costs more than the insert of a check (the WAL append
 * and its bookkeeping), so writes requested in the same turn of the event loop (one per concurrent
 * request) are committed together, each inside its own savepoint: a failing write rolls back alone
 * and rejects alone, and every caller's promise resolves only after the commit that holds its rows.
 *
 * The group runs synchronously on the raw connection, so no Kysely query can interleave with it.
 * That holds only while nothing holds a Kysely transaction open across an `await` at run time (only
 * migrations, before serving, use one); shared code writes atomically through here instead.
 */
function groupCommitWriter(sqlite: Database.Database, statements: StatementCache) {
  const pending: PendingWrite[] = []
  let scheduled = false
  // Prepared once: `exec` would parse these six statements again for every write.
  const begin = sqlite.prepare('BEGIN IMMEDIATE')
  const commit = sqlite.prepare('COMMIT')
  const rollback = sqlite.prepare('ROLLBACK')
  const savepoint = sqlite.prepare('SAVEPOINT write')
  const release = sqlite.prepare('RELEASE write')
  const rollbackToSavepoint = sqlite.prepare('ROLLBACK TO write')

  function flush(): void {
    scheduled = false
    while (pending.length > 0) {
      const group = pending.splice(0, MAX_GROUP_SIZE)
      const failures = new Map<PendingWrite, unknown>()
      try {
        begin.run()
        for (const write of group) runInSavepoint(write, failures)
        commit.run()
      } catch (err) {
        // BEGIN or COMMIT failed (busy past the timeout, disk full): nothing of the group is stored.
        if (sqlite.inTransaction) rollback.run()
        for (const write of group) write.reject(err)
        continue
      }
      for (const write of group) {
        if (failures.has(write)) write.reject(failures.get(write))
        else write.resolve()
      }
    }
  }

  /** Runs one write's statements; on failure undoes them alone and records the error. */
  function runInSavepoint(write: PendingWrite, failures: Map<PendingWrite, unknown>): void {
    savepoint.run()
    try {
      for (const q of write.queries) statements.get(q.sql).run(q.parameters)
      release.run()
    } catch (err) {
      rollbackToSavepoint.run()
      release.run()
      failures.set(write, err)
    }
  }

  const write: AtomicWrite = (queries) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ queries, resolve, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })

  return { write, flush }
}
