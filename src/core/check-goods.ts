/**
 * @module check-goods
 * The check verb: description + route → verdict, risk score, classification, list matches, reasons,
 * obligations and versions (DESIGN §2, §4). Pure and synchronous: same input and versions, same output.
 */
import type { ControlList, ListEntry } from './catalogue/types'
import type { Engine } from './engine'
import { AppError, issuesToFieldIssues } from './errors'
import type { MatchedEntry, RuleContext } from './rules/context'
import { viewDestination } from './rules/destination'
import { RULES } from './rules/rules'
import {
  type CheckRequest,
  type CheckRequestInput,
  CheckRequestSchema,
  type CheckResult,
  type Reason,
  VERDICTS,
  type Verdict,
} from './schemas'

/** How many HS candidates are matched against the lists (the rest are shown, not matched). */
const MATCHED_CANDIDATES = 5
/** Candidates less likely than this are shown but not matched: they would only add noise to matches. */
const MIN_MATCH_SCORE = 0.05

const SEVERITY: Record<Verdict, number> = { clear: 0, review: 1, high_risk: 2, prohibited: 3 }
const RISK_BASE: Record<Verdict, number> = { clear: 5, review: 40, high_risk: 70, prohibited: 90 }

/** Validates raw input (from a CSV row, a queue message, the CLI) into a CheckRequest. */
export function parseCheckRequest(input: unknown, pointerPrefix = ''): CheckRequest {
  const parsed = CheckRequestSchema.safeParse(input)
  if (!parsed.success) {
    const details = issuesToFieldIssues(parsed.error.issues, pointerPrefix)
    throw new AppError(
      'INVALID_INPUT',
      details.map((d) => `${d.pointer || '/'}: ${d.message}`).join('; '),
      { details },
    )
  }
  return parsed.data
}

/**
 * Checks one shipment line.
 * Precondition: `request` passed `CheckRequestSchema` (use `parseCheckRequest` on raw input).
 * No side effects; the caller stores the result and gives it an id.
 */
export function checkGoods(engine: Engine, request: CheckRequest): CheckResult {
  const classification = engine.classifier.classify(request.description)
  const lists = engine.catalogue.lists.filter((l) => l.match === 'hs_prefix')
  const matches: MatchedEntry[] = []
  const best = new Map<string, MatchedEntry>()
  const consider = (m: MatchedEntry) => {
    const key = `${m.list_id}|${m.entry_code}`
    const existing = best.get(key)
    if (!existing || m.score > existing.score || (m.fromDeclaredCode && !existing.fromDeclaredCode))
      best.set(key, m)
  }

  classification.candidates.slice(0, MATCHED_CANDIDATES).forEach((candidate, rank) => {
    if (candidate.score < MIN_MATCH_SCORE) return
    for (const list of lists) {
      for (const entry of entriesCovering(list, candidate.hs6)) {
        consider({
          list_id: list.id,
          list_name: list.name,
          entry_code: entry.code,
          title: entry.title,
          tier: entry.tier,
          legal_status: list.legal_status,
          score: candidate.score,
          evidence: candidate.evidence,
          list,
          // A national line under the candidate (a CN8 entry under its HS-6) covers only part of it.
          partial: entry.partial || entry.code.length > 6,
          fromDeclaredCode: false,
          rank,
          explicit: candidate.explicit,
        })
      }
    }
  })

  const declared = request.hs_code ?? null
  if (declared) {
    for (const list of lists) {
      for (const entry of list.entries) {
        if (!declared.startsWith(entry.code) && !entry.code.startsWith(declared)) continue
        consider({
          list_id: list.id,
          list_name: list.name,
          entry_code: entry.code,
          title: entry.title,
          tier: entry.tier,
          legal_status: list.legal_status,
          score: 1,
          evidence: [`declared code ${declared}`],
          list,
          partial: entry.partial || entry.code.length > declared.length,
          fromDeclaredCode: true,
          rank: -1,
          explicit: false,
        })
      }
    }
  }
  if (request.regime === 'EU') {
    for (const m of engine.entryMatcher.match(request.description)) {
      const list = engine.catalogue.lists.find((l) => l.id === m.listId)!
      consider({
        list_id: list.id,
        list_name: list.name,
        entry_code: m.code,
        title: m.title,
        tier: null,
        legal_status: list.legal_status,
        score: 0.5,
        evidence: [`matched ${m.matched.map((w) => `"${w}"`).join(', ')} in the entry text`],
        list,
        partial: true,
        fromDeclaredCode: false,
        rank: -1,
        explicit: false,
      })
    }
  }
  matches.push(...best.values())
  matches.sort(
    (a, b) =>
      b.score - a.score ||
      a.list_id.localeCompare(b.list_id) ||
      a.entry_code.localeCompare(b.entry_code),
  )

  const destination = viewDestination(request, engine.groups)
  const ctx: RuleContext = {
    request,
    classification,
    matches,
    destination,
    groups: engine.groups,
    catalogue: engine.catalogue,
  }
  const reasons: Reason[] = []
  const obligations: string[] = []
  for (const rule of RULES) {
    for (const outcome of rule.apply(ctx)) {
      reasons.push({
        rule_id: rule.id,
        effect: outcome.effect,
        text: outcome.text,
        source: outcome.source,
      })
      for (const o of outcome.obligations ?? []) if (!obligations.includes(o)) obligations.push(o)
    }
  }
  const verdict = reasons.reduce<Verdict>(
    (v, r) => (SEVERITY[r.effect] > SEVERITY[v] ? r.effect : v),
    'clear',
  )
  const top = classification.candidates[0]
  if (reasons.length === 0) {
    reasons.push({
      rule_id: 'default.clear',
      effect: 'clear',
      text: top
        ? `No controlled list entry matched for this route. The goods read as ${top.hs6.slice(0, 4)}.${top.hs6.slice(4)} "${top.title}" (score ${top.score.toFixed(2)}).`
        : 'No controlled list entry matched, and the description matched no HS heading: describe the goods more fully to get a classification.',
      source: 'HS 2022 nomenclature; lists in versions',
    })
  }
  reasons.sort((a, b) => SEVERITY[b.effect] - SEVERITY[a.effect])

  const decisive = matches.filter((m) => m.list.regimes.includes(request.regime))
  const strength = decisive.length ? Math.max(...decisive.map((m) => m.score)) : (top?.score ?? 0)
  const risk_score = Math.min(
    100,
    Math.round(RISK_BASE[verdict] + (verdict === 'clear' ? 0 : 9 * strength)),
  )

  const declaredConsistent = declared
    ? classification.candidates.slice(0, 3).some((c) => c.hs6.slice(0, 4) === declared.slice(0, 4))
    : null

  return {
    reference: request.reference ?? null,
    verdict,
    risk_score,
    classification: {
      candidates: classification.candidates.map(({ hs6, title, score, evidence }) => ({
        hs6,
        title,
        score,
        evidence,
      })),
      declared_code: declared,
      declared_code_consistent: declaredConsistent,
    },
    matches: matches.map(
      ({ list: _l, partial: _p, fromDeclaredCode: _f, rank: _r, explicit: _e, ...m }) => m,
    ),
    destination: {
      country: destination.country,
      final_destination: destination.final_destination,
      transit: destination.transit,
      category: destination.category,
      note: destination.note,
    },
    reasons,
    obligations,
    versions: {
      engine: engine.versions.engine,
      lists: { ...engine.versions.lists, data: engine.versions.data },
    },
  }
}

/** Convenience for callers holding raw input: validate, then check. */
export function checkGoodsInput(engine: Engine, input: CheckRequestInput | unknown): CheckResult {
  return checkGoods(engine, parseCheckRequest(input))
}

// Per list: entries by the code prefix they are matched on (2, 4 or 6 digits; CN8 lines by their
// HS-6), built once per list object so a check does three map look-ups instead of scanning entries.
const prefixIndexes = new WeakMap<ControlList, Map<string, ListEntry[]>>()

function entriesCovering(list: ControlList, hs6: string): ListEntry[] {
  let byPrefix = prefixIndexes.get(list)
  if (!byPrefix) {
    byPrefix = new Map()
    for (const entry of list.entries) {
      const key = entry.code.length <= 6 ? entry.code : entry.code.slice(0, 6)
      const bucket = byPrefix.get(key) ?? []
      bucket.push(entry)
      byPrefix.set(key, bucket)
    }
    prefixIndexes.set(list, byPrefix)
  }
  const found: ListEntry[] = []
  for (const key of [hs6.slice(0, 2), hs6.slice(0, 4), hs6]) {
    for (const entry of byPrefix.get(key) ?? []) {
      // A six-digit key holds both the HS-6 entry and the CN8 lines under it; both cover the candidate.
      if (entry.code.length <= 6 ? hs6.startsWith(entry.code) : entry.code.startsWith(hs6))
        found.push(entry)
    }
  }
  return found
}

export { VERDICTS }
