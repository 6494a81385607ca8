/**
 * @module runtime/recheck-runner
 * The Node implementation of re-check jobs (`RecheckQueue`): leases an unfinished re-check in SQLite
 * (the shared loop, `leased-job-loop.ts`) and runs its pages (`runRecheckPage`) on the check threads
 * until it completes. Crash-safe: each page's re-issued checks and the job's cursor are one atomic
 * write, a check is superseded at most once, and a job whose runner died is leased again when its
 * lease runs out, so a restarted server resumes at the last committed page and never re-issues a
 * check twice. Never stuck: each try of a page is counted before it runs (`startPage`), and a page
 * that fails `JOB_STEP_MAX_ATTEMPTS` tries, by an error or by taking the process down with it, fails
 * the job, as the Workers queue consumer does. Re-check jobs written by `dualuse lists import`
 * (another process) are found by polling.
 */

import { describeError, JOB_STEP_MAX_ATTEMPTS } from '../core/job-attempts'
import type { Recheck, RecheckQueue } from '../core/rechecks/ports'
import { isFinished, type RecheckDeps, runRecheckPage } from '../core/rechecks/run-recheck-page'
import {
  type Lease,
  type LeasedRunner,
  type LeaseTimings,
  startLeasedJobLoop,
} from './leased-job-loop'

export type RecheckRunnerOptions = LeaseTimings & {
  deps: RecheckDeps
  /** Checks in flight at once: one per check thread, plus one so no thread waits for the next. */
  concurrency: number
  /** Stored checks per page (one atomic write each). */
  pageSize?: number
}

/**
 * The lease (default 30 s) is renewed before every page; an idle runner polls every 2 s for jobs
 * another process (the CLI) wrote.
 */
export type RecheckRunner = RecheckQueue & LeasedRunner

/** Large enough that a page's one write is cheap per check; small enough that memory stays flat. */
export const RECHECK_PAGE_SIZE = 256

export function startRecheckRunner(opts: RecheckRunnerOptions): RecheckRunner {
  const { deps } = opts
  const repo = deps.repo
  const pageSize = opts.pageSize ?? RECHECK_PAGE_SIZE
  const now = opts.now ?? (() => new Date())

  /** Where the failing page starts, for the job's `error`. */
  const pagePlace = (job: Recheck) =>
    job.cursor ? `the page after check ${job.cursor.id}` : 'the first page'

  async function fail(job: Recheck, reason: string): Promise<void> {
    const error = `${pagePlace(job)} ${reason}`
    await repo.fail(job.id, error, now().toISOString())
    deps.logger.error({ msg: 'recheck failed', recheck_id: job.id, error })
  }

  async function runJob(claimed: Recheck, lease: Lease): Promise<void> {
    let job = claimed
    while (!lease.stopped() && !isFinished(job)) {
      // Counted before the page runs: a page that takes the process down counts as a failed try.
      const tries = await repo.startPage(job.id, lease.owner, lease.until())
      // Lost (another runner took it after ours ran out): leave it to that one.
      if (tries === null) return
      if (tries > JOB_STEP_MAX_ATTEMPTS) {
        await fail(
          job,
          `was tried ${tries - 1} times without finishing (the server stopped during each try)`,
        )
        return
      }
      try {
        job = await runRecheckPage(deps, job, {
          pageSize,
          concurrency: opts.concurrency,
          owner: lease.owner,
        })
      } catch (err) {
        if (tries < JOB_STEP_MAX_ATTEMPTS) throw err
        await fail(job, `failed ${tries} tries: ${describeError(err)}`)
        return
      }
    }
    if (job.status === 'completed')
      deps.logger.info({
        msg: 'recheck completed',
        recheck_id: job.id,
        checks: job.checksDone,
        changed: job.changed,
      })
  }

  const loop = startLeasedJobLoop({
    claim: (owner, at, leaseUntil) => repo.claim(owner, at, leaseUntil),
    work: runJob,
    logger: deps.logger,
    errorMsg: 'recheck runner error',
    leaseMs: opts.leaseMs ?? 30_000,
    pollMs: opts.pollMs ?? 2_000,
    retryDelayMs: opts.retryDelayMs,
    now,
  })
  return {
    enqueue() {
      loop.wake()
    },
    idle: loop.idle,
    stop: loop.stop,
  }
}
