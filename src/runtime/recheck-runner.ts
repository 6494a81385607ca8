/**
 * @module runtime/recheck-runner
 * The Node implementation of re-check jobs (`RecheckQueue`): an in-process loop that leases an
 * unfinished re-check in SQLite and runs its pages (`runRecheckPage`) on the check threads until it
 * completes. Crash-safe: each page's re-issued checks and the job's cursor are one atomic write, a
 * check is superseded at most once, and a job whose runner died is leased again when its lease runs
 * out, so a restarted server resumes at the last committed page and never re-issues a check twice.
 * Re-check jobs written by `dualuse lists import` (another process) are found by polling.
 */

import type { Recheck, RecheckQueue } from '../core/rechecks/ports'
import { isFinished, type RecheckDeps, runRecheckPage } from '../core/rechecks/run-recheck-page'

export type RecheckRunnerOptions = {
  deps: RecheckDeps
  /** Checks in flight at once: one per check thread, plus one so no thread waits for the next. */
  concurrency: number
  /** Stored checks per page (one atomic write each). */
  pageSize?: number
  /** How long a lease lasts; renewed before every page. A dead runner's job resumes after it. */
  leaseMs?: number
  /** How often an idle runner looks for jobs another process (the CLI) wrote. */
  pollMs?: number
  now?: () => Date
}

export type RecheckRunner = RecheckQueue & {
  /** Stops after the page in flight; the lease runs out and another runner may take the job up. */
  stop(): Promise<void>
  /** Resolves when the runner has nothing to do (tests). */
  idle(): Promise<void>
}

const RETRY_DELAY_MS = 2_000
/** Large enough that a page's one write is cheap per check; small enough that memory stays flat. */
export const RECHECK_PAGE_SIZE = 256

export function startRecheckRunner(opts: RecheckRunnerOptions): RecheckRunner {
  const { deps } = opts
  const repo = deps.repo
  const leaseMs = opts.leaseMs ?? 30_000
  const pollMs = opts.pollMs ?? 2_000
  const pageSize = opts.pageSize ?? RECHECK_PAGE_SIZE
  const now = opts.now ?? (() => new Date())
  const owner = `${Date.now().toString(36)}-${crypto.randomUUID()}`
  const leaseUntil = () => new Date(now().getTime() + leaseMs).toISOString()

  let stopped = false
  let wake: (() => void) | null = null
  let idleWaiters: (() => void)[] = []

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wake = null
        resolve()
      }
      wake = done
    })

  async function runJob(claimed: Recheck): Promise<void> {
    let job = claimed
    while (!stopped && !isFinished(job)) {
      // Lost (another runner took it after ours ran out): leave it to that one.
      if (!(await repo.renew(job.id, owner, leaseUntil()))) return
      job = await runRecheckPage(deps, job, {
        pageSize,
        concurrency: opts.concurrency,
        owner,
      })
    }
    if (job.status === 'completed')
      deps.logger.info({
        msg: 'recheck completed',
        recheck_id: job.id,
        checks: job.checksDone,
        changed: job.changed,
      })
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        const claimed = await repo.claim(owner, now().toISOString(), leaseUntil())
        if (!claimed) {
          for (const resolve of idleWaiters.splice(0)) resolve()
          await sleep(pollMs)
          continue
        }
        await runJob(claimed)
      } catch (err) {
        // A check thread that died, a busy database: the job keeps its lease and is taken up again
        // when it runs out, from its last committed page.
        deps.logger.error({
          msg: 'recheck runner error',
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        })
        if (!stopped) await sleep(RETRY_DELAY_MS)
      }
    }
  }

  const running = loop()
  return {
    enqueue() {
      wake?.()
    },
    idle() {
      return new Promise((resolve) => idleWaiters.push(resolve))
    },
    async stop() {
      stopped = true
      wake?.()
      await running
      for (const resolve of idleWaiters.splice(0)) resolve()
      idleWaiters = []
    },
  }
}
