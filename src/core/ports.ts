/**
 * @module ports
 * The interfaces the core's callers depend on: storage, clock, ids and the goods checker. Storage
 * adapters (`src/storage`) implement them on better-sqlite3 and D1; tests pass fakes.
 */
import type { BatchRow } from './batch/read-rows'
import type { ControlList } from './catalogue/types'
import type { BatchScreening, ScreeningInput } from './lists/types'
import type { CheckRequest, CheckResult, Verdict } from './schemas'
import type { OutboxEvent } from './webhooks/ports'

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
   * same atomic write, so a replay never sees a key without its check. `events` (webhooks) are
   * written in that same atomic write too, with their pending deliveries: an outbox.
   */
  insert(check: StoredCheck, idempotencyKey?: string, events?: OutboxEvent[]): Promise<void>
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
   * answers at once; the Node server's thread pool answers when a thread has run it. `screening`
   * (issue 12): the tenant's lists, suppressions and settings; without it, the catalogue alone.
   */
  check(request: CheckRequest, screening?: ScreeningInput): CheckResult | Promise<CheckResult>
  /**
   * The same check with its result already serialized (`json` is `JSON.stringify(result)`), from a
   * checker that serializes anyway: the thread pool passes results between threads as JSON.
   */
  checkAsJson?(
    request: CheckRequest,
    screening?: ScreeningInput,
  ): Promise<{ result: CheckResult; json: string }>
  /** False while the checker cannot take checks (the thread pool replacing its last thread). */
  isReady?(): boolean
}

/** One structured log line per call; never pass keys or request bodies. */
export interface Logger {
  info(fields: Record<string, unknown>): void
  error(fields: Record<string, unknown>): void
}

// ---------------------------------------------------------------------------------------------------
// Batches (issue 9): the upload is stored as chunks of rows; a runner checks the chunks off the request
// path and stores each chunk's results beside its rows. SQLite + an in-process loop on Node; D1 + R2 +
// a Queue consumer on Workers (`runtime/worker-batches.ts`).

export const BATCH_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]

/** Row counts by verdict, error rows as `error`. */
export type BatchTally = Record<Verdict | 'error', number>

/** What one checked chunk adds to its batch's progress. */
export type ChunkSummary = {
  rows: number
  tally: BatchTally
  byDestination: Record<string, BatchTally>
}

export type StoredBatch = {
  id: string
  tenantId: string
  status: BatchStatus
  format: 'csv' | 'jsonl'
  rowsTotal: number
  createdAt: string
  completedAt: string | null
  /** Sum of the summaries of the chunks checked so far. */
  progress: ChunkSummary
  /** The screening context its rows are checked with (issue 12); null for batches without one. */
  screening: BatchScreening | null
  /** Why it is `failed` (the chunk that could not be checked, and its last error); null otherwise. */
  failure: string | null
  /** What the uploader calls it (the uploaded file's name, or one given); null when none. */
  name: string | null
}

export type BatchCursor = { createdAt: string; id: string }

/** Which of a tenant's batches a listing returns; every filter given must hold. */
export type BatchFilter = {
  status?: BatchStatus
  /** Batches whose name contains this, ignoring ASCII case. */
  name?: string
  /** Inclusive lower bound on `createdAt` (ISO-8601). */
  createdFrom?: string
  /** Exclusive upper bound on `createdAt` (ISO-8601). */
  createdTo?: string
  limit: number
  after?: BatchCursor
}

export type BatchPage = { items: StoredBatch[]; next: BatchCursor | null }

/** A chunk of rows to check, as the runner claims it. */
export type BatchChunk = { batchId: string; seq: number; rowsJson: string }

/** Whose a batch is and what its rows are checked with: what a runner needs beyond its chunks. */
export type BatchContextRef = { id: string; tenantId: string; screening: BatchScreening | null }

/**
 * A chunk's stored rows and, once checked, its results (JSON Lines, one line per row) as UTF-8 bytes:
 * served as they are, a chunk never becomes a ~6 MB string to be encoded again (BENCHMARKS.md, "HTTP
 * batches on Node", "Memory").
 */
export type StoredChunk = { seq: number; rowsJson: string; resultBytes: Uint8Array | null }

export interface BatchRepo {
  /** Starts an upload: a batch only its uploader knows of (no listing, no GET) until `seal`. */
  open(batch: {
    id: string
    tenantId: string
    format: 'csv' | 'jsonl'
    createdAt: string
    name?: string | null
  }): Promise<void>
  /** Stores chunk `seq` of an open upload: `rowsJson` is a JSON array of `BatchRow`. Idempotent. */
  appendChunk(batchId: string, seq: number, rows: number, rowsJson: string): Promise<void>
  /**
   * Makes the upload a `queued` batch of `rowsTotal` rows checked with `screening`, and with
   * `idempotencyKey` records it as that claimed key's answer, in one atomic write.
   */
  seal(
    batchId: string,
    tenantId: string,
    rowsTotal: number,
    idempotencyKey?: string,
    screening?: BatchScreening | null,
  ): Promise<void>
  /** Deletes a batch, its rows and results (a refused upload, a DELETE, retention). */
  discard(batchId: string): Promise<void>
  /** The tenant's batch with its progress, or null (unknown, another tenant's, or still uploading). */
  get(tenantId: string, id: string): Promise<StoredBatch | null>
  /** The tenant's batches, newest first. */
  list(tenantId: string, filter: BatchFilter): Promise<BatchPage>
  /** `queued`/`running` → `cancelled`; returns the batch as it is afterwards (null if not found). */
  cancel(tenantId: string, id: string): Promise<StoredBatch | null>
  /** A batch's chunks in input order, a few at a time (results read back decompressed). */
  readChunks(batchId: string): AsyncIterable<StoredChunk>

  // The runner's side. A batch is worked on by one runner at a time: the one holding its lease.
  /** Leases the oldest `queued` or `running` batch whose lease has expired, marking it `running`. */
  claim(owner: string, now: string, leaseUntil: string): Promise<BatchContextRef | null>
  /** Extends the lease; false when the batch was cancelled, deleted or leased by another runner. */
  renew(batchId: string, owner: string, leaseUntil: string): Promise<boolean>
  /**
   * Counts a try of chunk `seq` before it is checked, so a try that crashes the process counts too.
   * Returns the tries so far, this one included; null (nothing counted) when the chunk is checked
   * already or `owner` no longer holds the batch's lease.
   */
  startChunk(batchId: string, seq: number, owner: string): Promise<number | null>
  /** Up to `limit` unchecked chunks after `afterSeq`, in order. */
  unchecked(batchId: string, afterSeq: number, limit: number): Promise<BatchChunk[]>
  /**
   * Stores a chunk's results (JSON Lines) and summary, once: a chunk already checked (a runner that
   * lost its lease and came back) keeps its first results.
   */
  saveResults(
    batchId: string,
    seq: number,
    /** The chunk's JSON Lines results, as text or as its UTF-8 bytes. */
    resultLines: string | Uint8Array,
    summary: ChunkSummary,
  ): Promise<void>
  /** `running` → `completed` when every chunk is checked; false if some are not. */
  complete(batchId: string, owner: string, now: string): Promise<boolean>
  /** Deletes batches created before `createdBefore`, and uploads left open since `openBefore`. */
  purge(createdBefore: string, openBefore: string): Promise<number>

  // The queue consumer's side (Workers): no lease; each chunk arrives as a message, at least once, in
  // any order, so every step is conditional and safe to repeat.
  /**
   * Chunk `seq` with its rows while it still needs checking: null when it is checked already, or its
   * batch is gone, cancelled, failed or completed.
   */
  pendingChunk(
    batchId: string,
    seq: number,
  ): Promise<(BatchChunk & { batch: BatchContextRef }) | null>
  /**
   * Moves a `queued` batch to `running`, and a `queued`/`running` batch whose chunks are all checked to
   * `completed` (whichever chunk finishes last) with its `batch.completed` event, once. Returns true
   * when this call completed it.
   */
  settle(batchId: string, now: string): Promise<boolean>
  /**
   * `queued`/`running` → `failed` with `reason` and its `batch.failed` event (a chunk that cannot be
   * checked after `JOB_STEP_MAX_ATTEMPTS` tries: the Node runner's or the queue's). Used by both sides.
   */
  fail(batchId: string, now: string, reason: string): Promise<void>
}

/**
 * A checked chunk: each row's verdict or `error`, and one JSON Lines document per row
 * (`jsonlResultLine`), either as strings (`lines`) or as their UTF-8 bytes in one buffer (`utf8`: what
 * a Node check thread sends, transferred to the runner's thread rather than copied; BENCHMARKS.md,
 * "HTTP batches on Node", "Memory").
 */
export type CheckedChunk = { outcomes: (Verdict | 'error')[] } & (
  | { lines: string[] }
  | { utf8: Uint8Array }
)

/**
 * Checks a chunk of batch rows (`BatchRow`s, as read by `readBatchRows`). Pure but costly: on Node it
 * runs on the check threads. `screening`: the batch's context (issue 12), passed to threads by key as
 * for checks. `batchId`: the batch the rows are of; a checker may keep readings of that batch's
 * repeated descriptions for its next chunks (core/batch/check-chunk.ts `batchReadings`), never for
 * another's.
 */
export type ChunkChecker = (
  rows: BatchRow[],
  screening?: ScreeningInput,
  batchId?: string,
) => Promise<CheckedChunk>

/**
 * "Do this later" for batches, called once a batch is sealed: wakes the Node runner (it also polls), or
 * sends one message per chunk to the Workers queue. On a rejection the caller deletes the batch:
 * messages already sent then find it gone and are skipped.
 */
export interface BatchQueue {
  /** `chunks`: the sealed batch's chunk count (seq 0 to chunks - 1). */
  enqueue(batchId: string, chunks: number): void | Promise<void>
}

export type BatchLimits = { maxRows: number; maxBytes: number }
