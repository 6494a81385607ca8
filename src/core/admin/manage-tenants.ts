/**
 * @module admin/manage-tenants
 * The operator's verbs behind the admin API (`/v1/admin`, authorised by the root key): create and
 * list tenants, issue, list and revoke their API keys. The CLI's `keys` command works on the same
 * storage functions directly, on the server's SQLite file.
 */
import { AppError } from '../errors'
import type { Clock } from '../ports'
import type { ApiKeyInfo, Tenant, TenantAdminRepo } from './ports'
import { rootKeyVerifier } from './root-key'

/** Tenant names: what the CLI has always accepted (`keys create --tenant NAME`). */
export const TENANT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** What the admin verbs need: built by the runtime only when a root key is configured. */
export type AdminDeps = {
  /** True if the presented bearer token is the root key (constant time; the key is not exposed). */
  verifyRootKey: (presented: string) => Promise<boolean>
  repo: TenantAdminRepo
  /**
   * Called after a key is revoked, before the response: a runtime that caches authenticated keys
   * (the Node server, `storage/auth-cache.ts`) drops them here, so the key fails on the next request.
   */
  afterRevoke?: () => void
}

/**
 * `Deps.admin` for a runtime: undefined without a root key, which makes the whole admin API answer
 * 404 as if it did not exist.
 */
export function adminDeps(
  rootKey: string | undefined,
  repo: TenantAdminRepo,
  afterRevoke?: () => void,
): AdminDeps | undefined {
  if (!rootKey) return undefined
  return { verifyRootKey: rootKeyVerifier(rootKey), repo, afterRevoke }
}

type Ctx = { admin: AdminDeps; clock: Clock }

/** Creates a tenant; CONFLICT if the name is taken. */
export async function createTenant({ admin, clock }: Ctx, name: string): Promise<Tenant> {
  const tenant = await admin.repo.createTenant(name, clock.now())
  if (!tenant)
    throw new AppError('CONFLICT', `a tenant named ${name} exists already`, {
      details: [{ pointer: '/name', message: 'is taken by another tenant' }],
    })
  return tenant
}

async function existingTenant(admin: AdminDeps, tenantId: string): Promise<Tenant> {
  const tenant = await admin.repo.getTenant(tenantId)
  if (!tenant) throw new AppError('NOT_FOUND', `no tenant ${tenantId}`)
  return tenant
}

/** Issues a named key for an existing tenant (NOT_FOUND otherwise); the plain key is returned once. */
export async function createTenantKey(
  { admin, clock }: Ctx,
  tenantId: string,
  name: string,
): Promise<{ info: ApiKeyInfo; key: string }> {
  await existingTenant(admin, tenantId)
  return admin.repo.createKey(tenantId, name, clock.now())
}

/** An existing tenant's keys (NOT_FOUND otherwise), without the keys themselves. */
export async function listTenantKeys({ admin }: Ctx, tenantId: string): Promise<ApiKeyInfo[]> {
  await existingTenant(admin, tenantId)
  return admin.repo.listKeys(tenantId)
}

/**
 * Revokes a key by id; NOT_FOUND if there is no such key. Revoking a revoked key changes nothing and
 * succeeds, so a retried DELETE gets the same answer. Side effect: `afterRevoke`.
 */
export async function revokeKey({ admin, clock }: Ctx, keyId: string): Promise<void> {
  const revoked = await admin.repo.revokeKey(keyId, clock.now())
  if (!revoked && !(await admin.repo.getKey(keyId)))
    throw new AppError('NOT_FOUND', `no key ${keyId}`)
  admin.afterRevoke?.()
}
