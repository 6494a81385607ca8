/**
 * @module deps
 * Everything a request needs, built by the runtime (`makeDeps`) and injected into the HTTP app.
 */
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
   * HTTP batches, where the runtime runs them (Node). Absent (Workers, for now): /v1/batches answers
   * 501 problem.
   */
  batches?: { repo: BatchRepo; queue: BatchQueue; limits: BatchLimits; newId: () => string }
}
