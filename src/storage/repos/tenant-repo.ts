/**
 * @module storage/repos/tenant-repo
 * Tenants and their API keys. Keys are stored only as SHA-256 hashes; the plain key leaves this module
 * once, as the return value of `createApiKey`.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import type { ApiKeyInfo, Tenant, TenantAdminRepo } from '../../core/admin/ports'
import { sha256Hex } from '../../core/hash'
import type { Principal } from '../../core/ports'
import { generateApiKey, parseApiKey, timingSafeEqualHex } from '../api-key'
import { newTenantId } from '../ids'
import type { ApiKeyRow, Database, TenantRow } from '../schema'

export type { Tenant }

/**
 * `api_key.last_used_at` is rewritten only when it is older than this: authentication then writes at
 * most once a minute per key, and a listing's "last used" is right to the minute.
 */
export const LAST_USED_RESOLUTION_MS = 60_000

const tenantOf = (row: TenantRow): Tenant => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
})

const keyInfoOf = (row: ApiKeyRow): ApiKeyInfo => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  prefix: `du_${row.id}_`,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
})

export async function countTenants(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('tenant')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findTenantByName(db: Kysely<Database>, name: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenant').selectAll().where('name', '=', name).executeTakeFirst()
  return row ? tenantOf(row) : null
}

/** Creates the tenant if no tenant has that name yet; returns it either way. */
export async function ensureTenant(db: Kysely<Database>, name: string, now: Date): Promise<Tenant> {
  await db
    .insertInto('tenant')
    .values({ id: newTenantId(), name, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const tenant = await findTenantByName(db, name)
  if (!tenant) throw new Error(`tenant ${name} vanished after insert`)
  return tenant
}

/** Creates a tenant; null if the name is taken (no tenant is changed then). */
export async function createTenant(
  db: Kysely<Database>,
  name: string,
  now: Date,
): Promise<Tenant | null> {
  const row = { id: newTenantId(), name, created_at: now.toISOString() }
  const res = await db
    .insertInto('tenant')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? tenantOf(row) : null
}

export async function listTenants(db: Kysely<Database>): Promise<Tenant[]> {
  const rows = await db
    .selectFrom('tenant')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(tenantOf)
}

export async function getTenant(db: Kysely<Database>, id: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? tenantOf(row) : null
}

/**
 * Issues a new key for the tenant, with an optional name. Returns the plain key: show it once, it is
 * not recoverable (only its SHA-256 is stored).
 */
export async function createApiKey(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
  name: string | null = null,
): Promise<{ keyId: string; key: string; info: ApiKeyInfo }> {
  const { id, key } = generateApiKey()
  const row: ApiKeyRow = {
    id,
    tenant_id: tenantId,
    secret_hash: await sha256Hex(key),
    created_at: now.toISOString(),
    revoked_at: null,
    name,
    last_used_at: null,
  }
  await db.insertInto('api_key').values(row).execute()
  return { keyId: id, key, info: keyInfoOf(row) }
}

/** The tenant's keys, revoked ones included, oldest first; never a key, only its public prefix. */
export async function listApiKeys(db: Kysely<Database>, tenantId: string): Promise<ApiKeyInfo[]> {
  const rows = await db
    .selectFrom('api_key')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(keyInfoOf)
}

export async function getApiKey(db: Kysely<Database>, id: string): Promise<ApiKeyInfo | null> {
  const row = await db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? keyInfoOf(row) : null
}

/**
 * Revokes a key given either the whole key or its id (`du_<id>_…` or `<id>`). Returns false if no
 * active key matched.
 */
export async function revokeApiKey(
  db: Kysely<Database>,
  keyOrId: string,
  now: Date,
): Promise<boolean> {
  const id = parseApiKey(keyOrId) ?? keyOrId
  const res = await db
    .updateTable('api_key')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows ?? 0) > 0
}

const keyLookupSql = new WeakMap<Kysely<Database>, string>()

/** The key lookup runs on every request: its SQL is compiled once per database handle. */
function keyLookup(db: Kysely<Database>, id: string) {
  let text = keyLookupSql.get(db)
  if (text === undefined) {
    text = db
      .selectFrom('api_key')
      .select(['id', 'tenant_id', 'secret_hash', 'revoked_at', 'last_used_at'])
      .where('id', '=', id)
      .compile().sql
    keyLookupSql.set(db, text)
  }
  return CompiledQuery.raw(text, [id]) as CompiledQuery<
    Pick<ApiKeyRow, 'id' | 'tenant_id' | 'secret_hash' | 'revoked_at' | 'last_used_at'>
  >
}

/**
 * `hash` must compute SHA-256 hex like `sha256Hex`; a runtime may pass a faster native one. Side
 * effect: records the key's last use when the stored time is older than `LAST_USED_RESOLUTION_MS`
 * (one small UPDATE per key per minute at most; the lookup it follows runs anyway).
 */
export async function authenticateApiKey(
  db: Kysely<Database>,
  presentedKey: string,
  hash: (text: string) => Promise<string> = sha256Hex,
  now: () => Date = () => new Date(),
): Promise<Principal | null> {
  const id = parseApiKey(presentedKey)
  if (!id) return null
  const [row] = (await db.executeQuery(keyLookup(db, id))).rows
  // Hash even when no row matched, so an unknown id costs the same as a wrong secret.
  const presentedHash = await hash(presentedKey)
  if (!row || row.revoked_at !== null) return null
  if (!timingSafeEqualHex(presentedHash, row.secret_hash)) return null
  const time = now()
  if (
    row.last_used_at === null ||
    time.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS
  ) {
    await db
      .updateTable('api_key')
      .set({ last_used_at: time.toISOString() })
      .where('id', '=', row.id)
      .execute()
  }
  return { tenantId: row.tenant_id, keyId: row.id }
}

/** `TenantAdminRepo` over one database handle (SQLite or D1). */
export function tenantAdminRepo(db: Kysely<Database>): TenantAdminRepo {
  return {
    createTenant: (name, now) => createTenant(db, name, now),
    listTenants: () => listTenants(db),
    getTenant: (id) => getTenant(db, id),
    createKey: async (tenantId, name, now) => {
      const { key, info } = await createApiKey(db, tenantId, now, name)
      return { key, info }
    },
    listKeys: (tenantId) => listApiKeys(db, tenantId),
    getKey: (id) => getApiKey(db, id),
    revokeKey: (id, now) => revokeApiKey(db, id, now),
  }
}
