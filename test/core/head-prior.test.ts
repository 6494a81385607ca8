import { describe, expect, it } from 'vitest'
import type { VocabLine } from '../../src/core/catalogue/types'
import { deriveHeadPrior } from '../../src/core/classify/head-prior'
import { stem } from '../../src/core/classify/text'
import { buildTextIndex } from '../../src/core/classify/text-index'

const term = (code: string, text: string): VocabLine => ({
  code,
  text,
  source: 'uk_classification_example',
})

// "chips" heads three electronics terms and one food term; "potato" only qualifies chips here.
const vocab: VocabLine[] = [
  term('854231', 'processor chips'),
  term('854232', 'memory chips'),
  term('854239', 'logic chips'),
  term('200520', 'potato chips'),
  term('200520', 'crisps'),
  term('854231', 'microcontrollers'),
  // Tariff law is not trade usage: a HS text headed by "chips" does not count.
  { code: '440122', text: 'Wood chips', source: 'hs2022' },
]
const index = buildTextIndex(vocab)

describe('head-word prior from trade terms', () => {
  it('files a head word under the headings its trade terms are headed by, largest share first', () => {
    const shares = deriveHeadPrior(index, { minTerms: 2, alpha: 0 }).of(stem('chips'))
    expect(shares.map((s) => s.heading)).toEqual(['8542', '2005'])
    // Normalised by each heading's trade terms: 3 of 4 in 8542 (0.75), 1 of 2 in 2005 (0.5).
    expect(shares[0]!.share).toBeCloseTo(0.75 / 1.25)
    expect(shares[1]!.share).toBeCloseTo(0.5 / 1.25)
  })

  it('gives no prior to a word with too little evidence or that only qualifies the goods', () => {
    const prior = deriveHeadPrior(index, { minTerms: 2, alpha: 0 })
    expect(prior.of(stem('crisps'))).toEqual([])
    expect(prior.of(stem('potato'))).toEqual([])
    expect(prior.of('unknownword')).toEqual([])
  })

  it('shrinks the shares of a word with few terms (add-α)', () => {
    const shares = deriveHeadPrior(index, { minTerms: 2, alpha: 4 }).of(stem('chips'))
    expect(shares.reduce((a, s) => a + s.share, 0)).toBeCloseTo(4 / 8)
  })
})

describe('head-word prior from Russian declarants', () => {
  const declaration = (code: string, text: string): VocabLine => ({
    code,
    text,
    source: 'ru_declaration',
  })
  it('files a Russian head word by declarants, counted among each heading’s Russian texts only', () => {
    const index = buildTextIndex([
      declaration('4011', 'шины'),
      declaration('4011', 'шины пневматические резиновые новые'),
      declaration('4011', 'покрышки для велосипедов'),
      declaration('4012', 'шины восстановленные'),
      declaration('4012', 'ленты ободные'),
      // 4011's many English trade terms do not dilute its share of a Russian word: 2 of its 3
      // Russian texts (0.67) against 1 of 4012's 2 (0.5), not 2 of 23.
      ...Array.from({ length: 20 }, (_, i) => term('401110', `car tyre ${i}`)),
    ])
    const shares = deriveHeadPrior(index, { minTerms: 2, alpha: 0 }).of(stem('шины'))
    expect(shares.map((s) => s.heading)).toEqual(['4011', '4012'])
    expect(shares[0]!.share).toBeCloseTo(0.667 / 1.167, 2)
  })
})
