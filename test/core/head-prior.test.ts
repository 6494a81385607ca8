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
