/**
 * @module rechecks/run-recheck-page
 * The re-check job's one step, shared by the Node runner and the Workers queue consumer: the next
 * page of a tenant's stored checks (oldest first, keyset over created_at and id) checked again with
 * the tenant's screening context now in effect, through the service's checker; each check whose
 * verdict changed is re-issued as a new immutable check that supersedes it, with its
 * `check.verdict_changed` event, in the same atomic write as the job's progress.
 */

import { loadScreeningContext } from '../lists/load-screening-context'
import type { ScreeningDeps } from '../lists/ports'
import type { Clock, GoodsChecker, IdGenerator, Logger } from '../ports'
import { CheckRequestSchema, type CheckResult } from '../schemas'
import { checkVerdictChangedEvent } from '../webhooks/events'
import type { WebhookDeps } from '../webhooks/manage-endpoints'
import { decideRecheck } from './decide-recheck'
import type { Recheck, RecheckCandidate, RecheckRepo, Reissue } from './ports'

export type RecheckDeps = {
  repo: RecheckRepo
  checker: GoodsChecker
  screening: ScreeningDeps
  clock: Clock
  ids: IdGenerator
  logger: Logger
  /** Absent where webhooks are not wired: checks are still re-issued, without events. */
  webhooks?: Pick<WebhookDeps, 'newEventId' | 'dispatch'>
}

export type RecheckPageOptions = {
  /** Stored checks per page (one atomic write each). */
  pageSize: number
  /** Checks in flight at once: the check threads plus one on Node, one in a Worker. */
  concurrency: number
  /** Node's runner: progress is written only while it holds the job's lease. */
  owner?: string
}

export function isFinished(job: Pick<Recheck, 'status'>): boolean {
  return job.status === 'completed' || job.status === 'failed'
}

/** Runs `work` over `items` with at most `limit` at once, results in input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  return out
}

function previousMatches(candidate: RecheckCandidate): CheckResult['matches'] | undefined {
  try {
    const parsed = JSON.parse(candidate.resultJson) as { matches?: unknown }
    return Array.isArray(parsed.matches) ? (parsed.matches as CheckResult['matches']) : undefined
  } catch {
    return undefined
  }
}

/**
 * Re-checks the page after the job's cursor and commits it. Returns the job as it stands afterwards:
 * finished when that page was the last. Safe to run twice for the same page (a runner that lost its
 * lease, a redelivered message): a check is superseded at most once and the progress applies only
 * from the cursor it was computed from.
 * @throws whatever the checker or the store throws (the caller retries the page later).
 */
export async function runRecheckPage(
  deps: RecheckDeps,
  job: Recheck,
  opts: RecheckPageOptions,
): Promise<Recheck> {
  if (isFinished(job)) return job
  const { repo } = deps
  const at = deps.clock.now().toISOString()
  if (job.status === 'queued') await repo.markStarted(job.id, at)
  // What a check of this tenant is made with now: the new version and everything else in effect.
  const screening = { data: await loadScreeningContext(deps.screening, job.tenantId), at }
  const candidates = await repo.candidates(job, job.cursor, opts.pageSize)
  const engine = deps.checker.versions.engine

  const outcomes = await mapLimit(candidates, opts.concurrency, async (c) => {
    const request = CheckRequestSchema.safeParse(JSON.parse(c.requestJson))
    if (!request.success) {
      // A row that no longer reads as a request cannot be re-checked; the others still are.
      deps.logger.error({
        msg: 'recheck skipped a stored check',
        recheck_id: job.id,
        check_id: c.id,
      })
      return null
    }
    const checked = deps.checker.checkAsJson
      ? await deps.checker.checkAsJson(request.data, screening)
      : await Promise.resolve(deps.checker.check(request.data, screening)).then((result) => ({
          result,
          json: JSON.stringify(result),
        }))
    const previousMatchList = checked.result.verdict === c.verdict ? undefined : previousMatches(c)
    const decision = decideRecheck(
      { verdict: c.verdict, matches: previousMatchList },
      checked.result,
    )
    if (!decision.changed) return null
    const id = deps.ids.checkId()
    const check: Reissue['check'] = {
      id,
      tenantId: job.tenantId,
      createdAt: at,
      request: request.data,
      result: { id, ...checked.result },
      resultJson: `{"id":${JSON.stringify(id)},${checked.json.slice(1)}`,
      supersedes: c.id,
      recheckId: job.id,
    }
    const previousEngine = (() => {
      try {
        return (JSON.parse(c.resultJson) as { versions?: { engine?: string } }).versions?.engine
      } catch {
        return undefined
      }
    })()
    const event = deps.webhooks
      ? checkVerdictChangedEvent(
          check,
          { id: c.id, verdict: c.verdict },
          {
            recheck_id: job.id,
            list_id: job.listId,
            version: job.version,
            previous_version: job.previousVersion,
            matches_added: decision.matchesAdded,
            matches_removed: decision.matchesRemoved,
            engine_changed: previousEngine !== engine,
          },
          deps.webhooks.newEventId(),
        )
      : null
    return { check, event } satisfies Reissue
  })

  const reissued = outcomes.filter((o): o is Reissue => o !== null)
  const last = candidates.at(-1)
  const after = await repo.commitPage(job, reissued, {
    from: job.cursor,
    to: last ? { createdAt: last.createdAt, id: last.id } : job.cursor,
    done: candidates.length,
    last: candidates.length < opts.pageSize,
    at,
    owner: opts.owner,
  })
  const events = reissued.flatMap((r) => (r.event ? [r.event.id] : []))
  if (events.length > 0) await deps.webhooks?.dispatch.dispatched(events)
  return after
}
