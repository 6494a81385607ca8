import { beforeAll, describe, expect, it } from 'vitest'
import { checkGoodsInput } from '../../src/core/check-goods'
import { testEngine } from './engine-fixture'

beforeAll(() => {
  testEngine()
}, 60_000)

/** Rules that decide on a list match (not on the route or the reading alone). */
const LIST_RULES = new Set([
  'origin_state_ban.sanctioned',
  'chp.coalition_origin.sanctioned',
  'chp.sanctioned_destination',
  'chp.weak_match',
  'chp.transshipment',
  'eu.annex_in_force.sanctioned',
  'kz.106_reported',
])

const ROUTES = [
  { destination: 'RU' },
  { destination: 'BY' },
  { destination: 'KZ' },
  { destination: 'KG', final_destination: 'RU' },
  { destination: 'AM' },
  { destination: 'DE' },
  { destination: 'IR' },
]
const ORIGINS = [undefined, 'DE', 'KZ', 'NO']
const REGIMES = ['KZ', 'EU', 'US']
const LINES = ['SKF 6205-2RS deep groove ball bearing', 'laptop', 'quadcopter drone']

const cases = LINES.flatMap((description) =>
  ROUTES.flatMap((route) =>
    ORIGINS.flatMap((origin) =>
      REGIMES.map((regime) => ({ description, ...route, origin, regime })),
    ),
  ),
)

describe('applicability agrees with the rules (strong readings)', () => {
  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s', (_label, input) => {
    const r = checkGoodsInput(testEngine(), input)
    const listRuleFired = r.reasons.some((x) => LIST_RULES.has(x.rule_id))
    const applying = r.matches.filter((m) => m.applies)
    // A list rule only fires on a match that applies; a match that applies and fires no rule is a
    // reading too minor to decide, and the clear reason says so.
    if (listRuleFired) expect(applying.length).toBeGreaterThan(0)
    const clearReason = r.reasons.find((x) => x.rule_id === 'default.clear')
    if (!listRuleFired && applying.length > 0 && clearReason)
      expect(clearReason.text).toMatch(/only minor readings/)
    // Every match that does not apply is explained, in its own field and among the reasons.
    const informative = r.reasons.filter((x) => x.rule_id === 'matches.not_applied')
    for (const m of r.matches.filter((x) => !x.applies)) {
      expect(informative.some((x) => x.text.includes(m.why_not_applied!))).toBe(true)
    }
    expect(r.reasons.map((x) => x.text).join(' ')).not.toMatch(
      r.matches.length > 0 ? /no controlled list entry matched/i : /$^/,
    )
  })
})

describe('catalogue facts the origin rule relies on', () => {
  it('Annex XL holds every CHP code, so EU-made CHP goods are always weighed by origin_state_ban', () => {
    const lists = testEngine().catalogue.lists
    const xl = lists.find((l) => l.id === 'eu_833_annex_xl')!
    const chp = lists.find((l) => l.id === 'chp')!
    const missing = chp.entries.filter((e) => !xl.entries.some((x) => e.code.startsWith(x.code)))
    expect(missing.map((e) => e.code)).toEqual([])
  })
})
