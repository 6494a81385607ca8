/**
 * @module storage/repos/batch-progress
 * A batch's progress: the sum of its checked chunks' summaries (`batch_chunk.summary_json`), read by
 * `GET /v1/batches` (`batch-repo.ts`) and by the `batch.completed` / `batch.failed` event's counts
 * (`webhook-repo.ts`). Not kept on the batch row, so storing a chunk's results stays one write.
 */
import type { Kysely } from 'kysely'
import { addSummary, emptyTally } from '../../core/batch/check-chunk'
import type { ChunkSummary } from '../../core/ports'
import type { Database } from '../schema'

export async function batchProgress(db: Kysely<Database>, batchId: string): Promise<ChunkSummary> {
  const rows = await db
    .selectFrom('batch_chunk')
    .select('summary_json')
    .where('batch_id', '=', batchId)
    .where('summary_json', 'is not', null)
    .execute()
  const total: ChunkSummary = { rows: 0, tally: emptyTally(), byDestination: {} }
  for (const r of rows) addSummary(total, JSON.parse(r.summary_json!) as ChunkSummary)
  return total
}
