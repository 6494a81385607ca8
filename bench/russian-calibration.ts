/**
 * Reliability of the classifier's confidence on a set of (Russian) lines, and why its CHP goods are
 * cleared (BENCHMARKS.md step 62). Counts only, never a row, so it also runs on the checking and
 * held-out sets.
 *
 * Reads a smoke set (bench/russian-*.jsonl: `hs4`, `chp`) or an eval set (eval/*.jsonl: CHP goods by
 * gold HS-6, or by heading on heading-only sets, as `npm run eval` counts them). Every line is checked
 * as `npm run eval` checks it (destination RU, regime KZ). Printed:
 * - the confidence bands of `npm run eval` (rows, mean confidence, share with the right HS-4), and the
 *   expected calibration error over them;
 * - the CHP goods by why they are flagged or cleared: flagged; cleared with the wrong first heading;
 *   cleared with the right heading but no CHP match that names the goods; cleared with a CHP match that
 *   names the goods but a chance (`chpChance`) below `CHP_REVIEW_CHANCE`; cleared otherwise.
 *   "Right heading" is the first candidate's HS-4 against the gold one;
 * - how many cleared lines (CHP goods, the others) some confidence in [0, 1] would bring to review: what
 *   any recalibration of the confidence could gain or cost at most.
 *
 *   npx tsx bench/russian-calibration.ts file.jsonl [file.jsonl ...]
 */
import { resolve } from 'node:path'
import { checkAsEvaluated, chpGoodsOf, type EvalRow, goldHs4 } from '../scripts/eval-rows'
import type { RuleContext } from '../src/core/rules/context'
import { CHP_REVIEW_CHANCE, chpChance } from '../src/core/rules/rules'
import { readSmokeNames, smokeEngine } from './smoke-names'

type Row = EvalRow & { chp?: boolean }

/**
 * Whether some confidence would bring a cleared line to review: `chpChance` is linear in the confidence
 * between its two ends (the share of CHP codes in the first heading at 1, in the other headings at 0,
 * where no heading is settled), so its best is the larger end. No CHP match naming the goods, no chance.
 */
function reviewAtSomeConfidence(ctx: RuleContext): boolean {
  const at = (confidence: number) =>
    chpChance({ ...ctx, classification: { ...ctx.classification, confidence } })
  return Math.max(at(0), at(1)) >= CHP_REVIEW_CHANCE
}

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const { engine } = smokeEngine()
const BANDS = [0, 0.2, 0.4, 0.6, 0.8]

for (const file of files) {
  const rows = readSmokeNames<Row>(resolve(file))
  const chpGoods = chpGoodsOf(engine.catalogue, rows)
  // A smoke set that marks its CHP goods marks only those (`chp: true`); the rest are not CHP goods.
  const marksChp = rows.some((r) => r.chp !== undefined)
  const isChp = (r: Row) => (marksChp ? r.chp === true : chpGoods.isChp(r))
  const bands = BANDS.map(() => ({ rows: 0, confidence: 0, right: 0 }))
  let unread = 0
  const why = { flagged: 0, wrongHeading: 0, noNamingMatch: 0, lowChance: 0, other: 0 }
  /** Cleared wrong readings whose gold heading is among the candidates at all. */
  let goldAmongCandidates = 0
  /** Cleared right readings with no CHP match at all (the rest have one that does not name the goods). */
  let noChpMatch = 0
  /** Cleared lines that some confidence in [0, 1] would bring to review (CHP goods; the others). */
  const anyConfidence = { chp: 0, other: 0, otherCleared: 0 }
  const chpConfidence = { rows: 0, confidence: 0, right: 0 }
  for (const row of rows) {
    const { result, ctx } = checkAsEvaluated(engine, row.description)
    const top = result.classification.candidates[0]
    const right = top?.hs6.slice(0, 4) === goldHs4(row)
    const confidence = result.classification.confidence ?? 0
    if (!top) unread++
    else {
      const band = bands[Math.min(BANDS.length - 1, Math.floor(confidence / 0.2))]!
      band.rows++
      band.confidence += confidence
      if (right) band.right++
    }
    const reachable = result.verdict === 'clear' && reviewAtSomeConfidence(ctx)
    if (!isChp(row)) {
      if (result.verdict === 'clear') anyConfidence.otherCleared++
      if (reachable) anyConfidence.other++
      continue
    }
    if (reachable) anyConfidence.chp++
    chpConfidence.rows++
    chpConfidence.confidence += confidence
    if (right) chpConfidence.right++
    const chpMatches = ctx.matches.filter((m) => m.list_id === 'chp')
    if (result.verdict !== 'clear') why.flagged++
    else if (!right) {
      why.wrongHeading++
      const gold = goldHs4(row)
      if (result.classification.candidates.some((c) => c.hs6.startsWith(gold)))
        goldAmongCandidates++
    } else if (!chpMatches.some((m) => m.namesGoods)) {
      why.noNamingMatch++
      if (chpMatches.length === 0) noChpMatch++
    } else if (chpChance(ctx) < CHP_REVIEW_CHANCE) why.lowChance++
    else why.other++
  }
  const scored = bands.reduce((s, b) => s + b.rows, 0)
  const ece = bands.reduce((s, b) => s + Math.abs(b.confidence - b.right), 0) / Math.max(1, scored)
  console.log(`${file.split('/').pop()}: ${rows.length} rows, ${unread} not read`)
  bands.forEach((b, i) => {
    const hi = BANDS[i + 1] ?? 1
    const mean = b.rows ? (b.confidence / b.rows).toFixed(2) : '–'
    const share = b.rows ? `${((100 * b.right) / b.rows).toFixed(1)} %` : '–'
    console.log(
      `  confidence ${BANDS[i]!.toFixed(1)}–${hi.toFixed(1)}: ${b.rows} rows, mean ${mean}, HS-4 right ${share}`,
    )
  })
  console.log(`  ECE (HS-4) ${ece.toFixed(3)}`)
  const c = chpConfidence
  console.log(
    `  CHP goods ${c.rows}: mean confidence ${(c.confidence / Math.max(1, c.rows)).toFixed(2)}, HS-4 right ${c.right}; flagged ${why.flagged}, cleared: wrong heading ${why.wrongHeading} (gold heading among the candidates ${goldAmongCandidates}), right heading but no CHP match naming the goods ${why.noNamingMatch} (no CHP match at all ${noChpMatch}), chance < ${CHP_REVIEW_CHANCE} ${why.lowChance}, other ${why.other}`,
  )
  console.log(
    `  cleared lines some confidence in [0, 1] would review: CHP goods ${anyConfidence.chp} of ${c.rows - why.flagged}, other lines ${anyConfidence.other} of ${anyConfidence.otherCleared}`,
  )
}
