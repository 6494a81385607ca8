import type { Insertable, Selectable } from 'kysely'

export interface IdempotencyKeyTable {
  tenant_id: string
  key: string
  /** SHA-256 of the canonical validated request; a different body under the same key is refused. */
  request_hash: string
  /**
   * What the key answered: a check (`chk_…`) or a batch (`bat_…`; a batch's request hash is of the
   * file, so a key never matches across the two). Null while the first request is in flight.
   */
  check_id: string | null
  created_at: string
}

export const tableName = 'idempotency_key'
export type PartialDB = { [tableName]: IdempotencyKeyTable }
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>
export type NewIdempotencyKeyRow = Insertable<IdempotencyKeyTable>
