/**
 * @module check-goods
 * The check verb: description + route → verdict, risk score, classification, list matches, reasons,
 * obligations and versions (DESIGN §2, §4). Pure and synchronous: same input and versions, same output.
 */
import { declaredCodeConsistent } from './classify/classifier'
import type { Engine } from './engine'
import { AppError, issuesToFieldIssues } from './errors'
import type { CheckContext } from './lists/compile-context'
import {
  belowChpMinimum,
  contextRules,
  matchOwnLists,
  type SuppressionOutcome,
  suppressionFor,
  suppressionReasons,
} from './lists/screen-with-context'
import { matchLists } from './match-lists'
import { type Applicability, applicability } from './rules/applicability'
import type { MatchedEntry, RuleContext } from './rules/context'
import { defaultClearReason } from './rules/default-clear'
import { viewDestination } from './rules/destination'
import { isPossibleReading, RULES } from './rules/rules'
import {
  type CheckRequest,
  type CheckRequestInput,
  CheckRequestSchema,
  type CheckResult,
  type ListMatch,
  type Reason,
  type ReasonEffect,
  VERDICTS,
  type Verdict,
} from './schemas'

/**
 * Candidates and evidence lines shown in a result: the rules read all the classifier's candidates, a
 * person needs the first few (and results are stored and sent per check, so size matters).
 */
const SHOWN_CANDIDATES = 5
const SHOWN_EVIDENCE = 2

const SEVERITY: Record<Verdict, number> = { clear: 0, review: 1, high_risk: 2, prohibited: 3 }
const RISK_BASE: Record<Verdict, number> = { clear: 5, review: 40, high_risk: 70, prohibited: 90 }

function effectOrder(effect: ReasonEffect): number {
  return effect === 'info' ? -1 : SEVERITY[effect]
}

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
 * What the rules see for one line before any tenant context: its reading, every list match, and the
 * destination's groups. `checkGoods` starts from it; the benches that explain verdicts
 * (bench/false-alarm-classes.ts, bench/verdict-tradeoff.ts) read the same context.
 */
export function ruleContextFor(engine: Engine, request: CheckRequest): RuleContext {
  // The reading depends on the description alone; a repeated one comes from the engine's cache,
  // frozen (classify/classification-cache.ts). Everything below is per row.
  const classification = engine.classifications.classify(request.description)
  return {
    request,
    classification,
    matches: matchLists(engine, request, classification),
    destination: viewDestination(request, engine.groups),
    groups: engine.groups,
    catalogue: engine.catalogue,
  }
}

/**
 * Checks one shipment line.
 * Precondition: `request` passed `CheckRequestSchema` (use `parseCheckRequest` on raw input).
 * With `context` (issue 12), the tenant's own lists, settings and suppressions take part and the
 * result records their versions; without it the check is exactly today's. Pass the engine that
 * `compileContext` returned with the context (it carries the operator's list versions in effect).
 * No side effects; the caller stores the result and gives it an id.
 */
export function checkGoods(
  engine: Engine,
  request: CheckRequest,
  context?: CheckContext,
): CheckResult {
  const ctx = ruleContextFor(engine, request)
  const { classification, destination } = ctx
  let matches = ctx.matches
  // With a context, the rules see only the matches that may decide: not suppressed, not below the
  // tenant's thresholds. Every match is still shown, with why it did not decide.
  let shown: { m: MatchedEntry; why?: string; suppressedBy?: string }[] | null = null
  let settled: { m: MatchedEntry; outcome: SuppressionOutcome }[] = []
  if (context) {
    const minChp = context.settings.min_chp_match_score
    matches = [
      ...matches.filter((m) => !belowChpMinimum(m, minChp)),
      ...matchOwnLists(context.lists, request, classification),
    ].sort(
      (a, b) =>
        b.score - a.score ||
        a.list_id.localeCompare(b.list_id) ||
        a.entry_code.localeCompare(b.entry_code),
    )
    const top = classification.candidates[0]?.score ?? 0
    shown = []
    const deciding: MatchedEntry[] = []
    for (const m of matches) {
      const outcome = suppressionFor(context, request, classification, m, applicability(ctx, m))
      if (outcome) settled.push({ m, outcome })
      if (outcome?.kind === 'suppressed') {
        shown.push({
          m,
          why: `Suppressed by ${outcome.by.id}: ${outcome.by.reason}`,
          suppressedBy: outcome.by.id,
        })
      } else if (!context.settings.weak_matches_raise_review && isPossibleReading(m, top)) {
        shown.push({
          m,
          why: 'A weak reading (not the clear first one): this tenant’s settings do not let weak matches raise review.',
        })
      } else {
        shown.push({ m })
        deciding.push(m)
      }
    }
    ctx.matches = deciding
  }
  const reasons: Reason[] = []
  const obligations: string[] = []
  for (const rule of context ? [...RULES, ...contextRules(context)] : RULES) {
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
  if (context) {
    // The tenant's own rule for an unreadable line replaces the "may stay clear" note.
    if (reasons.some((r) => r.rule_id === 'settings.unreadable_country'))
      reasons.splice(
        0,
        reasons.length,
        ...reasons.filter(
          (r) => !(r.rule_id === 'classification.unreadable' && r.effect === 'info'),
        ),
      )
    reasons.push(...suppressionReasons(settled))
    settled = []
  }
  const verdict = reasons.reduce<Verdict>(
    (v, r) => (r.effect !== 'info' && SEVERITY[r.effect] > SEVERITY[v] ? r.effect : v),
    'clear',
  )
  const applies = ctx.matches.map((m) => applicability(ctx, m))
  if (!reasons.some((r) => r.effect !== 'info')) {
    reasons.push({ rule_id: 'default.clear', ...defaultClearReason(ctx, applies) })
  }
  // Informative reasons last: they explain what did not decide.
  reasons.sort((a, b) => effectOrder(b.effect) - effectOrder(a.effect))

  const top = classification.candidates[0]
  const decisive = ctx.matches.filter((_, i) => applies[i]!.applies)
  const strength = decisive.length ? Math.max(...decisive.map((m) => m.score)) : (top?.score ?? 0)
  const risk_score = Math.min(
    100,
    Math.round(RISK_BASE[verdict] + (verdict === 'clear' ? 0 : 9 * strength)),
  )

  const declared = request.hs_code ?? null
  const declaredConsistent = declared
    ? declaredCodeConsistent(classification.candidates, declared)
    : null

  const showMatch = (m: MatchedEntry, a: Applicability, suppressedBy?: string) => {
    const { list: _l, partial: _p, fromDeclaredCode: _f, rank: _r, explicit: _e, ...rest } = m
    const out: ListMatch = {
      ...rest,
      applies: a.applies,
      why_not_applied: a.applies ? null : a.because,
    }
    if (suppressedBy) out.suppressed_by = suppressedBy
    return out
  }

  return {
    reference: request.reference ?? null,
    verdict,
    risk_score,
    classification: {
      candidates: classification.candidates
        .slice(0, SHOWN_CANDIDATES)
        .map(({ hs6, title, score, evidence }) => ({
          hs6,
          title,
          score,
          evidence: evidence.slice(0, SHOWN_EVIDENCE),
        })),
      confidence: classification.confidence,
      declared_code: declared,
      declared_code_consistent: declaredConsistent,
    },
    matches: shown
      ? shown.map(({ m, why, suppressedBy }) =>
          showMatch(
            m,
            why ? { applies: false, because: why } : applicability(ctx, m),
            suppressedBy,
          ),
        )
      : ctx.matches.map((m, i) => showMatch(m, applies[i]!)),
    destination: {
      country: destination.country,
      final_destination: destination.final_destination,
      transit: destination.transit,
      category: destination.category,
      note: destination.note,
    },
    reasons,
    obligations,
    versions: context
      ? {
          engine: engine.versions.engine,
          lists: {
            ...engine.versions.lists,
            data: engine.versions.data,
            ...Object.fromEntries(context.lists.map((l) => [l.id, l.version])),
          },
          settings: context.settingsDigest,
        }
      : {
          engine: engine.versions.engine,
          lists: { ...engine.versions.lists, data: engine.versions.data },
        },
  }
}

/** Convenience for callers holding raw input: validate, then check. */
export function checkGoodsInput(engine: Engine, input: CheckRequestInput | unknown): CheckResult {
  return checkGoods(engine, parseCheckRequest(input))
}

export { VERDICTS }
