import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliRun, runCli } from './run-cli'

const dir = mkdtempSync(join(tmpdir(), 'dualuse-batch-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const CSV_INPUT = `reference,description,destination,hs_code,origin,final_destination,regime
A-1,SKF 6205-2RS deep groove ball bearing,RU,,,,
A-2,"wooden dining chair, oak",,,,,
A-3,ball bearing,XX,,,,
A-4,SKF 6205-2RS deep groove ball bearing,RU,,DE,,kz
A-5,,RU,,,,
A-6,ball bearing,,,,,
`

const JSONL_INPUT = [
  JSON.stringify({ reference: 'J-1', description: 'ball bearing', destination: 'AM' }),
  'not json',
  '',
  JSON.stringify({ reference: 'J-3', description: 'ball bearing', hs_code: '84A2' }),
  JSON.stringify({ reference: 'J-4', description: 'wooden dining chair, oak' }),
].join('\n')

/** More rows than one chunk (256), so several chunks travel to the workers and back. */
const MANY = 520
const MANY_DESCRIPTIONS = [
  'SKF 6205-2RS deep groove ball bearing',
  'wooden dining chair, oak',
  'STM32F407VGT6 ARM Cortex-M4 microcontroller',
  'cotton t-shirt, knitted',
  'ball bearing',
]
const manyCsv = [
  'reference,description,destination',
  ...Array.from({ length: MANY }, (_, i) =>
    [
      `M-${i}`,
      `"${MANY_DESCRIPTIONS[i % MANY_DESCRIPTIONS.length]}"`,
      i % 97 === 3 ? 'XX' : 'RU',
    ].join(','),
  ),
].join('\n')

let jsonl: CliRun
let csv: CliRun
let fromJsonl: CliRun
let inProcess: CliRun
let withWorkers: CliRun
const csvOut = join(dir, 'out.csv')

beforeAll(async () => {
  writeFileSync(join(dir, 'in.csv'), CSV_INPUT)
  writeFileSync(join(dir, 'in.jsonl'), JSONL_INPUT)
  writeFileSync(join(dir, 'many.csv'), manyCsv)
  ;[jsonl, csv, fromJsonl] = await Promise.all([
    runCli(['batch', join(dir, 'in.csv'), '--to', 'KZ']),
    runCli(['batch', join(dir, 'in.csv'), '--to', 'KZ', '--format', 'csv', '--out', csvOut]),
    runCli(['batch', join(dir, 'in.jsonl'), '--to', 'DE']),
  ])
  ;[inProcess, withWorkers] = await Promise.all([
    runCli(['batch', join(dir, 'many.csv'), '--format', 'csv', '--workers', '0']),
    runCli(['batch', join(dir, 'many.csv'), '--format', 'csv', '--workers', '2']),
  ])
}, 120_000)

describe('dualuse batch', () => {
  it('writes one JSONL result per row, in input order, echoing reference and row', () => {
    expect(jsonl.code).toBe(0)
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'])
    expect(rows.map((r) => r.row)).toEqual([0, 1, 2, 3, 4, 5])
    expect(rows[0].verdict).toBe('high_risk')
    expect(rows[0].classification.candidates[0].hs6).toBe('848210')
    // --to is the destination of rows without one; a row's own destination wins.
    expect(rows[1].destination.country).toBe('KZ')
    expect(rows[0].destination.country).toBe('RU')
    expect(rows[3].verdict).toBe('prohibited')
  })

  it('turns a bad row into an error object and goes on', () => {
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows[2]).toEqual({
      reference: 'A-3',
      row: 2,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('/rows/2/destination'),
        errors: [
          { pointer: '/rows/2/destination', message: expect.stringContaining('ISO 3166-1') },
        ],
      },
    })
    expect(rows[4].error.errors[0].pointer).toBe('/rows/4/description')
    expect(rows[5].verdict).toBeDefined()
  })

  it('prints a summary line on stderr and no progress bar when stderr is not a terminal', () => {
    expect(jsonl.stderr).toMatch(
      /dualuse batch: 6 rows in [\d.]+ s \([\d,]+ rows\/s, in-process\): prohibited 1, high_risk 1, review \d+, clear \d+; 2 errors/,
    )
    expect(jsonl.stderr).not.toContain('\r')
  })

  it('writes CSV with the documented columns to --out', () => {
    expect(csv.code).toBe(0)
    expect(csv.stdout).toBe('')
    const text = readFileSync(csvOut, 'utf8')
    expect(text.split('\n')[0]).toBe(
      'reference,row,verdict,risk_score,hs6,hs6_title,hs6_score,chp_tier,matched_lists,top_reason,error',
    )
    const rows = parse(text, { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'])
    expect(rows[0]).toMatchObject({
      row: '0',
      verdict: 'high_risk',
      hs6: '848210',
      chp_tier: '3.B',
    })
    const first = rows[0]!
    expect(first.matched_lists!.split(';')).toContain('chp')
    expect(first.top_reason).not.toBe('')
    expect(rows[2]).toMatchObject({
      verdict: '',
      error: expect.stringContaining('/rows/2/destination'),
    })
  })

  it('reads JSONL input, with an error row for a line that is not JSON', () => {
    expect(fromJsonl.code).toBe(0)
    const rows = fromJsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    // The blank line is not a row; rows are numbered over the lines that hold one.
    expect(rows.map((r) => [r.reference, r.row])).toEqual([
      ['J-1', 0],
      [null, 1],
      ['J-3', 2],
      ['J-4', 3],
    ])
    expect(rows[0].verdict).toBe('review')
    expect(rows[1].error.message).toContain('not valid JSON')
    expect(rows[2].error.errors[0].pointer).toBe('/rows/2/hs_code')
    expect(rows[3].destination.country).toBe('DE')
  })

  it('gives the same output, in input order, with worker threads as in-process', () => {
    expect(inProcess.code).toBe(0)
    expect(withWorkers.code).toBe(0)
    expect(withWorkers.stderr).toContain('2 workers')
    expect(withWorkers.stdout).toBe(inProcess.stdout)
    const rows = parse(withWorkers.stdout, { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(MANY)
    expect(rows.map((r) => r.reference)).toEqual(Array.from({ length: MANY }, (_, i) => `M-${i}`))
    expect(rows.filter((r) => r.error !== '')).toHaveLength(
      Array.from({ length: MANY }, (_, i) => i).filter((i) => i % 97 === 3).length,
    )
  })
})

describe('dualuse batch, bad arguments', () => {
  const cases: [string[], number, RegExp][] = [
    [['batch'], 2, /needs an input file/],
    [['batch', join(dir, 'missing.csv')], 1, /cannot read .*missing\.csv: no such file/],
    [['batch', join(dir, 'in.txt')], 2, /cannot tell the format/],
    [['batch', join(dir, 'in.csv'), '--format', 'xml'], 2, /--format must be jsonl or csv/],
    [['batch', join(dir, 'in.csv'), '--to', 'XX'], 1, /--to: must be an ISO 3166-1/],
  ]
  let runs: CliRun[] = []
  // Each fails before an engine is built; started together, they cost one tsx start-up.
  beforeAll(async () => {
    runs = await Promise.all(cases.map(([args]) => runCli(args)))
  }, 60_000)

  it.each(cases.map((c, i) => [...c, i] as const))(
    '%j exits %i with a one-line message',
    (_args, code, message, i) => {
      const run = runs[i]!
      expect(run.code).toBe(code)
      expect(run.stderr).toMatch(message)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
    },
  )
})
