/**
 * @module runtime/check-thread
 * A check thread of the Node server: builds its own engine (engines cannot be shared between
 * threads) and answers each request message with the result, tagged with the message's number.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { BatchRow } from '../core/batch'
import { checkChunkRows } from '../core/batch/check-chunk'
import { checkGoods } from '../core/check-goods'
import type { CheckRequest, Verdict } from '../core/schemas'
import { readEngine } from './catalogue-file'

export type CheckThreadInit = { cataloguePath: string }
/** One check, or a chunk of HTTP batch rows (`rows`). */
export type CheckMessage =
  | { seq: number; request: CheckRequest }
  | { seq: number; rows: BatchRow[] }
export type CheckReply =
  /** `json` is `JSON.stringify` of the CheckResult: a string crosses threads more cheaply than an object graph. */
  | { seq: number; json: string }
  | { seq: number; lines: string[]; outcomes: (Verdict | 'error')[] }
  | { seq: number; error: string }
  | { ready: true }

const { cataloguePath } = workerData as CheckThreadInit
const engine = readEngine(cataloguePath)

parentPort!.postMessage({ ready: true } satisfies CheckReply)
parentPort!.on('message', (message: CheckMessage) => {
  const { seq } = message
  let reply: CheckReply
  try {
    reply =
      'rows' in message
        ? { seq, ...checkChunkRows(engine, message.rows) }
        : { seq, json: JSON.stringify(checkGoods(engine, message.request)) }
  } catch (err) {
    // The engine is pure: a throw is a bug for this one request, not a broken thread.
    reply = { seq, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
  }
  parentPort!.postMessage(reply)
})
