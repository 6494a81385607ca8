/**
 * Re-checks (issue 12 item 5): one job per list version and tenant, re-checking the tenant's stored
 * checks of a window a page at a time (`2026_12_07_1000_create_recheck`).
 */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface RecheckTable {
  id: string
  tenant_id: string
  /** '' for the operator's lists (built-in or imported by the CLI), else the tenant id. */
  list_owner: string
  list_id: string
  version_id: string
  /** The version's label, as checks record it in `versions.lists`. */
  version: string
  previous_version: string | null
  /** `queued`, `running`, `completed` or `failed`. */
  status: string
  window_days: number
  /** Checks created at or after this (inclusive) … */
  window_from: string
  /** … and before this (exclusive): the time the version was stored. */
  window_to: string
  checks_total: number
  checks_done: number
  changed: number
  /** The last check re-checked (keyset over created_at, id); null before the first page. */
  cursor_created_at: string | null
  cursor_id: string | null
  /** Node runner's lease; unused by the Workers queue consumer. */
  lease_owner: string | null
  lease_until: string | null
  /**
   * Node runner: tries started on the page after the cursor, counted before each (a try that crashed
   * the server counts too), back to 0 when a page commits.
   */
  page_attempts: Generated<number>
  last_error: string | null
  created_at: string
  started_at: string | null
  completed_at: string | null
  /** Last progress (or creation): the Workers sweep re-sends a job that has not moved for a while. */
  updated_at: string
}

export const tableName = 'recheck'
export type PartialDB = { [tableName]: RecheckTable }
export type RecheckRow = Selectable<RecheckTable>
export type NewRecheckRow = Insertable<RecheckTable>
