/**
 * @module runtime/node-store
 * Opens, verifies and migrates the SQLite database, provisions the first tenant, and probes the
 * database's health for `/healthz`. Shared by `npm start`, `scripts/migrate.ts` and the `keys` CLI.
 */
import { AppError } from '../core/errors'
import type { HealthProbe, Logger } from '../core/ports'
import { assertSchemaCurrent, migrateToLatest } from '../storage/migrator'
import { countTenants, createApiKey, ensureTenant } from '../storage/repos/tenant-repo'
import { describeSqliteError, openSqliteStore, type SqliteStore } from '../storage/sqlite'

export const DEFAULT_DATABASE_PATH = 'var/dualuse.db'

export async function openMigratedStore(path: string) {
  const store = openSqliteStore(path)
  await migrateToLatest(store.db)
  return store
}

/**
 * The server's store: opened, checked and migrated, or refused with one sentence naming `path`.
 * `quickCheck` reads the whole file, so of several server processes only the first one asks for it.
 * Side effect: creates the file and applies pending migrations. Writes no tenant.
 * @throws AppError UPSTREAM_UNAVAILABLE when the file cannot be opened, is corrupt, cannot take a
 * write, or cannot be migrated.
 */
export async function openServerStore(
  path: string,
  opts: { quickCheck: boolean },
): Promise<SqliteStore> {
  const store = openSqliteStore(path)
  const refuse = async (what: string, cause: unknown): Promise<never> => {
    await store.close().catch(() => {})
    throw new AppError('UPSTREAM_UNAVAILABLE', `database ${path} ${what}`, { cause })
  }
  if (opts.quickCheck) {
    let problem: string | null
    try {
      problem = store.quickCheck()
    } catch (cause) {
      return refuse(describeSqliteError(cause), cause)
    }
    if (problem !== null) return refuse(`is corrupt (quick_check: ${oneLine(problem)})`, null)
  }
  try {
    store.probeWrite()
  } catch (cause) {
    return refuse(describeSqliteError(cause), cause)
  }
  try {
    await migrateToLatest(store.db)
  } catch (cause) {
    const inner = cause instanceof Error && cause.cause !== undefined ? cause.cause : cause
    return refuse(`could not be migrated: ${describeSqliteError(inner)}`, cause)
  }
  return store
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** How long a health verdict is reused: load balancers probe every second or so, each process apart. */
const HEALTH_TTL_MS = 1000

/**
 * `/healthz`'s database probe on Node: the schema is current (the shared probe) and the file takes a
 * commit (`probeWrite`). The verdict, good or bad, is reused for `HEALTH_TTL_MS`, so a probe per
 * second costs one small read and one empty commit. Logs each change of verdict, not each probe.
 */
export function sqliteHealthProbe(
  store: SqliteStore,
  opts: { logger?: Logger; ttlMs?: number } = {},
): HealthProbe {
  const ttlMs = opts.ttlMs ?? HEALTH_TTL_MS
  let cached: { at: number; verdict: Promise<void> } | undefined
  let lastReason: string | null = null

  async function probe(): Promise<void> {
    try {
      await assertSchemaCurrent(store.db)
      try {
        store.probeWrite()
      } catch (cause) {
        const code = (cause as { code?: unknown })?.code
        throw new AppError(
          'UPSTREAM_UNAVAILABLE',
          `database cannot be written${typeof code === 'string' ? ` (${code})` : ''}`,
          { cause },
        )
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      if (reason !== lastReason) opts.logger?.error({ msg: 'database unhealthy', reason })
      lastReason = reason
      throw err
    }
    if (lastReason !== null) opts.logger?.info({ msg: 'database healthy again' })
    lastReason = null
  }

  return {
    ping() {
      const now = performance.now()
      if (!cached || now - cached.at >= ttlMs) {
        const verdict = probe()
        // A cached failure is awaited by later callers; this keeps it from counting as unhandled.
        verdict.catch(() => {})
        cached = { at: now, verdict }
      }
      return cached.verdict
    },
  }
}

/**
 * On a database with no tenant, creates tenant `default` and returns its new API key (to print once);
 * otherwise returns null. Side effect: writes the tenant and key rows.
 */
export async function provisionFirstTenant(
  store: Awaited<ReturnType<typeof openMigratedStore>>,
  now: Date,
): Promise<{ tenant: string; key: string } | null> {
  if ((await countTenants(store.db)) > 0) return null
  const tenant = await ensureTenant(store.db, 'default', now)
  const { key } = await createApiKey(store.db, tenant.id, now)
  return { tenant: tenant.name, key }
}
