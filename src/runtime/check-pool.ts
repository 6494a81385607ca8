/**
 * @module runtime/check-pool
 * The Node server runs checks on worker threads, each with its own engine, so classification (the
 * costliest step of a check) stays off the event loop: health probes, reads and request parsing go on
 * while checks run, and the other cores work on checks. A thread that dies is replaced; the checks it
 * held fail as internal errors (never stored), and the client may retry them.
 *
 * Only the threads read the catalogue: the first one ready reports its versions, lists and HS codes
 * (`summary`). Parsing the 16 MB file on the main thread as well left ~70 MB of garbage in its heap
 * until its first full collection, which came ~20 s into a batch once the main thread no longer
 * received results as strings (BENCHMARKS.md, "HTTP batches on Node", "Memory").
 */
import type { Worker } from 'node:worker_threads'
import type { BatchRow } from '../core/batch'
import type { CatalogueSummary } from '../core/engine'
import { AppError } from '../core/errors'
import type { ScreeningInput } from '../core/lists/types'
import type { ChunkChecker, GoodsChecker, Logger } from '../core/ports'
import type { CheckRequest, CheckResult, Verdict } from '../core/schemas'
import type { CheckMessage, CheckReply, CheckThreadInit, ContextMessage } from './check-thread'
import { startThread } from './thread-bundle'

const THREAD_ENTRY = new URL('./check-thread.ts', import.meta.url)
/** The engine's live heap is about 50 MB; the rest is room for garbage between collections. */
const THREAD_OLD_SPACE_MB = 256
const THREAD_YOUNG_SPACE_MB = 16
/** A thread that died is replaced after this pause, so a thread that cannot start does not spin. */
const RESPAWN_DELAY_MS = 1000
/** A replacement thread is ready in about 3 s; a check waits that long, and then some, at most. */
const MAX_WAIT_MS = 10_000

export type CheckPool = GoodsChecker & {
  /** The catalogue's versions, lists and HS codes, as the first thread ready read them. */
  summary: CatalogueSummary
  /** Checks a chunk of HTTP batch rows on a thread (the batch runner's `ChunkChecker`). */
  checkChunk: ChunkChecker
  /** The batch runner is done with a batch: every thread drops the readings it kept for it. */
  endBatch(batchId: string): void
  close(): Promise<void>
}

type Checked = { result: CheckResult; json: string }
/** A chunk as a check thread returns it: the `utf8` form of core/ports.ts `CheckedChunk`. */
type ThreadChunk = { utf8: Uint8Array; outcomes: (Verdict | 'error')[] }
type Pending = {
  resolve: (checked: Checked & ThreadChunk) => void
  reject: (err: unknown) => void
}
type Work = ({ request: CheckRequest } | { rows: BatchRow[]; batch?: string }) & {
  screening?: ScreeningInput
}
type Thread = {
  worker: Worker
  ready: boolean
  pending: Map<number, Pending & { work: Work }>
  /** Context keys this thread was sent the data of (it may have dropped some since: it says so). */
  contexts: Set<string>
  error?: string
}
/** Context keys remembered per thread; past this the set starts over (the thread asks again). */
const MAX_KNOWN_CONTEXTS = 256

/**
 * Starts `threads` check threads and resolves once all have built their engine.
 * @throws AppError INTERNAL when a thread fails before it is ready (a missing or bad catalogue).
 */
export async function startCheckPool(opts: {
  cataloguePath: string
  threads: number
  /** The thread module (default `check-thread.ts`); tests pass one that can be made to crash. */
  entry?: URL
  /** How long a check may wait for a thread when none is ready, before it fails with a 503. */
  maxWaitMs?: number
  /** Where a thread's death after start is logged (one line each), so a crash loop is visible. */
  logger?: Logger
}): Promise<CheckPool> {
  const entry = opts.entry ?? THREAD_ENTRY
  const maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS
  const init: CheckThreadInit = { cataloguePath: opts.cataloguePath }
  const threads: Thread[] = []
  /** Checks that arrived while no thread was ready (only while a dead thread is being replaced). */
  const waiting: { work: Work; pending: Pending; timer: NodeJS.Timeout }[] = []
  let seq = 0
  let closing = false
  let summary: CatalogueSummary | undefined

  function send(thread: Thread, work: Work, pending: Pending): void {
    let context: ContextMessage | undefined
    if (work.screening) {
      // The context's data crosses to a thread once; later checks and chunks name it by key.
      const { data, at } = work.screening
      const known = thread.contexts.has(data.key)
      if (!known) {
        if (thread.contexts.size >= MAX_KNOWN_CONTEXTS) thread.contexts.clear()
        thread.contexts.add(data.key)
      }
      context = known ? { key: data.key, at } : { key: data.key, at, data }
    }
    const message: CheckMessage =
      'rows' in work
        ? {
            seq: seq++,
            rows: work.rows,
            ...(work.batch ? { batch: work.batch } : {}),
            ...(context ? { context } : {}),
          }
        : { seq: seq++, request: work.request, ...(context ? { context } : {}) }
    thread.pending.set(message.seq, { ...pending, work })
    thread.worker.postMessage(message)
  }

  function spawn(onReady?: (err?: unknown) => void): Thread {
    const worker = startThread(entry, {
      workerData: init,
      resourceLimits: {
        maxOldGenerationSizeMb: THREAD_OLD_SPACE_MB,
        maxYoungGenerationSizeMb: THREAD_YOUNG_SPACE_MB,
      },
    })
    const thread: Thread = { worker, ready: false, pending: new Map(), contexts: new Set() }
    // Read now: a worker that has exited reports -1.
    const threadId = worker.threadId
    worker.on('message', (reply: CheckReply) => {
      if ('ready' in reply) {
        summary ??= reply.summary
        thread.ready = true
        onReady?.()
        for (const w of waiting.splice(0)) {
          clearTimeout(w.timer)
          send(thread, w.work, w.pending)
        }
        return
      }
      const pending = thread.pending.get(reply.seq)
      thread.pending.delete(reply.seq)
      if (!pending) return
      if ('missingContext' in reply) {
        thread.contexts.delete(reply.missingContext)
        return send(thread, pending.work, pending)
      }
      if ('error' in reply) pending.reject(new AppError('INTERNAL', `check failed: ${reply.error}`))
      else if ('utf8' in reply)
        (pending.resolve as (c: ThreadChunk) => void)({
          utf8: reply.utf8,
          outcomes: reply.outcomes,
        })
      else
        (pending.resolve as (c: Checked) => void)({
          result: JSON.parse(reply.json) as CheckResult,
          json: reply.json,
        })
    })
    worker.on('error', (err) => {
      thread.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
      if (!thread.ready) onReady?.(err)
    })
    worker.on('exit', (code) => {
      const lost = new AppError('INTERNAL', `check thread stopped (exit code ${code})`)
      const failed = thread.pending.size
      for (const p of thread.pending.values()) p.reject(lost)
      thread.pending.clear()
      const at = threads.indexOf(thread)
      if (at >= 0) threads.splice(at, 1)
      // A thread of the first start that never got ready fails the start; any other is replaced.
      if (onReady && !thread.ready) return onReady(lost)
      if (closing) return
      opts.logger?.error({
        msg: 'check thread died',
        thread: threadId,
        code,
        ...(thread.error ? { error: thread.error } : {}),
        checks_failed: failed,
        respawn_in_ms: RESPAWN_DELAY_MS,
      })
      setTimeout(() => {
        if (!closing) threads.push(spawn())
      }, RESPAWN_DELAY_MS).unref()
    })
    return thread
  }

  try {
    await Promise.all(
      Array.from(
        { length: opts.threads },
        () =>
          new Promise<void>((resolve, reject) => {
            threads.push(spawn((err) => (err === undefined ? resolve() : reject(err))))
          }),
      ),
    )
  } catch (cause) {
    closing = true
    await Promise.all(threads.map((t) => t.worker.terminate()))
    // A catalogue that cannot be read is reported as the main thread reported it when it read the
    // file itself: its own sentence, naming the file (the code survives the thread's error).
    if (cause instanceof Error && (cause as { code?: unknown }).code === 'DATA_INVALID')
      throw new AppError('DATA_INVALID', cause.message, { cause })
    throw new AppError('INTERNAL', 'a check thread could not start', { cause })
  }
  const ready = summary!

  function run<T>(work: Work): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { resolve: resolve as Pending['resolve'], reject }
      // The ready thread with the fewest checks in flight.
      let best: Thread | undefined
      for (const t of threads) {
        if (t.ready && (!best || t.pending.size < best.pending.size)) best = t
      }
      if (best) return send(best, work, pending)
      const timer = setTimeout(() => {
        const at = waiting.findIndex((w) => w.timer === timer)
        if (at >= 0) waiting.splice(at, 1)
        reject(new AppError('UPSTREAM_UNAVAILABLE', 'no check thread is ready; retry shortly'))
      }, maxWaitMs)
      waiting.push({ work, pending, timer })
    })
  }
  const checkAsJson = (request: CheckRequest, screening?: ScreeningInput) =>
    run<Checked>({ request, screening })

  return {
    summary: ready,
    versions: ready.versions,
    lists: ready.lists,
    isReady: () => threads.some((t) => t.ready),
    check: async (request, screening) => (await checkAsJson(request, screening)).result,
    checkAsJson,
    checkChunk: (rows, screening, batch) => run<ThreadChunk>({ rows, batch, screening }),
    endBatch(batchId) {
      for (const t of threads) t.worker.postMessage({ endBatch: batchId } satisfies CheckMessage)
    },
    async close() {
      closing = true
      const lost = new AppError('INTERNAL', 'the server is shutting down')
      for (const w of waiting.splice(0)) {
        clearTimeout(w.timer)
        w.pending.reject(lost)
      }
      await Promise.all(threads.map((t) => t.worker.terminate()))
    },
  }
}
