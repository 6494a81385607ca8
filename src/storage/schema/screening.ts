/**
 * Lists as data (issue 12): lists, versions, entries, suppressions, settings, audit and the revision
 * counters. One file for the tables of one migration (`2026_12_06_2200_create_screening`).
 */
import type { Insertable, Selectable } from 'kysely'

export interface ControlListTable {
  /** '' for the operator's lists (built-in or imported by the CLI), else the tenant id. */
  owner: string
  id: string
  name: string
  /** `builtin` (rules in core/rules), `blocking` or `watch`. */
  mode: string
  /** The default legal status of new versions. */
  legal_status: string
  source: string
  /** Countries whose routes the list applies to, JSON array; empty for every route. */
  destinations_json: string
  created_at: string
  created_by: string
}

export interface ListVersionTable {
  id: string
  owner: string
  list_id: string
  /** 1, 2, … per list: the highest is the version in effect. */
  seq: number
  version: string
  effective_date: string | null
  legal_status: string
  source: string
  entry_count: number
  content_hash: string
  /** The diff against the previous version, JSON (`ListDiff`). */
  diff_json: string
  created_at: string
  created_by: string
}

export interface ListEntryChunkTable {
  version_id: string
  /** 0, 1, …: entries in file order, a few hundred per chunk. */
  chunk: number
  /** `ImportedEntry[]`, JSON. */
  entries_json: string
}

export interface SuppressionTable {
  id: string
  tenant_id: string
  scope_json: string
  reason: string
  /** The reason given for accepting an in-force prohibition; null when not accepted. */
  accept_in_force: string | null
  expires_at: string | null
  created_at: string
  created_by: string
  deleted_at: string | null
  deleted_by: string | null
}

export interface TenantSettingsTable {
  tenant_id: string
  settings_json: string
  digest: string
  updated_at: string
}

export interface SettingsSnapshotTable {
  tenant_id: string
  digest: string
  settings_json: string
  created_at: string
}

export interface AuditTable {
  id: string
  /** '' for operator actions (CLI imports of the operator's lists). */
  tenant_id: string
  created_at: string
  actor: string
  key_id: string | null
  action: string
  subject_type: string
  subject_id: string
  detail_json: string
}

export interface ScreeningRevisionTable {
  /** '' for the operator's lists, else a tenant id. */
  scope: string
  revision: number
}

export type PartialDB = {
  control_list: ControlListTable
  list_version: ListVersionTable
  list_entry_chunk: ListEntryChunkTable
  suppression: SuppressionTable
  tenant_settings: TenantSettingsTable
  settings_snapshot: SettingsSnapshotTable
  audit: AuditTable
  screening_revision: ScreeningRevisionTable
}

export type ControlListRow = Selectable<ControlListTable>
export type ListVersionRow = Selectable<ListVersionTable>
export type NewListVersionRow = Insertable<ListVersionTable>
export type SuppressionRow = Selectable<SuppressionTable>
export type AuditRow = Selectable<AuditTable>
export type NewAuditRow = Insertable<AuditTable>
