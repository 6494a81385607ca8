/**
 * @module storage
 * Binds the Kysely repositories to the core ports for one store (better-sqlite3 or D1).
 */
import type { TenantAdminRepo } from '../core/admin/ports'
import { sha256Hex as webCryptoSha256Hex } from '../core/hash'
import type { ScreeningRepo } from '../core/lists/ports'
import type { ApiKeyRepo, BatchRepo, CheckRepo, HealthProbe, IdempotencyRepo } from '../core/ports'
import type { RecheckRepo } from '../core/rechecks/ports'
import type { WebhookRepo } from '../core/webhooks/ports'
import type { Store } from './atomic'
import type { ChunkBodyStore } from './chunk-bodies'
import { assertSchemaCurrent } from './migrator'
import { batchRepo } from './repos/batch-repo'
import { getCheck, insertCheck, listChecks } from './repos/check-repo'
import { claimIdempotencyKey, releaseIdempotencyKey } from './repos/idempotency-repo'
import { recheckRepo } from './repos/recheck-repo'
import { screeningRepo } from './repos/screening-repo'
import { authenticateApiKey, tenantAdminRepo } from './repos/tenant-repo'
import { webhookRepo } from './repos/webhook-repo'

export type StoragePorts = {
  checks: CheckRepo
  idempotency: IdempotencyRepo
  apiKeys: ApiKeyRepo
  health: HealthProbe
  /** Batch storage; each runtime wires it into `Deps.batches` with its own queue. */
  batchRepo: BatchRepo
  /** Webhook endpoints, events and the outbox; each runtime wires it into `Deps.webhooks`. */
  webhookRepo: WebhookRepo
  /** Lists, versions, suppressions, settings and audit (issue 12); runtimes wire `Deps.screening`. */
  screeningRepo: ScreeningRepo
  /** Tenants and keys for the admin API; each runtime wires it into `Deps.admin` with its root key. */
  tenantAdmin: TenantAdminRepo
  /** Re-check jobs (issue 12 item 5); each runtime wires it into `Deps.rechecks` with its queue. */
  recheckRepo: RecheckRepo
}

/**
 * `sha256Hex` hashes presented API keys, once per request: Web Crypto by default (Node and Workers);
 * Node passes its synchronous native hash, which skips a round trip through the thread pool.
 * `chunkBodies` keeps batch chunk rows and results out of the database (Workers: R2); without it
 * they are stored in `batch_chunk`.
 */
export function storagePorts(
  store: Store,
  {
    sha256Hex = webCryptoSha256Hex,
    chunkBodies,
  }: { sha256Hex?: (text: string) => Promise<string>; chunkBodies?: ChunkBodyStore } = {},
): StoragePorts {
  const { db } = store
  return {
    checks: {
      insert: (check, key, events) => insertCheck(store, check, key, events),
      get: (tenantId, id) => getCheck(db, tenantId, id),
      list: (tenantId, filter) => listChecks(db, tenantId, filter),
    },
    idempotency: {
      claim: (tenantId, key, hash, now, staleBefore) =>
        claimIdempotencyKey(db, tenantId, key, hash, now, staleBefore),
      release: (tenantId, key) => releaseIdempotencyKey(db, tenantId, key),
    },
    apiKeys: { authenticate: (key) => authenticateApiKey(db, key, sha256Hex) },
    // Reading the migration table proves the database answers and that its schema is there and current.
    health: { ping: () => assertSchemaCurrent(db) },
    batchRepo: batchRepo(store, chunkBodies),
    webhookRepo: webhookRepo(store),
    tenantAdmin: tenantAdminRepo(db),
    screeningRepo: screeningRepo(store),
    recheckRepo: recheckRepo(store),
  }
}
