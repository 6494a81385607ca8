/**
 * @module core/batch/purge-batches
 * Retention of HTTP batches, shared by the Node runner (hourly) and the Worker's cron trigger.
 */
import type { BatchRepo } from '../ports'

/** Uploads left `open` this long are from a server that died mid-upload (requests time out long before). */
export const OPEN_UPLOAD_MAX_MS = 60 * 60_000

/**
 * Deletes batches created over `retentionDays` days before `now` (rows, results and, on Workers,
 * their R2 objects), and uploads left open for an hour. Returns how many were deleted.
 */
export function purgeBatches(repo: BatchRepo, retentionDays: number, now: Date): Promise<number> {
  const t = now.getTime()
  return repo.purge(
    new Date(t - retentionDays * 86_400_000).toISOString(),
    new Date(t - OPEN_UPLOAD_MAX_MS).toISOString(),
  )
}
