import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  createExcludeFilter,
  ExclusionTally,
  evaluationWords,
  exclusionKeys,
  normaliseIdentifier,
  parseDigests,
} from '../../src/core/catalogue/exclude-filter'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** A digest file listing exactly these strings, as the team's file lists evaluation rows. */
function filterFor(...listed: string[]) {
  return createExcludeFilter(parseDigests(listed.map(sha256).join('\n')), sha256)
}

describe('evaluation-row filter', () => {
  it('splits words as EXCLUDE.md does: lower case, runs of [a-zа-яё0-9]', () => {
    expect(evaluationWords('Ball-Bearing, 6205-2RS; Подшипник ШАРИКОВЫЙ ёж')).toEqual([
      'ball',
      'bearing',
      '6205',
      '2rs',
      'подшипник',
      'шариковый',
      'ёж',
    ])
    expect(normaliseIdentifier('GCM155R71C-104KA55D')).toBe('gcm155r71c104ka55d')
  })

  it('drops a row whose whole text (4+ words) is listed, whatever its punctuation and case', () => {
    const drop = filterFor('text:stainless steel butt weld pipe fittings')
    expect(drop({ text: 'Stainless-steel butt weld, pipe fittings' })).toBe('text')
    expect(drop({ text: 'stainless steel butt weld fittings' })).toBeNull()
  })

  it('does not hash texts of fewer than 4 words as a whole text', () => {
    const keys = exclusionKeys({ text: 'ball bearing' })
    expect(keys).toEqual([])
  })

  it('drops a longer row that contains a listed 8-word run', () => {
    const drop = filterFor('shingle:a 60 piece home repair tool set with')
    expect(
      drop({ text: 'Item 0624013B, a 60 piece home repair tool set with case and manual' }),
    ).toBe('shingle')
    expect(drop({ text: 'a 60 piece home repair tool kit with case' })).toBeNull()
  })

  it('drops a row citing a listed ruling number or listing a listed part number', () => {
    const drop = filterFor('ruling:n240072', 'part:xc7k410t2ffg900i')
    expect(drop({ rulings: ['N240072'] })).toBe('ruling')
    expect(drop({ parts: ['XC7K410T-2FFG900I'] })).toBe('part')
    expect(drop({ parts: ['XC7K410T-2FFG901I'], rulings: ['N240073'] })).toBeNull()
  })

  it('reads only 64-digit hex lines from the digest file', () => {
    const digest = sha256('text:one two three four')
    expect(parseDigests(`# comment\n\n${digest.toUpperCase()}\nnot a digest\n`)).toEqual(
      new Set([digest]),
    )
  })

  it('counts dropped rows per source and kind', () => {
    const tally = new ExclusionTally(filterFor('part:abc123'))
    expect(tally.keep('parts', { parts: ['ABC-123'] })).toBe(false)
    expect(tally.keep('parts', { parts: ['ABC-124'] })).toBe(true)
    expect(tally.report()).toEqual(['parts: 1 of 2 rows dropped by eval/exclude.sha256 (part 1)'])
  })
})
