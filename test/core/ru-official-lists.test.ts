import { describe, expect, it } from 'vitest'
import {
  cleanListName,
  parseMarkingTable,
  ruOfficialListRows,
} from '../../src/core/catalogue/ru-official-lists'

const php = `$data = [
  ['Group' => 'Первая группа'],
  ['Index' => '1', 'Product Name' => 'Пылесосы', 'TNVED Position' => '8508', 'TNVED Code' => '8508110000<br>8508190001', 'Product ID Code Class' => '08508'],
  ['Index' => '2', 'Product Name' => 'Кондиционеры**', 'TNVED Position' => '8415', 'TNVED Code' => '8415101000', 'Product ID Code Class' => '08415'],
  ['Index' => '3', 'Product Name' => 'Лампы всех видов', 'TNVED Position' => '8539<br>8540', 'TNVED Code' => '8539500000<br>8540810000', 'Product ID Code Class' => '08539'],
];
echo $row['Product Name'];`

const headings = new Set(['8508', '8415', '8539', '8540'])
const subheadings = new Set(['850811', '850819', '841510', '854081'])

describe('official product lists', () => {
  it('reads the product rows of the table, not the code that prints them', () => {
    const entries = parseMarkingTable(php)
    expect(entries.map((e) => e.name)).toEqual(['Пылесосы', 'Кондиционеры**', 'Лампы всех видов'])
    expect(entries[0]!.codes).toEqual(['8508110000', '8508190001'])
    expect(cleanListName('Кондиционеры**')).toBe('кондиционеры')
  })

  it('drops a product whose codes are not all HS 2022, and one an evaluation row names', () => {
    const result = ruOfficialListRows(
      parseMarkingTable(php),
      (hs4) => headings.has(hs4),
      (hs6) => subheadings.has(hs6),
      ['кондиционеры'],
    )
    // 8539 50 (LED lamps) left the HS in 2022: "лампы" must not be kept under 8540 (vacuum tubes) alone.
    expect(result.rows).toEqual([{ hs4: '8508', text: 'пылесосы' }])
    expect(result.badCode).toBe(1)
    expect(result.evalOverlap).toBe(1)
  })
})
