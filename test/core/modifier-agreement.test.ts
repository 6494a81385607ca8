/**
 * A short English name's head read in the sense its modifiers agree with (BENCHMARKS.md step 60):
 * where the tariff writes each modifier (the candidate's heading, its chapter, neither), among the
 * candidates that read the name about equally well.
 */
import { describe, expect, it } from 'vitest'
import type { VocabLine } from '../../src/core/catalogue/types'
import {
  AGREES,
  agreementFactors,
  agreementWith,
  termPlaces,
} from '../../src/core/classify/modifier-agreement'
import { buildTextIndex } from '../../src/core/classify/text-index'
import { testEngine } from './engine-fixture'

describe('modifier agreement', () => {
  const index = buildTextIndex([
    { code: '845410', text: 'Converters; of a type used in metallurgy', source: 'hs2022' },
    { code: '850440', text: 'Electrical static converters', source: 'hs2022' },
    { code: '854370', text: 'Frequency counters', source: 'htsus_2025' },
  ] satisfies VocabLine[])

  it('knows the headings and chapters whose lines write a term', () => {
    const places = termPlaces(index, 'frequenc')
    expect([...places.headings]).toEqual(['8543'])
    expect([...places.chapters]).toEqual(['85'])
    expect(termPlaces(index, 'nowher').headings.size).toBe(0)
  })

  it('grades a candidate by its own lines, its heading, its chapter', () => {
    const places = termPlaces(index, 'frequenc')
    expect(agreementWith(places, '854370', false)).toBe(AGREES.inHeading)
    expect(agreementWith(places, '850440', false)).toBe(AGREES.inChapter)
    expect(agreementWith(places, '845410', false)).toBe(AGREES.nowhere)
    // A line of the candidate matched the modifier: it agrees, whatever the index of headings says.
    expect(agreementWith(places, '845410', true)).toBe(AGREES.inHeading)
  })

  it('takes a share per level a candidate lacks against the best-agreeing one, none when all agree alike', () => {
    expect(agreementFactors([AGREES.inChapter, AGREES.nowhere], 0.9)).toEqual([1, 0.9])
    expect(agreementFactors([AGREES.inHeading, AGREES.inChapter, AGREES.nowhere], 0.9)).toEqual([
      1,
      0.9,
      0.9 ** 2,
    ])
    expect(agreementFactors([AGREES.nowhere, AGREES.nowhere], 0.9)).toEqual([1, 1])
  })

  const heading = (description: string) =>
    testEngine().classifier.classify(description).candidates[0]!.hs6.slice(0, 4)

  // "converter" reads 8454 (metallurgy) first on its own; "frequency" is written in chapter 85 only.
  // "probe" meets a one-word example under dental instruments; "oscilloscope" is written in 9030.
  it.each([
    ['frequency converter', '8504'],
    ['oscilloscope probe', '9030'],
  ])('"%s" → heading %s, the sense of the head its modifier agrees with', (line, expected) => {
    expect(heading(line)).toBe(expected)
  })

  // Not a plain noun phrase: the words before the last do not all modify it.
  it('leaves a list of goods alone ("books and toys" stays books)', () => {
    expect(heading('books and toys')).toBe('4901')
  })
})
