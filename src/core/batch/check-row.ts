/**
 * @module core/batch/check-row
 * One batch row → its result or its error, and the flat CSV form of either. Shared by the CLI batch and
 * the HTTP batch, so a row reads the same through both.
 */
import { checkGoods, parseCheckRequest } from '../check-goods'
import type { Engine } from '../engine'
import { AppError, type FieldIssue } from '../errors'
import type { CheckContext } from '../lists/compile-context'
import type { CheckResult } from '../schemas'
import type { BatchRow } from './read-rows'

export type RowError = { code: 'INVALID_INPUT' | 'INTERNAL'; message: string; errors: FieldIssue[] }

export type RowOutcome = { result: CheckResult; error?: undefined } | { error: RowError }

/**
 * Checks one row read by `readBatchRows`, with the tenant's context when the batch has one (the CLI's
 * local files have none). Never throws for bad input: a bad row, or a bug met on one row, becomes its
 * error so the other rows still come out. No side effects.
 */
export function checkBatchRow(engine: Engine, row: BatchRow, context?: CheckContext): RowOutcome {
  const pointer = `/rows/${row.line}`
  if (row.error) {
    return {
      error: {
        code: 'INVALID_INPUT',
        message: `${row.error.pointer}: ${row.error.message}`,
        errors: [row.error],
      },
    }
  }
  try {
    return { result: checkGoods(engine, parseCheckRequest(row.input, pointer), context) }
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_INPUT')
      return { error: { code: 'INVALID_INPUT', message: err.message, errors: err.details } }
    const why = err instanceof Error ? err.message : String(err)
    return { error: { code: 'INTERNAL', message: `internal error: ${why}`, errors: [] } }
  }
}

/**
 * The JSON Lines document of one row, newline included: the full check result with `row` (the row's
 * line in the file) right after `reference`, or `{reference, row, error}` for an error row. The CLI's
 * `batch --format jsonl` and the HTTP batch results write exactly these bytes.
 */
export function jsonlResultLine(row: BatchRow, outcome: RowOutcome): string {
  const doc = outcome.error
    ? { reference: row.reference, row: row.line, error: outcome.error }
    : (({ reference, ...rest }) => ({ reference, row: row.line, ...rest }))(outcome.result)
  return `${JSON.stringify(doc)}\n`
}

/**
 * The outcome back from a `jsonlResultLine` document (as stored by the HTTP batch), for its CSV cells.
 */
export function outcomeFromJsonl(doc: Record<string, unknown>): RowOutcome {
  if (doc.error !== undefined) return { error: doc.error as RowError }
  const { row: _row, ...result } = doc
  return { result: result as unknown as CheckResult }
}

/** The row's own columns, echoed so results need no join back to the input. */
const ECHOED = [
  'description',
  'destination',
  'hs_code',
  'origin',
  'final_destination',
  'regime',
] as const

/**
 * CSV result columns: the input as read (after defaults), then the verdict. `decisive_*` is the first list
 * entry that applies on this route (the engine orders matches by weight), blank for a clear verdict.
 */
export const CSV_RESULT_COLUMNS = [
  'reference',
  'row',
  ...ECHOED,
  'verdict',
  'risk_score',
  'hs6',
  'hs6_title',
  'hs6_score',
  'decisive_list',
  'decisive_entry',
  'decisive_title',
  'chp_tier',
  'matched_lists',
  'top_reason',
  'error',
] as const

/** The cells of one CSV result row, in `CSV_RESULT_COLUMNS` order. */
export function csvResultCells(row: BatchRow, outcome: RowOutcome): (string | number)[] {
  const echoed = ECHOED.map((key) => echo(row.input?.[key]))
  const head = [row.reference ?? '', row.line, ...echoed]
  if (outcome.error)
    return [
      ...head,
      ...Array(CSV_RESULT_COLUMNS.length - head.length - 1).fill(''),
      outcome.error.message,
    ]
  const result = outcome.result
  const top = result.classification.candidates[0]
  // A clear verdict has no decisive entry, even where a weak reading applies.
  const decisive =
    result.verdict === 'clear' ? undefined : result.matches.find((m) => m.applies !== false)
  return [
    result.reference ?? row.reference ?? '',
    row.line,
    ...echoed,
    result.verdict,
    result.risk_score,
    top?.hs6 ?? '',
    top?.title ?? '',
    top ? top.score : '',
    decisive?.list_id ?? '',
    decisive?.entry_code ?? '',
    decisive?.title ?? '',
    result.matches.find((m) => m.list_id === 'chp')?.tier ?? '',
    [...new Set(result.matches.map((m) => m.list_id))].join(';'),
    result.reasons[0]?.text ?? '',
    '',
  ]
}

/**
 * One CSV record, newline included, exactly as csv-stringify writes it with its defaults (comma,
 * double quotes, "\n" between records; a cell quoted when it holds a comma, a quote, "\n" or "\r",
 * its quotes doubled; an empty cell written as nothing). The CLI batch writes every row through this:
 * the library's general path (options read per cell, casts, a record kept as an array of pieces)
 * made about 14 KB of garbage a row, ~6 % of a batch's, for ~600 bytes of output.
 */
export function csvRecordLine(cells: readonly (string | number)[]): string {
  let line = ''
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!
    const text = typeof cell === 'number' ? String(cell) : cell
    if (i > 0) line += ','
    line += CSV_NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return `${line}\n`
}

const CSV_NEEDS_QUOTES = /[",\n\r]/

function echo(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}
