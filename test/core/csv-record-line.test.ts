import { stringify } from 'csv-stringify/sync'
import { describe, expect, it } from 'vitest'
import { csvRecordLine } from '../../src/core/batch'

// The CLI batch writes CSV rows with `csvRecordLine` instead of csv-stringify: the bytes must be the same.
describe('csvRecordLine', () => {
  const cells: (string | number)[] = [
    '',
    'plain',
    'a,b',
    'say "hi"',
    '"',
    'line\nbreak',
    'carriage\rreturn',
    'crlf\r\n',
    ' spaced ',
    "it's;semi\ttab",
    '=SUM(A1)',
    '-1',
    'Ключ «в сборе» — 3 шт…',
    '😀 emoji, "quoted"',
    0,
    1,
    0.125,
    -3,
    Number.NaN,
    1e21,
  ]

  it('writes each cell as csv-stringify does with its defaults', () => {
    for (const cell of cells) expect(csvRecordLine([cell])).toBe(stringify([[cell]]))
  })

  it('writes a record of many cells, and records one after another, as csv-stringify does', () => {
    const records = [cells, [...cells].reverse(), ['', ''], ['only']]
    expect(records.map(csvRecordLine).join('')).toBe(stringify(records))
  })
})
