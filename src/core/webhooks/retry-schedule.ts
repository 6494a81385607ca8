/**
 * @module webhooks/retry-schedule
 * When to try a failed delivery again. The default is Standard Webhooks' schedule: after the first
 * attempt fails, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (eight attempts over about 27.6 hours),
 * each stretched by up to 10 % of jitter so that endpoints recovering from an outage are not hit by
 * every retry at the same second.
 */

export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  10 * 3600,
]

/** An endpoint whose every attempt has failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000

const JITTER = 0.1

/** `WEBHOOK_RETRY_SCHEDULE`: comma-separated seconds, e.g. `1,1,2`; null if malformed. */
export function parseRetrySchedule(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length === 0 || parts.length > 20) return null
  const out: number[] = []
  for (const p of parts) {
    if (!/^\d+(\.\d+)?$/.test(p)) return null
    const n = Number(p)
    if (n > 86_400) return null
    out.push(n)
  }
  return out
}

/**
 * Milliseconds until the next attempt after `attempts` attempts have failed, or null when the
 * schedule is spent. `random` in [0, 1) picks the jitter.
 */
export function retryDelayMs(
  schedule: readonly number[],
  attempts: number,
  random: number,
): number | null {
  const seconds = schedule[attempts - 1]
  if (seconds === undefined) return null
  return Math.round(seconds * 1000 * (1 + JITTER * random))
}
