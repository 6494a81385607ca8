import { describe, expect, it } from 'vitest'
import { compileCatalogue } from '../../src/core/catalogue/compile-catalogue'
import { withOtherHeadings } from '../../src/core/classify/classifier'
import { analyzeQuery } from '../../src/core/classify/query'
import { AppError } from '../../src/core/errors'
import { testEngine } from './engine-fixture'

const top = (description: string) => testEngine().classifier.classify(description).candidates[0]

describe('classifier', () => {
  it('reads the goods, not what they are made of: a cotton pullover is clothing, not fabric', () => {
    expect(
      top(
        "woman's pullover constructed of 60% cotton and 40% polyester French terry knit fabric",
      )!.hs6.slice(0, 4),
    ).toBe('6110')
  })

  it('reads a food named canned, tinned or in syrup as prepared or preserved, a frozen one as kept fresh', () => {
    // The tariff's "prepared or preserved" (1602, 1605, 2008), not the fresh goods of chapters 2, 3, 8.
    expect(top('canned beef')!.hs6.slice(0, 4)).toBe('1602')
    expect(top('canned crab')!.hs6.slice(0, 4)).toBe('1605')
    expect(top('pears in syrup')!.hs6.slice(0, 4)).toBe('2008')
    // Frozen vegetables stay in chapter 7 (0710); a fresh name stays fresh.
    expect(top('frozen peas')!.hs6.slice(0, 4)).toBe('0710')
    expect(top('peaches')!.hs6.slice(0, 4)).toBe('0809')
  })

  it('classifies parts with the article they are parts of (8807 for aircraft)', () => {
    const c = top('aluminum wing panels for aircraft')!
    expect(c.hs6).toBe('880730')
    expect(c.evidence[0]).toMatch(/heading 8807/)
  })

  it('says whether a reading names the goods: the head, or a word naming a kind of goods beside a generic head', () => {
    const read = (description: string) =>
      new Map(
        testEngine()
          .classifier.classify(description)
          .candidates.map((c) => [c.hs6, c.namesGoods]),
      )
    // The head "router" matched: a reading of what the goods are.
    expect(read('wifi router').get('851762')).toBe(true)
    // "unit" is in too many headings' texts to name goods: a reading must match "garden" or "hose".
    expect([...read('garden hose unit').values()]).toContain(false)
    // A line that names a maker: word roles do not tell, any word naming a kind of goods counts.
    expect([...read('QX7B NORTHWIND SEMICONDUCTOR CO., LTD diode').values()]).toContain(true)
  })

  it('keeps a candidate for the next headings when one heading fills the first eight places', () => {
    const meters = ['902810', '902820', '902830', '902890', '902710', '902720', '902730', '902750']
    const sorted = [...meters, '902780', '903033', '903039', '902620', '902710', '901580', '901520']
    // The eight first, then the best of each heading not yet among them: 9030, 9026, 9015.
    expect(withOtherHeadings(sorted.map((hs6) => ({ hs6 }))).map((c) => c.hs6)).toEqual([
      ...meters,
      '903033',
      '902620',
      '901580',
    ])
  })

  it('does not read a bearing housing as a bearing', () => {
    expect(top('bearing housing, cast iron')!.hs6.slice(0, 4)).toBe('8483')
  })

  it('is as confident of a part-number prefix reading as its parts list agrees, not 0 for want of words', () => {
    const c = testEngine().classifier.classify('AD7982 Analog Devices')
    expect(c.textStrength).toBe(0)
    expect(c.candidates[0]!.hs6.slice(0, 4)).toBe('8542')
    const share = Number(/(\d+) % under/.exec(c.candidates[0]!.evidence[0]!)?.[1])
    expect(c.confidence).toBeGreaterThanOrEqual(share / 100 - 0.005)
    expect(c.confidence).toBeGreaterThan(0.5)
  })

  it('reads part-number families with their source', () => {
    const c = testEngine().classifier.classify('XC7A35T-1CPG236C')
    expect(c.candidates[0]!.hs6).toBe('854239')
    expect(c.explicit[0]).toMatchObject({ kind: 'part_number_family' })
    expect(c.explicit[0]!.source).toMatch(/^https?:/)
  })

  it('takes a bare bearing number as a designation only when the text speaks of bearings', () => {
    expect(
      testEngine()
        .classifier.classify('bearing 6205')
        .explicit.map((e) => e.kind),
    ).toContain('bearing_designation')
    expect(testEngine().classifier.classify('invoice 6205 tomatoes').explicit).toEqual([])
  })

  it('ignores abbreviations it does not know when finding the head of the phrase', () => {
    const engine = testEngine()
    const q = analyzeQuery(
      '2x kids hoodie blk M',
      (t) => engine.classifier.classify(t).textStrength > 0,
    )
    expect(q.terms.find((t) => t.role === 'head')?.raw).toBe('hoodie')
  })
})

describe('Russian words the texts lack', () => {
  const read = (description: string) => testEngine().classifier.classify(description)

  it('reads a real word through its relative, not as a typo of another word ("тепличные" are no fuel)', () => {
    const c = read('тепличные растения')
    expect(c.corrections.map((x) => x.to)).not.toContain('топливные')
    expect(c.candidates[0]!.hs6.slice(0, 2)).toBe('06')
  })

  it('does not correct a Russian word two edits from another one ("приставка" is no "поставка")', () => {
    expect(read('приставка игровая').corrections.map((x) => x.to)).not.toContain('поставка')
  })

  it('reads "мини", "микро" written apart as qualifiers of the goods, not as minutes or microns', () => {
    const heading = (d: string) => read(d).candidates[0]!.hs6.slice(0, 4)
    expect(['8417', '8514', '8516']).toContain(heading('мини печь'))
    expect(['8417', '8514', '8516']).toContain(heading('мини-печь'))
    expect(read('микро двигатель').corrections.map((x) => x.to)).not.toContain('микрон')
    expect(heading('электро двигатель')).toBe('8501')
  })
})

describe('analyzeQuery', () => {
  const headOf = (description: string) =>
    analyzeQuery(description).terms.find((t) => t.role === 'head')?.raw

  it('reads the goods before "consists of" and their parts after it', () => {
    expect(headOf('thermometer consists of a glass tube filled with alcohol')).toBe('thermometer')
    // A name between commas names no goods: the goods follow.
    expect(headOf('Item 4471, Oakwood, consists of a dining table')).toBe('table')
    // A wrapper says the goods are the listed parts.
    expect(headOf('kit consisting of a hammer and pliers')).toBe('hammer')
  })

  it('takes no evidence from what the goods are without', () => {
    const terms = analyzeQuery('digital camera without memory card').terms.map((t) => t.raw)
    expect(terms).toContain('camera')
    expect(terms).not.toContain('memory')
    expect(terms).not.toContain('card')
    // "with or without" excludes nothing.
    expect(analyzeQuery('shirt with or without collar').terms.map((t) => t.raw)).toContain('collar')
  })

  it("reads a combining form written apart as the next word's qualifier", () => {
    expect(headOf('мини печь')).toBe('печь')
    expect(analyzeQuery('мини печь').terms.map((t) => t.raw)).not.toContain('мини')
    const electric = analyzeQuery('электро двигатель').terms
    expect(electric.find((t) => t.role === 'head')?.raw).toBe('двигатель')
    expect(electric.map((t) => t.raw)).toContain('электрический')
  })
})

describe('compileCatalogue', () => {
  it('fails loudly, naming file and row, on a list code that HS 2022 does not have', () => {
    const files = {
      hsNomenclature: [{ code: '84', level: 'chapter', description: 'Machinery' }],
      hsNamesRu: [{ code: '84', name_ru_tnved_fns2022: '', name_ru_ett2017: '' }],
      tnvedLeavesRu: [],
      htsus: [],
      euCn: [],
      ukSearchReferences: [],
      synonyms: [{ code: '999999', terms: 'widget', basis: "team's reading" }],
    } as unknown as Parameters<typeof compileCatalogue>[0]
    try {
      compileCatalogue(files, { dataVersion: 'test', builtAt: '2026-01-01' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).details[0]).toMatchObject({
        pointer: '/vocab/trade_synonyms.csv/2',
      })
    }
  })
})
