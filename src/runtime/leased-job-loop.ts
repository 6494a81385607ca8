/**
 * @module runtime/leased-job-loop
 * The loop both Node job runners share (`batch-runner.ts`, `recheck-runner.ts`): lease the next job in
 * SQLite, work it, and when there is none wait for a wake-up (`wake`, the job's `enqueue` hint) or
 * the next poll (jobs another process wrote). An error is logged and waited out: the job keeps its
 * lease, so it is taken up again, by this process or another, once the lease runs out. Working a job
 * (and renewing its lease while doing so) is the runner's own; the loop only hands it the lease.
 */
import { describeError } from '../core/job-attempts'
import type { Logger } from '../core/ports'

/** The lease a runner works a claimed job under. */
export type Lease = {
  /** This loop's id, as the lease columns record it. */
  readonly owner: string
  /** The end of a lease taken or renewed now. */
  until(): string
  /** True once `stop()` was called: the runner stops at its next step. */
  stopped(): boolean
}

/** A runner's timings, as its options take them (each runner has its own defaults). */
export type LeaseTimings = {
  /** How long a lease lasts without renewal. A dead runner's job is taken up again after it. */
  leaseMs?: number
  /** How often an idle runner looks for jobs another process wrote. */
  pollMs?: number
  /** Pause after an error before the next claim (the job itself waits for its lease to run out). */
  retryDelayMs?: number
  now?: () => Date
}

/** What a runner offers besides its queue's `enqueue`. */
export type LeasedRunner = {
  /** Stops after the step in flight (a chunk, a page); the lease runs out and another runner may take the job up. */
  stop(): Promise<void>
  /** Resolves when the runner has nothing to do (tests). */
  idle(): Promise<void>
}

export type LeasedJobLoopOptions<J> = {
  /** Leases the next job whose lease is free or expired, or null when there is none. */
  claim(owner: string, now: string, leaseUntil: string): Promise<J | null>
  /** Works a claimed job until it is done, lost, or the loop stops. */
  work(job: J, lease: Lease): Promise<void>
  /** Runs before each claim, its errors handled like the job's (the batch runner's purge). */
  beforeClaim?: () => Promise<void>
  logger: Logger
  /** `msg` of the log line of an error. */
  errorMsg: string
  leaseMs: number
  pollMs: number
  /** Pause after an error before the next claim. */
  retryDelayMs?: number
  now: () => Date
}

export type LeasedJobLoop = {
  /** Ends an idle wait now: a job was just queued. */
  wake(): void
  /** Resolves when the loop next finds nothing to claim (tests). */
  idle(): Promise<void>
  /** Stops claiming, waits for the job in hand to stop at its next step; its lease runs out. */
  stop(): Promise<void>
}

const RETRY_DELAY_MS = 2_000

export function startLeasedJobLoop<J>(opts: LeasedJobLoopOptions<J>): LeasedJobLoop {
  const { logger, now } = opts
  const retryDelayMs = opts.retryDelayMs ?? RETRY_DELAY_MS
  let stopped = false
  let wake: (() => void) | null = null
  let idleWaiters: (() => void)[] = []
  const lease: Lease = {
    owner: `${Date.now().toString(36)}-${crypto.randomUUID()}`,
    until: () => new Date(now().getTime() + opts.leaseMs).toISOString(),
    stopped: () => stopped,
  }

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

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        await opts.beforeClaim?.()
        const claimed = await opts.claim(lease.owner, now().toISOString(), lease.until())
        if (!claimed) {
          for (const resolve of idleWaiters.splice(0)) resolve()
          await sleep(opts.pollMs)
          continue
        }
        await opts.work(claimed, lease)
      } catch (err) {
        // A check thread that died, a busy database: the job keeps its lease and is taken up again
        // when it runs out, from what it committed.
        logger.error({ msg: opts.errorMsg, error: describeError(err) })
        if (!stopped) await sleep(retryDelayMs)
      }
    }
  }

  const running = loop()
  return {
    wake() {
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
