/**
 * @module rules/default-clear
 * The reason a `clear` verdict carries when no rule decided. It names what the reading matched and why
 * none of it changes the verdict on this route, so it never says "nothing matched" above a list of matches.
 */
import type { Applicability } from './applicability'
import { shortListName } from './applicability'
import type { MatchedEntry, RuleContext } from './context'

export function defaultClearReason(
  ctx: Pick<RuleContext, 'classification' | 'matches'>,
  applies: Applicability[],
): { effect: 'clear'; text: string; source: string } {
  const top = ctx.classification.candidates[0]
  const reading = top
    ? `The goods read as ${top.hs6.slice(0, 4)}.${top.hs6.slice(4)} "${top.title}" (score ${top.score.toFixed(2)}).`
    : 'The description matched no HS heading: describe the goods more fully to get a classification.'
  const source = 'HS 2022 nomenclature; lists in versions'
  if (ctx.matches.length === 0)
    return { effect: 'clear', text: `No controlled list entry matched. ${reading}`, source }

  const notWeighed = ctx.matches.filter((_, i) => !applies[i]!.applies)
  const minor = ctx.matches.filter((_, i) => applies[i]!.applies)
  const why: string[] = []
  if (notWeighed.length > 0)
    why.push(
      `${listNames(notWeighed)} ${verb(notWeighed)} not weighed on this route (see the informative reasons)`,
    )
  if (minor.length > 0) {
    // Every rule that weighs these lists fires on a strong or plausible reading, so what is left are
    // readings too far behind the first one to ask for review.
    const best = Math.max(...minor.map((m) => m.score))
    why.push(
      `${listNames(minor)} matched only minor readings (best score ${best.toFixed(2)}), too weak for a rule to ask for review`,
    )
  }
  const count = ctx.matches.length
  return {
    effect: 'clear',
    text: `${count} list ${count === 1 ? 'entry' : 'entries'} matched, and none changes the verdict on this route: ${why.join('; ')}. ${reading}`,
    source,
  }
}

function listNames(matches: MatchedEntry[]): string {
  return [...new Set(matches.map((m) => shortListName(m.list)))].join(', ')
}

function verb(matches: MatchedEntry[]): string {
  return new Set(matches.map((m) => m.list_id)).size === 1 ? 'is' : 'are'
}
