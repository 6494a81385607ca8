/**
 * @module storage/repos/tenant-repo
 * Tenants and their API keys. Keys are stored only as SHA-256 hashes; the plain key leaves this module
 * once, as the return value of `createApiKey`.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { sha256Hex } from '../../core/hash'
import type { Principal } from '../../core/ports'
import { generateApiKey, parseApiKey, timingSafeEqualHex } from '../api-key'
import { newTenantId } from '../ids'
import type { ApiKeyRow, Database } from '../schema'

export type Tenant = { id: string; name: string; createdAt: string }

export async function countTenants(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('tenant')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findTenantByName(db: Kysely<Database>, name: string): Promise<Tenant | null> {
  const row = await db.selectFrom('tenant').selectAll().where('name', '=', name).executeTakeFirst()
  return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null
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

/** Issues a new key for the tenant. Returns the plain key: show it once, it is not recoverable. */
export async function createApiKey(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
): Promise<{ keyId: string; key: string }> {
  const { id, key } = generateApiKey()
  await db
    .insertInto('api_key')
    .values({
      id,
      tenant_id: tenantId,
      secret_hash: await sha256Hex(key),
      created_at: now.toISOString(),
      revoked_at: null,
    })
    .execute()
  return { keyId: id, key }
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
      .select(['id', 'tenant_id', 'secret_hash', 'revoked_at'])
      .where('id', '=', id)
      .compile().sql
    keyLookupSql.set(db, text)
  }
  return CompiledQuery.raw(text, [id]) as CompiledQuery<
    Pick<ApiKeyRow, 'id' | 'tenant_id' | 'secret_hash' | 'revoked_at'>
  >
}

/** `hash` must compute SHA-256 hex like `sha256Hex`; a runtime may pass a faster native one. */
export async function authenticateApiKey(
  db: Kysely<Database>,
  presentedKey: string,
  hash: (text: string) => Promise<string> = sha256Hex,
): Promise<Principal | null> {
  const id = parseApiKey(presentedKey)
  if (!id) return null
  const [row] = (await db.executeQuery(keyLookup(db, id))).rows
  // Hash even when no row matched, so an unknown id costs the same as a wrong secret.
  const presentedHash = await hash(presentedKey)
  if (!row || row.revoked_at !== null) return null
  if (!timingSafeEqualHex(presentedHash, row.secret_hash)) return null
  return { tenantId: row.tenant_id, keyId: row.id }
}
