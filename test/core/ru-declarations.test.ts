import { describe, expect, it } from 'vitest'
import {
  cleanDeclarationText,
  normaliseForOverlap,
  ruDeclarationRows,
} from '../../src/core/catalogue/ru-declarations'

const headings = new Set(['8508', '8482', '8430'])
const isHeading = (hs4: string) => headings.has(hs4)

describe('cleanDeclarationText', () => {
  it('keeps the goods of the first clause and drops the consignment: marks, models, Latin makers, quantities', () => {
    expect(
      cleanDeclarationText('САМОХОДНАЯ УСТАНОВКА ДЛЯ БУРЕНИЯ МАРКИ XCMG, МОДЕЛЬ XZ360E - 1ШТ.'),
    ).toBe('самоходная установка для бурения марки модель')
    expect(cleanDeclarationText('ПЫЛЕСОСЫ БЫТОВЫЕ <DYSON V11>: В КОРОБКАХ')).toBe(
      'пылесосы бытовые',
    )
    expect(cleanDeclarationText('ПОДШИПНИКИ. МАТЕРИАЛ: СТАЛЬ')).toBe('подшипники')
  })

  it('cuts a long first clause to its first eight words', () => {
    const text = 'ОДИН ДВА ТРИ ЧЕТЫРЕ ПЯТЬ ШЕСТЬ СЕМЬ ВОСЕМЬ ДЕВЯТЬ ДЕСЯТЬ'
    expect(cleanDeclarationText(text).split(' ')).toHaveLength(8)
  })

  it('leaves nothing when no word of the goods is left', () => {
    expect(cleanDeclarationText('<ABC-100> 2 ШТ')).toBe('')
  })
})

describe('ruDeclarationRows', () => {
  it('keeps one row per heading and text, and drops codes that are no HS 2022 heading', () => {
    const result = ruDeclarationRows(
      [
        { code: '8508', text: 'ПЫЛЕСОСЫ БЫТОВЫЕ' },
        { code: '8508', text: 'Пылесосы бытовые' },
        { code: '9999', text: 'ЧТО-ТО' },
        { code: '85', text: 'КОРОТКИЙ КОД' },
      ],
      isHeading,
      [],
    )
    expect(result.rows).toEqual([{ hs4: '8508', text: 'пылесосы бытовые' }])
    expect([result.duplicate, result.notHs2022, result.badCode]).toEqual([1, 1, 1])
  })

  it('drops a row that equals or contains, word for word, an evaluation text', () => {
    const result = ruDeclarationRows(
      [
        { code: '8482', text: 'ПОДШИПНИКИ РОЛИКОВЫЕ КОНИЧЕСКИЕ' },
        { code: '8482', text: 'ПОДШИПНИКИ ШАРИКОВЫЕ' },
        { code: '8508', text: 'ПЫЛЕСОСЫ' },
      ],
      isHeading,
      ['Подшипники роликовые', 'пылесос'],
    )
    // "пылесосы" does not hold the word "пылесос": containment is by whole words.
    expect(result.rows.map((r) => r.text)).toEqual(['подшипники шариковые', 'пылесосы'])
    expect(result.evalOverlap).toBe(1)
  })

  it('keeps at most the given number of rows per heading, in source order', () => {
    const raw = ['А', 'Б', 'В'].map((x) => ({ code: '8430', text: `МАШИНЫ БУРИЛЬНЫЕ ${x}ААА` }))
    const result = ruDeclarationRows(raw, isHeading, [], 2)
    expect(result.rows).toHaveLength(2)
    expect(result.overCap).toBe(1)
  })

  it('compares texts case- and punctuation-blind, with ё as е', () => {
    expect(normaliseForOverlap('Ёлки, «ИСКУССТВЕННЫЕ»!')).toBe('елки искусственные')
  })
})
