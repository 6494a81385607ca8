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
  // Cyrillic, and evidence with "→" and "…": multi-byte UTF-8 in the bytes a worker sends back.
  'подшипник шариковый радиальный',
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
let inProcessJsonl: CliRun
let withWorkersJsonl: CliRun
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
  ;[inProcessJsonl, withWorkersJsonl] = await Promise.all([
    runCli(['batch', join(dir, 'many.csv'), '--format', 'jsonl', '--workers', '0']),
    runCli(['batch', join(dir, 'many.csv'), '--format', 'jsonl', '--workers', '2']),
  ])
}, 120_000)

describe('dualuse batch', () => {
  it('writes one JSONL result per row, in input order, echoing reference and row', () => {
    // Two rows are error rows: the others come out, and the exit code says some failed.
    expect(jsonl.code).toBe(3)
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'])
    // `row` is the line in the file: the header is line 1.
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7])
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
      row: 4,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('/rows/4/destination'),
        errors: [
          { pointer: '/rows/4/destination', message: expect.stringContaining('ISO 3166-1') },
        ],
      },
    })
    expect(rows[4].error.errors[0].pointer).toBe('/rows/6/description')
    expect(rows[5].verdict).toBeDefined()
  })

  it('prints a summary line on stderr and no progress bar when stderr is not a terminal', () => {
    expect(jsonl.stderr).toMatch(
      /dualuse batch: 6 rows in [\d.]+ s \([\d,]+ rows\/s, in-process\): prohibited 1, high_risk 1, review \d+, clear \d+; 2 errors/,
    )
    expect(jsonl.stderr).not.toContain('\r')
  })

  it('writes CSV with the documented columns to --out, echoing the input columns', () => {
    expect(csv.code).toBe(3)
    expect(csv.stdout).toBe('')
    const text = readFileSync(csvOut, 'utf8')
    expect(text.split('\n')[0]).toBe(
      'reference,row,description,destination,hs_code,origin,final_destination,regime,verdict,risk_score,hs6,hs6_title,hs6_score,decisive_list,decisive_entry,decisive_title,chp_tier,matched_lists,top_reason,error',
    )
    const rows = parse(text, { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.reference)).toEqual(['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'])
    expect(rows[0]).toMatchObject({
      row: '2',
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      verdict: 'high_risk',
      hs6: '848210',
      hs6_title: 'Ball bearings',
      decisive_list: 'chp',
      decisive_entry: '848210',
      chp_tier: '3.B',
    })
    // --to fills the destination of a row without one, and the echo shows what was checked.
    expect(rows[1]).toMatchObject({ description: 'wooden dining chair, oak', destination: 'KZ' })
    expect(rows[3]).toMatchObject({ origin: 'DE', regime: 'KZ', verdict: 'prohibited' })
    const first = rows[0]!
    expect(first.matched_lists!.split(';')).toContain('chp')
    expect(first.top_reason).not.toBe('')
    expect(rows[2]).toMatchObject({
      destination: 'XX',
      verdict: '',
      error: expect.stringContaining('/rows/4/destination'),
    })
  })

  it('reads JSONL input, with an error row for a line that is not JSON', () => {
    expect(fromJsonl.code).toBe(3)
    const rows = fromJsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    // The blank line is not a row, but it is a line: `row` is the line number.
    expect(rows.map((r) => [r.reference, r.row])).toEqual([
      ['J-1', 1],
      [null, 2],
      ['J-3', 4],
      ['J-4', 5],
    ])
    expect(rows[0].verdict).toBe('review')
    expect(rows[1].error.message).toContain('not valid JSON')
    expect(rows[2].error.errors[0].pointer).toBe('/rows/4/hs_code')
    expect(rows[3].destination.country).toBe('DE')
  })

  it('gives the same output, in input order, with worker threads as in-process', () => {
    expect(inProcess.code).toBe(3)
    expect(withWorkers.code).toBe(3)
    expect(withWorkers.stderr).toContain('2 workers')
    expect(withWorkers.stdout).toBe(inProcess.stdout)
    const rows = parse(withWorkers.stdout, { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(MANY)
    expect(rows.map((r) => r.reference)).toEqual(Array.from({ length: MANY }, (_, i) => `M-${i}`))
    expect(rows.filter((r) => r.error !== '')).toHaveLength(
      Array.from({ length: MANY }, (_, i) => i).filter((i) => i % 97 === 3).length,
    )
  })

  it('gives the same JSONL, byte for byte and in input order, with worker threads as in-process', () => {
    expect(withWorkersJsonl.stderr).toContain('2 workers')
    expect(withWorkersJsonl.stdout).toBe(inProcessJsonl.stdout)
    const rows = withWorkersJsonl.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { reference: string; description?: string })
    expect(rows.map((r) => r.reference)).toEqual(Array.from({ length: MANY }, (_, i) => `M-${i}`))
    expect(withWorkersJsonl.stdout).toContain('шариковый')
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
  // Each fails before an engine is built; started together, they cost one start-up.
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

/** 30 rows, each with its own destination; `lines` replaces rows by their line number. */
function thirtyRows(lines: Record<number, string> = {}): string {
  const destinations = ['RU', 'KZ', 'DE', 'AM', 'CN']
  const rows = ['reference,description,destination,hs_code,origin,final_destination,regime']
  for (let i = 1; i <= 30; i++)
    rows.push(`R-${i},SKF 6205-2RS ball bearing lot ${i},${destinations[i % 5]},,,,`)
  for (const [line, text] of Object.entries(lines)) rows[Number(line) - 1] = text
  return `${rows.join('\r\n')}\r\n`
}

describe('dualuse batch, files as people make them', () => {
  const files: Record<string, string | Buffer> = {
    'semicolon.csv':
      '\uFEFFreference;description;destination\r\nS-1;"chair; oak";KZ\r\nS-2;ball bearing;RU\r\n',
    'excel.csv':
      'reference,description,destination\r\nE-1,"SKF 6205-2RS\nball bearing, sealed",RU\r\nE-2,chair,KZ\r\n',
    'stray.csv': thirtyRows({
      11: 'R-10,"SKF 6205-2RS ball bearing 12 inch,RU,,,,',
      21: 'R-20,"wooden dining chair, oak",RU,,,,',
    }),
    'clean.csv': thirtyRows(),
    'empty.csv': '',
    'binary.csv': Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0,
    ]),
    'columns.csv': `reference,description,destination,notes\nC-1,ball bearing,RU,x\nC-2,ball bearing,RU,x,extra\nC-3,ball bearing\nC-4,chair,KZ,${','.repeat(10_000)}\n`,
  }
  const runs: Record<string, CliRun> = {}
  beforeAll(async () => {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
    const names = Object.keys(files)
    const results = await Promise.all(
      names.map((name) => runCli(['batch', join(dir, name), '--format', 'csv', '--workers', '0'])),
    )
    names.forEach((name, i) => {
      runs[name] = results[i]!
    })
  }, 120_000)
  const csvRows = (name: string) =>
    parse(runs[name]!.stdout, { columns: true }) as Record<string, string>[]

  it('reads a semicolon-separated file with BOM and CRLF', () => {
    expect(runs['semicolon.csv']!.code).toBe(0)
    expect(
      csvRows('semicolon.csv').map((r) => [r.reference, r.row, r.description, r.destination]),
    ).toEqual([
      ['S-1', '2', 'chair; oak', 'KZ'],
      ['S-2', '3', 'ball bearing', 'RU'],
    ])
  })

  it('reads a line break inside a quoted cell as one row, numbered by its first line', () => {
    expect(runs['excel.csv']!.code).toBe(0)
    expect(csvRows('excel.csv').map((r) => [r.reference, r.row, r.destination])).toEqual([
      ['E-1', '2', 'RU'],
      ['E-2', '4', 'KZ'],
    ])
  })

  it('reports a stray quote at its own line and checks every other row with its own destination', () => {
    const run = runs['stray.csv']!
    expect(run.code).toBe(3)
    const rows = csvRows('stray.csv')
    const clean = csvRows('clean.csv')
    expect(rows).toHaveLength(30)
    expect(rows.map((r) => r.reference)).toEqual(clean.map((r) => r.reference))
    expect(rows.map((r) => r.row)).toEqual(clean.map((r) => r.row))
    const bad = rows.filter((r) => r.error !== '')
    expect(bad.map((r) => [r.reference, r.row])).toEqual([['R-10', '11']])
    expect(bad[0]!.error).toContain('/rows/11/description')
    rows.forEach((row, i) => {
      if (row.error === '' && i !== 19) {
        expect(row.destination).toBe(clean[i]!.destination)
        expect(row.verdict).toBe(clean[i]!.verdict)
      }
    })
    expect(run.stderr).toMatch(/30 rows .*; 1 errors/)
  })

  it('refuses an empty file with a word about the header, exit 1, no output', () => {
    const run = runs['empty.csv']!
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /empty\.csv: the file is empty: a CSV batch starts with a header line/,
    )
  })

  it('refuses a binary file without echoing its bytes', () => {
    const run = runs['binary.csv']!
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/binary\.csv: the file is not UTF-8 text/)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting none reach the terminal
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
  })

  it('reports extra and missing cells per row and an unknown column once on stderr', () => {
    const run = runs['columns.csv']!
    expect(run.code).toBe(3)
    expect(run.stderr.match(/columns this product does not read/g)).toHaveLength(1)
    expect(run.stderr).toContain('"notes"')
    const rows = csvRows('columns.csv')
    expect(rows.map((r) => [r.reference, r.row, r.error!.split(':')[0]])).toEqual([
      ['C-1', '2', ''],
      ['C-2', '3', '/rows/3'],
      ['C-3', '4', '/rows/4'],
      ['C-4', '5', '/rows/5'],
    ])
    expect(rows[3]!.error).toMatch(/10004 cells, but the header \(line 1\) has 4 columns/)
  })
})
