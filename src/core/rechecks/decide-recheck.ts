/**
 * @module rechecks/decide-recheck
 * The decision of a re-check, pure: a stored check whose verdict is the same under the versions now
 * in effect produces nothing; one whose verdict differs is re-issued, with the deciding matches it
 * gained and lost (what the list change did to it).
 */
import type { CheckResult, Verdict } from '../schemas'

type MatchRef = { list_id: string; entry_code: string; title: string }

export type RecheckDecision =
  | { changed: false }
  | { changed: true; matchesAdded: MatchRef[]; matchesRemoved: MatchRef[] }

/** Matches that take part in the verdict (not shown-only: watch lists, suppressed, weak). */
function deciding(matches: readonly CheckResult['matches'][number][]): Map<string, MatchRef> {
  const out = new Map<string, MatchRef>()
  for (const m of matches) {
    if (m.applies === false) continue
    out.set(`${m.list_id}|${m.entry_code}`, {
      list_id: m.list_id,
      entry_code: m.entry_code,
      title: m.title,
    })
  }
  return out
}

/**
 * Compares a stored check with its re-check. `previous.matches` may be absent when the stored result
 * cannot be read back (the verdict alone still decides).
 */
export function decideRecheck(
  previous: { verdict: Verdict; matches?: readonly CheckResult['matches'][number][] },
  next: Pick<CheckResult, 'verdict' | 'matches'>,
): RecheckDecision {
  if (previous.verdict === next.verdict) return { changed: false }
  const before = deciding(previous.matches ?? [])
  const after = deciding(next.matches)
  return {
    changed: true,
    matchesAdded: [...after].filter(([k]) => !before.has(k)).map(([, m]) => m),
    matchesRemoved: [...before].filter(([k]) => !after.has(k)).map(([, m]) => m),
  }
}
