import { beforeAll, describe, expect, it } from 'vitest'
import type { Classification } from '../../src/core/classify/classifier'
import { matchLists } from '../../src/core/match-lists'
import type { RuleContext } from '../../src/core/rules/context'
import { viewDestination } from '../../src/core/rules/destination'
import { chpChance, RULES } from '../../src/core/rules/rules'
import { readingIsWeak } from '../../src/core/rules/unreadable'
import { CheckRequestSchema } from '../../src/core/schemas'
import { testEngine } from './engine-fixture'

// Building the engine takes seconds (more while other checks build theirs): not a test's time.
beforeAll(() => {
  testEngine()
}, 60_000)

/** A context with a chosen reading, so each rule is tested on its own terms, apart from the classifier. */
function context(
  request: Record<string, unknown>,
  candidates: { hs6: string; score: number; explicit?: boolean; namesGoods?: boolean }[],
  extra: Partial<Classification> = {},
): RuleContext {
  const engine = testEngine()
  const parsed = CheckRequestSchema.parse({ description: 'goods', ...request })
  const classification: Classification = {
    candidates: candidates.map((c) => ({
      title: c.hs6,
      evidence: [],
      explicit: false,
      namesGoods: true,
      ...c,
    })),
    // Strong enough to count as read (classification.unreadable), unless a test says otherwise.
    textStrength: 30,
    confidence: 0.8,
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

describe('origin_state_ban.sanctioned', () => {
  it('prohibits EU-made CHP goods to Russia under regime KZ and cites the in-force annex', () => {
    const out = apply(
      'origin_state_ban.sanctioned',
      context({ destination: 'RU', origin: 'IT' }, BEARING),
    )
    const xl = out.find((o) => /Annex XL/.test(o.text))
    expect(xl).toMatchObject({ effect: 'prohibited' })
    expect(xl!.source).toMatch(/2024\/1745/)
    expect(xl!.text).toMatch(/Art\. 12g/)
    expect(xl!.text).toMatch(/draft e-invoice check refuses goods made in a state/)
    expect(xl!.source).toMatch(/mondaq/)
  })

  it('covers every in-force annex entry, not only CHP codes, and stops at high_risk on "ex" entries', () => {
    const out = apply(
      'origin_state_ban.sanctioned',
      context({ destination: 'KG', final_destination: 'RU', origin: 'DE' }, [
        { hs6: '847130', score: 0.9 },
      ]),
    )
    expect(out.find((o) => /Annex XXXVII/.test(o.text))).toMatchObject({ effect: 'prohibited' })
    expect(out.find((o) => /Annex XXIII\b/.test(o.text))).toMatchObject({ effect: 'high_risk' })
  })

  it('cites the Kazakh e-invoice draft only for Russia, which it speaks of', () => {
    const out = apply(
      'origin_state_ban.sanctioned',
      context({ destination: 'BY', origin: 'IT' }, BEARING),
    )
    expect(out[0]!.effect).toBe('prohibited')
    expect(out.map((o) => o.text).join(' ')).not.toMatch(/e-invoice/)
  })

  it('leaves regime EU to the EU rule and non-EU origins alone', () => {
    const rule = 'origin_state_ban.sanctioned'
    expect(
      apply(rule, context({ destination: 'RU', origin: 'IT', regime: 'EU' }, BEARING)),
    ).toEqual([])
    expect(apply(rule, context({ destination: 'RU', origin: 'KZ' }, BEARING))).toEqual([])
    expect(apply(rule, context({ destination: 'RU', origin: 'NO' }, BEARING))).toEqual([])
    expect(apply(rule, context({ destination: 'RU' }, BEARING))).toEqual([])
  })
})

describe('chp.coalition_origin.sanctioned', () => {
  it('stops at high_risk for a non-EU coalition origin, whose list is not loaded', () => {
    const [out] = apply(
      'chp.coalition_origin.sanctioned',
      context({ destination: 'RU', origin: 'NO' }, BEARING),
    )
    expect(out).toMatchObject({ effect: 'high_risk' })
    expect(out!.text).toMatch(/not loaded/)
  })

  it('leaves EU-made goods to origin_state_ban and does nothing for Kazakh-made goods', () => {
    for (const origin of ['IT', 'KZ'])
      expect(
        apply('chp.coalition_origin.sanctioned', context({ destination: 'RU', origin }, BEARING)),
      ).toEqual([])
  })
})

describe('chp.sanctioned_destination', () => {
  it('rates CHP goods to Belarus high_risk and quotes the Kazakh bearing statement for bearings', () => {
    const out = apply('chp.sanctioned_destination', context({ destination: 'BY' }, BEARING))
    expect(out.map((o) => o.effect)).toEqual(['high_risk', 'high_risk'])
    expect(out[1]!.text).toMatch(/did not join the ban on ball bearings/)
  })

  it('does not read the goods as CHP goods from a reading that does not name them', () => {
    // "brake control unit": 8471.80 read from the generic words "control" and "unit" alone, first by score.
    const ctx = context({ destination: 'RU' }, [
      { hs6: '847180', score: 0.6, namesGoods: false },
      { hs6: '870830', score: 0.4 },
    ])
    expect(apply('chp.sanctioned_destination', ctx)).toEqual([])
    expect(chpChance(ctx)).toBe(0)
    expect(apply('chp.weak_match', ctx)).toEqual([])
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

  it('stays quiet when a CHP reading is far behind a confident first reading that does not name the goods', () => {
    const ctx = context(
      { destination: 'RU' },
      [
        { hs6: '940360', score: 0.9, namesGoods: false },
        { hs6: '732690', score: 0.05 },
        { hs6: '848210', score: 0.05 },
      ],
      { confidence: 0.9 },
    )
    // 0.1 × (0.05 / 0.10) = 0.05: below the 1 in 10 that a review is worth.
    expect(chpChance(ctx)).toBeCloseTo(0.05, 3)
    expect(apply('chp.weak_match', ctx)).toEqual([])
  })

  it('does not review a CHP code of another heading behind a firm, confident reading of the goods', () => {
    // "motherboard": 8473.30 read at 0.8 with 8471.80 (CHP) the only other candidate. Without the
    // settled heading, the other headings' term alone would be 0.13 × 1.
    const firm = [
      { hs6: '847330', score: 0.8 },
      { hs6: '847180', score: 0.2 },
    ]
    const settled = context({ destination: 'RU' }, firm, { confidence: 0.87 })
    expect(chpChance(settled)).toBe(0)
    expect(apply('chp.weak_match', settled)).toEqual([])
    // Less confident, or a first reading that does not name the goods: the other heading counts.
    const unsure = context({ destination: 'RU' }, firm, { confidence: 0.6 })
    expect(chpChance(unsure)).toBeCloseTo(0.4, 3)
    expect(apply('chp.weak_match', unsure)[0]).toMatchObject({ effect: 'review' })
    const unnamed = context({ destination: 'RU' }, [{ ...firm[0]!, namesGoods: false }, firm[1]!], {
      confidence: 0.87,
    })
    expect(chpChance(unnamed)).toBeCloseTo(0.13, 3)
  })

  it('still weighs a CHP subheading of the first heading behind a firm, confident reading', () => {
    // "multimeter": 9030.31 at 0.77, 9030.32 (with a recording device, CHP) at 0.2.
    const ctx = context(
      { destination: 'RU' },
      [
        { hs6: '903031', score: 0.77 },
        { hs6: '903032', score: 0.2 },
      ],
      { confidence: 0.91 },
    )
    expect(chpChance(ctx)).toBeCloseTo(0.91 * (0.2 / 0.97), 3)
    expect(apply('chp.weak_match', ctx)[0]).toMatchObject({ effect: 'review' })
  })

  it('reviews a CHP reading far behind the first when the first reading is uncertain', () => {
    const candidates = [
      { hs6: '940360', score: 0.6 },
      { hs6: '732690', score: 0.25 },
      { hs6: '848210', score: 0.15 },
    ]
    // Not weak by score (0.15 < 0.4 × 0.6), but the heading 9403 is right only 4 times in 10.
    const ctx = context({ destination: 'RU' }, candidates, { confidence: 0.4 })
    expect(chpChance(ctx)).toBeCloseTo(0.6 * (0.15 / 0.4), 3)
    const [out] = apply('chp.weak_match', ctx)
    expect(out).toMatchObject({ effect: 'review' })
    expect(out!.text).toMatch(/CHP goods about 2[23] times in 100/)
  })

  it('weighs a CHP heading that is a close second even when the first heading fills five places', () => {
    // Five furniture subheadings first, then a bearing (8482.10, CHP) at rank 6: matched all the same.
    const ctx = context(
      { destination: 'RU' },
      [
        { hs6: '940360', score: 0.3 },
        { hs6: '940310', score: 0.2 },
        { hs6: '940320', score: 0.15 },
        { hs6: '940330', score: 0.12 },
        { hs6: '940340', score: 0.11 },
        { hs6: '848210', score: 0.1 },
      ],
      { confidence: 0.5 },
    )
    // The heading 9403 is wrong half the time, and then the bearing holds all the other belief.
    expect(chpChance(ctx)).toBeCloseTo(0.5, 3)
    expect(apply('chp.weak_match', ctx)[0]).toMatchObject({ effect: 'review' })
  })

  it('weighs a CHP subheading beside a non-CHP first reading by the confidence in the heading', () => {
    const ctx = context(
      { destination: 'RU' },
      [
        { hs6: '901320', score: 0.5 },
        { hs6: '901380', score: 0.3 },
        { hs6: '940360', score: 0.2 },
      ],
      { confidence: 0.6 },
    )
    // The heading 9013 is right 6 times in 10, and within it 9013.80 has 0.3 of 0.8 of the belief.
    expect(chpChance(ctx)).toBeCloseTo(0.6 * (0.3 / 0.8), 3)
    expect(apply('chp.weak_match', ctx)[0]!.text).toMatch(/9013\.80/)
  })

  it('counts only CHP readings the rules see: a CHP candidate below the matched scores adds nothing', () => {
    const ctx = context(
      { destination: 'RU' },
      [
        { hs6: '940360', score: 0.96 },
        { hs6: '848210', score: 0.04 },
      ],
      { confidence: 0.3 },
    )
    expect(chpChance(ctx)).toBe(0)
  })

  it('asks for review when an unsettled reading sits in a heading with CHP subheadings', () => {
    const ctx = context({ destination: 'RU' }, [{ hs6: '901320', score: 0.35 }])
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

  it('asks about a plausible second reading only when it names the goods', () => {
    // A pressure washer read first as a sprayer, second as a drone through "apparatus" alone.
    const reading = (namesGoods: boolean) => [
      { hs6: '842430', score: 0.5 },
      { hs6: '880621', score: 0.3, namesGoods },
    ]
    expect(apply('kz.106_reported', context({ destination: 'RU' }, reading(true)))).toHaveLength(1)
    expect(apply('kz.106_reported', context({ destination: 'RU' }, reading(false)))).toEqual([])
  })

  it('still asks on a line that names a maker, whose words do not say which name the goods', () => {
    const reading = [
      { hs6: '853400', score: 0.5 },
      { hs6: '854239', score: 0.3, namesGoods: false },
    ]
    const ctx = context({ destination: 'RU' }, reading, { namesMaker: true })
    expect(apply('kz.106_reported', ctx)).toHaveLength(1)
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

describe('matches.not_applied', () => {
  it('labels EU annex matches under regime KZ as informative, saying the annex binds EU exporters', () => {
    const out = apply('matches.not_applied', context({ destination: 'RU' }, BEARING))
    expect(out.every((o) => o.effect === 'info')).toBe(true)
    const xl = out.find((o) => /Annex XL/.test(o.text))
    expect(xl!.text).toMatch(/binds EU exporters; the regime is KZ, and no origin was given/)
    // The CHP entry decides on this route, so it is not among them.
    expect(out.some((o) => /Common High Priority List/.test(o.text))).toBe(false)
  })

  it('says nothing when every match is weighed (regime EU, Russia)', () => {
    expect(
      apply('matches.not_applied', context({ destination: 'RU', regime: 'EU' }, BEARING)),
    ).toEqual([])
  })
})

describe('classification.unreadable', () => {
  const unreadable = (request: Record<string, unknown>, extra: Partial<Classification>) =>
    apply('classification.unreadable', context(request, [], extra))
  const guesses = {
    candidates: [
      {
        hs6: '430110',
        title: 'Raw furskins; of mink',
        score: 0.12,
        evidence: [],
        explicit: false,
        namesGoods: true,
      },
      {
        hs6: '880730',
        title: 'Aircraft parts',
        score: 0.11,
        evidence: [],
        explicit: false,
        namesGoods: true,
      },
    ],
    confidence: 0.05,
  }

  it.each(['RU', 'AE', 'IR'])(
    'reviews a weak reading to %s, naming the candidates weighed',
    (destination) => {
      const [out] = unreadable({ destination }, guesses)
      expect(out).toMatchObject({ effect: 'review' })
      expect(out!.text).toMatch(/what the goods are, what they are made of and what they do/)
      expect(out!.text).toMatch(/4301\.10 "Raw furskins; of mink" \(0\.12\); 8807\.30/)
    },
  )

  it('reviews a line that matched no heading, and one read with a low calibrated confidence', () => {
    expect(unreadable({ destination: 'RU' }, {})[0]!.text).toMatch(/no HS heading matched/)
    const faint = {
      candidates: [
        {
          hs6: '940360',
          title: 'Wooden furniture',
          score: 0.9,
          evidence: [],
          explicit: false,
          namesGoods: true,
        },
      ],
      confidence: 0.08,
    }
    const [out] = unreadable({ destination: 'RU' }, faint)
    expect(out!.effect).toBe('review')
    expect(out!.text).toMatch(/about 8 times in 100/)
    // A weak reading, not a guess: the CHP rules weigh it like any other.
    expect(unreadable({ destination: 'RU' }, { ...faint, confidence: 0.12 })).toEqual([])
  })

  it('only informs on an ordinary route', () => {
    const [out] = unreadable({ destination: 'DE' }, guesses)
    expect(out).toMatchObject({ effect: 'info' })
    expect(out!.text).toMatch(/not read with confidence/)
  })

  it('trusts part-number evidence and, once the classifier gives one, a calibrated confidence', () => {
    const explicit = {
      candidates: [
        {
          hs6: '854231',
          title: 'Processors',
          score: 0.12,
          evidence: [],
          explicit: true,
          namesGoods: true,
        },
      ],
    }
    expect(unreadable({ destination: 'RU' }, explicit)).toEqual([])
    expect(
      readingIsWeak({
        ...context({ destination: 'RU' }, []).classification,
        ...guesses,
        confidence: 0.8,
      } as Classification),
    ).toBeNull()
  })
})
