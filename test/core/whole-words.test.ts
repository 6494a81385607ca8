import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anyWholeWordTest, wholeWords, wholeWordTest } from '../../src/core/classify/whole-words'

describe('a maker name found as a whole word', () => {
  const murata = wholeWordTest(['Murata', 'TAI-SAW TECHNOLOGY CO., LTD.'])
  it('in any case, beside punctuation or digits, not inside a longer word', () => {
    expect(murata.test('GRM188R71H104KA93D murata capacitor')).toBe(true)
    expect(murata.test('(MURATA)')).toBe(true)
    expect(murata.test('2Murata3')).toBe(true)
    expect(murata.test('Muratani sushi knife')).toBe(false)
    expect(murata.test('filter tai-saw technology co., ltd. 433MHz')).toBe(true)
  })
  it('beside a letter outside the Latin alphabet too (a letter is any script’s)', () => {
    expect(murata.test('муратаMurata')).toBe(false)
    expect(murata.test('𝐀murata')).toBe(false)
  })

  // The string search stands in for the pattern: any difference would change a reading.
  const names = ['Murata', 'TDK', 'Kemet', 'Vishay Intertechnology', 'M/A-COM', 'ON SEMI', 'Ассоль']
  const pieces = [
    ...names,
    'murata',
    'KEMET',
    'ſ',
    '\u212A',
    'İ',
    'ı',
    'ß',
    '𝐀',
    '\uD835',
    '\uDC00',
    ' ',
    '-',
    '1',
    'x',
    'e',
    'ассоль',
    'é',
  ]
  it('answers exactly as the case-insensitive Unicode pattern, on any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join('')),
        fc.subarray(names, { minLength: 1 }),
        (text, chosen) => {
          expect(wholeWordTest(chosen).test(text)).toBe(wholeWords(chosen).test(text))
        },
      ),
      { numRuns: 3000 },
    )
  })
  it('reads the Kelvin sign and the long s as the pattern does', () => {
    expect(wholeWordTest(['Kemet']).test('\u212Aemet')).toBe(
      wholeWords(['Kemet']).test('\u212Aemet'),
    )
    expect(wholeWordTest(['Vishay']).test('\u017Fhay')).toBe(false)
    expect(wholeWordTest(['SAMTEC']).test('\u017Famtec')).toBe(true)
  })
})

describe('any of many maker names found as a whole word (one pass)', () => {
  const names = [
    'Murata',
    'Murata Electronics',
    'TDK',
    'TDK-Lambda',
    'Kemet',
    'Vishay Intertechnology',
    'M/A-COM',
    'ON SEMI',
    'TAI-SAW TECHNOLOGY CO., LTD.',
    '3M',
    'Ассоль',
  ]
  const pieces = [
    ...names,
    'murata',
    'KEMET',
    'tdk-',
    'ſ',
    '\u212A',
    'İ',
    'ß',
    '𝐀',
    '\uD835',
    ' ',
    '-',
    '.',
    '1',
    'x',
    'ассоль',
    'é',
  ]
  it('answers exactly as the case-insensitive Unicode pattern, on any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join('')),
        fc.subarray(names, { minLength: 1 }),
        (text, chosen) => {
          expect(anyWholeWordTest(chosen).test(text)).toBe(wholeWords(chosen).test(text))
        },
      ),
      { numRuns: 2000 },
    )
  })
  it('finds a name at the start, the end, beside digits, and not inside a word', () => {
    const any = anyWholeWordTest(names)
    expect(any.test('murata')).toBe(true)
    expect(any.test('capacitor KEMET')).toBe(true)
    expect(any.test('C0805 3m tape')).toBe(true)
    expect(any.test('Muratani knife')).toBe(false)
    expect(any.test('kemetic art')).toBe(false)
    expect(any.test('')).toBe(false)
  })
})
