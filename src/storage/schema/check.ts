import type { Insertable, Selectable } from 'kysely'

/** One stored check: an audit record, written once and never updated (a trigger refuses updates). */
export interface CheckTable {
  id: string
  tenant_id: string
  reference: string | null
  verdict: string
  risk_score: number
  /** The validated request, JSON. */
  request_json: string
  /** The full result as returned to the caller, JSON. */
  result_json: string
  engine_version: string
  /** `{ list_id: version }`, JSON. */
  list_versions_json: string
  created_at: string
  /** The check this one re-issues (a re-check changed its verdict); null for a check asked for. */
  supersedes: string | null
  /** The re-check that issued it; null for a check asked for. */
  recheck_id: string | null
}

export const tableName = 'check'
export type PartialDB = { [tableName]: CheckTable }
export type CheckRow = Selectable<CheckTable>
export type NewCheckRow = Insertable<CheckTable>
