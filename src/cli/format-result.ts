/**
 * @module cli/format-result
 * A check result as text a compliance officer reads in a terminal: verdict first, then the evidence
 * it rests on (classification, list matches, route), the reasons with their sources, and versions.
 */
import { countryName } from '../core/countries'
import type { CheckResult } from '../core/schemas'

/** How many HS candidates and evidence lines a person needs to see; `--json` has them all. */
const SHOWN_CANDIDATES = 3
const SHOWN_EVIDENCE = 3

const VERDICT_LABEL: Record<CheckResult['verdict'], string> = {
  prohibited: 'PROHIBITED',
  high_risk: 'HIGH RISK',
  review: 'REVIEW',
  clear: 'CLEAR',
}

export function formatHs(code: string): string {
  return code.length > 4 ? `${code.slice(0, 4)}.${code.slice(4)}` : code
}

export function formatResult(description: string, result: CheckResult): string {
  const out: string[] = []
  const d = result.destination
  const route = [d.country, ...d.transit.filter((c) => c !== d.country)]
  if (d.final_destination !== route[route.length - 1]) route.push(d.final_destination)
  out.push(`${description}`)
  out.push(
    `  to ${route.map((c) => `${c} (${countryName(c)})`).join(' → ')}` +
      (result.reference ? `   reference ${result.reference}` : ''),
  )
  out.push('')
  out.push(`Verdict: ${VERDICT_LABEL[result.verdict]}   risk score ${result.risk_score}/100`)

  const confidence = result.classification.confidence
  out.push(
    '',
    confidence === undefined
      ? 'HS classification'
      : `HS classification   (first heading right in about ${Math.round(100 * confidence)} of 100 such readings)`,
  )
  const candidates = result.classification.candidates.slice(0, SHOWN_CANDIDATES)
  if (candidates.length === 0) out.push('  no HS heading matched the description')
  candidates.forEach((c, i) => {
    out.push(`  ${i + 1}. ${formatHs(c.hs6)}  ${c.title}  (score ${c.score.toFixed(2)})`)
    for (const e of c.evidence.slice(0, SHOWN_EVIDENCE)) out.push(`       · ${e}`)
  })
  const declared = result.classification.declared_code
  if (declared) {
    const consistent = result.classification.declared_code_consistent
    out.push(
      `  declared code ${formatHs(declared)}: ${consistent ? 'consistent with the description' : 'DISAGREES with the description'}`,
    )
  }

  out.push('', 'List matches')
  if (result.matches.length === 0) out.push('  none')
  for (const m of result.matches) {
    const tier = m.tier ? `  tier ${m.tier}` : ''
    // Why it does not decide is in the reasons (matches.not_applied). Results stored before `applies`
    // existed lack it: show nothing rather than guess.
    const role = m.applies === false ? '  informative, does not decide here' : ''
    out.push(
      `  ${m.list_id}  ${formatHs(m.entry_code)}  ${m.title}${tier}  [${m.legal_status}]  (score ${m.score.toFixed(2)})${role}`,
    )
    out.push(`       ${m.list_name}`)
  }

  out.push('', 'Destination')
  out.push(`  ${d.category}: ${d.note}`)

  out.push('', 'Reasons')
  for (const r of result.reasons) {
    out.push(`  [${r.effect}] ${r.rule_id}`)
    out.push(`       ${r.text}`)
    out.push(`       source: ${r.source}`)
  }

  if (result.obligations.length > 0) {
    out.push('', 'Obligations')
    for (const o of result.obligations) out.push(`  - ${o}`)
  }

  out.push('', 'Versions')
  out.push(`  engine ${result.versions.engine}`)
  for (const [id, version] of Object.entries(result.versions.lists)) out.push(`  ${id} ${version}`)
  return `${out.join('\n')}\n`
}
