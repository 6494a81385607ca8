/**
 * HTTP batch harness: the app over a migrated SQLite `:memory:` store (test/http/harness.ts) with
 * batches wired as on Node, a runner checking chunks with the real engine in this thread (keeping each
 * batch's readings until the runner ends it, as a check thread does), and a gate that holds chunks
 * until a test lets them through.
 */
import { processChunk } from '../../src/cli/batch-rows'
import {
  type BatchFormat,
  type BatchRow,
  type RowDefaults,
  readBatchRows,
} from '../../src/core/batch'
import { batchReadings } from '../../src/core/batch/check-chunk'
import type { BatchLimits, BatchRepo, ChunkChecker } from '../../src/core/ports'
import { type BatchRunnerOptions, startBatchRunner } from '../../src/runtime/batch-runner'
import { checkChunkOn } from '../../src/runtime/checker'
import { newBatchId } from '../../src/storage/ids'
import { testEngine } from '../core/engine-fixture'
import { makeHarness } from './harness'

export type BatchDoc = {
  id: string
  status: string
  format: string
  rows_total: number
  rows_checked: number
  rows_failed: number
  counts: Record<string, number>
  counts_by_destination: Record<string, Record<string, number>>
  created_at: string
  completed_at: string | null
  results_url: string
}

export async function makeBatchHarness(
  opts: {
    limits?: Partial<BatchLimits>
    gated?: boolean
    /** Checks a chunk once the gate lets it through (default: the real engine in this thread). */
    check?: ChunkChecker
    /** Runner timings (a short lease and retry delay for tests of failing chunks). */
    runner?: Pick<BatchRunnerOptions, 'leaseMs' | 'retryDelayMs'>
  } = {},
) {
  const h = await makeHarness()
  const repo = (h.deps as unknown as { batchRepo: BatchRepo }).batchRepo
  const engine = testEngine()
  // Chunks wait here while `gated`: each `release()` lets one through.
  let permits = opts.gated ? 0 : Number.POSITIVE_INFINITY
  const waiters: (() => void)[] = []
  const release = (n = 1) => {
    permits += n
    while (permits > 0 && waiters.length > 0) {
      permits--
      waiters.shift()!()
    }
  }
  // The readings of the batch being checked, by batch id, dropped when the runner ends the batch.
  const readings = batchReadings(engine)
  const check: ChunkChecker =
    opts.check ??
    (async (rows, screening, batchId) =>
      checkChunkOn(engine, rows, screening, readings.of(batchId)))
  const runner = startBatchRunner({
    repo,
    checkChunk: async (rows, screening, batchId) => {
      if (permits > 0) permits--
      else await new Promise<void>((resolve) => waiters.push(resolve))
      return check(rows, screening, batchId)
    },
    batchEnded: (batchId) => readings.end(batchId),
    logger: h.deps.logger,
    concurrency: 1,
    retentionDays: 30,
    pollMs: 10,
    ...opts.runner,
  })
  h.deps.batches = {
    repo,
    queue: runner,
    limits: { maxRows: 1_000_000, maxBytes: 256 * 1024 * 1024, ...opts.limits },
    newId: newBatchId,
  }
  const upload = (
    key: string,
    body: RequestInit['body'],
    contentType: string | null,
    query = '',
    headers: Record<string, string> = {},
  ) =>
    h.app.request(`/v1/batches${query}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        ...(contentType ? { 'content-type': contentType } : {}),
        ...headers,
      },
      body,
    })
  const send = (key: string, method: string, path: string) =>
    h.app.request(path, { method, headers: { authorization: `Bearer ${key}` } })
  /** Polls the batch until `done(batch)` holds. */
  const waitFor = async (key: string, id: string, done: (b: BatchDoc) => boolean) => {
    for (let i = 0; i < 2000; i++) {
      const res = await h.get(key, `/v1/batches/${id}`)
      const batch = (await res.json()) as BatchDoc
      if (done(batch)) return batch
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error(`batch ${id} never reached the awaited state`)
  }
  const countStored = async () => {
    const batches = await h.store.db.selectFrom('batch').select('id').execute()
    const chunks = await h.store.db.selectFrom('batch_chunk').select('seq').execute()
    return { batches: batches.length, chunks: chunks.length }
  }
  return {
    ...h,
    repo,
    engine,
    readings,
    release,
    upload,
    send,
    waitFor,
    countStored,
    close: async () => {
      release(1_000_000)
      await runner.stop()
      await h.close()
    },
  }
}

/** What the CLI writes for the same bytes: rows read by the shared reader, then `processChunk`. */
export async function cliOutput(
  bytes: string | Uint8Array,
  inputFormat: BatchFormat,
  outputFormat: 'jsonl' | 'csv',
  defaults: RowDefaults = {},
): Promise<string> {
  const rows: BatchRow[] = []
  for await (const row of readBatchRows(new Blob([bytes]).stream(), {
    format: inputFormat,
    defaults,
  }))
    rows.push(row)
  const { output } = processChunk(testEngine(), rows, { format: outputFormat })
  return new TextDecoder().decode(output)
}
