/**
 * @module cli/batch-input
 * The CLI's side of batch reading: a file stream handed to the shared reader (`core/batch`), which the
 * HTTP batch uses on a request body. Nothing about CSV or JSONL is decided here.
 */
import { createReadStream } from 'node:fs'
import { type BatchFormat, type BatchRow, type RowDefaults, readBatchRows } from '../core/batch'

export type InputFormat = BatchFormat

export function readRows(
  path: string,
  format: InputFormat,
  defaults: RowDefaults,
  warn: (message: string) => void,
): AsyncIterable<BatchRow> {
  return readBatchRows(createReadStream(path), { format, defaults, onWarning: warn })
}

/** Counts lines (for the progress bar and the choice of workers) without holding the file. */
export async function countLines(path: string): Promise<number> {
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    if (chunk.length > 0) last = chunk[chunk.length - 1]!
  }
  return last === 10 ? lines : lines + 1
}
