/**
 * @module deps
 * Everything a request needs, built by the runtime (`makeDeps`) and injected into the HTTP app.
 */

import type { AdminDeps } from './admin/manage-tenants'
import type { ScreeningDeps } from './lists/ports'
import type {
  ApiKeyRepo,
  BatchLimits,
  BatchQueue,
  BatchRepo,
  CheckRepo,
  Clock,
  GoodsChecker,
  HealthProbe,
  IdempotencyRepo,
  IdGenerator,
  Logger,
} from './ports'
import type { RecheckQueue, RecheckRepo } from './rechecks/ports'
import type { WebhookDeps } from './webhooks/manage-endpoints'

export type Deps = {
  checker: GoodsChecker
  checks: CheckRepo
  idempotency: IdempotencyRepo
  apiKeys: ApiKeyRepo
  health: HealthProbe
  clock: Clock
  ids: IdGenerator
  logger: Logger
  /**
   * HTTP batches: SQLite + an in-process runner (Node), D1 + R2 + a Queue (Workers). Absent (a Worker
   * without its bucket and queue bound): /v1/batches answers 501 problem.
   */
  batches?: { repo: BatchRepo; queue: BatchQueue; limits: BatchLimits; newId: () => string }
  /**
   * Outbound webhooks (issue 10): events are written with the checks and batches that cause them,
   * and the endpoints API is served. Absent (unit tests of other parts): no events, 501 for the API.
   */
  webhooks?: WebhookDeps
  /**
   * The admin API (tenants and keys), present only when a root key (`ROOT_API_KEY`) is configured;
   * absent, every /v1/admin route answers 404 as if it did not exist.
   */
  admin?: AdminDeps
  /**
   * Lists as data (issue 12): versions, tenant lists, suppressions, settings and audit. Absent (unit
   * tests of other parts): checks use the catalogue alone and those endpoints answer 501.
   */
  screening?: ScreeningDeps
  /**
   * Re-checks (issue 12 item 5): jobs created with each new list version and run off the request
   * path (Node: an in-process runner; Workers: a Queue). Absent: versions create no re-checks and
   * /v1/rechecks answers 501.
   */
  rechecks?: { repo: RecheckRepo; queue: RecheckQueue }
}
