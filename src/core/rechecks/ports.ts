/**
 * @module rechecks/ports
 * Re-checks (issue 12 item 5): when a list gains a version, a tenant's stored checks of the last N
 * days are checked again against the versions now in effect; a check whose verdict changes is
 * re-issued as a new immutable check that supersedes it, announced as `check.verdict_changed`.
 * A re-check is a job row (one per version and tenant) worked a page at a time: by an in-process
 * loop holding a lease on Node, by one Queue message per page on Workers.
 */
import type { StoredCheck } from '../ports'
import type { Verdict } from '../schemas'
import type { OutboxEvent } from '../webhooks/ports'

/**
 * A stored check's place in a chain of re-issues: the check it supersedes and the re-check that made
 * it (a check asked for has neither), and, read back only, the check that superseded it (a check row
 * is never updated, so this is looked up). Carried beside `StoredCheck` by the check repository.
 */
export type CheckLineage = {
  supersedes?: string | null
  recheckId?: string | null
  supersededBy?: string | null
}

/** A check as the repository reads it back: with its lineage. */
export type StoredCheckWithLineage = StoredCheck & CheckLineage

export const RECHECK_STATUSES = ['queued', 'running', 'completed', 'failed'] as const
export type RecheckStatus = (typeof RECHECK_STATUSES)[number]

/** Stored checks re-checked when a tenant has not said otherwise (`recheck_days` in its settings). */
export const DEFAULT_RECHECK_DAYS = 90

/** A position in the oldest-first walk over a window: the last check re-checked. */
export type RecheckCursor = { createdAt: string; id: string }

export type Recheck = {
  id: string
  tenantId: string
  /** The list version that caused it. `listOwner` is '' for the operator's lists. */
  listOwner: string
  listId: string
  versionId: string
  version: string
  previousVersion: string | null
  status: RecheckStatus
  windowDays: number
  /** Checks created in [windowFrom, windowTo): windowTo is when the version was stored. */
  windowFrom: string
  windowTo: string
  /** Checks in the window not already superseded, counted when the job was created. */
  checksTotal: number
  checksDone: number
  changed: number
  cursor: RecheckCursor | null
  lastError: string | null
  createdAt: string
  startedAt: string | null
  completedAt: string | null
  updatedAt: string
}

/**
 * What a new list version asks for, written in the same atomic write as the version: one job per
 * affected tenant (`tenantId`, or every tenant when null: an operator's list applies to all).
 */
export type RecheckOrder = {
  tenantId: string | null
  listOwner: string
  listId: string
  versionId: string
  version: string
  previousVersion: string | null
  /** When the version was stored: the end of each window and the jobs' creation time. */
  at: string
}

/** A stored check as a re-check reads it: the request and the verdict, the result text for a diff. */
export type RecheckCandidate = {
  id: string
  createdAt: string
  verdict: Verdict
  requestJson: string
  resultJson: string
}

/** A check re-issued with the event announcing it. */
export type Reissue = {
  check: StoredCheck & Required<Pick<CheckLineage, 'supersedes' | 'recheckId'>>
  event: OutboxEvent | null
}

/** One page's outcome, committed with the page's re-issued checks. */
export type RecheckProgress = {
  /** The cursor the page started from (null: the first page): the write applies only if still so. */
  from: RecheckCursor | null
  to: RecheckCursor | null
  done: number
  /** The page was the last: the job is completed in the same write. */
  last: boolean
  at: string
  /** Node's runner: the write applies only while it holds the lease. */
  owner?: string
}

export type RecheckPage = { items: Recheck[]; next: RecheckCursor | null }

export interface RecheckRepo {
  /** The tenant's re-check, or null (unknown, or another tenant's). */
  get(tenantId: string, id: string): Promise<Recheck | null>
  /** The tenant's re-checks, newest first. */
  list(tenantId: string, filter: { limit: number; after?: RecheckCursor }): Promise<RecheckPage>
  /** The re-checks a version caused, for `tenantId` or for every tenant when null. */
  forVersion(versionId: string, tenantId: string | null): Promise<Recheck[]>
  /** A re-check by id whoever its tenant (runners and queue consumers). */
  byId(id: string): Promise<Recheck | null>
  /**
   * Up to `limit` checks of the job's tenant in its window, after `after` in (created_at, id)
   * order, that no other re-check has superseded (those this job superseded stay, so a stale copy of
   * a page sees the same checks).
   */
  candidates(job: Recheck, after: RecheckCursor | null, limit: number): Promise<RecheckCandidate[]>
  /**
   * Stores the page's re-issued checks (each at most once: a check already superseded keeps its
   * first successor) with their events and deliveries, and the job's progress, in one atomic write.
   * The progress applies only if the job is still at `progress.from` (and leased by `owner`); its
   * `changed` count grows by the page's checks that this job superseded, whichever of its runs
   * stored the successor: a check that another re-check of the tenant superseded first is not
   * counted twice, and one a stale run of this job stored is not lost. Returns the job as it is
   * afterwards.
   */
  commitPage(
    job: Recheck,
    reissued: readonly Reissue[],
    progress: RecheckProgress,
  ): Promise<Recheck>
  /** `queued` → `running`, once: the first page's start time. */
  markStarted(id: string, at: string): Promise<void>
  /**
   * `queued`/`running` → `failed` with the reason (a page that failed `JOB_STEP_MAX_ATTEMPTS` tries:
   * the Node runner's or the queue's).
   */
  fail(id: string, reason: string, at: string): Promise<void>

  // Node's runner: a job is worked by whoever holds its lease.
  /** Leases the oldest unfinished job whose lease is free or expired. */
  claim(owner: string, now: string, leaseUntil: string): Promise<Recheck | null>
  /**
   * Extends the lease and counts a try of the page after the job's cursor, before it runs, so a try
   * that crashes the process counts too (a committed page sets the count back to 0). Returns that
   * page's tries so far, this one included; null when another runner holds the job or it is finished.
   */
  startPage(id: string, owner: string, leaseUntil: string): Promise<number | null>

  // The Workers sweep.
  /** Unfinished jobs with no progress since `before`. */
  stalled(before: string, limit: number): Promise<Recheck[]>
  /** Marks the job as just handled (the sweep re-sent it), so the next sweep waits again. */
  touch(id: string, at: string): Promise<void>
}

/**
 * "Do this later" for re-checks, told the jobs a version just created: wakes the Node runner (it
 * also polls), or sends each job's first page to the Workers queue. Never rejects: it runs after the
 * version's write committed; a lost hint delays a job (the Node loop polls, the Worker's cron
 * sweeps), never loses it.
 */
export interface RecheckQueue {
  enqueue(jobs: readonly Pick<Recheck, 'id' | 'cursor'>[]): void | Promise<void>
}
