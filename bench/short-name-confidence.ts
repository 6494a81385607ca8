/**
 * EXPERIMENT (BENCHMARKS.md step 34, measured and dropped): fits `SHORT_NAME_MODEL`
 * (classify/confidence.ts), the confidence of a short name's reading (2–4 content words, no maker or
 * part number) on its first score, log text strength and the share of its words the first reading
 * leaves unexplained (`Classification.unexplained`). Rows: the short readings of the tuning sets of
 * scripts/calibrate.ts (eval/dev-tune, hsbench-descriptions) and of the pseudo-query tune half
 * (bench/pseudo-queries.ts, seed 7), the only short-name set we may fit on. Prints the fit and, per
 * band of the unexplained share, how often the heading was right against the model in force.
 * Aggregates only.
 *
 *   npx tsx bench/short-name-confidence.ts
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { goldHs4, readEvalRows } from '../scripts/eval-rows'
import { CONFIDENCE_MODEL as M } from '../src/core/classify/confidence'
import { createEngine, type Engine } from '../src/core/engine'
import { samplePseudoQueries } from './pseudo-query-sample'

const root = join(fileURLToPath(import.meta.url), '..', '..')
type Reading = { x: number[]; inForce: number; right: boolean }

function shortReadings(engine: Engine, rows: { description: string; gold: string }[]): Reading[] {
  const out: Reading[] = []
  for (const { description, gold } of rows) {
    const c = engine.classifier.classify(description)
    const top = c.candidates[0]
    if (!top || c.unexplained === undefined) continue
    const strength = Math.log1p(c.textStrength)
    out.push({
      x: [1, top.score, strength, c.unexplained],
      inForce: 1 / (1 + Math.exp(-(M.bias + M.score * top.score + M.logStrength * strength))),
      right: top.hs6.slice(0, 4) === gold,
    })
  }
  return out
}

/** Logistic regression by plain gradient descent, as scripts/calibrate.ts. */
function fitLogistic(readings: Reading[]): number[] {
  let w = [0, 0, 0, 0]
  for (let step = 0; step < 30_000; step++) {
    const grad = [0, 0, 0, 0]
    for (const r of readings) {
      const z = w.reduce((sum, wi, i) => sum + wi * r.x[i]!, 0)
      const e = 1 / (1 + Math.exp(-z)) - (r.right ? 1 : 0)
      for (let i = 0; i < 4; i++) grad[i]! += e * r.x[i]!
    }
    w = w.map((x, i) => x - (0.5 * grad[i]!) / readings.length)
  }
  return w
}

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data/build/catalogue.json'), 'utf8')),
)
const evalRows = (file: string) =>
  readEvalRows(join(root, 'eval', file)).map((r) => ({
    description: r.description,
    gold: goldHs4(r),
  }))
const tuning = [
  ...shortReadings(engine, evalRows('dev-tune.jsonl')),
  ...shortReadings(engine, evalRows('hsbench-descriptions.jsonl')),
]
const { held, catalogue, vocab } = samplePseudoQueries({ size: 1500, seed: 7, loose: false })
const pseudo = shortReadings(
  createEngine({ ...catalogue, vocab }),
  held.filter((h) => h.half === 'tune').map((h) => ({ description: h.text, gold: h.heading })),
)
const readings = [...tuning, ...pseudo]
const [bias, score, logStrength, unexplained] = fitLogistic(readings).map((x) => x.toFixed(3))
console.log(
  `// ${readings.length} short readings (${tuning.length} of the tuning sets, ${pseudo.length} pseudo-query tune)`,
)
console.log(
  `export const SHORT_NAME_MODEL = { bias: ${bias}, score: ${score}, logStrength: ${logStrength}, unexplained: ${unexplained} }`,
)
for (const [lo, hi] of [
  [0, 0.01],
  [0.01, 0.5],
  [0.5, 0.67],
  [0.67, 1.01],
] as const) {
  const band = readings.filter((r) => r.x[3]! >= lo && r.x[3]! < hi)
  const right = band.filter((r) => r.right).length
  const mean = band.reduce((sum, r) => sum + r.inForce, 0) / Math.max(1, band.length)
  console.log(
    `// unexplained ${lo}–${Math.min(1, hi)}: ${band.length} readings, ${((100 * right) / Math.max(1, band.length)).toFixed(0)} % right, model in force ${(100 * mean).toFixed(0)} %`,
  )
}
