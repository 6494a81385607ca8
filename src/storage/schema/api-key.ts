import type { Insertable, Selectable, Updateable } from 'kysely'

export interface ApiKeyTable {
  /** The public part of the key (`du_<id>_<secret>`); used to find the row, never secret. */
  id: string
  tenant_id: string
  /** SHA-256 (hex) of the whole key. The key itself is shown once and never stored. */
  secret_hash: string
  created_at: string
  revoked_at: string | null
  /** Who or what holds the key, given when it was created; null for keys made before names existed. */
  name: string | null
  /**
   * When the key last authenticated, to about a minute (`LAST_USED_RESOLUTION_MS`): written only
   * when the stored value is older than that, so authentication writes at most once a minute per key.
   */
  last_used_at: string | null
}

export const tableName = 'api_key'
export type PartialDB = { [tableName]: ApiKeyTable }
export type ApiKeyRow = Selectable<ApiKeyTable>
export type NewApiKeyRow = Insertable<ApiKeyTable>
export type ApiKeyRowUpdate = Updateable<ApiKeyTable>
