/**
 * @module match-lists
 * DESIGN §4 step 4: HS candidates and the declared code → list entries by code prefix, plus direct
 * text matches to the entries of code-less lists under the EU regime. One match per list entry, the
 * strongest reading kept.
 */
import type { ControlList, ListEntry } from './catalogue/types'
import type { Classification } from './classify/classifier'
import type { Engine } from './engine'
import type { MatchedEntry } from './rules/context'
import type { CheckRequest } from './schemas'

/** Candidates less likely than this are shown but not matched: they would only add noise to matches. */
export const MIN_MATCH_SCORE = 0.05
/** Direct text matches to control-code entries are possibilities, never a first reading. */
const TEXT_MATCH_SCORE = 0.5

type HowMatched = Pick<
  MatchedEntry,
  'score' | 'evidence' | 'partial' | 'fromDeclaredCode' | 'rank' | 'explicit' | 'namesGoods'
>

export function entryMatch(
  list: ControlList,
  entry: Pick<ListEntry, 'code' | 'title' | 'tier'>,
  how: HowMatched,
): MatchedEntry {
  return {
    list_id: list.id,
    list_name: list.name,
    entry_code: entry.code,
    title: entry.title,
    tier: entry.tier,
    legal_status: list.legal_status,
    list,
    ...how,
  }
}

/** Every list entry the reading, the declared code or (regime EU) the text points at, strongest first. */
export function matchLists(
  engine: Engine,
  request: CheckRequest,
  classification: Classification,
): MatchedEntry[] {
  const best = new Map<string, MatchedEntry>()
  const consider = strongestPerEntry(best)
  const lists = engine.catalogue.lists.filter((l) => l.match === 'hs_prefix')
  matchByCode(lists, request, classification, consider)

  if (request.regime === 'EU') {
    for (const m of engine.entryMatcher.match(request.description)) {
      const list = engine.catalogue.lists.find((l) => l.id === m.listId)!
      consider(
        entryMatch(
          list,
          { code: m.code, title: m.title, tier: null },
          {
            score: TEXT_MATCH_SCORE,
            evidence: [`matched ${m.matched.map((w) => `"${w}"`).join(', ')} in the entry text`],
            partial: true,
            fromDeclaredCode: false,
            rank: -1,
            explicit: false,
            namesGoods: true,
          },
        ),
      )
    }
  }

  return strongestFirst(best)
}

/** Keeps one match per list entry: the strongest reading, a declared code over an equal reading. */
export function strongestPerEntry(best: Map<string, MatchedEntry>): (m: MatchedEntry) => void {
  return (m) => {
    const key = `${m.list_id}|${m.entry_code}`
    const existing = best.get(key)
    if (!existing || m.score > existing.score || (m.fromDeclaredCode && !existing.fromDeclaredCode))
      best.set(key, m)
  }
}

export function strongestFirst(best: Map<string, MatchedEntry>): MatchedEntry[] {
  return [...best.values()].sort(
    (a, b) =>
      b.score - a.score ||
      a.list_id.localeCompare(b.list_id) ||
      a.entry_code.localeCompare(b.entry_code),
  )
}

/** The entries of HS-coded `lists` that the HS candidates or the declared code fall under. */
export function matchByCode(
  lists: readonly ControlList[],
  request: CheckRequest,
  classification: Classification,
  consider: (m: MatchedEntry) => void,
): void {
  // Every candidate at least MIN_MATCH_SCORE likely, not only the first five: a heading that is a close
  // second often has its best subheading below five of the first heading's (classifier OTHER_HEADINGS).
  classification.candidates.forEach((candidate, rank) => {
    if (candidate.score < MIN_MATCH_SCORE) return
    for (const list of lists) {
      for (const entry of entriesCovering(list, candidate.hs6)) {
        consider(
          entryMatch(list, entry, {
            score: candidate.score,
            // The candidate's first evidence line; the rest is in the classification.
            evidence: candidate.evidence.slice(0, 1),
            // A national line under the candidate (a CN8 entry under its HS-6) covers only part of it.
            partial: entry.partial || entry.code.length > 6,
            fromDeclaredCode: false,
            rank,
            explicit: candidate.explicit,
            namesGoods: candidate.namesGoods,
          }),
        )
      }
    }
  })

  const declared = request.hs_code
  if (declared) {
    for (const list of lists) {
      for (const entry of entriesRelatedTo(list, declared)) {
        consider(
          entryMatch(list, entry, {
            score: 1,
            evidence: [`declared code ${declared}`],
            partial: entry.partial || entry.code.length > declared.length,
            fromDeclaredCode: true,
            rank: -1,
            explicit: false,
            namesGoods: true,
          }),
        )
      }
    }
  }
}

type ListIndex = {
  /** Entries by the code prefix they are matched on (2, 4 or 6 digits; CN8 lines by their HS-6). */
  byPrefix: Map<string, ListEntry[]>
  /** Entries of four digits or more by heading, and the chapter-level (two-digit) entries. */
  byHeading: Map<string, ListEntry[]>
  chapters: ListEntry[]
  /** `entriesCovering` answers per HS-6: a candidate set repeats from check to check. */
  covering: Map<string, ListEntry[]>
}

// Built once per list object, so a check does a few map look-ups instead of scanning every entry.
const listIndexes = new WeakMap<ControlList, ListIndex>()

function indexOf(list: ControlList): ListIndex {
  let index = listIndexes.get(list)
  if (!index) {
    index = { byPrefix: new Map(), byHeading: new Map(), chapters: [], covering: new Map() }
    for (const entry of list.entries) {
      push(index.byPrefix, entry.code.length <= 6 ? entry.code : entry.code.slice(0, 6), entry)
      if (entry.code.length >= 4) push(index.byHeading, entry.code.slice(0, 4), entry)
      else index.chapters.push(entry)
    }
    listIndexes.set(list, index)
  }
  return index
}

function push(map: Map<string, ListEntry[]>, key: string, entry: ListEntry): void {
  const bucket = map.get(key)
  if (bucket) bucket.push(entry)
  else map.set(key, [entry])
}

/** The entries that cover an HS-6 candidate: its chapter, heading or subheading, or CN8 lines under it. */
function entriesCovering(list: ControlList, hs6: string): ListEntry[] {
  const index = indexOf(list)
  const cached = index.covering.get(hs6)
  if (cached) return cached
  const found: ListEntry[] = []
  for (const key of [hs6.slice(0, 2), hs6.slice(0, 4), hs6]) {
    for (const entry of index.byPrefix.get(key) ?? []) {
      // A six-digit key holds both the HS-6 entry and the CN8 lines under it; both cover the candidate.
      if (entry.code.length <= 6 ? hs6.startsWith(entry.code) : entry.code.startsWith(hs6))
        found.push(entry)
    }
  }
  // Bounded: there are 5,612 HS-6 subheadings.
  index.covering.set(hs6, found)
  return found
}

/** The entries a declared code (4 to 10 digits) falls under, or that fall under it. */
function entriesRelatedTo(list: ControlList, declared: string): ListEntry[] {
  const index = indexOf(list)
  const related = (entry: ListEntry) =>
    declared.startsWith(entry.code) || entry.code.startsWith(declared)
  return [
    ...index.chapters.filter(related),
    ...(index.byHeading.get(declared.slice(0, 4)) ?? []).filter(related),
  ]
}
