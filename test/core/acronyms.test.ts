/**
 * Acronyms written in capitals beside lower-case words (BENCHMARKS.md step 68): "UPS" is an
 * uninterruptible power supply, not the plural of "up"; "SSDs" is the plural of "SSD".
 */
import { describe, expect, it } from 'vitest'
import { analyzeQuery } from '../../src/core/classify/query'
import { acronymsAsWritten, tokenize } from '../../src/core/classify/text'
import { testEngine } from './engine-fixture'

const terms = (text: string) => tokenize(text).map((t) => t.term)

describe('acronyms as written', () => {
  it('keeps an acronym in capitals whole: never the plural of a word', () => {
    // Stemmed, "UPS" was "up" (the "make-up" of 3304), "ABS" "ab", "OLED" "ole".
    expect(terms('Eaton UPS 3kVA')).toEqual(['eaton', 'ups', '3KVA'])
    expect(terms('ABS plastic granules')).toEqual(['abs', 'plastic', 'granul'])
    expect(terms('LG OLED television')).toEqual(['lg', 'oled', 'televis'])
    expect(terms('GNSS receiver')).toEqual(['gnss', 'receiv'])
  })

  it("reads a lower-case 's' after capitals as the acronym's plural", () => {
    expect(terms('Samsung SSDs and LEDs; GPUs')).toEqual(['samsung', 'ssd', 'led', 'gpu'])
  })

  it('leaves the words of a text in capitals throughout to the stemmer', () => {
    // Rulings and parcel lines are often written in capitals: there "SHIRTS" is a word.
    expect(acronymsAsWritten('MENS COTTON SHIRTS').size).toBe(0)
    expect(terms('MENS COTTON SHIRTS')).toEqual(['men', 'cotton', 'shirt'])
    expect(terms('make-up ups and downs')).toContain('up')
  })

  it('reads a word the text also writes in lower case as the word', () => {
    expect([...acronymsAsWritten('SMC DIODE SOLUTIONS diode')]).toEqual([['smc', 'smc']])
  })

  it('reads the same words in a query as in the index, stopwords still dropped', () => {
    const query = analyzeQuery('APC Smart-UPS 1500 for IT rooms')
    expect(query.terms.map((t) => t.term)).toContain('ups')
    expect(query.terms.map((t) => t.term)).not.toContain('up')
    expect(query.terms.map((t) => t.term)).not.toContain('it')
  })
})

describe('acronyms in everyday lines', () => {
  const reading = (description: string) =>
    testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)

  it('does not read a UPS as make-up', () => {
    expect(reading('Eaton UPS 3kVA')).not.toBe('3304')
  })
})
