/**
 * @module check-goods
 * The check verb: description + route → verdict, risk score, classification, list matches, reasons,
 * obligations and versions (DESIGN §2, §4). Pure and synchronous: same input and versions, same output.
 */
import { declaredCodeConsistent } from './classify/classifier'
import type { Engine } from './engine'
import { AppError, issuesToFieldIssues } from './errors'
import { matchLists } from './match-lists'
import { applicability } from './rules/applicability'
import type { RuleContext } from './rules/context'
import { defaultClearReason } from './rules/default-clear'
import { viewDestination } from './rules/destination'
import { RULES } from './rules/rules'
import {
  type CheckRequest,
  type CheckRequestInput,
  CheckRequestSchema,
  type CheckResult,
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
 * Checks one shipment line.
 * Precondition: `request` passed `CheckRequestSchema` (use `parseCheckRequest` on raw input).
 * No side effects; the caller stores the result and gives it an id.
 */
export function checkGoods(engine: Engine, request: CheckRequest): CheckResult {
  const classification = engine.classifier.classify(request.description)
  const matches = matchLists(engine, request, classification)

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
    (v, r) => (r.effect !== 'info' && SEVERITY[r.effect] > SEVERITY[v] ? r.effect : v),
    'clear',
  )
  const applies = matches.map((m) => applicability(ctx, m))
  if (!reasons.some((r) => r.effect !== 'info')) {
    reasons.push({ rule_id: 'default.clear', ...defaultClearReason(ctx, applies) })
  }
  // Informative reasons last: they explain what did not decide.
  reasons.sort((a, b) => effectOrder(b.effect) - effectOrder(a.effect))

  const top = classification.candidates[0]
  const decisive = matches.filter((_, i) => applies[i]!.applies)
  const strength = decisive.length ? Math.max(...decisive.map((m) => m.score)) : (top?.score ?? 0)
  const risk_score = Math.min(
    100,
    Math.round(RISK_BASE[verdict] + (verdict === 'clear' ? 0 : 9 * strength)),
  )

  const declared = request.hs_code ?? null
  const declaredConsistent = declared
    ? declaredCodeConsistent(classification.candidates, declared)
    : null

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
    matches: matches.map(
      ({ list: _l, partial: _p, fromDeclaredCode: _f, rank: _r, explicit: _e, ...m }, i) => {
        const a = applies[i]!
        return { ...m, applies: a.applies, why_not_applied: a.applies ? null : a.because }
      },
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

export { VERDICTS }
