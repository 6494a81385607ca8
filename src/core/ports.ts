/**
 * @module ports
 * The interfaces the core's callers depend on: storage, clock, ids and the goods checker. Storage
 * adapters (`src/storage`) implement them on better-sqlite3 and D1; tests pass fakes.
 */
import type { ControlList } from './catalogue/types'
import type { CheckRequest, CheckResult, Verdict } from './schemas'

/** A check as stored: an immutable audit record of who asked what, and what the engine answered. */
export type StoredCheck = {
  id: string
  tenantId: string
  /** ISO-8601 UTC with milliseconds. */
  createdAt: string
  request: CheckRequest
  /** The result as returned to the caller, `id` included. */
  result: CheckResult & { id: string }
  /**
   * `result` serialized, once: the store keeps exactly these bytes and responses are built from them,
   * so a check read back is served as it was first answered (and a 5 KB result is not stringified
   * twice per request).
   */
  resultJson: string
}

/** A position in a newest-first listing: the last item seen. */
export type CheckCursor = { createdAt: string; id: string }

export type CheckFilter = {
  verdict?: Verdict
  reference?: string
  /** Inclusive lower bound on `createdAt` (ISO-8601). */
  createdFrom?: string
  /** Exclusive upper bound on `createdAt` (ISO-8601). */
  createdTo?: string
  limit: number
  after?: CheckCursor
}

export type CheckPage = { items: StoredCheck[]; next: CheckCursor | null }

export interface CheckRepo {
  /**
   * Stores a new check. With `idempotencyKey`, also marks that tenant's claimed key as done, in the
   * same atomic write, so a replay never sees a key without its check.
   */
  insert(check: StoredCheck, idempotencyKey?: string): Promise<void>
  /** The tenant's check, or null if it does not exist or belongs to another tenant. */
  get(tenantId: string, id: string): Promise<StoredCheck | null>
  /** The tenant's checks, newest first. */
  list(tenantId: string, filter: CheckFilter): Promise<CheckPage>
}

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in_flight' }
  | { state: 'mismatch' }
  | { state: 'done'; checkId: string }

export interface IdempotencyRepo {
  /**
   * Claims `key` for a request with `requestHash`. A claim left in flight since before `staleBefore`
   * (a crashed request) is taken over. Side effect: writes the claim row.
   */
  claim(
    tenantId: string,
    key: string,
    requestHash: string,
    now: string,
    staleBefore: string,
  ): Promise<IdempotencyClaim>
  /** Drops an unfinished claim so the caller may retry (the request failed before storing). */
  release(tenantId: string, key: string): Promise<void>
}

export type Principal = { tenantId: string; keyId: string }

export interface ApiKeyRepo {
  /** The tenant a presented API key belongs to, or null if unknown, malformed or revoked. */
  authenticate(presentedKey: string): Promise<Principal | null>
}

export interface HealthProbe {
  /**
   * Resolves if the database answers and its schema is at the latest migration (and, where the
   * runtime can prove it cheaply, takes a write). Otherwise rejects, with an `AppError`
   * `UPSTREAM_UNAVAILABLE` whose message is the reason, safe to show without auth. Called by every
   * health request: implementations keep it to a few small statements, or cache the verdict briefly.
   */
  ping(): Promise<void>
}

export interface Clock {
  now(): Date
}

export interface IdGenerator {
  /** A new, unique, roughly time-ordered check id such as `chk_01J…`. */
  checkId(): string
}

/** The engine as the service sees it: built once per process or isolate, pure afterwards. */
export interface GoodsChecker {
  readonly versions: { engine: string; lists: Record<string, string> }
  readonly lists: readonly ControlList[]
  /**
   * Runs a check. Pure: the same request and versions give the same result. An in-process checker
   * answers at once; the Node server's thread pool answers when a thread has run it.
   */
  check(request: CheckRequest): CheckResult | Promise<CheckResult>
  /**
   * The same check with its result already serialized (`json` is `JSON.stringify(result)`), from a
   * checker that serializes anyway: the thread pool passes results between threads as JSON.
   */
  checkAsJson?(request: CheckRequest): Promise<{ result: CheckResult; json: string }>
  /** False while the checker cannot take checks (the thread pool replacing its last thread). */
  isReady?(): boolean
}

/** One structured log line per call; never pass keys or request bodies. */
export interface Logger {
  info(fields: Record<string, unknown>): void
  error(fields: Record<string, unknown>): void
}
