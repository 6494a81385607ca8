/**
 * @module admin/ports
 * Tenants and their API keys as the admin API and the CLI see them. Storage implements
 * `TenantAdminRepo` on SQLite and D1 (`storage/repos/tenant-repo.ts`); keys are stored hashed only.
 */

export type Tenant = { id: string; name: string; createdAt: string }

/** An API key as listed: never the key itself, which leaves the store once, at creation. */
export type ApiKeyInfo = {
  id: string
  tenantId: string
  /** Null for keys created before keys had names (or by `keys create` without `--name`). */
  name: string | null
  /** The public start of the key, `du_<id>_`, to tell keys apart; not enough to use one. */
  prefix: string
  createdAt: string
  /** To about a minute; null if never used since names and last use were recorded. */
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface TenantAdminRepo {
  /** Creates a tenant; null if a tenant already has that name (names are unique). */
  createTenant(name: string, now: Date): Promise<Tenant | null>
  /** Every tenant, oldest first. */
  listTenants(): Promise<Tenant[]>
  getTenant(id: string): Promise<Tenant | null>
  /**
   * Issues a key for an existing tenant. Returns the plain key, which is not stored (only its
   * SHA-256) and cannot be shown again.
   */
  createKey(
    tenantId: string,
    name: string | null,
    now: Date,
  ): Promise<{ info: ApiKeyInfo; key: string }>
  /** The tenant's keys, revoked ones included, oldest first. */
  listKeys(tenantId: string): Promise<ApiKeyInfo[]>
  /** The key with this id, revoked or not; null if none. */
  getKey(id: string): Promise<ApiKeyInfo | null>
  /** Marks the key revoked; false if it does not exist or is revoked already. */
  revokeKey(id: string, now: Date): Promise<boolean>
}
