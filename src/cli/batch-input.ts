/**
 * @module cli/batch-input
 * Reads a batch file row by row (never whole): CSV through csv-parse's stream, JSONL line by line.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { AppError } from '../core/errors'
import { CSV_INPUT_COLUMNS, type InputRow } from './batch-rows'

export type InputFormat = 'csv' | 'jsonl'

const KNOWN_COLUMNS = new Set<string>(CSV_INPUT_COLUMNS)

export function readRows(
  path: string,
  format: InputFormat,
  warn: (message: string) => void,
): AsyncIterable<InputRow> {
  return format === 'csv' ? readCsv(path, warn) : readJsonl(path)
}

async function* readJsonl(path: string): AsyncIterable<InputRow> {
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  let first = true
  for await (const line of lines) {
    const text = first ? line.replace(/^\uFEFF/, '') : line
    first = false
    if (text.trim() === '') continue
    yield { json: text }
  }
}

async function* readCsv(path: string, warn: (message: string) => void): AsyncIterable<InputRow> {
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // Hand-made CSV often has a stray quote inside a field (12" pipe): keep it as text.
    relax_quotes: true,
    columns: (header: string[]) => csvColumns(header, warn),
    // A record the parser cannot read (a stray quote) becomes an error row in its place instead of
    // ending the batch: on_skip runs synchronously inside the parser, so pushing here keeps the order.
    skip_records_with_error: true,
    on_skip: (err) => {
      parser.push({ unreadable: `unreadable CSV record: ${err?.message ?? 'parse error'}` })
      return undefined
    },
  })
  createReadStream(path).pipe(parser)
  for await (const record of parser as AsyncIterable<Record<string, string> | InputRow>) {
    yield 'unreadable' in record && typeof record.unreadable === 'string'
      ? (record as InputRow)
      : { csv: record as Record<string, string> }
  }
}

/** Maps the header to column names; unknown columns are skipped with a warning. */
function csvColumns(header: string[], warn: (message: string) => void): (string | false)[] {
  const names = header.map((h) => h.trim().toLowerCase())
  if (!names.includes('description')) {
    throw new AppError(
      'INVALID_INPUT',
      `the CSV header has no "description" column (columns: ${CSV_INPUT_COLUMNS.join(', ')}; found: ${names.join(', ')})`,
    )
  }
  const unknown = names.filter((n) => !KNOWN_COLUMNS.has(n))
  if (unknown.length > 0) warn(`ignoring unknown CSV columns: ${unknown.join(', ')}`)
  return names.map((n) => (KNOWN_COLUMNS.has(n) ? n : false))
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
