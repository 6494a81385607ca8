import type { Generated, Insertable, Selectable } from 'kysely'

/**
 * Up to 500 rows of a batch, in input order by `seq`, and once checked their results. Both are gzip
 * (`storage/compress.ts`): the rows as a JSON array of the reader's rows, the results as JSON Lines.
 */
export interface BatchChunkTable {
  batch_id: string
  seq: number
  rows: number
  rows_gz: Uint8Array
  /** Null until the chunk is checked; written once. */
  result_gz: Uint8Array | null
  /** What the chunk adds to the batch's progress (`ChunkSummary`), JSON; null until checked. */
  summary_json: string | null
  /**
   * Tries the Node runner has started on it, counted before each (a try that crashed the server counts
   * too); the Workers queue counts its own. Kept after it is checked.
   */
  attempts: Generated<number>
}

export const tableName = 'batch_chunk'
export type PartialDB = { [tableName]: BatchChunkTable }
export type BatchChunkRow = Selectable<BatchChunkTable>
export type NewBatchChunkRow = Insertable<BatchChunkTable>
