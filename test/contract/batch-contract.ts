/**
 * The queue consumer's side of the batch repository (Workers' `checkQueuedChunk`), one suite run on
 * better-sqlite3 with chunk bodies in the rows (`sqlite` project) and on D1 with bodies in R2
 * (`workers` project): every step is conditional, so repeating it changes nothing.
 */
import { describe, expect, it } from 'vitest'
import { emptyTally } from '../../src/core/batch/check-chunk'
import type { BatchRepo, ChunkSummary } from '../../src/core/ports'
import type { Store } from '../../src/storage/atomic'
import type { ChunkBodyStore } from '../../src/storage/chunk-bodies'
import { newBatchId } from '../../src/storage/ids'
import { batchRepo } from '../../src/storage/repos/batch-repo'
import { ensureTenant } from '../../src/storage/repos/tenant-repo'

const rows = (n: number) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      line: i + 2,
      reference: `R${i}`,
      input: { description: 'chair', destination: 'KZ' },
    })),
  )

/** What a batch records of its tenant's screening context at the seal (issue 12). */
const SCREENING = {
  key: 't@1.1',
  at: '2027-01-01T00:00:00.000Z',
  lists: { chp: '2024-02-23', acme: '3' },
  settings: 'sha256:0123456789abcdef',
}

function summary(n: number): ChunkSummary {
  return {
    rows: n,
    tally: { ...emptyTally(), clear: n },
    byDestination: { KZ: { ...emptyTally(), clear: n } },
  }
}

export function batchContract(
  label: string,
  open: () => Promise<{ store: Store; bodies?: ChunkBodyStore }>,
) {
  describe(`batch repository, queue consumer side, on ${label}`, () => {
    async function sealedBatch(
      chunks: number[],
    ): Promise<{ repo: BatchRepo; id: string; tenantId: string }> {
      const { store, bodies } = await open()
      const repo = batchRepo(store, bodies)
      const tenant = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      const id = newBatchId()
      await repo.open({
        id,
        tenantId: tenant.id,
        format: 'csv',
        createdAt: new Date().toISOString(),
      })
      for (const [seq, n] of chunks.entries()) await repo.appendChunk(id, seq, n, rows(n))
      await repo.seal(
        id,
        tenant.id,
        chunks.reduce((a, b) => a + b, 0),
        undefined,
        SCREENING,
      )
      return { repo, id, tenantId: tenant.id }
    }

    it('hands out a chunk with its rows until its results are stored, then never again', async () => {
      const { repo, id, tenantId } = await sealedBatch([3, 2])
      const chunk = await repo.pendingChunk(id, 1)
      // With whose batch it is and the screening context recorded at the seal.
      expect(chunk).toEqual({
        batchId: id,
        seq: 1,
        rowsJson: rows(2),
        batch: { id, tenantId, screening: SCREENING },
      })
      expect((await repo.get(tenantId, id))?.screening).toEqual(SCREENING)
      await repo.saveResults(id, 1, 'first\nresults\n', summary(2))
      expect(await repo.pendingChunk(id, 1)).toBeNull()
      // A second consumer with other bytes (or a retry) does not replace the first results.
      await repo.saveResults(id, 1, 'other\nbytes\n', summary(2))
      const stored = []
      for await (const c of repo.readChunks(id))
        stored.push(c.resultBytes && new TextDecoder().decode(c.resultBytes))
      expect(stored).toEqual([null, 'first\nresults\n'])
      expect(await repo.pendingChunk(id, 7)).toBeNull()
      expect(await repo.pendingChunk('bat_unknown', 0)).toBeNull()
    })

    it('settles queued → running while chunks remain, and completes once after the last', async () => {
      const { repo, id, tenantId } = await sealedBatch([3, 2])
      expect(await repo.settle(id, '2026-01-01T00:00:00.000Z')).toBe(false)
      expect((await repo.get(tenantId, id))?.status).toBe('running')
      await repo.saveResults(id, 0, 'a\nb\nc\n', summary(3))
      expect(await repo.settle(id, '2026-01-01T00:00:01.000Z')).toBe(false)
      await repo.saveResults(id, 1, 'd\ne\n', summary(2))
      expect(await repo.settle(id, '2026-01-01T00:00:02.000Z')).toBe(true)
      expect(await repo.settle(id, '2026-01-01T00:00:03.000Z')).toBe(false)
      const done = await repo.get(tenantId, id)
      expect(done).toMatchObject({ status: 'completed', completedAt: '2026-01-01T00:00:02.000Z' })
      expect(done?.progress.rows).toBe(5)
    })

    it('stores results given as UTF-8 bytes (a Node check thread’s) as it stores text', async () => {
      const { repo, id } = await sealedBatch([2, 1])
      const text = '{"reference":"R0","evidence":"a → b…"}\n{"reference":"R1"}\n'
      await repo.saveResults(id, 0, new TextEncoder().encode(text), summary(2))
      await repo.saveResults(id, 1, 'x\n', summary(1))
      const stored = []
      for await (const c of repo.readChunks(id))
        stored.push(c.resultBytes && new TextDecoder().decode(c.resultBytes))
      expect(stored).toEqual([text, 'x\n'])
    })

    it('leaves a cancelled batch alone: no chunk handed out, no settle', async () => {
      const { repo, id, tenantId } = await sealedBatch([2])
      await repo.cancel(tenantId, id)
      expect(await repo.pendingChunk(id, 0)).toBeNull()
      expect(await repo.settle(id, new Date().toISOString())).toBe(false)
      expect((await repo.get(tenantId, id))?.status).toBe('cancelled')
    })

    it('fails an unfinished batch, and only an unfinished one', async () => {
      const failing = await sealedBatch([2])
      await failing.repo.fail(failing.id, '2026-01-01T00:00:00.000Z', 'chunk 0 failed 6 tries')
      expect(await failing.repo.get(failing.tenantId, failing.id)).toMatchObject({
        status: 'failed',
        completedAt: '2026-01-01T00:00:00.000Z',
        failure: 'chunk 0 failed 6 tries',
      })
      expect(await failing.repo.pendingChunk(failing.id, 0)).toBeNull()

      const done = await sealedBatch([1])
      await done.repo.saveResults(done.id, 0, 'x\n', summary(1))
      await done.repo.settle(done.id, new Date().toISOString())
      await done.repo.fail(done.id, new Date().toISOString(), 'too late')
      expect(await done.repo.get(done.tenantId, done.id)).toMatchObject({
        status: 'completed',
        failure: null,
      })
    })

    it('lists by name (a part, any ASCII case, % and _ literal), status and creation time', async () => {
      const { store, bodies } = await open()
      const repo = batchRepo(store, bodies)
      const tenant = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      const add = async (name: string | null, createdAt: string) => {
        const id = newBatchId()
        await repo.open({ id, tenantId: tenant.id, format: 'csv', createdAt, name })
        await repo.appendChunk(id, 0, 1, rows(1))
        await repo.seal(id, tenant.id, 1)
        return id
      }
      const nov = await add('Invoice-2026-11.csv', '2026-11-05T00:00:00.000Z')
      const dec = await add('invoice-2026-12.csv', '2026-12-05T00:00:00.000Z')
      const lot = await add('lot_7', '2026-12-06T00:00:00.000Z')
      await add('lotx7', '2026-12-07T00:00:00.000Z')
      const unnamed = await add(null, '2026-12-08T00:00:00.000Z')
      await repo.cancel(tenant.id, dec)
      const ids = async (filter: Omit<Parameters<BatchRepo['list']>[1], 'limit'>) =>
        (await repo.list(tenant.id, { limit: 10, ...filter })).items.map((b) => b.id)
      expect((await repo.get(tenant.id, nov))?.name).toBe('Invoice-2026-11.csv')
      expect((await repo.get(tenant.id, unnamed))?.name).toBeNull()
      expect(await ids({ name: 'INVOICE-2026' })).toEqual([dec, nov])
      expect(await ids({ name: 'lot_7' })).toEqual([lot])
      expect(await ids({ name: '%' })).toEqual([])
      expect(await ids({ status: 'cancelled' })).toEqual([dec])
      expect(await ids({ name: 'invoice', status: 'queued' })).toEqual([nov])
      expect(
        await ids({
          createdFrom: '2026-12-05T00:00:00.000Z',
          createdTo: '2026-12-07T00:00:00.000Z',
        }),
      ).toEqual([lot, dec])
      // Another tenant's listing finds none of them.
      const other = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      expect((await repo.list(other.id, { limit: 10, name: 'invoice' })).items).toEqual([])
    })
  })
}
