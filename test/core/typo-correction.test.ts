import { describe, expect, it } from 'vitest'
import {
  createTypoCorrector,
  modelNameWords,
  splitCompound,
} from '../../src/core/classify/typo-correction'
import { testEngine } from './engine-fixture'

describe('typo correction leaves model names alone', () => {
  it('takes a capitalised word beside a model code for a model name', () => {
    expect(modelNameWords('DJI Mavic 3T')).toEqual(new Set(['mavic']))
    expect(modelNameWords('Galaxy S23 Ultra smartphone')).toEqual(new Set(['galaxy', 'ultra']))
  })

  it('sees no model name beside a plain number, or in a text of one case', () => {
    expect(modelNameWords('SKF Bearng 6205')).toEqual(new Set())
    expect(modelNameWords('DJI MAVIC 3T')).toEqual(new Set())
    expect(modelNameWords('dji mavic 3t')).toEqual(new Set())
  })

  it('does not read "DJI Mavic 3T" as malic acid, and still corrects "SKF Bearng 6205"', () => {
    const { classifier } = testEngine()
    expect(classifier.classify('DJI Mavic 3T').corrections).toEqual([])
    expect(classifier.classify('DJI Mavic 3T').candidates[0]?.hs6.slice(0, 2)).not.toBe('29')
    expect(classifier.classify('SKF Bearng 6205').candidates[0]?.hs6.slice(0, 4)).toBe('8482')
  })
})

describe('Russian words are corrected by one edit only', () => {
  it('corrects a one-letter slip but takes no other word of the same root for a typo', () => {
    const corrector = createTypoCorrector(['поставка', 'подшипник', 'bearing'])
    const work = { lookups: 0, comparisons: 0 }
    expect(corrector.correct('подшипнк', work)).toBe('подшипник')
    expect(corrector.correct('приставка', work)).toBeNull()
    // English keeps two edits from eight letters.
    expect(corrector.correct('bearrinng', work)).toBe('bearing')
  })
})

describe('closed compounds', () => {
  const words = new Set(['sun', 'sung', 'glasses', 'lasses', 'key', 'chain', 'link', 'age'])
  const isWord = (w: string) => words.has(w)

  it('splits a word into two vocabulary words, the longest head first', () => {
    expect(splitCompound('sunglasses', isWord)).toEqual(['sun', 'glasses'])
    expect(splitCompound('keychain', isWord)).toEqual(['key', 'chain'])
  })

  it('does not take a three-letter ending for a head, nor split what is no pair of words', () => {
    expect(splitCompound('linkage', isWord)).toBeNull()
    expect(splitCompound('keyboard', isWord)).toBeNull()
  })

  it('reads an unknown compound alone by its words, not beside other goods words', () => {
    const { classifier } = testEngine()
    const powerbank = classifier.classify('powerbank')
    expect(powerbank.corrections).toContainEqual({ from: 'powerbank', to: 'power bank' })
    expect(powerbank.candidates[0]?.hs6.slice(0, 4)).toBe('8507')
    expect(classifier.classify('bedsheet').candidates[0]?.hs6.slice(0, 4)).toBe('6302')
    expect(classifier.classify('bedsheets cotton').corrections).toEqual([])
  })
})
