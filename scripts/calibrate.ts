/**
 * Fits the classifier's confidence model (src/core/classify/confidence.ts): over the tuning sets
 * (eval/dev-tune.jsonl, eval/hsbench-descriptions.jsonl), the chance that the first reading's heading is
 * right, as a logistic function of the first candidate's share of belief and of the strength of the
 * best text match (log BM25 units: a description that shares few words with any tariff line is read
 * less reliably however its candidates compare). Fitted by gradient descent on the log-loss. The
 * checking sets (dev-check, hsbench-names) are not read here: `npm run eval` judges the fit on them.
 *
 * Usage: npx tsx scripts/calibrate.ts   (prints the coefficients to paste into confidence.ts)
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine } from '../src/core/engine'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const TUNING_SETS = ['dev-tune.jsonl', 'hsbench-descriptions.jsonl']

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8')),
)
type Reading = { score: number; strength: number; right: boolean }
const readings: Reading[] = []
for (const file of TUNING_SETS) {
  for (const line of readFileSync(join(root, 'eval', file), 'utf8').split('\n')) {
    if (!line.trim()) continue
    const row = JSON.parse(line) as { description: string; hs6_hs2022?: string; hs6?: string }
    const gold = (row.hs6_hs2022 ?? row.hs6 ?? '').slice(0, 4)
    const c = engine.classifier.classify(row.description)
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
