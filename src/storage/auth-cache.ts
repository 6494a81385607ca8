/**
 * @module storage/auth-cache
 * Remembers API keys that authenticated, so a busy tenant's requests skip the key lookup (a read
 * that cost as much as the rest of authentication). Revocation stays prompt: the cache is dropped
 * whenever the database may have changed under it (see `changedElsewhere`), looked at most every
 * `recheckMs`, since asking SQLite costs about as much as the lookup it saves. A revocation through
 * this process's own connection (the admin API) is not seen by `data_version`: its caller calls
 * `clear()`. An entry is also looked up again once it is `maxAgeMs` old, so the lookup records the
 * key's last use (`api_key.last_used_at`, to the minute) for keys that never leave the cache.
 */
import type { ApiKeyRepo, Principal } from '../core/ports'
import { LAST_USED_RESOLUTION_MS } from './repos/tenant-repo'

/** Bounds memory; a server sees few distinct keys, so reaching it means churn, and we start over. */
const MAX_ENTRIES = 1024
/** A revoked key stops working on a running server within this time. */
export const AUTH_RECHECK_MS = 100

export type AuthCacheOptions = {
  sha256Hex: (text: string) => Promise<string>
  /** True if another connection committed since the last call (SQLite `data_version`). */
  changedElsewhere: () => boolean
  recheckMs?: number
  /** A cached key is looked up again after this long (default: last use is recorded to this). */
  maxAgeMs?: number
  now?: () => number
}

export type CachedApiKeyRepo = ApiKeyRepo & {
  /** Forgets every cached key: called after this process revokes one (`AdminDeps.afterRevoke`). */
  clear(): void
}

/**
 * Wraps `inner` with a cache keyed by the SHA-256 of the presented key (plain keys are not kept).
 * `changedElsewhere` must report every commit by another connection, such as `keys revoke` from the
 * CLI or another server process; this process never changes keys while serving. Only successful
 * lookups are kept, so unknown keys cannot fill it.
 */
export function cachedApiKeys(
  inner: ApiKeyRepo,
  {
    sha256Hex,
    changedElsewhere,
    recheckMs = AUTH_RECHECK_MS,
    maxAgeMs = LAST_USED_RESOLUTION_MS,
    now = Date.now,
  }: AuthCacheOptions,
): CachedApiKeyRepo {
  const principals = new Map<string, { principal: Principal; at: number }>()
  let checkedAt = Number.NEGATIVE_INFINITY
  return {
    async authenticate(presentedKey) {
      const time = now()
      if (time - checkedAt >= recheckMs) {
        checkedAt = time
        if (changedElsewhere()) principals.clear()
      }
      const digest = await sha256Hex(presentedKey)
      const cached = principals.get(digest)
      if (cached && time - cached.at < maxAgeMs) return cached.principal
      const principal = await inner.authenticate(presentedKey)
      if (principal) {
        if (principals.size >= MAX_ENTRIES) principals.clear()
        principals.set(digest, { principal, at: time })
      } else principals.delete(digest)
      return principal
    },
    clear: () => principals.clear(),
  }
}
