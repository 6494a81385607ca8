/**
 * Issue 8, item 1: the engine's work per check is bounded by design, whatever the words. Asserted on
 * a deterministic work measure (typo-correction lookups and comparisons), never on wall time; the
 * time per check is measured in bench/adversarial.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { levenshtein } from '../../src/core/classify/text'
import {
  type CorrectionWork,
  createTypoCorrector,
  MAX_CORRECTED_WORDS,
  maxDistance,
  pickWordsToCorrect,
} from '../../src/core/classify/typo-correction'
import { testEngine } from './engine-fixture'

const MAX_LENGTH = 2000 // CheckRequestSchema's limit on a description

const fresh = (): CorrectionWork => ({ lookups: 0, comparisons: 0 })

/** Words joined by spaces, cut to the schema's limit. */
const text = (word: fc.Arbitrary<string>, separator = ' ') =>
  fc
    .array(word, { minLength: 1, maxLength: 400 })
    .map((words) => words.join(separator).slice(0, MAX_LENGTH))
const lettersOf = (alphabet: string, min: number, max: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max })
    .map((cs) => cs.join(''))
const LATIN = 'abcdefghijklmnopqrstuvwxyz'

/** Descriptions written to cost the most, and plain random text, all within 2,000 characters. */
const adversarial = fc.oneof(
  // The probe: random long words starting with s, c or p.
  text(
    fc
      .tuple(fc.constantFrom('s', 'c', 'p'), lettersOf(LATIN, 7, 20))
      .map(([first, rest]) => first + rest),
  ),
  // Near-misses of real words: every one a correction candidate.
  text(
    fc
      .tuple(
        fc.constantFrom('bearing', 'stainless', 'controller', 'semiconductor', 'pressure'),
        lettersOf(LATIN, 1, 2),
      )
      .map(([w, noise]) => w.slice(0, -1) + noise),
  ),
  text(lettersOf('абвгдежзийклмнопрстуфхцчшщыэюя', 5, 16)),
  text(
    fc
      .tuple(
        lettersOf('ABCDLMSTXZ', 2, 4),
        lettersOf('0123456789', 3, 5),
        lettersOf('ABRSZ-', 0, 4),
      )
      .map((parts) => parts.join('')),
  ),
  text(lettersOf(LATIN, 1, 1), ', '),
  fc.string({ maxLength: MAX_LENGTH }),
  fc.string({ maxLength: MAX_LENGTH, unit: 'grapheme' }),
  lettersOf(LATIN, MAX_LENGTH, MAX_LENGTH),
)

describe('bounded work per check', () => {
  it('looks up at most MAX_CORRECTED_WORDS words per description, each over at most one bucket group', () => {
    const classifier = testEngine().classifier
    const perLookup = classifier.corrector.maxComparisonsPerLookup
    // The bound is a property of the vocabulary; a regression to a whole-vocabulary scan shows here.
    expect(perLookup).toBeLessThan(2_000)
    fc.assert(
      fc.property(adversarial, (description) => {
        const work = classifier.classify(description).work!
        expect(work.lookups).toBeLessThanOrEqual(MAX_CORRECTED_WORDS)
        expect(work.comparisons).toBeLessThanOrEqual(MAX_CORRECTED_WORDS * perLookup)
      }),
      { numRuns: 200 },
    )
  })

  it('counts the lookups of a description with many unknown words, the cap reached', () => {
    const description = Array.from({ length: 60 }, (_, i) => `sqvorpel${LATIN[i % 26]}x`).join(' ')
    const work = testEngine().classifier.classify(description).work!
    expect(work.lookups).toBe(MAX_CORRECTED_WORDS)
  })

  it('still corrects a typo of the goods word', () => {
    const result = testEngine().classifier.classify('stainless steel ball bearnigs')
    expect(result.corrections).toContainEqual({ from: 'bearnigs', to: 'bearings' })
    expect(result.candidates[0]!.hs6.slice(0, 4)).toBe('8482')
  })
})

describe('typo corrector', () => {
  it('answers the nearest vocabulary word within the allowed distance, the earlier on a tie, as a full scan does', () => {
    const word = lettersOf('abcde', 1, 12)
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), word, (vocabulary, query) => {
        const corrector = createTypoCorrector(vocabulary)
        const k = maxDistance(query.length)
        let expected: string | null = null
        let best = k + 1
        for (const v of vocabulary) {
          if (v[0] !== query[0]) continue
          const d = levenshtein(query, v)
          if (d < best) {
            best = d
            expected = v
          }
        }
        const work = fresh()
        const got = corrector.correct(query, work)
        expect(got).toBe(query.length >= 5 ? expected : null)
        expect(work.comparisons).toBeLessThanOrEqual(corrector.maxComparisonsPerLookup)
      }),
      { numRuns: 500 },
    )
  })

  it('does not compare words it cannot correct: too short, too long, or not letters', () => {
    const corrector = createTypoCorrector(['bearing', 'bearings', 'beam'])
    for (const word of ['bear', 'b'.repeat(2000), 'bearing5', 'bear-ing']) {
      const work = fresh()
      expect(corrector.correct(word, work)).toBeNull()
      expect(work).toEqual({ lookups: 1, comparisons: 0 })
    }
  })

  it('picks the head, then the goods words, then the qualifiers, at most MAX_CORRECTED_WORDS', () => {
    const words = [
      ...Array.from({ length: 10 }, (_, i) => ({
        raw: `qualif${LATIN[i]}`,
        role: 'qualifier' as const,
      })),
      { raw: 'Goodsa', role: 'goods' as const },
      { raw: 'headword', role: 'head' as const },
      { raw: 'abc', role: 'goods' as const },
    ]
    const picked = [...pickWordsToCorrect(words)]
    expect(picked).toHaveLength(MAX_CORRECTED_WORDS)
    expect(picked.slice(0, 2)).toEqual(['headword', 'goodsa'])
    expect(picked).not.toContain('abc')
  })
})
