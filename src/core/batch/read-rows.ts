/**
 * @module core/batch/read-rows
 * The one reader of batch files (CSV and JSON Lines), shared by the CLI (a file stream) and the HTTP batch
 * endpoint (a request body): bytes in, numbered rows out, never the whole file in memory.
 *
 * Invariants:
 * - `line` is the 1-based line of the file where the row starts, as a person counts it (the CSV header is
 *   a line; blank lines count but give no row). Pointers are `/rows/<line>/<field>`.
 * - Never a silently merged row: a quote that does not close where a cell may plausibly end is reported as
 *   an error at its own line, and reading resumes at the next line.
 * - File-level faults (no header, not text, a header without `description`) throw `AppError`
 *   `INVALID_INPUT`; row-level faults become error rows and reading goes on.
 * - Messages never carry raw control characters from the input (`printable`).
 * Pure: no node:* imports, so it runs on Workers too.
 */
import { AppError, type FieldIssue } from '../errors'

export type BatchFormat = 'csv' | 'jsonl'

/** Request fields a CSV file may carry (`transit` is a list in one cell). */
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

/** Values for rows that give none (CLI `--to`/`--regime`, HTTP query parameters). Already validated. */
export type RowDefaults = {
  destination?: string
  regime?: string
  origin?: string
  final_destination?: string
}

/**
 * One row as read. `input` is the raw request (defaults applied) for `parseCheckRequest`; a row the
 * reader already knows is bad carries `error` instead, and `input` only where it could be read.
 */
export type BatchRow =
  | { line: number; reference: string | null; input: Record<string, unknown>; error?: undefined }
  | { line: number; reference: string | null; input?: Record<string, unknown>; error: FieldIssue }

export type ReadBatchOptions = {
  format: BatchFormat
  defaults?: RowDefaults
  /** Told once per file about things that are not errors (unknown CSV columns). */
  onWarning?: (message: string) => void
}

/** A Web stream (HTTP body on Node and Workers) or any async iterable (a Node file stream). */
export type BatchSource = ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string>

/** A line longer than this is not a goods line; refusing it bounds memory for a body with no newline. */
const MAX_LINE_CHARS = 1 << 20
/**
 * A quoted cell may run over line breaks (Excel writes them for Alt+Enter), but a goods description is at
 * most 2,000 characters: a quote still open after this many lines or characters is a stray one.
 */
const MAX_CELL_LINES = 50
const MAX_CELL_CHARS = 8000

// C0 and C1 controls except tab, LF and CR; NUL is refused earlier as binary.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * Input text made safe to show in a message: control, line-separator and bidi characters escaped (a
 * terminal would obey them), cut to `max` characters.
 */
export function printable(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text
  return cut.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    const code = c.charCodeAt(0)
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/**
 * Reads batch rows from `source`, in file order.
 * Throws `AppError` `INVALID_INPUT` for a file that cannot be a batch (empty, binary, not UTF-8, no
 * usable header, a line over 1 MiB); every other fault is an error row.
 */
export async function* readBatchRows(
  source: BatchSource,
  options: ReadBatchOptions,
): AsyncGenerator<BatchRow> {
  const lines = new LineReader(decodeText(source))
  const defaults = options.defaults ?? {}
  if (options.format === 'jsonl') yield* readJsonl(lines, defaults)
  else yield* readCsv(lines, defaults, options.onWarning ?? (() => {}))
}

// ---------------------------------------------------------------------------------------------------
// Bytes → text → lines

async function* chunksOf(source: BatchSource): AsyncGenerator<Uint8Array | string> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array | string>
    return
  }
  // Not every runtime's ReadableStream is async-iterable (older workerd); the reader API always works.
  const reader = (source as ReadableStream<Uint8Array | string>).getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

async function* decodeText(source: BatchSource): AsyncGenerator<string> {
  // fatal: bytes that are not UTF-8 (a spreadsheet, an image, Latin-1) stop the batch instead of becoming
  // U+FFFD rows. The decoder drops a leading BOM itself.
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let first = true
  let seen = 0
  const check = (text: string) => {
    const nul = text.indexOf('\u0000')
    if (nul !== -1)
      throw new AppError(
        'INVALID_INPUT',
        `the file is not text: it holds a NUL byte (at character ${seen + nul + 1}); a batch is CSV or JSON Lines in UTF-8`,
      )
    seen += text.length
    return text
  }
  for await (const chunk of chunksOf(source)) {
    let text: string
    if (typeof chunk === 'string') {
      text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk
    } else {
      try {
        text = decoder.decode(chunk, { stream: true })
      } catch (err) {
        throw notUtf8(seen, err)
      }
    }
    first = false
    if (text) yield check(text)
  }
  let rest: string
  try {
    rest = decoder.decode()
  } catch (err) {
    throw notUtf8(seen, err)
  }
  if (rest) yield check(rest)
}

function notUtf8(seen: number, cause: unknown): AppError {
  return new AppError(
    'INVALID_INPUT',
    `the file is not UTF-8 text (after character ${seen}): save it as "CSV UTF-8" or JSON Lines; a binary file cannot be a batch`,
    { cause },
  )
}

/**
 * Lines with lookahead: the CSV reader may read ahead to close a quoted cell, and go back to the next line
 * when the quote turns out to be stray. Holds at most the lines of one record plus one chunk.
 */
class LineReader {
  private buffer: string[] = []
  private head = 0
  private partial = ''
  private ended = false
  /** Line number of the line at `peek(0)`. */
  lineNo = 1

  constructor(private readonly text: AsyncIterator<string>) {}

  /** The line `offset` lines ahead, without its line break; null past the end of the file. */
  async peek(offset: number): Promise<string | null> {
    while (this.head + offset >= this.buffer.length) {
      if (this.ended) return null
      await this.fill()
    }
    return this.buffer[this.head + offset]!
  }

  /** Drops `count` lines (they have been read). */
  consume(count: number): void {
    this.head += count
    this.lineNo += count
    if (this.head > 4096) {
      this.buffer = this.buffer.slice(this.head)
      this.head = 0
    }
  }

  private async fill(): Promise<void> {
    const next = await this.text.next()
    if (next.done) {
      this.ended = true
      if (this.partial !== '') this.buffer.push(stripCr(this.partial))
      this.partial = ''
      return
    }
    const parts = (this.partial + next.value).split('\n')
    this.partial = parts.pop()!
    for (const part of parts) {
      if (part.length > MAX_LINE_CHARS) this.tooLong()
      this.buffer.push(stripCr(part))
    }
    if (this.partial.length > MAX_LINE_CHARS) this.tooLong()
  }

  private tooLong(): never {
    throw new AppError(
      'INVALID_INPUT',
      `line ${this.lineNo + this.buffer.length - this.head} is longer than 1 MiB: a batch file has one goods line per line`,
    )
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line
}

// ---------------------------------------------------------------------------------------------------
// JSON Lines

async function* readJsonl(lines: LineReader, defaults: RowDefaults): AsyncGenerator<BatchRow> {
  for (;;) {
    const text = await lines.peek(0)
    if (text === null) return
    const line = lines.lineNo
    lines.consume(1)
    if (text.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      // V8's message quotes the input: escape it, it goes to a terminal.
      const why = err instanceof Error ? printable(err.message, 120) : 'parse error'
      yield rowError(line, null, '', `not valid JSON (${why})`)
      continue
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      yield rowError(line, null, '', 'each line must be a JSON object')
      continue
    }
    yield toRow(line, { ...(parsed as Record<string, unknown>) }, defaults)
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV

type Header = {
  line: number
  delimiter: string
  /** Column name per position; null for a column this product does not read. */
  columns: (string | null)[]
}

const DELIMITERS = [',', ';', '\t'] as const
const KNOWN_COLUMNS = new Set<string>(CSV_INPUT_COLUMNS)

async function* readCsv(
  lines: LineReader,
  defaults: RowDefaults,
  warn: (message: string) => void,
): AsyncGenerator<BatchRow> {
  const header = await readHeader(lines, warn)
  const width = header.columns.length
  for (;;) {
    const first = await lines.peek(0)
    if (first === null) return
    const line = lines.lineNo
    if (first.trim() === '') {
      lines.consume(1)
      continue
    }
    const record = await readRecord(lines, header)
    lines.consume(record.lines)
    if ('stray' in record) {
      const column = header.columns[record.stray] ?? `column ${record.stray + 1}`
      yield rowError(
        line,
        cell(record.before, header.columns.indexOf('reference')),
        `/${column}`,
        `the quote that opens ${column} (column ${record.stray + 1}) is not closed on this line, and the next lines read as rows of their own: remove the stray " or double it ("") and close the cell; the next line is read as the next row`,
      )
      continue
    }
    const { fields } = record
    const reference = cell(fields, header.columns.indexOf('reference'))
    if (record.afterQuote !== undefined) {
      const column = header.columns[record.afterQuote] ?? `column ${record.afterQuote + 1}`
      yield rowError(
        line,
        reference,
        `/${column}`,
        `text follows the closing quote of ${column}: quote the whole cell and double the quotes inside ("")`,
      )
      continue
    }
    if (fields.length !== width) {
      yield rowError(
        line,
        reference,
        '',
        fields.length > width
          ? `${fields.length} cells, but the header (line ${header.line}) has ${width} columns: a cell holds an unquoted "${printable(header.delimiter)}" or the row has extra cells`
          : `${fields.length} cells, but the header (line ${header.line}) has ${width} columns: cells are missing (an empty cell still needs its "${printable(header.delimiter)}")`,
      )
      continue
    }
    yield csvRow(line, fields, header, defaults)
  }
}

function cell(fields: string[], index: number): string | null {
  if (index < 0) return null
  const value = fields[index]?.trim()
  return value ? value : null
}

async function readHeader(lines: LineReader, warn: (message: string) => void): Promise<Header> {
  let text: string | null
  for (;;) {
    text = await lines.peek(0)
    if (text === null)
      throw new AppError(
        'INVALID_INPUT',
        `the file is empty: a CSV batch starts with a header line naming its columns (${CSV_INPUT_COLUMNS.join(', ')}); description is required`,
      )
    if (text.trim() !== '') break
    lines.consume(1)
  }
  const line = lines.lineNo
  lines.consume(1)
  // The delimiter that makes the most known column names: Excel in many locales writes ";".
  let best: { delimiter: string; names: string[]; known: number } | null = null
  for (const delimiter of DELIMITERS) {
    const fields: string[] = []
    const scanned = scanLine(text, delimiter, fields, null)
    const names = (scanned.kind === 'end' ? fields : text.split(delimiter)).map((n) =>
      n.trim().toLowerCase(),
    )
    const known = names.filter((n) => KNOWN_COLUMNS.has(n)).length
    if (best === null || known > best.known) best = { delimiter, names, known }
  }
  const { delimiter, names } = best!
  if (!names.includes('description')) {
    throw new AppError(
      'INVALID_INPUT',
      `the CSV header (line ${line}) has no "description" column; columns are separated by "," or ";" and named ${CSV_INPUT_COLUMNS.join(', ')} (found: ${printable(text, 120)})`,
    )
  }
  const seen = new Set<string>()
  for (const name of names) {
    if (KNOWN_COLUMNS.has(name) && seen.has(name))
      throw new AppError(
        'INVALID_INPUT',
        `the CSV header (line ${line}) names the column "${name}" twice`,
      )
    seen.add(name)
  }
  const unknown = names.filter((n) => !KNOWN_COLUMNS.has(n))
  if (unknown.length > 0)
    warn(
      `the CSV header (line ${line}) has columns this product does not read; their cells are ignored: ${unknown
        .map((n) => (n === '' ? '(blank)' : `"${printable(n, 40)}"`))
        .join(', ')} (known columns: ${CSV_INPUT_COLUMNS.join(', ')})`,
    )
  return { line, delimiter, columns: names.map((n) => (KNOWN_COLUMNS.has(n) ? n : null)) }
}

type ScanResult =
  | { kind: 'end'; bareQuote: boolean }
  | { kind: 'open'; cell: string }
  | { kind: 'after-quote'; field: number }

/**
 * Splits one physical line into `fields` (appending). `openCell` continues a quoted cell from the line
 * before (its text so far, line break included). A quote inside an unquoted cell (12" pipe) is text, as hand-made files need; `bareQuote` says
 * one was seen, which a line that is a record of its own never has after a multi-line cell.
 */
function scanLine(
  text: string,
  delimiter: string,
  fields: string[],
  openCell: string | null,
): ScanResult {
  let i = 0
  let bareQuote = false
  let quoted: string | null = openCell
  for (;;) {
    if (quoted === null && text.charCodeAt(i) === 34 /* " */) {
      quoted = ''
      i++
    }
    if (quoted !== null) {
      // Inside a quoted cell: "" is a quote, a lone " closes it.
      let value = quoted
      for (;;) {
        const q = text.indexOf('"', i)
        if (q === -1) return { kind: 'open', cell: value + text.slice(i) }
        value += text.slice(i, q)
        if (text.charCodeAt(q + 1) === 34) {
          value += '"'
          i = q + 2
          continue
        }
        i = q + 1
        break
      }
      quoted = null
      while (text.charCodeAt(i) === 32) i++
      fields.push(value)
      if (i >= text.length) return { kind: 'end', bareQuote }
      if (text.startsWith(delimiter, i)) {
        i += delimiter.length
        if (i >= text.length) {
          fields.push('')
          return { kind: 'end', bareQuote }
        }
        continue
      }
      return { kind: 'after-quote', field: fields.length - 1 }
    }
    const end = text.indexOf(delimiter, i)
    const value = end === -1 ? text.slice(i) : text.slice(i, end)
    if (!bareQuote && value.includes('"')) bareQuote = true
    fields.push(value)
    if (end === -1) return { kind: 'end', bareQuote }
    i = end + delimiter.length
    if (i >= text.length) {
      fields.push('')
      return { kind: 'end', bareQuote }
    }
  }
}

type RecordRead =
  | { lines: number; fields: string[]; afterQuote?: number }
  | { lines: 1; stray: number; before: string[] }

/**
 * Reads the record that starts at the reader's current line. A quoted cell may continue on the next
 * lines only while that stays plausible: it closes within MAX_CELL_LINES/CHARS, no continuation line is a
 * well-formed record of its own, and the record it makes has the header's number of cells. Otherwise the
 * quote is stray: the record is this one line, reported, and the next line starts the next record.
 */
async function readRecord(lines: LineReader, header: Header): Promise<RecordRead> {
  const text = (await lines.peek(0))!
  const { delimiter } = header
  const width = header.columns.length
  // Fast path: most lines have no quote at all.
  if (!text.includes('"')) return { lines: 1, fields: text.split(delimiter) }
  const fields: string[] = []
  let scanned = scanLine(text, delimiter, fields, null)
  if (scanned.kind === 'end') return { lines: 1, fields }
  if (scanned.kind === 'after-quote') return { lines: 1, fields, afterQuote: scanned.field }
  const strayAt = fields.length
  let used = 1
  while (scanned.kind === 'open') {
    if (used > MAX_CELL_LINES || scanned.cell.length > MAX_CELL_CHARS)
      return { lines: 1, stray: strayAt, before: fields.slice(0, strayAt) }
    const next = await lines.peek(used)
    if (next === null || looksLikeRecord(next, delimiter, width))
      return { lines: 1, stray: strayAt, before: fields.slice(0, strayAt) }
    scanned = scanLine(next, delimiter, fields, `${scanned.cell}\n`)
    used++
  }
  if (scanned.kind === 'after-quote' || fields.length !== width)
    return { lines: 1, stray: strayAt, before: fields.slice(0, strayAt) }
  return { lines: used, fields }
}

/** Whether `text` alone is a complete record of `width` cells with no stray quote. */
function looksLikeRecord(text: string, delimiter: string, width: number): boolean {
  if (text.trim() === '') return false
  const fields: string[] = []
  const scanned = scanLine(text, delimiter, fields, null)
  return scanned.kind === 'end' && !scanned.bareQuote && fields.length === width
}

// ---------------------------------------------------------------------------------------------------
// Rows → requests

/** CSV cells are text: blank cells are absent fields, `transit` is a list, numbers are numbers. */
function csvRow(line: number, fields: string[], header: Header, defaults: RowDefaults): BatchRow {
  const input: Record<string, unknown> = {}
  for (let i = 0; i < fields.length; i++) {
    const key = header.columns[i]
    if (!key) continue
    const value = fields[i]!.trim()
    // A blank description stays, so the row gets "must not be empty" rather than "missing".
    if (value === '' && key !== 'description') continue
    if (key === 'transit') input[key] = splitList(value)
    else if (key === 'quantity' || key === 'value')
      input[key] = Number.isFinite(Number(value)) ? Number(value) : value
    else input[key] = value
  }
  return toRow(line, input, defaults)
}

function splitList(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Common to CSV and JSONL: control characters, defaults, and the one field zod would word badly. */
function toRow(line: number, input: Record<string, unknown>, defaults: RowDefaults): BatchRow {
  const reference = typeof input.reference === 'string' ? input.reference.trim() || null : null
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && CONTROL.test(value))
      return rowError(
        line,
        reference,
        `/${key}`,
        `holds a control character (${printable(value.match(CONTROL)![0])}): goods text has none; is this the right file?`,
        input,
      )
  }
  for (const key of ['destination', 'regime', 'origin', 'final_destination'] as const) {
    if (isBlank(input[key]) && defaults[key]) input[key] = defaults[key]
  }
  if (typeof input.regime === 'string') input.regime = input.regime.trim().toUpperCase()
  for (const key of ['destination', 'regime', 'reference', 'origin', 'final_destination'] as const)
    if (input[key] === '' || input[key] === null) delete input[key]
  if (input.destination === undefined) {
    // zod would say "expected string, received undefined"; say what to do instead.
    return rowError(
      line,
      reference,
      '/destination',
      'no destination: give the row a destination or set a default destination (CLI --to CC)',
      input,
    )
  }
  return { line, reference, input }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim())
}

function rowError(
  line: number,
  reference: string | null,
  field: string,
  message: string,
  input?: Record<string, unknown>,
): BatchRow {
  const error = { pointer: `/rows/${line}${field}`, message }
  return input ? { line, reference, input, error } : { line, reference, error }
}
