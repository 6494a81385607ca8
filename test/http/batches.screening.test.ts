/**
 * HTTP batches with the tenant's screening context (issue 12), on Node: every row is checked with the
 * tenant's lists, suppressions and settings as they stood when the upload ended (recorded on the
 * batch and in each row's `versions`), a change made while the batch waits does not reach its rows,
 * and one tenant's lists never reach another tenant's batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchReadings } from '../../src/core/batch/check-chunk'
import { startBatchRunner } from '../../src/runtime/batch-runner'
import { checkChunkOn } from '../../src/runtime/checker'
import { newBatchId } from '../../src/storage/ids'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
let runner: ReturnType<typeof startBatchRunner>
let readings: ReturnType<typeof batchReadings>
/** Chunks wait here while a test holds the gate. */
let gate: Promise<void> = Promise.resolve()

beforeAll(async () => {
  h = await makeScreeningHarness()
  readings = batchReadings(h.engine)
  const repo = (h.deps as unknown as { batchRepo: import('../../src/core/ports').BatchRepo })
    .batchRepo
  runner = startBatchRunner({
    repo,
    // As on Node: a batch's repeated descriptions are read from its own readings, dropped at its end.
    checkChunk: async (rows, screening, batchId) => {
      await gate
      return checkChunkOn(h.engine, rows, screening, readings.of(batchId))
    },
    batchEnded: (batchId) => readings.end(batchId),
    screening: h.deps.screening,
    logger: h.deps.logger,
    concurrency: 1,
    retentionDays: 30,
    pollMs: 10,
  })
  h.deps.batches = {
    repo,
    queue: runner,
    limits: { maxRows: 1000, maxBytes: 1024 * 1024 },
    newId: newBatchId,
  }
}, 60_000)
afterAll(async () => {
  await runner.stop()
  await h.close()
})

type Row = {
  reference: string
  verdict: string
  matches: { list_id: string; entry_code: string; suppressed_by?: string }[]
  versions: { lists: Record<string, string>; settings?: string }
}
type Batch = {
  id: string
  status: string
  screening?: { at: string; lists: Record<string, string>; settings: string }
}

const ROWS = [
  // A tenant's in-force list for routes to Germany: prohibited.
  { reference: 'r1', description: 'SKF 6205-2RS ball bearings', destination: 'DE' },
  // A tenant's guidance list, by its pattern: review.
  { reference: 'r2', description: 'stepper drive unit', destination: 'DE' },
  // CHP to Russia, settled by a suppression for this reference only.
  { reference: 'r3', description: 'Deep groove ball bearing 6205-2RS', destination: 'RU' },
  { reference: 'r4', description: 'Deep groove ball bearing 6205-2RS', destination: 'RU' },
  // The same line a third time: its reading comes from the batch's readings (kept at r4), and the
  // suppression for r3 still does not reach it.
  { reference: 'r5', description: 'Deep groove ball bearing 6205-2RS', destination: 'RU' },
]
const FILE = ROWS.map((r) => JSON.stringify(r)).join('\n')

async function upload(key: string): Promise<Batch> {
  const res = await h.send(key, 'POST', '/v1/batches', FILE, 'application/x-ndjson')
  expect(res.status).toBe(202)
  return (await res.json()) as Batch
}

async function results(key: string, id: string): Promise<Map<string, Row>> {
  for (let i = 0; i < 1000; i++) {
    const batch = (await (await h.send(key, 'GET', `/v1/batches/${id}`)).json()) as Batch
    if (batch.status === 'completed') break
    await new Promise((r) => setTimeout(r, 10))
  }
  const res = await h.send(key, 'GET', `/v1/batches/${id}/results?format=jsonl`)
  expect(res.status).toBe(200)
  const rows = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
  return new Map(rows.map((r) => [r.reference, r]))
}

/** A tenant with both lists and a suppression for r3's CHP match. */
async function screenedTenant() {
  const { key } = await h.tenant('batch-anna')
  const lists = [
    { id: 'acme_ban', legal_status: 'in_force', destinations: ['DE'] },
    { id: 'acme_review', legal_status: 'guidance' },
  ]
  for (const l of lists) {
    const res = await h.send(key, 'POST', '/v1/lists', {
      name: l.id,
      mode: 'blocking',
      source: 'ACME policy',
      ...l,
    })
    expect(res.status).toBe(201)
  }
  const ban = 'code,title,category\n8482.10,Ball bearings,bearings\n'
  expect((await h.send(key, 'POST', '/v1/lists/acme_ban/versions', ban, 'text/csv')).status).toBe(
    201,
  )
  const review = await h.send(key, 'POST', '/v1/lists/acme_review/versions', {
    entries: [{ code: '8501', title: 'Motors', category: 'motors', patterns: ['stepper drive'] }],
  })
  expect(review.status).toBe(201)
  const sup = await h.send(key, 'POST', '/v1/suppressions', {
    scope: { reference: 'r3', list_id: 'chp', entry_code: '8482.10' },
    reason: 'Reviewed: end-user certificate on file',
  })
  expect(sup.status).toBe(201)
  return { key, suppressionId: ((await sup.json()) as { id: string }).id }
}

describe('HTTP batches with the tenant’s screening context', () => {
  it('checks every row with the tenant’s lists and suppressions, and records their versions', async () => {
    const { key, suppressionId } = await screenedTenant()
    const batch = await upload(key)
    expect(batch.screening?.lists).toMatchObject({ acme_ban: '1', acme_review: '1' })
    const rows = await results(key, batch.id)

    expect(rows.get('r1')?.verdict).toBe('prohibited')
    expect(rows.get('r1')?.matches.some((m) => m.list_id === 'acme_ban')).toBe(true)
    expect(rows.get('r2')?.verdict).toBe('review')
    const r3chp = rows.get('r3')?.matches.find((m) => m.list_id === 'chp')
    expect(r3chp?.suppressed_by).toBe(suppressionId)
    expect(rows.get('r3')?.verdict).not.toBe('high_risk')
    expect(rows.get('r4')?.verdict).toBe('high_risk')
    expect(rows.get('r4')?.matches.some((m) => m.suppressed_by)).toBe(false)
    const { reference: _r4, row: _l4, ...r4 } = rows.get('r4') as Row & { row: number }
    const { reference: _r5, row: _l5, ...r5 } = rows.get('r5') as Row & { row: number }
    expect(r5).toEqual(r4)
    for (const row of rows.values()) {
      expect(row.versions.lists).toMatchObject({ acme_ban: '1', acme_review: '1' })
      expect(row.versions.settings).toBe(batch.screening?.settings)
    }

    // Each row equals a single check made with the same context.
    const single = await h.check(key, ROWS[0]!)
    expect(single.verdict).toBe('prohibited')
  })

  it('keeps the context of the seal while the tenant changes its lists and suppressions', async () => {
    const { key, suppressionId } = await screenedTenant()
    let open!: () => void
    gate = new Promise((resolve) => {
      open = resolve
    })
    try {
      // The runner takes one batch at a time: held on another tenant's batch, it reads this one's
      // context only after the changes below (the recorded versions, not the current ones).
      const { key: other } = await h.tenant()
      const blocker = await upload(other)
      const batch = await upload(key)
      // While the batch waits: the ban list loses its bearings, the suppression is deleted.
      const v2 = await h.send(key, 'POST', '/v1/lists/acme_ban/versions', {
        entries: [{ code: '9401', title: 'Seats', category: 'seats' }],
      })
      expect(v2.status).toBe(201)
      expect((await h.send(key, 'DELETE', `/v1/suppressions/${suppressionId}`)).status).toBe(204)
      open()
      await results(other, blocker.id)
      const rows = await results(key, batch.id)
      expect(rows.get('r1')?.verdict).toBe('prohibited')
      expect(rows.get('r1')?.versions.lists.acme_ban).toBe('1')
      expect(rows.get('r3')?.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBe(
        suppressionId,
      )

      // A batch uploaded after the change is checked with the new context.
      const after = await upload(key)
      expect(after.screening?.lists.acme_ban).toBe('2')
      const next = await results(key, after.id)
      expect(next.get('r1')?.verdict).not.toBe('prohibited')
      expect(next.get('r3')?.verdict).toBe('high_risk')
    } finally {
      open()
      gate = Promise.resolve()
    }
  })

  it('never lets one tenant’s lists or suppressions reach another tenant’s batch', async () => {
    await screenedTenant()
    const { key: other } = await h.tenant('batch-bob')
    const batch = await upload(other)
    expect(batch.screening?.lists).not.toHaveProperty('acme_ban')
    const rows = await results(other, batch.id)
    expect(rows.get('r1')?.verdict).toBe('clear')
    expect(rows.get('r2')?.verdict).toBe('clear')
    expect(rows.get('r3')?.verdict).toBe('high_risk')
    expect(rows.get('r5')?.verdict).toBe('high_risk')
    for (const row of rows.values()) {
      expect(row.matches.some((m) => m.suppressed_by || m.list_id.startsWith('acme_'))).toBe(false)
      expect(row.versions.lists).not.toHaveProperty('acme_ban')
    }
  })
})
