/**
 * @module cli/batch-pool
 * Where batch chunks run: in this thread (small files; no second engine to build) or in worker threads
 * (large files; one engine each, so two CPUs check rows at once). Both return a promise per chunk;
 * the caller keeps the promises in input order, which keeps the output in input order.
 */
import { Worker } from 'node:worker_threads'
import type { Engine } from '../core/engine'
import { AppError } from '../core/errors'
import { startThread } from '../runtime/thread-bundle'
import { type BatchRowOptions, type ChunkResult, type InputRow, processChunk } from './batch-rows'
import type { ChunkMessage, WorkerInit } from './batch-worker'

export type ChunkRunner = {
  /** Resolves when the runner has its engine and can take rows. */
  ready: Promise<void>
  isReady(): boolean
  /** Chunks sent and not yet answered. */
  inFlight(): number
  run(rows: InputRow[]): Promise<ChunkResult>
  close(): Promise<void>
}

export function inProcessRunner(engine: Engine, options: BatchRowOptions): ChunkRunner {
  return {
    ready: Promise.resolve(),
    isReady: () => true,
    inFlight: () => 0,
    run: async (rows) => processChunk(engine, rows, options),
    close: async () => {},
  }
}

const WORKER_ENTRY = new URL('./batch-worker.ts', import.meta.url)

/**
 * Heap caps per worker. The engine's live heap is about 50 MB, but checking makes much short-lived
 * garbage and V8 lets both generations grow well past that before collecting; uncapped, two workers
 * passed 400 MB RSS. A young generation under 16 MB made scavenges so frequent that throughput fell by
 * half or more; 16 MB keeps speed and saves ~30 MB against 32 MB (measured on 5,000-20,000 rows).
 */
const WORKER_OLD_SPACE_MB = 128
const WORKER_YOUNG_SPACE_MB = 16

export function workerRunner(
  cataloguePath: string,
  options: BatchRowOptions,
  /** The prebuilt text index in shared memory (`readSharedTextIndex`): not copied to the worker. */
  textIndexBytes?: Uint8Array,
  /**
   * The CLI's bundle this process runs (`CliIo.cliBundle`): the worker starts from it, as the batch
   * worker (cli/main.ts); else from a bundle of batch-worker.ts built here (~0.3–1 s of esbuild on
   * this thread before the worker can start, measured).
   */
  cliBundle?: string,
): ChunkRunner {
  const init: WorkerInit = { cataloguePath, options, textIndexBytes }
  const workerOptions = {
    workerData: { init },
    resourceLimits: {
      maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB,
      maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB,
    },
  }
  const worker = cliBundle
    ? // The parent's heap flags are not for a worker (its limits are above).
      new Worker(cliBundle, { ...workerOptions, execArgv: [] })
    : startThread(WORKER_ENTRY, workerOptions)
  let isReady = false
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const pending = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: unknown) => void }
  >()
  let seq = 0
  let failure: unknown = null
  const failAll = (err: unknown) => {
    failure ??= err
    for (const p of pending.values()) p.reject(failure)
    pending.clear()
  }
  worker.on('message', (msg: (ChunkResult & { seq: number }) | { ready: true }) => {
    if ('ready' in msg) {
      isReady = true
      markReady()
      return
    }
    const p = pending.get(msg.seq)
    pending.delete(msg.seq)
    p?.resolve({ output: msg.output, tally: msg.tally })
  })
  worker.on('error', (err) =>
    failAll(
      err instanceof AppError
        ? err
        : new AppError('INTERNAL', `batch worker failed: ${err.message}`, { cause: err }),
    ),
  )
  worker.on('exit', (code) => {
    if (pending.size > 0) failAll(new AppError('INTERNAL', `batch worker exited (code ${code})`))
  })

  return {
    // A worker that fails before it is ready must not leave the pool waiting for it.
    ready: Promise.race([ready, new Promise<void>((_, reject) => worker.once('error', reject))]),
    isReady: () => isReady,
    inFlight: () => pending.size,
    run(rows) {
      if (failure) return Promise.reject(failure)
      const message: ChunkMessage = { seq: seq++, rows }
      return new Promise<ChunkResult>((resolve, reject) => {
        pending.set(message.seq, { resolve, reject })
        worker.postMessage(message)
      })
    },
    async close() {
      await worker.terminate()
    },
  }
}
