/**
 * @module rules/unreadable
 * A line the classifier cannot read with confidence is never `clear` to a sanctioned, embargoed or
 * transshipment destination: a wrong reading there hides controlled goods, so the line is reviewed and
 * the reason asks for what would make it readable. To other destinations the verdict may stay `clear`,
 * but the result says the goods were not read.
 */
import type { Classification } from '../classify/classifier'
import { countryName } from '../countries'
import type { Rule, RuleContext } from './context'

/**
 * Below this calibrated confidence (classify/confidence.ts) a reading is a guess: it names the right
 * heading less than one time in ten. It was 0.15; lowered because the readings between 0.10
 * and 0.15 are weak readings, not guesses: on the tuning sets (eval/dev-tune, hsbench-descriptions) 1 in
 * 6 named the right heading (1 in 4 over all four sets, 16 rows), none of those 16 was of CHP goods, and
 * `chpChance` weighs them like any other reading. Below 0.10, 8 of the 12 tuning rows had no candidate at all
 * (BENCHMARKS.md, "The CHP decision").
 */
export const MIN_READABLE_CONFIDENCE = 0.1
/** How many candidates the reason names: enough to show what was weighed, few enough to read. */
const NAMED_CANDIDATES = 3

/** Why the reading is weak, or null when it is not. The one place that decides "unreadable". */
export function readingIsWeak(classification: Classification): string | null {
  const top = classification.candidates[0]
  if (!top && classification.namesNoGoods)
    return `the description names no goods ("${classification.namesNoGoods}" says why or how they are sent, not what they are)`
  if (!top) return 'no HS heading matched the description'
  // Part-number, designation or code evidence reads the goods without relying on their words.
  if (top.explicit || classification.explicit.length > 0) return null
  if (classification.confidence < MIN_READABLE_CONFIDENCE)
    return `readings like this one name the right heading only about ${Math.round(100 * classification.confidence)} times in 100`
  return null
}

function candidatesWeighed(ctx: RuleContext): string {
  const named = ctx.classification.candidates.slice(0, NAMED_CANDIDATES)
  if (named.length === 0) return 'No candidate was weighed.'
  const list = named
    .map((c) => `${c.hs6.slice(0, 4)}.${c.hs6.slice(4)} "${c.title}" (${c.score.toFixed(2)})`)
    .join('; ')
  return `Candidates weighed: ${list}.`
}

const WHAT_TO_ADD =
  'Describe what the goods are, what they are made of and what they do (a model or part number helps).'

export const classificationUnreadable: Rule = {
  id: 'classification.unreadable',
  summary:
    'Goods the classifier cannot read with confidence are reviewed on routes to sanctioned, embargoed or transshipment destinations; elsewhere the result says they were not read.',
  apply(ctx) {
    const weak = readingIsWeak(ctx.classification)
    if (!weak) return []
    const source =
      'Product rule: a line read with low confidence is reviewed on risky routes (thresholds in src/core/rules/unreadable.ts); candidates from the HS 2022 nomenclature'
    if (ctx.destination.category === 'other') {
      return [
        {
          effect: 'info',
          text:
            `The goods were not read with confidence: ${weak}. ${candidatesWeighed(ctx)} ${ctx.destination.note} ` +
            `So the verdict can stay clear, but it rests on no reliable reading; to a sanctioned, embargoed or transshipment destination this line would be reviewed. ${WHAT_TO_ADD}`,
          source,
        },
      ]
    }
    return [
      {
        effect: 'review',
        text:
          `The goods could not be read with confidence: ${weak}, so controlled goods cannot be ruled out on a route to ` +
          `${countryName(ctx.destination.target!)}. ${WHAT_TO_ADD} ${candidatesWeighed(ctx)}`,
        source,
      },
    ]
  },
}
