/**
 * @module storage
 * Binds the Kysely repositories to the core ports for one store (better-sqlite3 or D1).
 */
import { sql } from 'kysely'
import type { ApiKeyRepo, CheckRepo, HealthProbe, IdempotencyRepo } from '../core/ports'
import type { Store } from './atomic'
import { getCheck, insertCheck, listChecks } from './repos/check-repo'
import { claimIdempotencyKey, releaseIdempotencyKey } from './repos/idempotency-repo'
import { authenticateApiKey } from './repos/tenant-repo'

export type StoragePorts = {
  checks: CheckRepo
  idempotency: IdempotencyRepo
  apiKeys: ApiKeyRepo
  health: HealthProbe
}

export function storagePorts(store: Store): StoragePorts {
  const { db } = store
  return {
    checks: {
      insert: (check, key) => insertCheck(store, check, key),
      get: (tenantId, id) => getCheck(db, tenantId, id),
      list: (tenantId, filter) => listChecks(db, tenantId, filter),
    },
    idempotency: {
      claim: (tenantId, key, hash, now, staleBefore) =>
        claimIdempotencyKey(db, tenantId, key, hash, now, staleBefore),
      release: (tenantId, key) => releaseIdempotencyKey(db, tenantId, key),
    },
    apiKeys: { authenticate: (key) => authenticateApiKey(db, key) },
    health: {
      ping: async () => {
        await sql`select 1`.execute(db)
      },
    },
  }
}
