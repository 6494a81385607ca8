/**
 * Fits the classifier's confidence model (src/core/classify/confidence.ts): over the tuning sets
 * (eval/dev-tune.jsonl, eval/hsbench-descriptions.jsonl), the chance that the first reading's heading is
 * right, as a logistic function of the first candidate's share of belief and of the strength of the
 * best text match (log BM25 units: a description that shares few words with any tariff line is read
 * less reliably however its candidates compare). Fitted by gradient descent on the log-loss. The
 * checking sets (dev-check, hsbench-names) are not read here: `npm run eval` judges the fit on them.
 *
 * Then, on the same sets, the reliability of the rules' chance that the goods are CHP goods
 * (`chpChance`, src/core/rules/rules.ts): rows in bands of that chance against the share whose gold HS-6
 * is on the CHP list. `CHP_REVIEW_CHANCE` is a cost threshold, not a fit; this table says whether the
 * chance it is compared with means what it says.
 *
 * Usage: npx tsx scripts/calibrate.ts   (prints the coefficients to paste into confidence.ts)
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'
import { matchLists } from '../src/core/match-lists'
import type { RuleContext } from '../src/core/rules/context'
import { CHP_REVIEW_CHANCE, chpChance } from '../src/core/rules/rules'
import { chpGoodsOf, goldHs4, readEvalRows } from './eval-rows'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const TUNING_SETS = ['dev-tune.jsonl', 'hsbench-descriptions.jsonl']

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8')),
)
type Reading = { score: number; strength: number; right: boolean }
const readings: Reading[] = []
/** The rules' CHP chance of each tuning row and whether its gold HS-6 is on the CHP list. */
const chances: { chance: number; chp: boolean }[] = []
for (const file of TUNING_SETS) {
  const rows = readEvalRows(join(root, 'eval', file))
  const chpGoods = chpGoodsOf(engine.catalogue, rows)
  for (const row of rows) {
    const gold = goldHs4(row)
    const c = engine.classifier.classify(row.description)
    const request = parseCheckRequest({
      description: row.description,
      destination: 'RU',
      regime: 'KZ',
    })
    const ctx = { classification: c, matches: matchLists(engine, request, c) } as RuleContext
    chances.push({
      chance: chpChance(ctx),
      chp: chpGoods.isChp(row),
    })
    const top = c.candidates[0]
    // Nothing read is not a reading to calibrate: the engine says so (confidence 0).
    if (!top) continue
    readings.push({
      score: top.score,
      strength: Math.log1p(c.textStrength),
      right: top.hs6.slice(0, 4) === gold,
    })
  }
}

// Logistic regression, three weights (bias, score, log strength), plain gradient descent.
let w = [0, 0, 0]
const rate = 0.5
for (let step = 0; step < 20_000; step++) {
  const grad = [0, 0, 0]
  for (const r of readings) {
    const p = 1 / (1 + Math.exp(-(w[0]! + w[1]! * r.score + w[2]! * r.strength)))
    const e = p - (r.right ? 1 : 0)
    grad[0]! += e
    grad[1]! += e * r.score
    grad[2]! += e * r.strength
  }
  w = w.map((x, i) => x - (rate * grad[i]!) / readings.length)
}
const right = readings.filter((r) => r.right).length
console.log(
  `// ${readings.length} readings of ${TUNING_SETS.join(', ')}, ${right} with the right heading`,
)
console.log(
  `export const CONFIDENCE_MODEL = { bias: ${w[0]!.toFixed(3)}, score: ${w[1]!.toFixed(3)}, logStrength: ${w[2]!.toFixed(3)} }`,
)

console.log(
  `\n// chpChance on the same rows (review at >= ${CHP_REVIEW_CHANCE}): band, rows, mean chance, CHP rows`,
)
const CHANCE_BANDS = [0, 0.05, 0.1, 0.2, 0.4, 0.7, 1.01]
for (let i = 0; i + 1 < CHANCE_BANDS.length; i++) {
  const lo = CHANCE_BANDS[i]!
  const band = chances.filter((x) => x.chance >= lo && x.chance < CHANCE_BANDS[i + 1]!)
  const mean = band.reduce((sum, x) => sum + x.chance, 0) / Math.max(1, band.length)
  console.log(
    `// ${lo.toFixed(2)}–${Math.min(1, CHANCE_BANDS[i + 1]!).toFixed(2)}  ${band.length}  ${mean.toFixed(2)}  ${band.filter((x) => x.chp).length}`,
  )
}
