import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { compileContext } from '../../src/core/lists/compile-context'
import { defaultSettings } from '../../src/core/lists/manage-settings'
import type {
  ImportedEntry,
  ListVersionData,
  ScreeningContextData,
  Suppression,
} from '../../src/core/lists/types'
import { DEFAULT_SETTINGS } from '../../src/core/lists/types'
import { testEngine } from './engine-fixture'

const AT = '2027-01-10T10:00:00.000Z'
const entry = (code: string, patterns: string[] = []): ImportedEntry => ({
  code,
  title: `entry ${code}`,
  category: null,
  patterns,
  partial: false,
  text: null,
  derivation: null,
})

function list(
  id: string,
  mode: 'blocking' | 'watch',
  legalStatus: 'in_force' | 'guidance',
  entries: ImportedEntry[],
): ListVersionData {
  return {
    list: { owner: 't1', id, name: id, mode, destinations: [] },
    version: { version: '1', legalStatus, source: 'test', contentHash: 'h' },
    entries,
  }
}

function suppression(over: Partial<Suppression>): Suppression {
  return {
    id: 'sup_1',
    tenantId: 't1',
    scope: { reference: 'R1' },
    reason: 'reviewed',
    acceptInForce: null,
    expiresAt: null,
    createdAt: '2027-01-01T00:00:00.000Z',
    createdBy: 'anna',
    deletedAt: null,
    deletedBy: null,
    ...over,
  }
}

function check(input: Record<string, unknown>, data: Partial<ScreeningContextData> = {}, at = AT) {
  const full: ScreeningContextData = {
    key: crypto.randomUUID(),
    operator: [],
    tenant: [],
    suppressions: [],
    settings: defaultSettings(),
    settingsDigest: 'sha256:test',
    ...data,
  }
  const { engine, context } = compileContext(testEngine(), full)
  return checkGoods(engine, parseCheckRequest(input), { ...context, at })
}

const BEARING = { description: 'Deep groove ball bearing 6205-2RS', destination: 'DE' }
const TO_RUSSIA = { ...BEARING, destination: 'KZ', final_destination: 'RU', reference: 'R1' }

describe('checkGoods with a screening context', () => {
  it('gives today’s result with an empty context, apart from the settings digest', () => {
    for (const input of [BEARING, TO_RUSSIA, { description: 'wooden chair', destination: 'RU' }]) {
      const plain = checkGoods(testEngine(), parseCheckRequest(input))
      const { versions, ...withContext } = check(input)
      const { versions: plainVersions, ...rest } = plain
      expect(withContext).toEqual(rest)
      expect(versions).toEqual({ ...plainVersions, settings: 'sha256:test' })
    }
  })

  it('makes a blocking entry review, prohibited when in force, and leaves watch entries informative', () => {
    const review = check(BEARING, {
      tenant: [list('mine', 'blocking', 'guidance', [entry('8482')])],
    })
    expect(review.verdict).toBe('review')
    expect(review.versions.lists['mine']).toBe('1')
    const law = check(BEARING, {
      tenant: [list('mine', 'blocking', 'in_force', [entry('848210')])],
    })
    expect(law.verdict).toBe('prohibited')
    const watch = check(BEARING, { tenant: [list('mine', 'watch', 'in_force', [entry('848210')])] })
    expect(watch.verdict).toBe('clear')
    expect(watch.matches.find((m) => m.list_id === 'mine')).toMatchObject({ applies: false })
    expect(watch.reasons.some((r) => r.rule_id === 'matches.not_applied')).toBe(true)
  })

  it('matches control-code entries by their patterns, as whole words', () => {
    const lists = [
      list('mine', 'blocking', 'guidance', [entry('3A001', ['frequency synthesizer'])]),
    ]
    const hit = check(
      { description: 'Frequency-synthesizer module', destination: 'DE' },
      { tenant: lists },
    )
    expect(hit.matches.find((m) => m.list_id === 'mine')?.entry_code).toBe('3A001')
    expect(hit.verdict).toBe('review')
    const miss = check(
      { description: 'frequency synthesizers', destination: 'DE' },
      { tenant: lists },
    )
    expect(miss.matches.some((m) => m.list_id === 'mine')).toBe(false)
  })

  describe('suppressions', () => {
    it('settle a match in scope: kept, marked, and no longer deciding', () => {
      const before = check(TO_RUSSIA)
      expect(before.verdict).toBe('high_risk')
      const s = suppression({ scope: { reference: 'R1', list_id: 'chp', entry_code: '848210' } })
      const after = check(TO_RUSSIA, { suppressions: [s] })
      expect(after.matches.find((m) => m.list_id === 'chp')).toMatchObject({
        suppressed_by: 'sup_1',
        applies: false,
      })
      expect(after.verdict).toBe('clear')
    })

    it.each([
      ['another reference', { reference: 'R2' }],
      ['another description', { reference: 'R1', description: 'something else' }],
      ['another list', { reference: 'R1', list_id: 'eu_833_annex_xl' }],
      ['an HS-6 the goods were not read as', { hs6: '848220' }],
    ])('leave a match alone out of scope (%s)', (_, scope) => {
      const after = check(TO_RUSSIA, { suppressions: [suppression({ scope })] })
      expect(after.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBeUndefined()
      expect(after.verdict).toBe('high_risk')
    })

    it('match descriptions without case and extra spaces, and HS-6 readings', () => {
      for (const scope of [
        { description: '  deep GROOVE ball bearing   6205-2RS ' },
        { hs6: '848210' },
      ]) {
        const after = check(TO_RUSSIA, { suppressions: [suppression({ scope })] })
        expect(after.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBe('sup_1')
      }
    })

    it('stop at their expiry and deletion, and do not reach back before their creation', () => {
      const expiring = suppression({ expiresAt: '2027-01-10T09:00:00.000Z' })
      expect(check(TO_RUSSIA, { suppressions: [expiring] }).verdict).toBe('high_risk')
      const deleted = suppression({ deletedAt: '2027-01-05T00:00:00.000Z', deletedBy: 'anna' })
      expect(check(TO_RUSSIA, { suppressions: [deleted] }).verdict).toBe('high_risk')
      const future = suppression({ createdAt: '2027-02-01T00:00:00.000Z' })
      expect(check(TO_RUSSIA, { suppressions: [future] }).verdict).toBe('high_risk')
    })

    it('never hide a match on a list in force without an explicit acceptance', () => {
      const tenant = [list('law', 'blocking', 'in_force', [entry('848210')])]
      const plain = check(TO_RUSSIA, { tenant, suppressions: [suppression({})] })
      expect(plain.verdict).toBe('prohibited')
      expect(plain.reasons.some((r) => r.rule_id === 'suppression.in_force_protected')).toBe(true)
      const accepted = check(TO_RUSSIA, {
        tenant,
        suppressions: [suppression({ acceptInForce: 'licence 42' })],
      })
      expect(accepted.verdict).not.toBe('prohibited')
      expect(accepted.matches.find((m) => m.list_id === 'law')?.suppressed_by).toBe('sup_1')
    })

    it('never hide an in-force EU annex under regime EU without acceptance', () => {
      const eu = { ...TO_RUSSIA, regime: 'EU' }
      expect(check(eu).verdict).toBe('prohibited')
      expect(check(eu, { suppressions: [suppression({})] }).verdict).toBe('prohibited')
    })
  })

  describe('settings', () => {
    it('drop CHP matches read below the minimum score, but never the declared code', () => {
      const settings = { ...defaultSettings(), min_chp_match_score: 0.99 }
      const weakRead = check({ description: 'ball bearing', destination: 'RU' }, { settings })
      expect(weakRead.matches.some((m) => m.list_id === 'chp')).toBe(false)
      const declared = check(
        { description: 'ball bearing', destination: 'RU', hs_code: '8482.10' },
        { settings },
      )
      expect(declared.matches.some((m) => m.list_id === 'chp')).toBe(true)
    })

    it('default to the constants of the rules and the matcher', () => {
      expect(DEFAULT_SETTINGS.min_chp_match_score).toBe(0.05)
      expect(DEFAULT_SETTINGS.weak_matches_raise_review).toBe(true)
      expect(DEFAULT_SETTINGS.unreadable_review_countries).toEqual([])
    })
  })

  it('uses an operator version of a built-in list in place of the catalogue’s, and records its label', () => {
    const chp = testEngine().catalogue.lists.find((l) => l.id === 'chp')!
    const withoutBearings: ListVersionData = {
      list: { owner: '', id: 'chp', name: chp.name, mode: 'builtin', destinations: [] },
      version: { version: '2027-01-01', legalStatus: 'guidance', source: 'test', contentHash: 'x' },
      entries: chp.entries.filter((e) => !e.code.startsWith('8482')).map((e) => entry(e.code)),
    }
    const result = check(TO_RUSSIA, { operator: [withoutBearings] })
    expect(result.versions.lists['chp']).toBe('2027-01-01')
    expect(result.matches.some((m) => m.list_id === 'chp')).toBe(false)
  })
})
