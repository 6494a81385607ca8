/**
 * @module lists/parse-list-file
 * Reads a list version's entries from CSV or JSON and validates them as `npm run build:index` does:
 * every HS code must exist in HS 2022 (two to ten digits; beyond six, its HS-6 must exist), or be a
 * control code (dual-use `3A001`, military `ML10`), which is matched by its patterns. Every problem is
 * reported at once, each with a JSON Pointer naming the row and column (`/rows/7/code`, the file's line
 * as a person counts it) or the JSON entry and field (`/entries/3/code`).
 * Pure: the HTTP route and the CLI hand it text.
 */
import { z } from 'zod'
import { AppError, type FieldIssue, issuesToFieldIssues } from '../errors'
import type { LegalStatus } from '../schemas'
import { type ImportedEntry, LegalStatusSchema } from './types'

/** Control codes: EU/Wassenaar dual-use (`3A001`, `3A001.a.1`) and military list (`ML10`). */
const CONTROL_CODE = /^(\d[A-E]\d{3}([.a-z0-9]*)|ML\d{1,2}([.a-z0-9]*))$/i
/** A version is read whole by every check that uses it: lists are at most this long. */
const MAX_ENTRIES = 10_000
const MAX_PATTERNS = 20

/** HS 2022 knowledge the validation needs: whether a 2-, 4- or 6-digit code exists. */
export type HsCodeBook = { has(code: string): boolean }

/** Version fields a file may carry; the route or CLI fills in the rest. */
export type ParsedListFile = {
  entries: ImportedEntry[]
  version?: string
  effective_date?: string
  legal_status?: LegalStatus
  source?: string
}

/**
 * The entry code as stored (HS digits without dots and spaces, a control code as written), or a
 * sentence saying what is wrong with it.
 */
export function normalizeEntryCode(
  raw: string,
  hs: HsCodeBook,
): { code: string } | { error: string } {
  const text = raw.trim()
  if (!text) return { error: 'is empty: give an HS code (2 to 10 digits) or a control code' }
  if (CONTROL_CODE.test(text))
    return {
      code: text.replace(/^ml/i, 'ML').replace(/^(\d)([a-e])/, (_, d, l) => d + l.toUpperCase()),
    }
  const digits = text.replace(/[. ]/g, '')
  if (!/^\d+$/.test(digits))
    return {
      error: `"${printable(text)}" is neither an HS code (digits, dots, spaces) nor a control code such as 3A001 or ML10`,
    }
  if (digits.length < 2 || digits.length > 10 || digits.length === 3 || digits.length === 5)
    return {
      error: `"${text}" has ${digits.length} digits: HS codes have 2, 4, 6 or up to 10 digits`,
    }
  const base = digits.length > 6 ? digits.slice(0, 6) : digits
  if (!hs.has(base))
    return {
      error:
        digits.length > 6
          ? `"${text}": its HS-6 subheading ${base} does not exist in HS 2022`
          : `"${text}" does not exist in HS 2022`,
    }
  return { code: digits }
}

export function isControlCode(code: string): boolean {
  return CONTROL_CODE.test(code)
}

function printable(text: string, max = 40): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}

function splitPatterns(cell: string): string[] {
  return cell
    .split('|')
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
}

type RawEntry = {
  code?: unknown
  title?: unknown
  category?: unknown
  patterns?: unknown
}

/** Validates raw entries; `pointerOf(i, field)` says where entry i's field is in the input. */
function validateEntries(
  raw: RawEntry[],
  hs: HsCodeBook,
  pointerOf: (i: number, field: string) => string,
): ImportedEntry[] {
  const issues: FieldIssue[] = []
  const entries: ImportedEntry[] = []
  const seen = new Map<string, number>()
  if (raw.length === 0) issues.push({ pointer: pointerOf(-1, ''), message: 'has no entries' })
  if (raw.length > MAX_ENTRIES)
    issues.push({ pointer: pointerOf(-1, ''), message: `has over ${MAX_ENTRIES} entries` })
  raw.forEach((r, i) => {
    const add = (field: string, message: string) =>
      issues.push({ pointer: pointerOf(i, field), message })
    const codeText = typeof r.code === 'string' ? r.code : r.code == null ? '' : String(r.code)
    const code = normalizeEntryCode(codeText, hs)
    if ('error' in code) add('code', code.error)
    const title = typeof r.title === 'string' ? r.title.replace(/\s+/g, ' ').trim() : ''
    if (!title) add('title', 'is empty: give the entry’s title')
    else if (title.length > 500) add('title', 'is over 500 characters')
    const category =
      typeof r.category === 'string' && r.category.trim() ? r.category.trim().slice(0, 100) : null
    if (r.category != null && typeof r.category !== 'string') add('category', 'must be text')
    let patterns: string[] = []
    if (typeof r.patterns === 'string') patterns = splitPatterns(r.patterns)
    else if (Array.isArray(r.patterns) && r.patterns.every((p) => typeof p === 'string'))
      patterns = r.patterns.flatMap((p: string) => splitPatterns(p))
    else if (r.patterns != null) add('patterns', 'must be a list of words or phrases')
    if (patterns.length > MAX_PATTERNS) add('patterns', `has over ${MAX_PATTERNS} patterns`)
    if (patterns.some((p) => p.length > 200)) add('patterns', 'a pattern is over 200 characters')
    if ('code' in code && isControlCode(code.code) && patterns.length === 0)
      add(
        'patterns',
        'a control code has no HS code to match by: give the words that identify the goods (patterns)',
      )
    if ('code' in code) {
      const first = seen.get(code.code)
      if (first !== undefined)
        add('code', `repeats entry ${code.code} (first at ${pointerOf(first, 'code')})`)
      else seen.set(code.code, i)
      entries.push({
        code: code.code,
        title,
        category,
        patterns,
        partial: false,
        text: null,
        derivation: null,
      })
    }
  })
  if (issues.length > 0) throw invalid(issues)
  return entries
}

function invalid(issues: FieldIssue[]): AppError {
  const shown = issues.slice(0, 100)
  const first = shown
    .slice(0, 3)
    .map((d) => `${d.pointer}: ${d.message}`)
    .join('; ')
  return new AppError(
    'INVALID_INPUT',
    `${issues.length} problem(s) in the list: ${first}${issues.length > 3 ? '; …' : ''}`,
    { details: shown },
  )
}

/**
 * Parses CSV (RFC 4180: quotes, doubled quotes, CRLF) into rows with the line each starts on.
 * @throws AppError INVALID_INPUT for a quote that never closes.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let quoteLine = 0
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else {
        if (ch === '\n') line++
        cell += ch
      }
      continue
    }
    if (ch === '"' && cell === '') {
      quoted = true
      quoteLine = line
    } else if (ch === ',') {
      cells.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++
      cells.push(cell)
      if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells })
      cells = []
      cell = ''
      line++
      rowLine = line
    } else cell += ch
  }
  if (quoted)
    throw new AppError('INVALID_INPUT', `line ${quoteLine}: a quote is never closed`, {
      details: [{ pointer: `/rows/${quoteLine}`, message: 'a quote is never closed' }],
    })
  cells.push(cell)
  if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells })
  return rows
}

/**
 * Entries from CSV with a header row: `code`, `title` and `category` (or `tier`) are required,
 * `patterns` (separated by `|`) optional; other columns are ignored.
 */
export function parseListCsv(text: string, hs: HsCodeBook): ParsedListFile {
  const rows = parseCsv(text)
  const header = rows.shift()
  if (!header)
    throw invalid([{ pointer: '/rows', message: 'is empty: send a header row and entries' }])
  const names = header.cells.map((c) => c.trim().toLowerCase())
  const column = (name: string) => names.indexOf(name)
  const category = column('category') >= 0 ? column('category') : column('tier')
  const missing = [
    column('code') < 0 && 'code',
    column('title') < 0 && 'title',
    category < 0 && 'category (or tier)',
  ].filter(Boolean)
  if (missing.length > 0)
    throw invalid(
      missing.map((m) => ({
        pointer: `/rows/${header.line}`,
        message: `the header has no column ${m}; the columns are code,title,category and optionally patterns`,
      })),
    )
  const cell = (cells: string[], at: number) => (at >= 0 ? (cells[at] ?? '') : undefined)
  const raw = rows.map((r) => ({
    code: cell(r.cells, column('code')),
    title: cell(r.cells, column('title')),
    category: cell(r.cells, category),
    patterns: cell(r.cells, column('patterns')),
  }))
  const entries = validateEntries(raw, hs, (i, field) => {
    if (i < 0) return '/rows'
    const name = field === 'category' ? names[category]! : field
    return `/rows/${rows[i]!.line}/${name}`
  })
  return { entries }
}

const JsonListSchema = z.object({
  version: z.string().trim().min(1).max(64).optional(),
  effective_date: z.iso.date().optional(),
  legal_status: LegalStatusSchema.optional(),
  source: z.string().trim().min(1).max(1000).optional(),
  entries: z.array(z.record(z.string(), z.unknown())),
})

/**
 * Entries from JSON: `{entries: [{code, title, category | tier, patterns?}], version?,
 * effective_date?, legal_status?, source?}`, or the entries array alone.
 */
export function parseListJson(value: unknown, hs: HsCodeBook): ParsedListFile {
  const parsed = JsonListSchema.safeParse(Array.isArray(value) ? { entries: value } : value)
  if (!parsed.success) throw invalid(issuesToFieldIssues(parsed.error.issues))
  const { entries: rawEntries, ...meta } = parsed.data
  const raw = rawEntries.map((e) => ({ ...e, category: e['category'] ?? e['tier'] }))
  const entries = validateEntries(raw, hs, (i, field) =>
    i < 0 ? '/entries' : `/entries/${i}/${field}`,
  )
  return { entries, ...meta }
}

/** CSV or JSON by content type (or file extension): `json` for JSON, anything else read as CSV. */
export function parseListFile(
  text: string,
  format: 'csv' | 'json',
  hs: HsCodeBook,
): ParsedListFile {
  if (format === 'csv') return parseListCsv(text, hs)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AppError('INVALID_INPUT', 'the body is not valid JSON', {
      details: [{ pointer: '', message: 'is not valid JSON' }],
    })
  }
  return parseListJson(value, hs)
}
