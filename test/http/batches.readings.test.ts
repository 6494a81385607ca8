/**
 * An HTTP batch reads a repeated goods line once or twice, from readings of its own (core/batch/
 * check-chunk.ts `batchReadings`), on the real SQLite store through `app.request`: the results are the
 * bytes of reading every row afresh, and the readings go with the batch. The server's engine keeps
 * no readings, so no reading kept for one tenant's batch answers another tenant's check.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { classificationCache } from '../../src/core/classify/classification-cache'
import { CheckRequestSchema } from '../../src/core/schemas'
import { checkChunkOn, checkerOf } from '../../src/runtime/checker'
import { testEngine } from '../core/engine-fixture'
import { type BatchDoc, makeBatchHarness } from './batch-harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
const open: H[] = []
afterEach(async () => {
  for (const h of open.splice(0)) await h.close()
  vi.restoreAllMocks()
})

/** SKU lines as an invoice repeats them, with varied routes, declared codes and one bad row. */
const SKUS = [
  'Deep groove ball bearing 6205-2RS',
  'Programmable logic controller, Siemens S7-1200',
  'Cotton T-shirts, men’s, knitted',
  'подшипник роликовый игольчатый',
  'Frozen salmon fillets',
  'USB webcam',
]
const DESTINATIONS = ['RU', 'KZ', 'DE', 'AM', 'CN']
/** 700 rows: two chunks of the batch (500, 200). */
const ROWS = 700

function invoiceCsv(): string {
  const out = ['reference,description,destination,hs_code,final_destination']
  for (let i = 0; i < ROWS; i++) {
    const destination = i === 377 ? 'XX' : DESTINATIONS[i % DESTINATIONS.length]!
    const declared = i % 7 === 0 ? '848210' : ''
    const final = destination === 'AM' && i % 2 ? 'RU' : ''
    out.push(`INV-${i},"${SKUS[i % SKUS.length]}",${destination},${declared},${final}`)
  }
  return `${out.join('\n')}\n`
}

async function checkedBatch(h: H, key: string): Promise<BatchDoc> {
  const res = await h.upload(key, invoiceCsv(), 'text/csv')
  expect(res.status).toBe(202)
  const { id } = (await res.json()) as BatchDoc
  return h.waitFor(key, id, (b) => b.status === 'completed')
}

/** A tenant's invoice uploaded to a gated harness, its first chunk (500 rows) let through and checked. */
async function firstChunkChecked(h: H): Promise<{ key: string; id: string }> {
  const { key } = await h.newTenant()
  const res = await h.upload(key, invoiceCsv(), 'text/csv')
  const { id } = (await res.json()) as BatchDoc
  h.release(1)
  await h.waitFor(key, id, (b) => b.rows_checked === 500)
  return { key, id }
}

async function results(h: H, key: string, id: string, format: 'jsonl' | 'csv') {
  const res = await h.get(key, `/v1/batches/${id}/results?format=${format}`)
  expect(res.status).toBe(200)
  return res.text()
}

describe('HTTP batches read a repeated line from the batch’s own readings', () => {
  it('give the same bytes as reading every row afresh, reading each line at most twice', async () => {
    const engine = testEngine()
    const reads = vi.spyOn(engine.classifier, 'classify')

    const reused = await makeBatchHarness()
    open.push(reused)
    const a = await reused.newTenant()
    const withReadings = await checkedBatch(reused, a.key)
    // Six lines over two chunks: each read on its first and second sighting, then kept.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2 * SKUS.length)
    expect(withReadings).toMatchObject({ rows_total: ROWS, rows_checked: ROWS, rows_failed: 1 })

    reads.mockClear()
    const afresh = await makeBatchHarness({
      // Today's reading: a cache that keeps nothing, so every row is read.
      check: async (rows, screening) =>
        checkChunkOn(engine, rows, screening, classificationCache(engine.classifier, 0)),
    })
    open.push(afresh)
    const b = await afresh.newTenant()
    const withoutReadings = await checkedBatch(afresh, b.key)
    expect(reads.mock.calls.length).toBe(ROWS - 1)

    expect(withReadings.counts).toEqual(withoutReadings.counts)
    expect(withReadings.counts_by_destination).toEqual(withoutReadings.counts_by_destination)
    for (const format of ['jsonl', 'csv'] as const) {
      const got = await results(reused, a.key, withReadings.id, format)
      expect(got).toBe(await results(afresh, b.key, withoutReadings.id, format))
      expect(got.trim().split('\n')).toHaveLength(format === 'csv' ? ROWS + 1 : ROWS)
    }
  }, 60_000)

  it('drop a batch’s readings at its end, and never let another tenant’s check read them', async () => {
    const h = await makeBatchHarness({ gated: true })
    open.push(h)
    const engine = h.engine
    const { key, id } = await firstChunkChecked(h)
    // Mid-batch: the batch's readings are kept, by its id, and nowhere else.
    expect(h.readings.size).toBe(1)
    expect(h.readings.of(id).size).toBe(SKUS.length)
    expect(engine.classifications.capacity).toBe(0)
    expect(engine.classifications.size).toBe(0)

    // Another tenant's check of a line this batch keeps (the server's single-check path) reads it
    // afresh: no faster for what the batch checked.
    const reads = vi.spyOn(engine.classifier, 'classify')
    checkerOf(engine).check(CheckRequestSchema.parse({ description: SKUS[0], destination: 'DE' }))
    expect(reads).toHaveBeenCalledTimes(1)

    h.release(10)
    await h.waitFor(key, id, (b) => b.status === 'completed')
    // The runner ends the batch just after completing it.
    await expect.poll(() => h.readings.size).toBe(0)
    expect(engine.classifications.size).toBe(0)
  }, 60_000)

  it('drop the readings of a batch the runner loses mid-way (cancelled between its chunks)', async () => {
    const h = await makeBatchHarness({ gated: true })
    open.push(h)
    const { key, id } = await firstChunkChecked(h)
    expect(h.readings.size).toBe(1)
    expect((await h.send(key, 'POST', `/v1/batches/${id}/cancel`)).status).toBe(200)
    // The runner finds the batch no longer its own at its next renewal and stops working it: never
    // completed, its readings go all the same.
    h.release(10)
    await expect.poll(() => h.readings.size).toBe(0)
    expect((await h.waitFor(key, id, (b) => b.status !== 'running')).status).toBe('cancelled')
  }, 60_000)
})
