import type { Insertable, Selectable } from 'kysely'

/**
 * One uploaded batch. `status` is `open` while its upload streams in (invisible to the API), then
 * `queued`, `running`, `completed`, `failed` or `cancelled`. Progress is not kept here: it is the sum
 * of the checked chunks' summaries, so storing a chunk's results is one idempotent write.
 */
export interface BatchTable {
  id: string
  tenant_id: string
  status: string
  /** `csv` or `jsonl`: the uploaded file's format. */
  format: string
  rows_total: number
  created_at: string
  completed_at: string | null
  /** The runner holding the batch, and until when (ISO-8601); null when none does. */
  lease_owner: string | null
  lease_until: string | null
  /**
   * The tenant's screening context its rows are checked with (`BatchScreening`, JSON), recorded at the
   * seal; null for batches sealed before batches had one, or without a screening store.
   */
  screening_json: string | null
  /** Why a `failed` batch failed (the chunk and its last error); null otherwise. */
  failure: string | null
  /** What the uploader calls it (the file's name, or `?name=`); null when none was given. */
  name: string | null
}

export const tableName = 'batch'
export type PartialDB = { [tableName]: BatchTable }
export type BatchRow = Selectable<BatchTable>
export type NewBatchRow = Insertable<BatchTable>
