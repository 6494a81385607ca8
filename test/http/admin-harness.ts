/**
 * The HTTP harness with the admin API switched on (a root key) and the Node server's API-key cache in
 * front of the key lookup, wired as `runtime/node.ts` wires them: a revocation must get past the cache.
 */
import { adminDeps } from '../../src/core/admin/manage-tenants'
import { sha256Hex } from '../../src/core/hash'
import { cachedApiKeys } from '../../src/storage/auth-cache'
import { tenantAdminRepo } from '../../src/storage/repos/tenant-repo'
import { makeHarness } from './harness'

/** A test root key: 32+ characters, not shaped like a tenant key. */
export const ROOT_KEY = `root-${'k'.repeat(40)}`

/** `rootKey: null` leaves the admin API off, as a deployment without `ROOT_API_KEY`. */
export async function makeAdminHarness(rootKey: string | null = ROOT_KEY) {
  const h = await makeHarness()
  const apiKeys = cachedApiKeys(h.deps.apiKeys, {
    sha256Hex,
    changedElsewhere: h.store.changedElsewhere,
  })
  // createApp's makeDeps returns this same object on every request, so this rewires the app.
  h.deps.apiKeys = apiKeys
  h.deps.admin = adminDeps(rootKey ?? undefined, tenantAdminRepo(h.store.db), apiKeys.clear)
  const admin = (method: string, path: string, body?: unknown, key: string = ROOT_KEY) =>
    h.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return { ...h, admin }
}
