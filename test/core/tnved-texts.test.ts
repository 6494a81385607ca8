import { describe, expect, it } from 'vitest'
import { cleanTnvedLine, tnvedTextRows } from '../../src/core/catalogue/tnved-texts'
import { indexTerms, RUSSIAN_STOPWORDS } from '../../src/core/classify/text'

const subheadings = new Set(['853951', '853952', '852872'])
const names: Record<string, string[]> = {
  '85': ['ЭЛЕКТРИЧЕСКИЕ МАШИНЫ И ОБОРУДОВАНИЕ, ИХ ЧАСТИ'],
  '8528': ['Мониторы и проекторы'],
}
const read = (rows: { code10: string; path: string }[], recurring = 10) =>
  tnvedTextRows(
    rows,
    (hs6) => subheadings.has(hs6),
    (code10) => [...(names[code10.slice(0, 2)] ?? []), ...(names[code10.slice(0, 4)] ?? [])],
    recurring,
  )

describe('EAEU TN VED texts as Russian vocabulary', () => {
  it('reaches a subheading the 2017 names miss: LED modules get their own line', () => {
    const { rows } = read([
      {
        code10: '8539519009',
        path: 'модули светодиодные (LED): (с 01.01.2022) 🠺 прочие: (с 01.01.2022) 🠺 прочие',
      },
    ])
    expect(rows).toEqual([
      { hs6: '853951', text: 'модули светодиодные (LED)', code10: '8539519009', codes: 1 },
    ])
  })

  it("keeps each line's own words once per subheading, not the whole path per code", () => {
    const { rows } = read([
      {
        code10: '8528721000',
        path: 'аппаратура приемная: 🠺 телевизионное проекционное оборудование',
      },
      { code10: '8528728000', path: 'аппаратура приемная: 🠺 прочая' },
    ])
    expect(rows.map((r) => [r.text, r.codes])).toEqual([
      ['аппаратура приемная', 2],
      ['телевизионное проекционное оборудование', 1],
    ])
  })

  it('leaves out "прочие", the chapter and heading names, and counts codes outside HS 2022', () => {
    const result = read([
      { code10: '8528721000', path: 'Мониторы и проекторы: 🠺 пpочие' },
      { code10: '8528728000', path: 'Электрические машины и оборудование, их части: 🠺 прочая' },
      { code10: '8599000000', path: 'несуществующая позиция' },
      { code10: '85287', path: 'обрывок' },
    ])
    expect(result.rows).toEqual([])
    expect(result).toMatchObject({ notHs2022: 1, badCode: 1, otherOnly: 2, ancestorName: 2 })
  })

  it('leaves out a text that recurs under many subheadings: it splits lines, it names no goods', () => {
    const result = read(
      [
        {
          code10: '8539511012',
          path: 'модули светодиодные (LED) 🠺 для гражданских воздушных судов 5)',
        },
        {
          code10: '8539520009',
          path: 'лампы светодиодные (LED) 🠺 для гражданских воздушных судов',
        },
      ],
      2,
    )
    expect(result.rows.map((r) => r.text)).toEqual([
      'модули светодиодные (LED)',
      'лампы светодиодные (LED)',
    ])
    expect(result).toMatchObject({ recurringTexts: 1, recurringRows: 2 })
  })

  it('drops layout: in-force dates, footnote marks, colons; mends words typed in two scripts', () => {
    expect(cleanTnvedLine('для медицинских целей 4)')).toBe('для медицинских целей')
    expect(cleanTnvedLine('модули светодиодные (LED):')).toBe('модули светодиодные (LED)')
    expect(cleanTnvedLine('станки вихрефрезеpной обработки')).toBe(
      'станки вихрефрезерной обработки',
    )
    expect(cleanTnvedLine('сельдь (Cluрea harengus)')).toBe('сельдь (Clupea harengus)')
  })
})

describe('Russian stopwords', () => {
  it('are whole words: "для", "из", "прочие" are not indexed, single letters of real words are', () => {
    for (const word of ['для', 'из', 'не', 'прочие', 'или'])
      expect(RUSSIAN_STOPWORDS.has(word)).toBe(true)
    expect(RUSSIAN_STOPWORDS.has('д')).toBe(false)
    expect(indexTerms('насосы для жидкостей из стали')).toHaveLength(3)
  })
})
