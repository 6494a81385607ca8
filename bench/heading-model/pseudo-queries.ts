/**
 * The learned heading model (./model.ts) on the pseudo-query bench: the same held-out trade terms as
 * bench/pseudo-queries.ts (same seed, size, strict hold-out; that file explains the sample), the model
 * trained on the catalogue minus the held-out lines. The engine reads each line once; then, per model
 * variant, the model's own HS-4 top-1 / top 5 / top 10 and the HS-4 top-1 of the interpolation
 * log(engine heading share + eps) + w · (model log-likelihood − its maximum) over a grid of w and eps,
 * per half. Figures and why the model was dropped: BENCHMARKS.md.
 *
 *   npx tsx bench/heading-model/pseudo-queries.ts [--seed 7] [--size 1500] --variants '[{}, {"alpha": 0.1}]'
 */
import { parseArgs } from 'node:util'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'
import { samplePseudoQueries } from '../pseudo-query-sample'
import {
  type HeadingModelOptions,
  interpolatedHeading,
  tieBrokenHeading,
  trainHeadingModel,
} from './model'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    variants: { type: 'string', default: '[{}]' },
    /** Hold out the exact texts only, leaving their longer siblings ("bulk double cream") in. */
    loose: { type: 'boolean', default: false },
  },
})

const { held, catalogue, vocab, removed } = samplePseudoQueries({
  size: Number(values.size),
  seed: Number(values.seed),
  loose: values.loose ?? false,
})

const engine = createEngine({ ...catalogue, vocab })
// Engine readings, once: per row the candidate headings' shares (best subheading's share).
const t0 = Date.now()
const rows = held.map((h) => {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: h.text, destination: 'RU', regime: 'KZ' }),
  )
  const share = new Map<string, number>()
  for (const c of result.classification.candidates) {
    const k = c.hs6.slice(0, 4)
    share.set(k, Math.max(share.get(k) ?? 0, c.score))
  }
  return { ...h, share, first: result.classification.candidates[0]?.hs6.slice(0, 4) }
})
console.log(`engine ${Date.now() - t0} ms; removed ${removed}`)
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}`
for (const variant of JSON.parse(values.variants!) as Partial<HeadingModelOptions>[]) {
  const t1 = Date.now()
  const model = trainHeadingModel(vocab, variant)
  const trainMs = Date.now() - t1
  const t2 = Date.now()
  const nb = rows.map((r) => model.scores(r.text) ?? new Float64Array(model.headings.length))
  const scoreMs = (Date.now() - t2) / rows.length
  const out: string[] = [
    `${JSON.stringify(variant)} features ${model.features} train ${trainMs} ms, ${scoreMs.toFixed(2)} ms/row`,
  ]
  for (const half of ['tune', 'check'] as const) {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]!.half === half)
    let eng = 0,
      nb1 = 0,
      nb5 = 0,
      nb10 = 0,
      untouchedNb = 0,
      untouched = 0
    for (const i of idx) {
      const r = rows[i]!
      const s = nb[i]!
      const order = [...s.keys()].sort((a, b) => s[b]! - s[a]!)
      const top = order.slice(0, 10).map((k) => model.headings[k]!)
      if (r.first === r.heading) eng++
      if (top[0] === r.heading) nb1++
      if (top.slice(0, 5).includes(r.heading)) nb5++
      if (top.includes(r.heading)) nb10++
      if (!r.share.has(r.heading)) {
        untouched++
        if (top[0] === r.heading) untouchedNb++
      }
    }
    out.push(
      `  ${half}: engine ${pct(eng, idx.length)} nb top1 ${pct(nb1, idx.length)} top5 ${pct(nb5, idx.length)} top10 ${pct(nb10, idx.length)}; gold not among engine cands ${untouched}, nb top1 there ${untouchedNb}`,
    )
    // Interpolation: log(engine share + eps) + w * (nb - max) / (words).
    const grid: string[] = []
    for (const w of [0.05, 0.1, 0.2, 0.3, 0.5, 1])
      for (const eps of [0.001, 0.01, 0.05]) {
        let right = 0
        for (const i of idx) {
          const r = rows[i]!
          if (interpolatedHeading(model, r.share, nb[i]!, w, eps) === r.heading) right++
        }
        grid.push(`w${w}/e${eps}:${pct(right, idx.length)}`)
      }
    // Near ties: among the headings whose share is at least r × the first's, the model picks.
    for (const r of [0.5, 0.7, 0.9]) {
      let right = 0
      for (const i of idx) {
        const row = rows[i]!
        if (tieBrokenHeading(model, row.share, row.first, nb[i], r) === row.heading) right++
      }
      grid.push(`ties>=${r}:${pct(right, idx.length)}`)
    }
    out.push(`    ${grid.join(' ')}`)
  }
  console.log(out.join('\n'))
}
