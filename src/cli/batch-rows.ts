/**
 * @module cli/batch-rows
 * One chunk of batch rows → output text. Runs in a batch worker or in-process; the same code either
 * way, so the output does not depend on how the batch was run.
 */
import { stringify } from 'csv-stringify/sync'
import { checkGoods, parseCheckRequest } from '../core/check-goods'
import type { Engine } from '../core/engine'
import { AppError, type FieldIssue } from '../core/errors'
import { type CheckResult, VERDICTS, type Verdict } from '../core/schemas'
import { splitList } from './args'

/** One input row as read: a CSV record (text by column), a JSONL line, or a CSV record the parser could not read. */
export type InputRow = { csv: Record<string, string> } | { json: string } | { unreadable: string }

export type OutputFormat = 'jsonl' | 'csv'

export type BatchRowOptions = {
  format: OutputFormat
  /** `--to` and `--regime`: used for rows that do not name their own. */
  defaults: { destination?: string; regime?: string }
}

export type Tally = Record<Verdict | 'error', number>

/**
 * The chunk's output. JSONL keeps one string per row: a chunk's results joined would be ~1 MB, and
 * such strings land in V8's large-object space in both threads, which cost ~40 MB of peak RSS
 * on 100,000 rows (measured). CSV rows are short, so a chunk of CSV is one string.
 */
export type ChunkResult = { parts: string[]; tally: Tally }

export const CSV_COLUMNS = [
  'reference',
  'row',
  'verdict',
  'risk_score',
  'hs6',
  'hs6_title',
  'hs6_score',
  'chp_tier',
  'matched_lists',
  'top_reason',
  'error',
] as const

/** Request fields a CSV file may carry, besides `transit` (a list in one cell). */
export const CSV_INPUT_COLUMNS = [
  'reference',
  'description',
  'destination',
  'hs_code',
  'origin',
  'final_destination',
  'regime',
  'transit',
  'quantity',
  'value',
  'currency',
] as const

type RowError = { code: string; message: string; errors: FieldIssue[] }

export function emptyTally(): Tally {
  return { prohibited: 0, high_risk: 0, review: 0, clear: 0, error: 0 }
}

/**
 * Checks `rows`, numbered from `firstRow` (0-based data rows, as in the pointers `/rows/N/…`).
 * A bad row becomes an error row; nothing here throws for bad input.
 */
export function processChunk(
  engine: Engine,
  rows: InputRow[],
  firstRow: number,
  options: BatchRowOptions,
): ChunkResult {
  const tally = emptyTally()
  const jsonLines: string[] = []
  const csvRecords: unknown[][] = []
  rows.forEach((row, i) => {
    const index = firstRow + i
    const { reference, result, error } = checkRow(engine, row, index, options)
    if (result) tally[result.verdict]++
    else tally.error++
    if (options.format === 'jsonl') {
      // The row number goes right after the reference, so a person reading the file can join on either.
      const line = result
        ? (({ reference: ref, ...rest }) => ({ reference: ref, row: index, ...rest }))(result)
        : { reference, row: index, error }
      jsonLines.push(`${JSON.stringify(line)}\n`)
    } else {
      csvRecords.push(result ? csvRecord(result, index) : csvErrorRecord(reference, index, error!))
    }
  })
  const parts = [options.format === 'jsonl' ? jsonLines.join('') : stringify(csvRecords)]
  return { parts, tally }
}

function checkRow(
  engine: Engine,
  row: InputRow,
  index: number,
  options: BatchRowOptions,
): { reference: string | null; result?: CheckResult; error?: RowError } {
  const pointer = `/rows/${index}`
  if ('unreadable' in row) {
    return { reference: null, error: invalid(row.unreadable, pointer) }
  }
  let input: Record<string, unknown>
  if ('json' in row) {
    let parsed: unknown
    try {
      parsed = JSON.parse(row.json)
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return { reference: null, error: invalid(`not valid JSON (${why})`, pointer) }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {
        reference: null,
        error: invalid('each line must be a JSON object', pointer),
      }
    }
    input = { ...(parsed as Record<string, unknown>) }
  } else {
    input = fromCsvRecord(row.csv)
  }
  const reference = typeof input.reference === 'string' ? input.reference.trim() || null : null
  if (isBlank(input.destination) && options.defaults.destination)
    input.destination = options.defaults.destination
  if (isBlank(input.regime) && options.defaults.regime) input.regime = options.defaults.regime
  if (typeof input.regime === 'string') input.regime = input.regime.trim().toUpperCase()
  for (const key of ['destination', 'regime', 'reference'] as const)
    if (input[key] === '' || input[key] === null) delete input[key]
  if (input.destination === undefined) {
    // zod would say "expected string, received undefined"; say what to do instead.
    return {
      reference,
      error: invalid(
        'no destination: give the row a destination or pass --to CC',
        `${pointer}/destination`,
      ),
    }
  }

  try {
    const result = checkGoods(engine, parseCheckRequest(input, pointer))
    return { reference, result }
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_INPUT')
      return { reference, error: { code: err.code, message: err.message, errors: err.details } }
    // A bug must not sink the other 99,999 rows; the row says what happened.
    const why = err instanceof Error ? err.message : String(err)
    return {
      reference,
      error: { code: 'INTERNAL', message: `internal error: ${why}`, errors: [] },
    }
  }
}

function invalid(message: string, pointer: string): RowError {
  return {
    code: 'INVALID_INPUT',
    message: `${pointer}: ${message}`,
    errors: [{ pointer, message }],
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim())
}

/** CSV cells are text: blank cells are absent fields, `transit` is a list, numbers are numbers. */
function fromCsvRecord(record: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const [key, cell] of Object.entries(record)) {
    const value = cell.trim()
    // A blank description stays, so the row gets "must not be empty" rather than "missing".
    if (value === '' && key !== 'description') continue
    if (key === 'transit') input[key] = splitList(value)
    else if (key === 'quantity' || key === 'value')
      input[key] = Number.isFinite(Number(value)) ? Number(value) : value
    else input[key] = value
  }
  return input
}

function csvRecord(result: CheckResult, index: number): unknown[] {
  const top = result.classification.candidates[0]
  const lists = [...new Set(result.matches.map((m) => m.list_id))]
  return [
    result.reference ?? '',
    index,
    result.verdict,
    result.risk_score,
    top?.hs6 ?? '',
    top?.title ?? '',
    top ? top.score : '',
    result.matches.find((m) => m.list_id === 'chp')?.tier ?? '',
    lists.join(';'),
    result.reasons[0]?.text ?? '',
    '',
  ]
}

function csvErrorRecord(reference: string | null, index: number, error: RowError): unknown[] {
  return [reference ?? '', index, '', '', '', '', '', '', '', '', error.message]
}

export { VERDICTS }
