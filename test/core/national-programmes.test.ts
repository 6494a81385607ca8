import { beforeAll, describe, expect, it } from 'vitest'
import { checkGoodsInput } from '../../src/core/check-goods'
import type { RuleContext } from '../../src/core/rules/context'
import { RULES } from '../../src/core/rules/rules'
import { testEngine } from './engine-fixture'

// Issue 12 item 6: national lists, country programmes and the coalition table, from the compiled catalogue.
beforeAll(() => {
  testEngine()
}, 60_000)

function check(input: Record<string, unknown>) {
  return checkGoodsInput(testEngine(), { description: 'goods', ...input } as never)
}

function rule(id: string) {
  return RULES.find((r) => r.id === id)!
}

describe('UK Russia Regulations Schedule 3A (loaded in part)', () => {
  it('weighs a sourced code to Russia under regime UK, naming the act, schedule and price condition', () => {
    const r = check({ description: 'caviar', hs_code: '160431', destination: 'RU', regime: 'UK' })
    const reason = r.reasons.find((x) => x.rule_id === 'national_list.sanctioned')!
    expect(reason.text).toMatch(/Schedule 3A/)
    expect(reason.text).toMatch(/reg\. 46B/)
    expect(reason.text).toMatch(/prohibited provided that the sales price exceeds £250/)
    expect(reason.source).toMatch(/S\.I\. 2019\/855/)
    // The law bans it only above the price threshold, which the check does not see.
    expect(reason.effect).toBe('high_risk')
    expect(r.verdict).toBe('high_risk')
  })

  it('prohibits to Russia under regime UK when a loaded entry carries no condition', () => {
    const engine = testEngine()
    const list = engine.catalogue.lists.find((l) => l.id === 'uk_russia_sch3a_luxury')!
    const unconditioned = { ...list, entries: list.entries.map(({ condition: _c, ...e }) => e) }
    const r = check({ description: 'caviar', hs_code: '160431', destination: 'RU', regime: 'UK' })
    const ctx = {
      request: { description: 'caviar', hs_code: '160431', destination: 'RU', regime: 'UK' },
      classification: { candidates: [], confidence: 0.8 },
      matches: r.matches
        .filter((m) => m.list_id === list.id)
        .map((m) => ({
          ...m,
          list: unconditioned,
          partial: false,
          fromDeclaredCode: true,
          rank: -1,
          explicit: false,
          namesGoods: true,
        })),
      destination: { category: 'sanctioned', target: 'RU' },
      groups: engine.groups,
      catalogue: engine.catalogue,
    } as unknown as RuleContext
    const out = rule('national_list.sanctioned').apply(ctx)
    expect(out[0]).toMatchObject({ effect: 'prohibited' })
    expect(out[0]!.text).toMatch(/Schedule 3A .*law in force.*prohibited/)
  })

  it('does not weigh the Russia-only schedule for Belarus, and says why', () => {
    const r = check({ description: 'caviar', hs_code: '160431', destination: 'BY', regime: 'UK' })
    const m = r.matches.find((x) => x.list_id === 'uk_russia_sch3a_luxury')!
    expect(m.applies).toBe(false)
    expect(m.why_not_applied).toMatch(/Russian Federation only/)
    expect(r.reasons.some((x) => x.rule_id === 'national_list.sanctioned')).toBe(false)
  })

  it('every loaded entry names its condition and paragraph', () => {
    const list = testEngine().catalogue.lists.find((l) => l.id === 'uk_russia_sch3a_luxury')!
    expect(list.legal_status).toBe('in_force')
    expect(list.regimes).toEqual(['UK'])
    expect(list.entries.length).toBe(17)
    for (const e of list.entries) {
      expect(e.condition).toMatch(/sales price/)
      expect(e.tier).toMatch(/^Sch\. 3A para\. [2-5]$/)
    }
  })

  it('says under regime US that the EAR supplements by HTS code are not loaded', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      regime: 'US',
    })
    expect(r.verdict).toBe('high_risk')
    expect(r.reasons.map((x) => x.text).join(' ')).toMatch(
      /EAR supplements to Part 746 .* not loaded/,
    )
  })
})

describe('country programmes (Iran, North Korea, Syria, Cuba)', () => {
  it('names the US Iran programme and its act, and prohibits as 31 CFR 560.204 says', () => {
    const r = check({ description: 'wooden dining chair', destination: 'IR', regime: 'US' })
    const reason = r.reasons.find((x) => x.rule_id === 'destination.embargoed')!
    expect(reason.text).toMatch(/Iranian Transactions and Sanctions Regulations/)
    expect(reason.text).toMatch(/31 CFR 560\.204/)
    expect(reason.effect).toBe('prohibited')
    expect(r.verdict).toBe('prohibited')
    expect(reason.source).toMatch(/560\.204/)
  })

  it('says a licence is required for Cuba under regime US, without calling it a prohibition', () => {
    const r = check({ description: 'wooden dining chair', destination: 'CU', regime: 'US' })
    const reason = r.reasons.find((x) => x.rule_id === 'destination.embargoed')!
    expect(reason.text).toMatch(/746\.2/)
    expect(reason.text).toMatch(/need a license/)
    expect(r.verdict).toBe('high_risk')
  })

  it('reviews Syria under regime US, citing the revocation order of 30 June 2025', () => {
    const r = check({ description: 'wooden dining chair', destination: 'SY', regime: 'US' })
    const reason = r.reasons.find((x) => x.rule_id === 'destination.embargoed')!
    expect(r.verdict).toBe('review')
    expect(reason.text).toMatch(/Revocation of Syria Sanctions/)
    expect(reason.source).toMatch(/2025-06-30/)
  })

  it('keeps the honest fallback where no programme was read (UK, KZ)', () => {
    for (const regime of ['UK', 'KZ']) {
      const r = check({ description: 'wooden dining chair', destination: 'IR', regime })
      expect(r.verdict).toBe('review')
      expect(r.reasons[0]!.text).toMatch(/not loaded/)
    }
  })

  it('every programme row names its act and a source', () => {
    const programmes = testEngine().catalogue.programmes ?? []
    expect(programmes.length).toBe(7)
    for (const p of programmes) {
      expect(p.act.length).toBeGreaterThan(5)
      expect(p.source).toMatch(/https?:\/\/|@[0-9a-f]{40}:|AlextheYounga\/ecfr/)
    }
  })
})

describe('coalition table (EAR Supp. No. 3 to Part 746)', () => {
  it('every row carries its rule, or says that it was not read', () => {
    const coalition = testEngine().groups.get('coalition')!
    for (const m of coalition.members) expect(m.rule).toBeTruthy()
    const kr = coalition.members.find((m) => m.iso2 === 'KR')!
    expect(kr.rule).toMatch(/FR Doc 2022-05025/)
    expect(kr.ruleDate).toBe('2022-03-10')
    const no = coalition.members.find((m) => m.iso2 === 'NO')!
    expect(no.rule).toMatch(/FR Doc 2022-07836/)
    expect(no.ruleDate).toBe('2022-04-12')
    expect(coalition.members.find((m) => m.iso2 === 'JP')!.rule).toMatch(/^not read/)
  })
})
