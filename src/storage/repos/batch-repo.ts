/**
 * @module storage/repos/batch-repo
 * HTTP batches: the batch row, its chunks of rows and their results (gzip, `storage/compress.ts`).
 * Every write that the runner may repeat after a crash is conditional, so repeating it changes
 * nothing: a chunk's results are written only while it has none. With a `ChunkBodyStore` (Workers:
 * R2) the gzip bodies live there and the rows here keep `BODY_ELSEWHERE`; without one (SQLite) they
 * stay in the rows.
 */
import { type Kysely, sql } from 'kysely'
import { AppError } from '../../core/errors'
import type { BatchScreening } from '../../core/lists/types'
import type {
  BatchChunk,
  BatchContextRef,
  BatchRepo,
  BatchStatus,
  StoredBatch,
  StoredChunk,
} from '../../core/ports'
import type { Store } from '../atomic'
import { BODY_ELSEWHERE, type ChunkBodyKind, type ChunkBodyStore } from '../chunk-bodies'
import { gunzipBytes, gunzipText, gzipText } from '../compress'
import type { BatchRow, Database } from '../schema'
import { batchProgress } from './batch-progress'
import { claimOldestFree } from './lease'
import { newestFirstPage } from './newest-first'
import { changeBatchStatusWithEvent } from './webhook-repo'

/** Chunks read per query when streaming results: bounded memory (~8 × 3 MB of JSON at most). */
const READ_CHUNKS_PER_QUERY = 8

function screeningOf(id: string, json: string | null): BatchScreening | null {
  if (json === null) return null
  try {
    return JSON.parse(json) as BatchScreening
  } catch (cause) {
    throw new AppError('DATA_INVALID', `batch ${id} has a bad screening record`, { cause })
  }
}

function contextRef(row: Pick<BatchRow, 'id' | 'tenant_id' | 'screening_json'>): BatchContextRef {
  return { id: row.id, tenantId: row.tenant_id, screening: screeningOf(row.id, row.screening_json) }
}

async function toBatch(db: Kysely<Database>, row: BatchRow): Promise<StoredBatch> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status as BatchStatus,
    format: row.format === 'jsonl' ? 'jsonl' : 'csv',
    rowsTotal: row.rows_total,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    progress: await batchProgress(db, row.id),
    screening: screeningOf(row.id, row.screening_json),
    failure: row.failure,
    name: row.name,
  }
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (Array.isArray(value)) return Uint8Array.from(value as number[])
  throw new AppError('DATA_INVALID', 'a stored batch chunk is not bytes')
}

export function batchRepo(store: Store, bodies?: ChunkBodyStore): BatchRepo {
  const { db } = store
  const visible = ['queued', 'running', 'completed', 'failed', 'cancelled']
  const unfinished = ['queued', 'running']
  /** What the chunk row keeps for a body: the bytes, or a placeholder once they are in `bodies`. */
  const keep = async (batchId: string, seq: number, kind: ChunkBodyKind, gz: Uint8Array) => {
    if (!bodies) return gz
    await bodies.put(batchId, seq, kind, gz)
    return BODY_ELSEWHERE
  }
  const gz = async (batchId: string, seq: number, kind: ChunkBodyKind, kept: unknown) =>
    bodies ? await bodies.get(batchId, seq, kind) : bytes(kept)
  const text = async (batchId: string, seq: number, kind: ChunkBodyKind, kept: unknown) =>
    gunzipText(await gz(batchId, seq, kind, kept))
  const utf8 = async (batchId: string, seq: number, kind: ChunkBodyKind, kept: unknown) =>
    gunzipBytes(await gz(batchId, seq, kind, kept))
  const uncheckedSeqs = (batchId: string) =>
    db
      .selectFrom('batch_chunk')
      .select('seq')
      .where('batch_chunk.batch_id', '=', batchId)
      .where('batch_chunk.result_gz', 'is', null)
  return {
    async open(batch) {
      await db
        .insertInto('batch')
        .values({
          id: batch.id,
          tenant_id: batch.tenantId,
          status: 'open',
          format: batch.format,
          rows_total: 0,
          created_at: batch.createdAt,
          completed_at: null,
          lease_owner: null,
          lease_until: null,
          screening_json: null,
          failure: null,
          name: batch.name ?? null,
        })
        .execute()
    },
    async appendChunk(batchId, seq, rows, rowsJson) {
      const query = db
        .insertInto('batch_chunk')
        .values({
          batch_id: batchId,
          seq,
          rows,
          rows_gz: await keep(batchId, seq, 'rows', await gzipText(rowsJson)),
          result_gz: null,
          summary_json: null,
        })
        .onConflict((oc) => oc.columns(['batch_id', 'seq']).doNothing())
        .compile()
      await store.atomic([query])
    },
    async seal(batchId, tenantId, rowsTotal, idempotencyKey, screening) {
      const queries = [
        db
          .updateTable('batch')
          .set({
            status: 'queued',
            rows_total: rowsTotal,
            screening_json: screening ? JSON.stringify(screening) : null,
          })
          .where('id', '=', batchId)
          .where('status', '=', 'open')
          .compile(),
      ]
      if (idempotencyKey !== undefined)
        queries.push(
          db
            .updateTable('idempotency_key')
            .set({ check_id: batchId })
            .where('tenant_id', '=', tenantId)
            .where('key', '=', idempotencyKey)
            .compile(),
        )
      await store.atomic(queries)
    },
    async discard(batchId) {
      await store.atomic([
        db.deleteFrom('batch_chunk').where('batch_id', '=', batchId).compile(),
        db.deleteFrom('batch').where('id', '=', batchId).compile(),
      ])
      // After the rows: a body left by a failed delete is unreachable, never a batch without bodies.
      await bodies?.deleteBatch(batchId)
    },
    async get(tenantId, id) {
      const row = await db
        .selectFrom('batch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', visible)
        .executeTakeFirst()
      return row ? toBatch(db, row) : null
    },
    async list(tenantId, filter) {
      let q = db
        .selectFrom('batch')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', visible)
      if (filter.status) q = q.where('status', '=', filter.status)
      // SQLite's LIKE (D1's too) ignores ASCII case: 'INVOICE' finds 'invoice-2026-11.csv'.
      if (filter.name !== undefined)
        q = q.where(
          sql<boolean>`${sql.ref('name')} like ${containsPattern(filter.name)} escape '\\'`,
        )
      if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom)
      if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo)
      const { page, next } = await newestFirstPage(q, filter)
      const items = []
      for (const row of page) items.push(await toBatch(db, row))
      return { items, next }
    },
    async cancel(tenantId, id) {
      await db
        .updateTable('batch')
        .set({ status: 'cancelled', lease_owner: null, lease_until: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .execute()
      return this.get(tenantId, id)
    },
    async *readChunks(batchId) {
      let after = -1
      for (;;) {
        const rows = await db
          .selectFrom('batch_chunk')
          .select(['seq', 'rows_gz', 'result_gz'])
          .where('batch_id', '=', batchId)
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(READ_CHUNKS_PER_QUERY)
          .execute()
        if (bodies) {
          // Object-store reads are round trips: the page's bodies are fetched together, served in order.
          const page = rows.map((row) =>
            Promise.all([
              text(batchId, row.seq, 'rows', null),
              row.result_gz === null ? null : utf8(batchId, row.seq, 'results', null),
            ]),
          )
          // Rejections are awaited in order below; these handlers only keep them from going unhandled.
          for (const p of page) p.catch(() => {})
          for (const [i, row] of rows.entries()) {
            const [rowsJson, resultBytes] = await page[i]!
            yield { seq: row.seq, rowsJson, resultBytes } satisfies StoredChunk
            after = row.seq
          }
        } else {
          for (const row of rows) {
            yield {
              seq: row.seq,
              rowsJson: await gunzipText(bytes(row.rows_gz)),
              resultBytes: row.result_gz === null ? null : await gunzipBytes(bytes(row.result_gz)),
            } satisfies StoredChunk
            after = row.seq
          }
        }
        if (rows.length < READ_CHUNKS_PER_QUERY) return
      }
    },
    async claim(owner, now, leaseUntil) {
      const row = await claimOldestFree(db, 'batch', { owner, now, until: leaseUntil }, true)
      return row ? contextRef(row) : null
    },
    async renew(batchId, owner, leaseUntil) {
      const result = await db
        .updateTable('batch')
        .set({ lease_until: leaseUntil })
        .where('id', '=', batchId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'running')
        .executeTakeFirst()
      return Number(result.numUpdatedRows ?? 0) > 0
    },
    async startChunk(batchId, seq, owner) {
      // One statement, committed before the chunk is checked: a try that kills the process is counted.
      const row = await db
        .updateTable('batch_chunk')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('batch_id', '=', batchId)
        .where('seq', '=', seq)
        .where('result_gz', 'is', null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('batch')
              .select('batch.id')
              .where('batch.id', '=', batchId)
              .where('batch.lease_owner', '=', owner)
              .where('batch.status', '=', 'running'),
          ),
        )
        .returning('attempts')
        .executeTakeFirst()
      return row ? Number(row.attempts) : null
    },
    async unchecked(batchId, afterSeq, limit) {
      const rows = await db
        .selectFrom('batch_chunk')
        .select(['seq', 'rows_gz'])
        .where('batch_id', '=', batchId)
        .where('seq', '>', afterSeq)
        .where('result_gz', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .execute()
      const out: BatchChunk[] = []
      for (const row of rows)
        out.push({
          batchId,
          seq: row.seq,
          rowsJson: await text(batchId, row.seq, 'rows', row.rows_gz),
        })
      return out
    },
    async saveResults(batchId, seq, resultLines, summary) {
      const query = db
        .updateTable('batch_chunk')
        .set({
          result_gz: await keep(batchId, seq, 'results', await gzipText(resultLines)),
          summary_json: JSON.stringify(summary),
        })
        .where('batch_id', '=', batchId)
        .where('seq', '=', seq)
        .where('result_gz', 'is', null)
        .compile()
      await store.atomic([query])
    },
    async complete(batchId, owner, now) {
      // With its batch.completed event (the webhooks outbox), in one atomic write.
      const update = db
        .updateTable('batch')
        .set({ status: 'completed', completed_at: now, lease_owner: null, lease_until: null })
        .where('id', '=', batchId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'running')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('batch_chunk')
                .select('seq')
                .where('batch_chunk.batch_id', '=', batchId)
                .where('batch_chunk.result_gz', 'is', null),
            ),
          ),
        )
        .compile()
      return changeBatchStatusWithEvent(store, batchId, 'completed', now, update)
    },
    async purge(createdBefore, openBefore) {
      const doomed = await db
        .selectFrom('batch')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('created_at', '<', createdBefore),
            eb.and([eb('status', '=', 'open'), eb('created_at', '<', openBefore)]),
          ]),
        )
        .execute()
      for (const { id } of doomed) await this.discard(id)
      return doomed.length
    },
    async pendingChunk(batchId, seq) {
      const row = await db
        .selectFrom('batch_chunk')
        .innerJoin('batch', 'batch.id', 'batch_chunk.batch_id')
        .select(['batch_chunk.rows_gz', 'batch.id', 'batch.tenant_id', 'batch.screening_json'])
        .where('batch_chunk.batch_id', '=', batchId)
        .where('batch_chunk.seq', '=', seq)
        .where('batch_chunk.result_gz', 'is', null)
        .where('batch.status', 'in', unfinished)
        .executeTakeFirst()
      if (!row) return null
      return {
        batchId,
        seq,
        rowsJson: await text(batchId, seq, 'rows', row.rows_gz),
        batch: contextRef(row),
      }
    },
    async settle(batchId, now) {
      const remaining = await uncheckedSeqs(batchId).limit(1).executeTakeFirst()
      if (remaining) {
        await db
          .updateTable('batch')
          .set({ status: 'running' })
          .where('id', '=', batchId)
          .where('status', '=', 'queued')
          .execute()
        return false
      }
      // Every chunk checked: complete it with its batch.completed event (the webhooks outbox), in one
      // atomic write. Conditional, so a repeated or concurrent last chunk completes it once.
      const update = db
        .updateTable('batch')
        .set({ status: 'completed', completed_at: now, lease_owner: null, lease_until: null })
        .where('id', '=', batchId)
        .where('status', 'in', unfinished)
        .where((eb) => eb.not(eb.exists(uncheckedSeqs(batchId))))
        .compile()
      return changeBatchStatusWithEvent(store, batchId, 'completed', now, update)
    },
    async fail(batchId, now, reason) {
      const update = db
        .updateTable('batch')
        .set({
          status: 'failed',
          completed_at: now,
          failure: reason.slice(0, 500),
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', batchId)
        .where('status', 'in', unfinished)
        .compile()
      await changeBatchStatusWithEvent(store, batchId, 'failed', now, update)
    },
  }
}
