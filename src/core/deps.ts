/**
 * @module deps
 * Everything a request needs, built by the runtime (`makeDeps`) and injected into the HTTP app.
 */
import type {
  ApiKeyRepo,
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
}
