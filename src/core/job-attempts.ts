/**
 * @module core/job-attempts
 * How often one step of a background job (a batch chunk, a re-check page) is tried before the job is
 * marked `failed`, on both runtimes: the Workers queues retry a message `max_retries` times
 * (wrangler.toml) after its first try, and the Node runners count their tries in SQLite. One number so
 * a batch or re-check fails alike wherever it runs; keep wrangler.toml's `max_retries` one below it.
 */

/** Tries of one chunk or page, the first included, before its batch or re-check fails. */
export const JOB_STEP_MAX_ATTEMPTS = 6

/** An error as one line for a log or a stored failure reason. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}
