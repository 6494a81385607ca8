/**
 * Issue 9, "never a stuck batch", on Node: a chunk that fails every try ends its batch as `failed`
 * after JOB_STEP_MAX_ATTEMPTS tries, with its reason, one `batch.failed` event (the outbox, as on
 * Workers), and the rows checked before it still readable. Tries are counted before each check, so
 * tries that took the server down (left counted by processes that died) fail the batch too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { checkChunkRows } from '../../src/core/batch/check-chunk'
import { JOB_STEP_MAX_ATTEMPTS } from '../../src/core/job-attempts'
import { type BatchDoc, makeBatchHarness } from './batch-harness'

type H = Awaited<ReturnType<typeof makeBatchHarness>>
let h: H | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** `n` rows; row `poison` (0-based) names a description the failing checker cannot get past. */
const csv = (n: number, poison = -1) =>
  `reference,description,destination\n${Array.from(
    { length: n },
    (_, i) => `R${i},${i === poison ? 'Poison pill' : 'Wooden chairs'},DE`,
  ).join('\n')}\n`

type Failed = BatchDoc & { failure: string | null }

async function eventsOf(harness: H, batchId: string) {
  return harness.store.db
    .selectFrom('webhook_event')
    .select(['type', 'payload_json'])
    .where('subject_id', '=', batchId)
    .execute()
}

describe('a batch chunk that cannot be checked (Node runner)', () => {
  it(`fails the batch after ${JOB_STEP_MAX_ATTEMPTS} tries with one batch.failed event, the other chunks checked and readable`, async () => {
    let poisonTries = 0
    h = await makeBatchHarness({
      check: async (rows) => {
        if (rows.some((r) => r.input?.description === 'Poison pill')) {
          poisonTries++
          throw new Error('check thread stopped (exit code 1)')
        }
        return checkChunkRows(h!.engine, rows)
      },
      runner: { leaseMs: 20, retryDelayMs: 5 },
    })
    const { key } = await h.newTenant()
    // Chunks of 500 rows: the second (lines 502 to 1001) holds the poison row.
    const res = await h.upload(key, csv(1200, 700), 'text/csv')
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }

    const failed = (await h.waitFor(key, id, (b) => b.status === 'failed')) as Failed
    expect(failed).toMatchObject({ rows_total: 1200, rows_checked: 700 })
    expect(failed.completed_at).not.toBeNull()
    expect(failed.failure).toBe(
      `chunk 1 (lines 502–1001) failed ${JOB_STEP_MAX_ATTEMPTS} tries: Error: check thread stopped (exit code 1)`,
    )
    expect(poisonTries).toBe(JOB_STEP_MAX_ATTEMPTS)
    const tries = await h.store.db
      .selectFrom('batch_chunk')
      .select(['seq', 'attempts'])
      .where('batch_id', '=', id)
      .orderBy('seq')
      .execute()
    expect(tries).toEqual([
      { seq: 0, attempts: 1 },
      { seq: 1, attempts: JOB_STEP_MAX_ATTEMPTS },
      { seq: 2, attempts: 1 },
    ])

    // Announced once, through the outbox, with the rows counted so far.
    const events = await eventsOf(h, id)
    expect(events.map((e) => e.type)).toEqual(['batch.failed'])
    expect(JSON.parse(events[0]!.payload_json).data).toMatchObject({
      id,
      status: 'failed',
      counts: { clear: 700 },
    })

    // The rows checked before it failed are served, in input order, without the failed chunk's.
    const results = await h.get(key, `/v1/batches/${id}/results?format=jsonl`)
    expect(results.status).toBe(200)
    const rows = (await results.text())
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { row: number }).row)
    expect(rows).toHaveLength(700)
    expect(rows.slice(498, 502)).toEqual([500, 501, 1002, 1003])

    // Finished: the runner leaves it alone, and it cannot be cancelled.
    await new Promise((r) => setTimeout(r, 60))
    expect(poisonTries).toBe(JOB_STEP_MAX_ATTEMPTS)
    expect((await h.send(key, 'POST', `/v1/batches/${id}/cancel`)).status).toBe(409)
    expect(await eventsOf(h, id)).toHaveLength(1)
  })

  it('fails the batch without checking again a chunk whose every try took the server down', async () => {
    let checked = 0
    h = await makeBatchHarness({
      gated: true,
      check: async (rows) => {
        checked++
        return checkChunkRows(h!.engine, rows)
      },
    })
    const { key } = await h.newTenant()
    const { id } = (await (await h.upload(key, csv(1200), 'text/csv')).json()) as { id: string }
    // The runner holds chunk 0 at the gate (its try counted). Chunk 1's tries, as servers that
    // died checking it (SIGKILL, out of memory) leave them: counted, never finished.
    await h.waitFor(key, id, (b) => b.status === 'running')
    await h.store.db
      .updateTable('batch_chunk')
      .set({ attempts: JOB_STEP_MAX_ATTEMPTS })
      .where('batch_id', '=', id)
      .where('seq', '=', 1)
      .execute()
    h.release(10)

    const failed = (await h.waitFor(key, id, (b) => b.status === 'failed')) as Failed
    expect(failed.failure).toBe(
      `chunk 1 (lines 502–1001) was tried ${JOB_STEP_MAX_ATTEMPTS} times without finishing (the server stopped during each try)`,
    )
    // Chunk 0 was checked; chunk 1 was not tried a seventh time, and nothing after it was started.
    expect(checked).toBe(1)
    expect(failed.rows_checked).toBe(500)
    expect((await eventsOf(h, id)).map((e) => e.type)).toEqual(['batch.failed'])
  })

  it('completes a batch whose chunk failed fewer tries than the limit', async () => {
    let failures = 0
    h = await makeBatchHarness({
      check: async (rows) => {
        if (failures < JOB_STEP_MAX_ATTEMPTS - 1) {
          failures++
          throw new Error('busy')
        }
        return checkChunkRows(h!.engine, rows)
      },
      runner: { leaseMs: 20, retryDelayMs: 5 },
    })
    const { key } = await h.newTenant()
    const { id } = (await (await h.upload(key, csv(10), 'text/csv')).json()) as { id: string }
    const done = (await h.waitFor(key, id, (b) => b.status === 'completed')) as Failed
    expect(done).toMatchObject({ rows_checked: 10, failure: null })
    expect((await eventsOf(h, id)).map((e) => e.type)).toEqual(['batch.completed'])
  })
})
