/**
 * @module storage/chunk-bodies
 * Where a batch chunk's bulk bytes live when not in its `batch_chunk` row. On SQLite (Node) the gzip
 * rows and results stay in the row, as ever; on Workers they go to an object store (R2,
 * `storage/r2.ts`) and the row keeps an empty blob in their place, so D1 holds only the small state
 * that progress and completion are queried from.
 */

export type ChunkBodyKind = 'rows' | 'results'

export interface ChunkBodyStore {
  /**
   * Stores a body (gzip) unless that chunk's body is there already: the first write wins, as the chunk
   * row's conditional write does, so a repeated or concurrent consumer never changes stored results.
   */
  put(batchId: string, seq: number, kind: ChunkBodyKind, gz: Uint8Array): Promise<void>
  /** A body stored by `put`. @throws AppError DATA_INVALID when it is missing. */
  get(batchId: string, seq: number, kind: ChunkBodyKind): Promise<Uint8Array>
  /** Deletes every body of a batch (none left is fine). */
  deleteBatch(batchId: string): Promise<void>
}

/**
 * What a `batch_chunk` row keeps in `rows_gz` / `result_gz` for a body held in a `ChunkBodyStore`:
 * an empty blob, so `result_gz IS NULL` still means "not checked yet" on both runtimes.
 */
export const BODY_ELSEWHERE = new Uint8Array(0)
