/**
 * Aggregates only: how the learned heading model (./model.ts) and the line scores agree
 * on an evaluation set, and what their interpolation would score. Prints counts, never a row.
 *   ENM_WEIGHT=0 npx tsx bench/heading-model-agg.ts eval/hsbench-names.jsonl '[{}]'
 */
import { goldHs4, readEvalRows } from '../../scripts/eval-rows'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'
import { readCatalogue } from '../../src/runtime/catalogue-file'
import {
  type HeadingModelOptions,
  interpolatedHeading,
  tieBrokenHeading,
  trainHeadingModel,
} from './model'

const [file, variantsJson] = process.argv.slice(2)
const rows = readEvalRows(file!)
const catalogue = readCatalogue()
const engine = createEngine(catalogue)
const read = rows.map((r) => {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: r.description, destination: 'RU', regime: 'KZ' }),
  )
  const share = new Map<string, number>()
  for (const c of result.classification.candidates) {
    const k = c.hs6.slice(0, 4)
    share.set(k, (share.get(k) ?? 0) + c.score)
  }
  return {
    text: r.description,
    gold: goldHs4(r),
    share,
    first: result.classification.candidates[0]?.hs6.slice(0, 4),
  }
})
const pct = (a: number) => `${((100 * a) / read.length).toFixed(1)}`
for (const variant of JSON.parse(variantsJson ?? '[{}]') as Partial<HeadingModelOptions>[]) {
  const model = trainHeadingModel(catalogue.vocab, variant)
  let eng = 0,
    nb1 = 0,
    nb5 = 0,
    nbOnly = 0,
    engOnly = 0,
    goldUntouched = 0,
    nbOnUntouched = 0
  const nb = read.map((r) => model.scores(r.text))
  read.forEach((r, i) => {
    const s = nb[i]
    const top = s
      ? [...s.keys()]
          .sort((a, b) => s[b]! - s[a]!)
          .slice(0, 5)
          .map((k) => model.headings[k])
      : []
    const e = r.first === r.gold
    const n = top[0] === r.gold
    if (e) eng++
    if (n) nb1++
    if (top.includes(r.gold)) nb5++
    if (n && !e) nbOnly++
    if (e && !n) engOnly++
    if (!r.share.has(r.gold)) {
      goldUntouched++
      if (n) nbOnUntouched++
    }
  })
  const grid: string[] = []
  for (const w of [0.02, 0.05, 0.1, 0.2])
    for (const eps of [0.01, 0.05, 0.2]) {
      let right = 0
      read.forEach((r, i) => {
        const s = nb[i]
        const best = s ? interpolatedHeading(model, r.share, s, w, eps) : r.first
        if (best === r.gold) right++
      })
      grid.push(`w${w}/e${eps}:${pct(right)}`)
    }
  // Gated: the model only where the line scores are unsure (first share below t) or reached nothing.
  for (const t of [0.2, 0.35, 0.5, 0.7])
    for (const w of [0.05, 0.2, 0.5]) {
      let right = 0
      read.forEach((r, i) => {
        const s = nb[i]
        const top = r.first ? r.share.get(r.first)! : 0
        const best = !s || top >= t ? r.first : interpolatedHeading(model, r.share, s, w, 0.05)
        if (best === r.gold) right++
      })
      grid.push(`gate<${t} w${w}:${pct(right)}`)
    }
  // Near ties: among the headings whose share is at least r × the first's, the model picks.
  for (const r of [0.5, 0.7, 0.9]) {
    let right = 0
    read.forEach((row, j) => {
      if (tieBrokenHeading(model, row.share, row.first, nb[j], r) === row.gold) right++
    })
    grid.push(`ties>=${r}:${pct(right)}`)
  }
  console.log(
    `${JSON.stringify(variant)}: engine ${pct(eng)} nb ${pct(nb1)} nb top5 ${pct(nb5)}; nb right & engine wrong ${nbOnly}, engine right & nb wrong ${engOnly}; gold not among candidates ${goldUntouched} (nb right there ${nbOnUntouched})\n  ${grid.join(' ')}`,
  )
}
