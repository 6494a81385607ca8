/**
 * @module cli/batch-worker
 * A batch worker thread: builds its own engine (engines cannot be shared between threads) and
 * answers each chunk message with the chunk's output, tagged with the chunk's sequence number.
 * A thread runs it as its entry (from the sources: runtime/thread-bundle.ts) or inside the CLI's
 * bundle (cli/main.ts imports it); either way it serves when its thread was started with an `init`.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { CLASSIFICATION_CACHE_ENTRIES } from '../core/classify/classification-cache'
import { readEngine } from '../runtime/catalogue-file'
import { type BatchRowOptions, type InputRow, processChunk } from './batch-rows'

export type WorkerInit = {
  cataloguePath: string
  options: BatchRowOptions
  textIndexBytes?: Uint8Array
}
export type ChunkMessage = { seq: number; rows: InputRow[] }

function serveBatchChunks(init: WorkerInit): void {
  // One operator's file: repeated goods lines are read once (classify/classification-cache.ts).
  const engine = readEngine(init.cataloguePath, init.textIndexBytes, CLASSIFICATION_CACHE_ENTRIES)

  // Tells the pool this worker can take rows; until then the pool sends them to workers that can.
  parentPort!.postMessage({ ready: true })
  parentPort!.on('message', (msg: ChunkMessage) => {
    const { output, tally } = processChunk(engine, msg.rows, init.options)
    // Transferred, not copied: the writer thread gets the bytes and this thread lets go of them.
    parentPort!.postMessage({ seq: msg.seq, output, tally }, [output.buffer as ArrayBuffer])
  })
}

const init = isMainThread ? undefined : (workerData as { init?: WorkerInit } | null)?.init
if (init) serveBatchChunks(init)
