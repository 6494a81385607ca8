/**
 * @module runtime/node-store
 * Opens and migrates the SQLite database, and provisions the first tenant. Shared by `npm start`,
 * `scripts/migrate.ts` and the `keys` CLI command.
 */
import { migrateToLatest } from '../storage/migrator'
import { countTenants, createApiKey, ensureTenant } from '../storage/repos/tenant-repo'
import { openSqliteStore } from '../storage/sqlite'

export const DEFAULT_DATABASE_PATH = 'var/dualuse.db'

export async function openMigratedStore(path: string) {
  const store = openSqliteStore(path)
  await migrateToLatest(store.db)
  return store
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
