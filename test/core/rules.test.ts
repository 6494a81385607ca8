import { describe, expect, it } from 'vitest'
import type { Classification } from '../../src/core/classify/classifier'
import { matchLists } from '../../src/core/match-lists'
import type { RuleContext } from '../../src/core/rules/context'
import { viewDestination } from '../../src/core/rules/destination'
import { RULES } from '../../src/core/rules/rules'
import { CheckRequestSchema } from '../../src/core/schemas'
import { testEngine } from './engine-fixture'

/** A context with a chosen reading, so each rule is tested on its own terms, apart from the classifier. */
function context(
  request: Record<string, unknown>,
  candidates: { hs6: string; score: number; explicit?: boolean }[],
  extra: Partial<Classification> = {},
): RuleContext {
  const engine = testEngine()
  const parsed = CheckRequestSchema.parse({ description: 'goods', ...request })
  const classification: Classification = {
    candidates: candidates.map((c) => ({ title: c.hs6, evidence: [], explicit: false, ...c })),
    textStrength: 1,
    explicit: [],
    manufacturers: [],
    corrections: [],
    ...extra,
  }
  const matches = matchLists(engine, parsed, classification)
  return {
    request: parsed,
    classification,
    matches,
    destination: viewDestination(parsed, engine.groups),
    groups: engine.groups,
    catalogue: engine.catalogue,
  }
}

function apply(ruleId: string, ctx: RuleContext) {
  const rule = RULES.find((r) => r.id === ruleId)
  if (!rule) throw new Error(`no rule ${ruleId}`)
  return rule.apply(ctx)
}

const BEARING = [{ hs6: '848210', score: 0.9 }]

describe.each(RULES.map((r) => [r.id, r]))('rule %s', (_id, rule) => {
  it('has a summary and returns nothing for goods that match no list on an ordinary route', () => {
    expect(rule.summary.length).toBeGreaterThan(20)
    expect(rule.apply(context({ destination: 'DE' }, [{ hs6: '940360', score: 0.9 }]))).toEqual([])
  })
})

describe('chp.coalition_origin.sanctioned', () => {
  it('prohibits EU-made CHP goods to Russia and cites the in-force annex', () => {
    const [out] = apply(
      'chp.coalition_origin.sanctioned',
      context({ destination: 'RU', origin: 'IT' }, BEARING),
    )
    expect(out).toMatchObject({ effect: 'prohibited' })
    expect(out!.source).toMatch(/Annex XL|2024\/1745/)
  })

  it('stops at high_risk for a non-EU coalition origin, whose list is not loaded', () => {
    const [out] = apply(
      'chp.coalition_origin.sanctioned',
      context({ destination: 'RU', origin: 'NO' }, BEARING),
    )
    expect(out).toMatchObject({ effect: 'high_risk' })
    expect(out!.text).toMatch(/not loaded/)
  })

  it('does nothing for Kazakh-made goods', () => {
    expect(
      apply(
        'chp.coalition_origin.sanctioned',
        context({ destination: 'RU', origin: 'KZ' }, BEARING),
      ),
    ).toEqual([])
  })
})

describe('chp.sanctioned_destination', () => {
  it('rates CHP goods to Belarus high_risk and quotes the Kazakh bearing statement for bearings', () => {
    const out = apply('chp.sanctioned_destination', context({ destination: 'BY' }, BEARING))
    expect(out.map((o) => o.effect)).toEqual(['high_risk', 'high_risk'])
    expect(out[1]!.text).toMatch(/did not join the ban on ball bearings/)
  })

  it('treats Russia as the destination when it is only on the transit route', () => {
    const out = apply(
      'chp.sanctioned_destination',
      context({ destination: 'KG', transit: ['RU'] }, BEARING),
    )
    expect(out[0]!.effect).toBe('high_risk')
  })
})

describe('chp.weak_match and chp.unsettled_subheading', () => {
  it('asks for review when a CHP code is a close second reading', () => {
    const ctx = context({ destination: 'RU' }, [
      { hs6: '903031', score: 0.55 },
      { hs6: '903032', score: 0.3 },
    ])
    expect(apply('chp.weak_match', ctx)[0]).toMatchObject({ effect: 'review' })
  })

  it('stays quiet when the CHP reading is far behind the first', () => {
    const ctx = context({ destination: 'RU' }, [
      { hs6: '940360', score: 0.9 },
      { hs6: '848210', score: 0.11 },
    ])
    expect(apply('chp.weak_match', ctx)).toEqual([])
  })

  it('asks for review when an unsettled reading sits in a heading with CHP subheadings', () => {
    const ctx = context({ destination: 'RU' }, [{ hs6: '901320', score: 0.45 }])
    const [out] = apply('chp.unsettled_subheading', ctx)
    expect(out).toMatchObject({ effect: 'review' })
    expect(out!.text).toMatch(/9013\.80/)
  })
})

describe('chp.transshipment', () => {
  it('asks for an end-user certificate for tier 1 goods to the UAE and the Art. 12g clause under the EU regime', () => {
    const [out] = apply(
      'chp.transshipment',
      context({ destination: 'AE', regime: 'EU' }, [{ hs6: '854231', score: 0.9 }]),
    )
    expect(out!.effect).toBe('review')
    expect(out!.obligations!.join(' ')).toMatch(/end-user certificate/)
    expect(out!.obligations!.join(' ')).toMatch(/12g/)
  })

  it('does not treat Kazakhstan as a transshipment point for a Kazakh exporter', () => {
    expect(apply('chp.transshipment', context({ destination: 'KZ' }, BEARING))).toEqual([])
  })
})

describe('eu.annex_in_force.sanctioned', () => {
  it('prohibits under the EU regime only', () => {
    expect(
      apply(
        'eu.annex_in_force.sanctioned',
        context({ destination: 'RU', regime: 'EU' }, BEARING),
      )[0]!.effect,
    ).toBe('prohibited')
    expect(
      apply('eu.annex_in_force.sanctioned', context({ destination: 'RU', regime: 'KZ' }, BEARING)),
    ).toEqual([])
  })
})

describe('destination.embargoed', () => {
  it('asks for review of any goods to North Korea', () => {
    expect(
      apply(
        'destination.embargoed',
        context({ destination: 'KP' }, [{ hs6: '940360', score: 0.9 }]),
      )[0]!.effect,
    ).toBe('review')
  })
})

describe('classification.declared_code_mismatch', () => {
  it('flags a declared plastics code on goods read as integrated circuits', () => {
    const ctx = context({ destination: 'RU', hs_code: '392690' }, [{ hs6: '854239', score: 0.9 }])
    expect(apply('classification.declared_code_mismatch', ctx)[0]!.text).toMatch(/392690 disagrees/)
  })

  it('accepts a declared code in the same heading', () => {
    const ctx = context({ destination: 'RU', hs_code: '8482.10.10' }, BEARING)
    expect(apply('classification.declared_code_mismatch', ctx)).toEqual([])
  })
})

describe('kz.106_reported', () => {
  it('raises only a review for the reported drone category', () => {
    const out = apply(
      'kz.106_reported',
      context({ destination: 'RU' }, [{ hs6: '880621', score: 0.9 }]),
    )
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ effect: 'review' })
    expect(out[0]!.text).toMatch(/denied it the same day/)
  })
})

describe('components.investigated_maker', () => {
  it('asks for an end-use check for an investigated maker’s chip to Russia', () => {
    const maker = testEngine().catalogue.manufacturers.find((m) => m.name === 'Analog Devices')!
    const ctx = context({ destination: 'RU' }, [{ hs6: '854239', score: 0.9 }], {
      manufacturers: [maker],
    })
    expect(apply('components.investigated_maker', ctx)[0]!.source).toBe(maker.source)
  })
})
