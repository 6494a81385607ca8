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
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'
import { readCatalogue } from '../../src/runtime/catalogue-file'
import { type HeadingModelOptions, trainHeadingModel } from './model'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    variants: { type: 'string', default: '[{}]' },
    /** Hold out the exact texts only, leaving their longer siblings ("bulk double cream") in. */
    loose: { type: 'boolean', default: false },
  },
})

type Held = { text: string; heading: string; source: 'search' | 'example'; half: 'tune' | 'check' }

const key = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase()
const readCsv = (relative: string): Record<string, string>[] =>
  parse(readFileSync(join(root, 'data', relative), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })

/** mulberry32: a small seeded generator, so the sample is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sample<T>(items: T[], n: number, random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy.slice(0, n)
}

const searchRows = readCsv('vocab/uk_hmrc_search_references.csv').map((r) => ({
  text: r.term ?? '',
  code: r.hs6 ?? '',
  source: 'search' as const,
}))
const exampleRows = readCsv('vocab/uk_hmrc_classification_examples.csv')
  .filter((r) => r.kind !== 'brand')
  .map((r) => ({ text: r.text ?? '', code: r.code ?? '', source: 'example' as const }))

// Every heading each text is filed under, over both files: a text under two headings has no one gold.
const headingsOf = new Map<string, Set<string>>()
for (const r of [...searchRows, ...exampleRows]) {
  const k = key(r.text)
  headingsOf.set(k, (headingsOf.get(k) ?? new Set()).add(r.code.slice(0, 4)))
}
const typedLike = (text: string) => {
  const words = key(text).split(' ')
  return words.length >= 1 && words.length <= 4 && !/[,()[\];:]/.test(text) && /[a-z]/i.test(text)
}
function pool(rows: { text: string; code: string; source: Held['source'] }[]) {
  const byKey = new Map<string, (typeof rows)[number]>()
  for (const r of rows) {
    const k = key(r.text)
    if (typedLike(r.text) && headingsOf.get(k)!.size === 1 && !byKey.has(k)) byKey.set(k, r)
  }
  return [...byKey.values()]
}

const size = Number(values.size)
const random = seeded(Number(values.seed))
const searchPool = pool(searchRows)
const examplePool = pool(exampleRows).filter(
  (r) => !searchPool.some((s) => key(s.text) === key(r.text)),
)
const held: Held[] = [
  ...sample(searchPool, Math.floor(size / 2), random),
  ...sample(examplePool, size - Math.floor(size / 2), random),
].map((r) => ({
  text: r.text.replace(/\s+/g, ' ').trim(),
  heading: r.code.slice(0, 4),
  source: r.source,
  half: createHash('sha256').update(key(r.text)).digest()[0]! % 2 === 0 ? 'tune' : 'check',
}))
const heldKeys = new Set(held.map((h) => key(h.text)))

const catalogue = readCatalogue()
const TRADE_SOURCES = new Set(['uk_search_reference', 'uk_classification_example', 'synonym'])
const wordsOf = (text: string) =>
  new Set((key(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/(?<=..)(?:es|s)$/, '')))
const heldWords = held.map((h) => [...wordsOf(h.text)])
/** A trade-term line that says the held-out line and more: the sibling a machine wrote beside it. */
const nearCopy = (text: string): boolean => {
  const words = wordsOf(text)
  return heldWords.some((hw) => hw.length > 0 && hw.every((w) => words.has(w)))
}
const vocab = catalogue.vocab.filter(
  (line) =>
    !heldKeys.has(key(line.text)) &&
    !(!values.loose && TRADE_SOURCES.has(line.source) && nearCopy(line.text)),
)
const removed = catalogue.vocab.length - vocab.length

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
          const s = nb[i]!
          let max = -Infinity
          for (const v of s) if (v > max) max = v
          let best = '',
            bestScore = -Infinity
          for (let k = 0; k < s.length; k++) {
            const h = model.headings[k]!
            const score = Math.log((r.share.get(h) ?? 0) + eps) + w * (s[k]! - max)
            if (score > bestScore) {
              bestScore = score
              best = h
            }
          }
          if (best === r.heading) right++
        }
        grid.push(`w${w}/e${eps}:${pct(right, idx.length)}`)
      }
    // Near ties: among the headings whose share is at least r × the first's, the model picks.
    for (const r of [0.5, 0.7, 0.9]) {
      let right = 0
      const subset = idx.map((i) => rows[i]!)
      const scoresOf = (j: number) => nb[idx[j]!]
      subset.forEach((row, j) => {
        const s = scoresOf(j)
        let best = row.first
        if (s && row.first) {
          const top = row.share.get(row.first)!
          let bestScore = Number.NEGATIVE_INFINITY
          model.headings.forEach((h, k) => {
            if ((row.share.get(h) ?? 0) >= r * top && s[k]! > bestScore) {
              bestScore = s[k]!
              best = h
            }
          })
        }
        if (best === row.heading) right++
      })
      grid.push(`ties>=${r}:${((100 * right) / subset.length).toFixed(1)}`)
    }
    out.push(`    ${grid.join(' ')}`)
  }
  console.log(out.join('\n'))
}
