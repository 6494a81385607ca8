/**
 * The CHP recall / false-alarm trade-off of the two verdict thresholds, on every labelled set: the
 * unreadable threshold (`MIN_READABLE_CONFIDENCE`, rules/unreadable.ts) and the CHP review chance
 * (`CHP_REVIEW_CHANCE`, rules/rules.ts). Each row is checked once (destination RU, regime KZ, as
 * `npm run eval`); the verdict at other thresholds is replayed from the same reading: a row is not
 * clear when a rule other than those two says so, when the line has no candidate, when its reading is
 * weak at U (`readingIsWeak` with U in place of the threshold), or when it has a CHP match, none
 * strong, and `chpChance` ≥ T. At the thresholds in force the replay must equal the verdicts (checked).
 * Then `chpChance` in bands against how often those goods were CHP goods (all sets pooled), and the
 * non-clear verdicts by the rules that set them. Aggregate counts only: no row is printed, so the
 * checking sets may be run (eval/README.md).
 *
 *   npx tsx bench/verdict-tradeoff.ts [FILE...]     (default: every eval/*.jsonl but dev.jsonl)
 */
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkAsEvaluated, chpGoodsOf, evalSetFiles, readEvalRows } from '../scripts/eval-rows'
import { createEngine } from '../src/core/engine'
import { CHP_REVIEW_CHANCE, chpChance, isStrong } from '../src/core/rules/rules'
import { MIN_READABLE_CONFIDENCE } from '../src/core/rules/unreadable'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const evalDir = join(root, 'eval')
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const files = named.length ? named : evalSetFiles(evalDir)

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data/build/catalogue.json'), 'utf8')),
)

const U_POINTS = [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2]
const T_POINTS = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3]
const CHANCE_BANDS = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.01]

/** What the replay needs of one checked row. */
type Reading = {
  onChp: boolean
  /** Not clear by a rule other than the two replayed. */
  otherRule: boolean
  noCandidate: boolean
  /** The reading could be weak: a candidate without explicit evidence (then only its confidence decides). */
  confidenceDecides: boolean
  confidence: number
  /** A CHP match and none strong: the chance rule can review it. */
  chanceDecides: boolean
  chance: number
  flaggedNow: boolean
}

const pooledChance = CHANCE_BANDS.slice(0, -1).map(() => ({ rows: 0, chpGoods: 0 }))
let replayMismatches = 0
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}` : '–')

for (const file of files) {
  const set = basename(file, '.jsonl')
  const rows = readEvalRows(file)
  const chpGoods = chpGoodsOf(engine.catalogue, rows)
  const readings: Reading[] = []
  const falseAlarmRules = new Map<string, number>()
  const caughtRules = new Map<string, number>()
  for (const row of rows) {
    const { result, ctx } = checkAsEvaluated(engine, row.description)
    const { classification } = ctx
    const chpMatches = ctx.matches.filter((m) => m.list_id === 'chp')
    const deciding = result.reasons.filter(
      (r) => r.effect !== 'info' && r.rule_id !== 'default.clear',
    )
    const onChp = chpGoods.isChp(row)
    const top = classification.candidates[0]
    const reading: Reading = {
      onChp,
      otherRule: deciding.some(
        (r) => r.rule_id !== 'classification.unreadable' && r.rule_id !== 'chp.weak_match',
      ),
      noCandidate: !top,
      confidenceDecides: !!top && !top.explicit && classification.explicit.length === 0,
      confidence: classification.confidence,
      chanceDecides: chpMatches.length > 0 && !chpMatches.some(isStrong),
      chance: chpChance(ctx),
      flaggedNow: result.verdict !== 'clear',
    }
    readings.push(reading)
    if (reading.chanceDecides) {
      const band = CHANCE_BANDS.findIndex(
        (lo, i) => reading.chance >= lo && reading.chance < CHANCE_BANDS[i + 1]!,
      )
      pooledChance[band]!.rows++
      if (onChp) pooledChance[band]!.chpGoods++
    }
    if (reading.flaggedNow) {
      const key = [...new Set(deciding.map((r) => r.rule_id))].sort().join(' + ')
      const tally = onChp ? caughtRules : falseAlarmRules
      tally.set(key, (tally.get(key) ?? 0) + 1)
    }
  }
  const flagged = (r: Reading, u: number, t: number) =>
    r.otherRule ||
    r.noCandidate ||
    (r.confidenceDecides && r.confidence < u) ||
    (r.chanceDecides && r.chance >= t)
  replayMismatches += readings.filter(
    (r) => flagged(r, MIN_READABLE_CONFIDENCE, CHP_REVIEW_CHANCE) !== r.flaggedNow,
  ).length
  const chpRows = readings.filter((r) => r.onChp).length
  const otherRows = readings.length - chpRows
  const point = (u: number, t: number) => {
    const caught = readings.filter((r) => r.onChp && flagged(r, u, t)).length
    const alarms = readings.filter((r) => !r.onChp && flagged(r, u, t)).length
    return `${pct(caught, chpRows)}/${pct(alarms, otherRows)}`
  }
  console.log(
    `\n${set} (${chpRows} CHP${chpGoods.basis === 'hs6' ? '' : ' (h)'}, ${otherRows} other rows; CHP recall / false alarms, %)`,
  )
  console.log(
    `  U (T ${CHP_REVIEW_CHANCE}): ${U_POINTS.map((u) => `${u}: ${point(u, CHP_REVIEW_CHANCE)}`).join('  ')}`,
  )
  console.log(
    `  T (U ${MIN_READABLE_CONFIDENCE}): ${T_POINTS.map((t) => `${t}: ${point(MIN_READABLE_CONFIDENCE, t)}`).join('  ')}`,
  )
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join('; ') || 'none'
  console.log(`  false alarms by rule: ${list(falseAlarmRules)}`)
  console.log(`  CHP rows caught by rule: ${list(caughtRules)}`)
}

console.log(
  '\nchpChance against CHP goods, rows with a CHP match and none strong, all sets pooled:',
)
for (const [i, b] of pooledChance.entries())
  console.log(
    `  ${CHANCE_BANDS[i]}–${Math.min(1, CHANCE_BANDS[i + 1]!)}: ${b.chpGoods} CHP goods of ${b.rows}`,
  )
console.log(`\nreplay at the thresholds in force: ${replayMismatches} verdicts differ (must be 0)`)
if (replayMismatches) process.exitCode = 1
