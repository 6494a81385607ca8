/**
 * @module storage/sqlite
 * The embedded store: better-sqlite3 through Kysely. Node only; never imported by the Worker.
 */
import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { type CompiledQuery, Kysely, SqliteDialect, type SqliteStatement } from 'kysely'
import { AppError } from '../core/errors'
import type { AtomicWrite, Store } from './atomic'
import type { Database as Schema } from './schema'

export type SqliteStore = Store & {
  /**
   * True when another connection (the `keys` CLI, another server process) has committed since the
   * last call: SQLite's `data_version`, which this connection's own commits do not change.
   */
  changedElsewhere(): boolean
  /**
   * `PRAGMA quick_check`: null if the file's pages and indexes hang together, else SQLite's first
   * complaint. Reads the whole file (about 1 s per GB): for start-up, not for every health probe.
   */
  quickCheck(): string | null
  /**
   * Commits one write that changes nothing (`user_version` rewritten with its own value), so the
   * file, its WAL and the disk under them are proven to take a commit. Throws SQLite's error if not.
   * A rolled-back write would not do: SQLite accepts `BEGIN IMMEDIATE` on a read-only file, and a
   * WAL that cannot be written fails only at commit.
   */
  probeWrite(): void
  close(): Promise<void>
}

/**
 * Opens (creating if needed) the SQLite file at `path`, or an in-memory database for `:memory:`.
 * @throws AppError UPSTREAM_UNAVAILABLE naming `path` when it is a directory, cannot be created or
 * opened, or is not a SQLite database (the header is read here).
 */
export function openSqliteStore(path: string): SqliteStore {
  let sqlite: Database.Database
  try {
    sqlite = openConnection(path)
  } catch (cause) {
    throw new AppError('UPSTREAM_UNAVAILABLE', `database ${path} ${describeSqliteError(cause)}`, {
      cause,
    })
  }
  const statements = statementCache(sqlite)
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({
      database: { close: () => sqlite.close(), prepare: (text) => statements.get(text) },
    }),
  })
  const writer = groupCommitWriter(sqlite, statements)
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  let lastDataVersion = dataVersion.get()
  const userVersion = sqlite.prepare('PRAGMA user_version').pluck()
  return {
    db,
    atomic: writer.write,
    quickCheck: () => {
      const first = sqlite.pragma('quick_check(1)', { simple: true })
      return first === 'ok' ? null : String(first)
    },
    probeWrite: () => {
      // Only a migration's Kysely transaction, before serving, can be open here; it writes anyway.
      if (sqlite.inTransaction) return
      sqlite.pragma(`user_version = ${Number(userVersion.get())}`)
    },
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

function openConnection(path: string): Database.Database {
  if (path !== ':memory:') {
    // SQLite's own error for a directory is "unable to open database file", which names nothing.
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    }
    mkdirSync(dirname(path), { recursive: true })
  }
  const sqlite = new Database(path)
  try {
    // WAL lets readers proceed during a write; the busy timeout covers a CLI writing while the server
    // runs. Switching to WAL reads the header: a file that is not a database fails here.
    sqlite.pragma('journal_mode = WAL')
    // In WAL mode NORMAL stays consistent and survives a process crash; only an OS crash or power cut
    // can lose the last commits. FULL would fsync every commit and halve throughput.
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
  } catch (err) {
    sqlite.close()
    throw err
  }
  return sqlite
}

/**
 * What is wrong with a database file, as the end of a sentence that starts with its path ("database
 * var/x.db is read-only (SQLITE_READONLY: …)"): start-up faults and health reasons name the cause
 * an operator can act on, not only SQLite's terse message.
 */
export function describeSqliteError(err: unknown): string {
  const code = (err as { code?: unknown })?.code
  const message = err instanceof Error ? err.message : String(err)
  const raw = typeof code === 'string' ? `(${code}: ${message})` : `(${message})`
  if (typeof code !== 'string') return `cannot be used ${raw}`
  if (code === 'EISDIR') return 'is a directory, not a database file'
  if (code === 'SQLITE_NOTADB') return `is not a SQLite database ${raw}`
  if (code.startsWith('SQLITE_CORRUPT')) return `is corrupt ${raw}`
  if (code.startsWith('SQLITE_READONLY')) return `is read-only ${raw}`
  if (code.startsWith('SQLITE_CANTOPEN'))
    return `cannot be opened: its directory is missing or not writable ${raw}`
  if (code === 'SQLITE_FULL') return `cannot be written: the disk is full ${raw}`
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `is locked by another process ${raw}`
  if (code.startsWith('SQLITE_IOERR')) return `cannot be read or written ${raw}`
  if (code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH'))
    return `cannot be accessed: permission denied ${raw}`
  if (code.startsWith('E')) return `cannot be created or opened ${raw}`
  return `cannot be used ${raw}`
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
