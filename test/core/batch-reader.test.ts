import { describe, expect, it } from 'vitest'
import {
  type BatchRow,
  printable,
  type ReadBatchOptions,
  readBatchRows,
} from '../../src/core/batch'
import { AppError } from '../../src/core/errors'

const HEADER = 'reference,description,destination,hs_code,origin,final_destination,regime'

async function read(
  text: string | Uint8Array,
  options: Partial<ReadBatchOptions> = {},
  chunkSize = 0,
): Promise<BatchRow[]> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text
  // A Web ReadableStream, as a request body is on Node and Workers; small chunks cut lines and UTF-8
  // sequences in the middle.
  const size = chunkSize || bytes.length || 1
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size))
      controller.close()
    },
  })
  const rows: BatchRow[] = []
  for await (const row of readBatchRows(stream, { format: 'csv', ...options })) rows.push(row)
  return rows
}

async function refusal(text: string | Uint8Array, options: Partial<ReadBatchOptions> = {}) {
  try {
    await read(text, options)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('INVALID_INPUT')
    return (err as AppError).message
  }
  throw new Error('expected the file to be refused')
}

/** 30 rows, each with its own destination; `lines` replaces rows by their line number. */
function thirtyRows(lines: Record<number, string> = {}): string {
  const destinations = ['RU', 'KZ', 'DE', 'AM', 'CN']
  const rows = [HEADER]
  for (let i = 1; i <= 30; i++)
    rows.push(`R-${i},ball bearing type ${i},${destinations[i % destinations.length]},,,,`)
  for (const [line, text] of Object.entries(lines)) rows[Number(line) - 1] = text
  return `${rows.join('\r\n')}\r\n`
}

describe('readBatchRows, CSV', () => {
  it('numbers rows by their line in the file, header as line 1, blank lines counted', async () => {
    const rows = await read(`${HEADER}\nA-1,bearing,RU,,,,\n\nA-2,chair,KZ,,,,\n`)
    expect(rows.map((r) => [r.line, r.reference])).toEqual([
      [2, 'A-1'],
      [4, 'A-2'],
    ])
    expect(rows[0]!.input).toEqual({ reference: 'A-1', description: 'bearing', destination: 'RU' })
  })

  it.each([
    ['semicolon', ';'],
    ['tab', '\t'],
    ['comma', ','],
  ])('detects a %s delimiter from the header, with BOM and CRLF', async (_name, d) => {
    const text = `\uFEFFreference${d}description${d}destination\r\nS-1${d}"chair${d} oak"${d}KZ\r\nS-2${d}bearing${d}RU\r\n`
    const rows = await read(text, {}, 5)
    expect(rows.map((r) => r.input)).toEqual([
      { reference: 'S-1', description: `chair${d} oak`, destination: 'KZ' },
      { reference: 'S-2', description: 'bearing', destination: 'RU' },
    ])
    expect(rows.map((r) => r.line)).toEqual([2, 3])
  })

  it('reads a line break inside a quoted cell (as Excel writes it) as one row at its first line', async () => {
    const text = `${HEADER}\r\nE-1,"SKF 6205 bearing\nsealed, 2RS\n\n""deep groove""",RU,,,,\r\nE-2,chair,KZ,,,,\r\n`
    const rows = await read(text, {}, 3)
    expect(rows.map((r) => [r.line, r.reference, r.error])).toEqual([
      [2, 'E-1', undefined],
      [6, 'E-2', undefined],
    ])
    expect(rows[0]!.input?.description).toBe('SKF 6205 bearing\nsealed, 2RS\n\n"deep groove"')
  })

  it('reports a stray quote at its own line and reads every other row of a 30-row file with its own destination', async () => {
    const clean = await read(thirtyRows())
    const text = thirtyRows({
      11: 'R-10,"ball bearing 12 inch,AM,,,,',
      // A later properly quoted cell must not close the stray quote.
      21: 'R-20,"wooden dining chair, oak",RU,,,,',
    })
    const rows = await read(text, {}, 64)
    expect(rows).toHaveLength(30)
    const bad = rows.filter((r) => r.error)
    expect(bad).toEqual([
      {
        line: 11,
        reference: 'R-10',
        error: {
          pointer: '/rows/11/description',
          message: expect.stringContaining('quote that opens description'),
        },
      },
    ])
    rows.forEach((row, i) => {
      expect(row.line).toBe(i + 2)
      expect(row.reference).toBe(`R-${i + 1}`)
      if (!row.error) expect(row.input.destination).toBe(clean[i]!.input!.destination)
    })
    expect(rows[19]!.input?.description).toBe('wooden dining chair, oak')
  })

  it('reports a stray quote that never closes, on the last row or before rows without quotes', async () => {
    const last = await read(thirtyRows({ 31: 'R-30,"bearing,RU,,,,' }))
    expect(last.filter((r) => r.error).map((r) => r.line)).toEqual([31])
    expect(last).toHaveLength(30)
    const middle = await read(thirtyRows({ 5: 'R-4,"bearing,RU,,,,' }))
    expect(middle.filter((r) => r.error).map((r) => r.line)).toEqual([5])
    expect(middle).toHaveLength(30)
  })

  it('keeps a quote inside an unquoted cell as text (12" pipe)', async () => {
    const rows = await read(`${HEADER}\nP-1,steel pipe 12" bore,RU,,,,\n`)
    expect(rows[0]!.input?.description).toBe('steel pipe 12" bore')
  })

  it('reports text after a closing quote as an error row', async () => {
    const rows = await read(`${HEADER}\nQ-1,"12" pipe,RU,,,,\nQ-2,chair,KZ,,,,\n`)
    expect(rows[0]!.error?.pointer).toBe('/rows/2/description')
    expect(rows[1]!.input?.destination).toBe('KZ')
  })

  it('reports extra and missing cells per row, a 10,000-cell row included', async () => {
    const wide = `W-1,bearing,RU${','.repeat(10_000)}`
    const rows = await read(
      `${HEADER}\n${wide}\nW-2,bearing,RU,,,,,extra\nW-3,bearing,RU\nW-4,ok,KZ,,,,\n`,
    )
    expect(rows.map((r) => [r.line, r.reference, r.error?.pointer])).toEqual([
      [2, 'W-1', '/rows/2'],
      [3, 'W-2', '/rows/3'],
      [4, 'W-3', '/rows/4'],
      [5, 'W-4', undefined],
    ])
    expect(rows[0]!.error!.message).toMatch(/^10003 cells, but the header \(line 1\) has 7/)
    expect(rows[2]!.error!.message).toMatch(/cells are missing/)
  })

  it('warns once about unknown header columns and ignores their cells', async () => {
    const warnings: string[] = []
    const rows = await read('description,destination,notes\nbearing,RU,urgent\nchair,KZ,\n', {
      onWarning: (m) => warnings.push(m),
    })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('"notes"')
    expect(rows.map((r) => r.input)).toEqual([
      { description: 'bearing', destination: 'RU' },
      { description: 'chair', destination: 'KZ' },
    ])
  })

  it('applies defaults to rows that lack the field; a row’s own value wins', async () => {
    const rows = await read('description,destination,regime\nbearing,,eu\nchair,RU,\n', {
      defaults: { destination: 'KZ', regime: 'UK', origin: 'CN' },
    })
    expect(rows.map((r) => r.input)).toEqual([
      { description: 'bearing', destination: 'KZ', regime: 'EU', origin: 'CN' },
      { description: 'chair', destination: 'RU', regime: 'UK', origin: 'CN' },
    ])
  })

  it('gives a row without destination an error that says how to fix it', async () => {
    const rows = await read('description,destination\nbearing,\n')
    expect(rows[0]!.error).toEqual({
      pointer: '/rows/2/destination',
      message: expect.stringContaining('--to'),
    })
  })

  it('refuses an empty file, a file of blank lines, and a header without description', async () => {
    expect(await refusal('')).toMatch(/file is empty.*header line/)
    expect(await refusal('\r\n\n  \n')).toMatch(/file is empty/)
    expect(await refusal('ref,desc\nA,b\n')).toMatch(/no "description" column/)
  })

  it('refuses binary input: NUL bytes or bytes that are not UTF-8', async () => {
    expect(await refusal(new Uint8Array([100, 101, 0, 10, 1, 2]))).toMatch(/not text.*NUL/)
    expect(await refusal(new Uint8Array([0xff, 0xfe, 0x41, 0x1b, 0x5b]))).toMatch(/not UTF-8/)
    // Past the first chunk: a lone 0xC3 (Latin-1 "Ã" or a cut é) deep in the file.
    const late = [...new TextEncoder().encode(thirtyRows()), 0x52, 0xc3, 0x41, 0x0a]
    await expect(read(new Uint8Array(late), {}, 16)).rejects.toThrow(/not UTF-8/)
  })

  it('never puts control characters of the input in a message', async () => {
    const header = await refusal('\u001b[31mref\u001b[0m,x\n')
    expect(header).not.toContain('\u001b')
    expect(header).toContain('\\x1b[31m')
    const rows = await read('description,destination\nbell\u0007 ring\u001b[2J,RU\n')
    expect(rows[0]!.error!.pointer).toBe('/rows/2/description')
    expect(rows[0]!.error!.message).toContain('\\x07')
    expect(rows[0]!.error!.message).not.toContain('\u0007')
  })

  it('accepts an async iterable of strings (a Node stream decoded elsewhere)', async () => {
    async function* chunks() {
      yield '\uFEFFdescription;destination\n'
      yield 'bearing;R'
      yield 'U\n'
    }
    const rows: BatchRow[] = []
    for await (const row of readBatchRows(chunks(), { format: 'csv' })) rows.push(row)
    expect(rows.map((r) => r.input)).toEqual([{ description: 'bearing', destination: 'RU' }])
  })
})

describe('readBatchRows, JSONL', () => {
  it('numbers rows by line, skips blank lines, and reports bad lines with escaped text', async () => {
    const text = [
      JSON.stringify({ reference: 'J-1', description: 'bearing', destination: 'RU' }),
      '',
      'not json \u001b[2J',
      '[1,2]',
      JSON.stringify({ reference: 'J-5', description: 'chair' }),
    ].join('\r\n')
    const rows = await read(
      `\uFEFF${text}`,
      { format: 'jsonl', defaults: { destination: 'DE' } },
      7,
    )
    expect(rows.map((r) => [r.line, r.reference, r.error?.pointer])).toEqual([
      [1, 'J-1', undefined],
      [3, null, '/rows/3'],
      [4, null, '/rows/4'],
      [5, 'J-5', undefined],
    ])
    expect(rows[1]!.error!.message).toMatch(/^not valid JSON/)
    expect(rows[1]!.error!.message).not.toContain('\u001b')
    expect(rows[2]!.error!.message).toBe('each line must be a JSON object')
    expect(rows[3]!.input?.destination).toBe('DE')
  })

  it('refuses binary JSONL input too', async () => {
    expect(await refusal(new Uint8Array([0x7b, 0, 0x7d]), { format: 'jsonl' })).toMatch(/NUL/)
  })
})

describe('printable', () => {
  it('escapes control, bidi and line-separator characters and cuts long text', () => {
    expect(printable('a\u001b[0m\u202eb\n', 60)).toBe('a\\x1b[0m\\u202eb\\n')
    expect(printable('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`)
  })
})
