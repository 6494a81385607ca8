/**
 * Classifier bench: the engine's in-process classifier (`engine.classifier.classify`) beside a naive
 * Fuse.js baseline (`new Fuse(titles)` with default options over the 5,612 HS 2022 subheading titles
 * of the artifact) over the same rows, the descriptions of eval/dev.jsonl, in one process.
 * Reports rows/s (ours: median of 5 runs, each ≥ 5 s; Fuse: one pass over every row, which at about
 * a second a row already takes minutes) and, for context, HS-6 / HS-4 top-1 on the same rows.
 *
 *   npm run -s bench:classifier [-- --runs 5 --seconds 5 --fuse-rows 191]
 */
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Fuse from 'fuse.js'
import { createEngine } from '../src/core/engine'
import { readCatalogue } from '../src/runtime/catalogue-file'

const DEV_SET = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url))

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    'fuse-rows': { type: 'string' },
  },
})

type Row = { description: string; hs6: string }
const rows: Row[] = readFileSync(DEV_SET, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => {
    const r = JSON.parse(l) as { description: string; hs6: string; hs6_hs2022?: string }
    return { description: r.description, hs6: r.hs6_hs2022 ?? r.hs6 }
  })

console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
const t0 = performance.now()
const catalogue = readCatalogue()
const engine = createEngine(catalogue)
console.log(
  `engine built in ${((performance.now() - t0) / 1000).toFixed(2)} s; ${rows.length} rows`,
)

// Ours: accuracy from one pass, speed from repeated passes (the first pass warms the JIT and caches).
const top1 = (predict: (d: string) => string | undefined, subset: Row[]) => {
  let hs6 = 0
  let hs4 = 0
  for (const r of subset) {
    const p = predict(r.description) ?? ''
    if (p === r.hs6) hs6++
    if (p.slice(0, 4) === r.hs6.slice(0, 4)) hs4++
  }
  return { hs6: hs6 / subset.length, hs4: hs4 / subset.length }
}
const ours = top1((d) => engine.classifier.classify(d).candidates[0]?.hs6, rows)
const rates: number[] = []
for (let run = 0; run < Number(values.runs); run++) {
  let n = 0
  const start = performance.now()
  while (performance.now() - start < Number(values.seconds) * 1000) {
    for (const r of rows) engine.classifier.classify(r.description)
    n += rows.length
  }
  rates.push(n / ((performance.now() - start) / 1000))
}
rates.sort((a, b) => a - b)
const oursRate = rates[Math.floor(rates.length / 2)]!
console.log(
  `engine classifier: median ${oursRate.toFixed(0)} rows/s over ${rates.length} runs (${rates.map((r) => r.toFixed(0)).join(', ')}); HS-6 top-1 ${pct(ours.hs6)}, HS-4 top-1 ${pct(ours.hs4)}`,
)

// Baseline: what "just use fuse.js" gives.
const subheadings = catalogue.hs.filter((h) => h.level === 'subheading')
const fuse = new Fuse(subheadings.map((h) => h.title))
const fuseRows = rows.slice(0, Number(values['fuse-rows'] ?? rows.length))
const fuseStart = performance.now()
const baseline = top1((d) => {
  const hit = fuse.search(d, { limit: 1 })[0]
  return hit ? subheadings[hit.refIndex]?.code : undefined
}, fuseRows)
const fuseRate = fuseRows.length / ((performance.now() - fuseStart) / 1000)
console.log(
  `fuse.js baseline: ${fuseRate.toFixed(2)} rows/s over ${fuseRows.length} rows (one pass); HS-6 top-1 ${pct(baseline.hs6)}, HS-4 top-1 ${pct(baseline.hs4)}`,
)
console.log(
  `ratio: the engine classifier is ${(oursRate / fuseRate).toFixed(0)}× the rows/s of the baseline`,
)
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`
}
