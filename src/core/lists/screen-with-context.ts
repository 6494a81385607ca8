/**
 * @module lists/screen-with-context
 * What a tenant's screening context changes in a check: matches on its own lists (by HS code and by
 * pattern), its thresholds, its suppressions, and the rules that weigh its blocking lists. `checkGoods`
 * calls these only when a context is given; without one a check is exactly as before.
 */
import type { ControlList } from '../catalogue/types'
import type { Classification } from '../classify/classifier'
import { countryName } from '../countries'
import { entryMatch, matchByCode, strongestFirst, strongestPerEntry } from '../match-lists'
import { type Applicability, applicability } from '../rules/applicability'
import type { MatchedEntry, Rule, RuleContext, RuleOutcome } from '../rules/context'
import { isStrong, isWeak } from '../rules/rules'
import { readingIsWeak } from '../rules/unreadable'
import type { CheckRequest } from '../schemas'
import type { CheckContext } from './compile-context'
import { normalizePhrase, ownListInfo } from './own-lists'
import type { Suppression } from './types'

/** Matches on the context's own lists: by HS candidate and declared code, and by pattern. */
export function matchOwnLists(
  lists: readonly ControlList[],
  request: CheckRequest,
  classification: Classification,
): MatchedEntry[] {
  if (lists.length === 0) return []
  const best = new Map<string, MatchedEntry>()
  const consider = strongestPerEntry(best)
  matchByCode(lists, request, classification, consider)
  const description = ` ${normalizePhrase(request.description)} `
  for (const list of lists) {
    const info = ownListInfo(list)!
    for (const [code, phrases] of info.patterns) {
      const hit = phrases.find((p) => description.includes(` ${p} `))
      if (!hit) continue
      const entry = info.entries.get(code)!
      consider(
        entryMatch(
          list,
          { code, title: entry.title, tier: entry.category },
          {
            // The tenant's own words for the goods are in the description: as firm as a part number.
            score: 1,
            evidence: [`matched the list's pattern "${hit}" in the description`],
            partial: false,
            fromDeclaredCode: false,
            rank: -1,
            explicit: true,
            namesGoods: true,
          },
        ),
      )
    }
  }
  return strongestFirst(best)
}

/** Drops CHP matches read below the tenant's minimum score (declared codes and part numbers stay). */
export function belowChpMinimum(m: MatchedEntry, minScore: number): boolean {
  return m.list_id === 'chp' && !m.fromDeclaredCode && !m.explicit && m.score < minScore
}

/** The HS-6 readings of a check: its candidates and the declared code's first six digits. */
function readings(request: CheckRequest, classification: Classification): Set<string> {
  const out = new Set(classification.candidates.map((c) => c.hs6))
  if (request.hs_code && request.hs_code.length >= 6) out.add(request.hs_code.slice(0, 6))
  return out
}

/** A maker's name as compared: lower case, punctuation and runs of spaces as one space. */
function makerKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Whether `name` and `maker` are the same maker on this line: equal, or names of one maker it names. */
function sameMaker(classification: Classification, name: string, maker: string): boolean {
  const a = makerKey(name)
  const b = makerKey(maker)
  if (a === b) return true
  // "TI" and "TEXAS INSTRUMENTS" (a prefix's maker) are one maker when the catalogue's maker list says so.
  return classification.manufacturers.some((m) => {
    const names = [m.name, ...m.aliases].map(makerKey)
    return names.includes(a) && names.includes(b)
  })
}

/** The part-number evidence of the line: part numbers the classifier read, with their makers. */
function partNumbers(classification: Classification) {
  return classification.explicit.filter((e) => e.kind === 'part_number_family')
}

/** The line names `maker`: a catalogue maker named in the description, or a part number's maker. */
function namesMaker(classification: Classification, maker: string): boolean {
  const key = makerKey(maker)
  return (
    classification.manufacturers.some((m) => [m.name, ...m.aliases].map(makerKey).includes(key)) ||
    partNumbers(classification).some((e) => e.maker && sameMaker(classification, maker, e.maker))
  )
}

/**
 * The match rests on a part number of the family (and of the maker, when the scope names one): the
 * part number starts with `family` and the match's entry covers the subheading it was read as.
 */
function restsOnFamily(
  classification: Classification,
  m: MatchedEntry,
  family: string,
  maker: string | undefined,
): boolean {
  return partNumbers(classification).some(
    (e) =>
      e.token
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .startsWith(family) &&
      (maker === undefined ||
        (e.maker !== undefined && sameMaker(classification, maker, e.maker))) &&
      (e.hs6.startsWith(m.entry_code) || m.entry_code.startsWith(e.hs6)),
  )
}

/** Whether a suppression's scope covers this match on this check. */
export function scopeCovers(
  s: Suppression,
  request: CheckRequest,
  classification: Classification,
  m: MatchedEntry,
): boolean {
  const { scope } = s
  if (scope.reference !== undefined && request.reference !== scope.reference) return false
  if (
    scope.description !== undefined &&
    normalizePhrase(scope.description) !== normalizePhrase(request.description)
  )
    return false
  if (scope.list_id !== undefined && m.list_id !== scope.list_id) return false
  if (scope.entry_code !== undefined && m.entry_code !== scope.entry_code) return false
  if (scope.hs6 !== undefined) {
    const hs6 = scope.hs6
    const covers = hs6.startsWith(m.entry_code) || m.entry_code.startsWith(hs6)
    if (!covers || !readings(request, classification).has(hs6)) return false
  }
  if (scope.part_family !== undefined) {
    if (!restsOnFamily(classification, m, scope.part_family, scope.maker)) return false
  } else if (scope.maker !== undefined && !namesMaker(classification, scope.maker)) return false
  return true
}

/** In force by its expiry and deletion at `at`. */
export function suppressionActive(s: Suppression, at: string): boolean {
  return (
    s.createdAt <= at &&
    (s.deletedAt === null || s.deletedAt > at) &&
    (s.expiresAt === null || s.expiresAt > at)
  )
}

export type SuppressionOutcome =
  | { kind: 'suppressed'; by: Suppression }
  | { kind: 'protected'; by: Suppression }
  | null

/**
 * The suppression that settles this match, if any. An applicable match on a list in force is never
 * hidden unless the suppression accepts that explicitly (`protected`): the check still weighs it.
 */
export function suppressionFor(
  context: CheckContext,
  request: CheckRequest,
  classification: Classification,
  m: MatchedEntry,
  applies: Applicability,
): SuppressionOutcome {
  let blocked: Suppression | null = null
  for (const s of context.suppressions) {
    if (!suppressionActive(s, context.at) || !scopeCovers(s, request, classification, m)) continue
    if (m.legal_status === 'in_force' && applies.applies && s.acceptInForce === null) {
      blocked ??= s
      continue
    }
    return { kind: 'suppressed', by: s }
  }
  return blocked ? { kind: 'protected', by: blocked } : null
}

function entryLabel(m: MatchedEntry): string {
  const code = /^\d{6}$/.test(m.entry_code)
    ? `${m.entry_code.slice(0, 4)}.${m.entry_code.slice(4)}`
    : m.entry_code
  return `${code} "${m.title}"${m.tier ? ` (${m.tier})` : ''}`
}

function how(m: MatchedEntry): string {
  if (m.fromDeclaredCode) return 'the declared code'
  if (m.explicit) return m.evidence[0] ?? 'part-number evidence'
  return `the description (score ${m.score.toFixed(2)})`
}

function listSource(list: ControlList): string {
  return `${list.source} (${list.jurisdiction === 'tenant' ? 'your list' : 'operator list'} ${list.id}, version ${list.version})`
}

/**
 * A blocking list's entry makes the check `review`, or `prohibited` when the list's version is law in
 * force for its owner; a weak reading asks for review only (when the settings let weak readings count).
 */
const ownBlockingList: Rule = {
  id: 'own_list.blocking',
  summary:
    'An entry of a blocking list of the tenant (or the operator) makes the check at least review, prohibited when the list is law in force.',
  apply(ctx) {
    const outcomes: RuleOutcome[] = []
    const top = ctx.classification.candidates[0]?.score ?? 0
    const byList = new Map<ControlList, MatchedEntry[]>()
    for (const m of ctx.matches) {
      const info = ownListInfo(m.list)
      if (info?.mode !== 'blocking' || !applicability(ctx, m).applies) continue
      byList.set(m.list, [...(byList.get(m.list) ?? []), m])
    }
    for (const [list, matches] of byList) {
      const whose =
        list.jurisdiction === 'tenant' ? 'your blocking list' : 'the operator’s blocking list'
      const strong = matches.find(isStrong)
      if (strong) {
        const law = list.legal_status === 'in_force'
        outcomes.push({
          effect: law ? 'prohibited' : 'review',
          text: law
            ? `${entryLabel(strong)} read from ${how(strong)} is on ${whose} "${list.name}" (version ${list.version}), marked as law in force: shipping these goods on this route is prohibited.`
            : `${entryLabel(strong)} read from ${how(strong)} is on ${whose} "${list.name}" (version ${list.version}): a person must review the shipment.`,
          source: listSource(list),
        })
        continue
      }
      const weak = matches.find((m) => isWeak(m, top))
      if (weak)
        outcomes.push({
          effect: 'review',
          text: `The description may be ${entryLabel(weak)} on ${whose} "${list.name}" (score ${weak.score.toFixed(2)}, not the clear first reading). Confirm the code.`,
          source: listSource(list),
        })
    }
    return outcomes
  },
}

function routeCountries(request: CheckRequest): string[] {
  return [request.destination, ...(request.transit ?? []), request.final_destination ?? '']
}

/** The tenant's extra countries where an unreadable line is reviewed (settings). */
function unreadableCountry(context: CheckContext): Rule {
  return {
    id: 'settings.unreadable_country',
    summary:
      'A line that cannot be read with confidence, on a route reaching a country the tenant listed, is reviewed.',
    apply(ctx: RuleContext) {
      if (ctx.destination.category !== 'other') return []
      const weak = readingIsWeak(ctx.classification)
      if (!weak) return []
      const listed = context.settings.unreadable_review_countries
      const hit = routeCountries(ctx.request).find((c) => listed.includes(c))
      if (!hit) return []
      return [
        {
          effect: 'review',
          text: `The goods could not be read with confidence: ${weak}, and the route reaches ${countryName(hit)}, where your settings review such lines. Describe what the goods are, what they are made of and what they do (a model or part number helps).`,
          source: `Tenant settings (unreadable_review_countries, ${context.settingsDigest})`,
        },
      ]
    },
  }
}

/** The rules a context adds to `RULES`. */
export function contextRules(context: CheckContext): Rule[] {
  return [ownBlockingList, unreadableCountry(context)]
}

/** Informative reasons for suppressed matches and for suppressions that may not hide one. */
export function suppressionReasons(
  outcomes: { m: MatchedEntry; outcome: SuppressionOutcome }[],
): { rule_id: string; effect: 'info'; text: string; source: string }[] {
  const out: { rule_id: string; effect: 'info'; text: string; source: string }[] = []
  for (const { m, outcome } of outcomes) {
    if (!outcome) continue
    const s = outcome.by
    const who = `${s.createdBy} on ${s.createdAt.slice(0, 10)}`
    if (outcome.kind === 'suppressed') {
      out.push({
        rule_id: 'suppression.applied',
        effect: 'info',
        text:
          `Matched ${entryLabel(m)} on ${m.list_name}: settled by suppression ${s.id} ("${s.reason}", by ${who}` +
          `${s.expiresAt ? `, until ${s.expiresAt}` : ''})` +
          `${s.acceptInForce ? `, which accepts that the list is law in force ("${s.acceptInForce}")` : ''}; it does not change the verdict.`,
        source: `Suppression ${s.id}`,
      })
    } else {
      out.push({
        rule_id: 'suppression.in_force_protected',
        effect: 'info',
        text: `Suppression ${s.id} covers ${entryLabel(m)} on ${m.list_name}, but that list is law in force on this route: a suppression hides it only when it accepts that explicitly (accept_in_force, with a reason). The match still decides.`,
        source: `Suppression ${s.id}`,
      })
    }
  }
  return out
}
