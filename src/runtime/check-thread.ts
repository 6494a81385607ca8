/**
 * @module runtime/check-thread
 * A check thread of the Node server: builds its own engine (engines cannot be shared between
 * threads), reports the catalogue's versions and lists once ready (the main thread never parses the
 * catalogue itself), and answers each request message with the result, tagged with the message's
 * number.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { BatchRow } from '../core/batch'
import { batchReadings, checkChunkRows } from '../core/batch/check-chunk'
import { Utf8Buffer } from '../core/batch/utf8-buffer'
import { checkGoods } from '../core/check-goods'
import { type CatalogueSummary, summarizeCatalogue } from '../core/engine'
import { contextCache } from '../core/lists/compile-context'
import type { ScreeningContextData } from '../core/lists/types'
import type { CheckRequest, Verdict } from '../core/schemas'
import { readEngine } from './catalogue-file'

export type CheckThreadInit = { cataloguePath: string }
/**
 * A tenant's screening context as sent to a thread: its key and the time of the check, with the data
 * only when the pool believes the thread lacks it (the data is the costly part to clone).
 */
export type ContextMessage = { key: string; at: string; data?: ScreeningContextData }
/**
 * One check, or a chunk of HTTP batch rows (`rows`, of batch `batch`), each with its tenant's context
 * if any; or the end of a batch (`endBatch`, no reply): the thread drops the batch's readings.
 */
export type CheckMessage =
  | { seq: number; request: CheckRequest; context?: ContextMessage }
  | { seq: number; rows: BatchRow[]; batch?: string; context?: ContextMessage }
  | { endBatch: string }
export type CheckReply =
  /** `json` is `JSON.stringify` of the CheckResult: a string crosses threads more cheaply than an object graph. */
  | { seq: number; json: string }
  /**
   * A chunk's JSON Lines results as UTF-8 bytes, the buffer transferred (not copied): as 500 strings
   * (~3 MB, two bytes a character for the evidence's arrows) they were cloned into the main thread's
   * heap, lived there until stored and were joined into one more copy there (BENCHMARKS.md, "HTTP
   * batches on Node", "Memory").
   */
  | { seq: number; utf8: Uint8Array; outcomes: (Verdict | 'error')[] }
  | { seq: number; error: string }
  /** The thread no longer holds the context the message named by key only: send its data. */
  | { seq: number; missingContext: string }
  /** The engine is built: its catalogue's versions, lists and HS codes, for the main thread. */
  | { ready: true; summary: CatalogueSummary }

/** A chunk's lines as one UTF-8 buffer of its own (transferred with the reply). */
function asUtf8(checked: { lines: string[]; outcomes: (Verdict | 'error')[] }) {
  output.clear()
  for (const line of checked.lines) output.write(line)
  return { utf8: output.take(), outcomes: checked.outcomes }
}
const output = new Utf8Buffer()

const { cataloguePath } = workerData as CheckThreadInit
const engine = readEngine(cataloguePath)
// Compiled tenant contexts, by key, for the thread's lifetime (bounded, least recently used out).
const contexts = contextCache(engine)
// The readings of the batch whose chunks this thread checks, found by its id alone and dropped at
// its end: single checks, and other tenants' batches, never read them (core/batch/check-chunk.ts).
const readings = batchReadings(engine)

parentPort!.postMessage({
  ready: true,
  summary: summarizeCatalogue(engine.catalogue),
} satisfies CheckReply)
parentPort!.on('message', (message: CheckMessage) => {
  if ('endBatch' in message) return readings.end(message.endBatch)
  const { seq } = message
  let reply: CheckReply
  try {
    if (!message.context)
      reply =
        'rows' in message
          ? {
              seq,
              ...asUtf8(
                checkChunkRows(engine, message.rows, undefined, readings.of(message.batch)),
              ),
            }
          : { seq, json: JSON.stringify(checkGoods(engine, message.request)) }
    else {
      const { key, at, data } = message.context
      const compiled = data ? contexts.compile(data) : contexts.get(key)
      if (!compiled) reply = { seq, missingContext: key }
      else {
        const context = { ...compiled.context, at }
        reply =
          'rows' in message
            ? {
                seq,
                ...asUtf8(
                  checkChunkRows(
                    compiled.engine,
                    message.rows,
                    context,
                    readings.of(message.batch),
                  ),
                ),
              }
            : { seq, json: JSON.stringify(checkGoods(compiled.engine, message.request, context)) }
      }
    }
  } catch (err) {
    // The engine is pure: a throw is a bug for this one request, not a broken thread.
    reply = { seq, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
  }
  parentPort!.postMessage(reply, 'utf8' in reply ? [reply.utf8.buffer as ArrayBuffer] : [])
})
