/**
 * Where short names miss, by what a reader can see in the line, and how the CHP-heading lines are
 * read: aggregate counts only, so it may be run on the checking sets (eval/README.md). Each row is
 * checked as `npm run eval` checks it (destination RU, regime KZ).
 *
 * 1. HS-4 top-1 by the shape of the line: word count, a hyphen inside a word, a digit, a comma or
 *    bracket, the confidence band, whether the gold heading is among the first five headings read.
 * 2. The rows whose gold heading holds a CHP code (the "(h)" measure of HS-4-only sets), by verdict
 *    and how they were read: the first candidate's heading right, in the first three, or wrong;
 *    whether the first candidate is itself a CHP code; whether any candidate is (the CHP chance can
 *    review a line only then). A CHP-heading row cleared while read at its own heading with no CHP
 *    code among the candidates is not a misreading: the engine read a non-CHP sibling subheading.
 *
 *   npx tsx bench/short-name-shapes.ts [FILE...]     (default: eval/hsbench-names.jsonl)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkAsEvaluated, chpGoodsOf, goldHs4, readEvalRows } from '../scripts/eval-rows'
import { createEngine } from '../src/core/engine'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const files = named.length ? named : [join(root, 'eval/hsbench-names.jsonl')]
const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data/build/catalogue.json'), 'utf8')),
)
const chpCodes = new Set(
  engine.catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code),
)

type Tally = Map<string, { rows: number; right: number }>
const count = (tally: Tally, key: string, right: boolean) => {
  const t = tally.get(key) ?? { rows: 0, right: 0 }
  t.rows++
  if (right) t.right++
  tally.set(key, t)
}

for (const file of files) {
  const rows = readEvalRows(file)
  const chpGoods = chpGoodsOf(engine.catalogue, rows)
  const shapes: Tally = new Map()
  const chpReads = new Map<string, number>()
  for (const row of rows) {
    const { result, ctx } = checkAsEvaluated(engine, row.description)
    const { candidates, confidence } = ctx.classification
    const gold = goldHs4(row)
    const right = candidates[0]?.hs6.slice(0, 4) === gold
    const headings = [...new Set(candidates.map((c) => c.hs6.slice(0, 4)))]
    const words = row.description.trim().split(/\s+/).length
    count(shapes, `words ${words >= 5 ? '5+' : words}`, right)
    count(shapes, `hyphen in a word: ${/\p{L}-\p{L}/u.test(row.description) ? 'yes' : 'no'}`, right)
    count(shapes, `digit: ${/\d/.test(row.description) ? 'yes' : 'no'}`, right)
    count(shapes, `comma or bracket: ${/[,()[\]]/.test(row.description) ? 'yes' : 'no'}`, right)
    count(
      shapes,
      `confidence ${(Math.min(0.8, Math.floor(confidence * 5) / 5)).toFixed(1)}+`,
      right,
    )
    count(
      shapes,
      `gold heading in the first 5 read: ${headings.slice(0, 5).includes(gold) ? 'yes' : 'no'}`,
      right,
    )
    if (!chpGoods.isChp(row)) continue
    const read = right
      ? 'right heading'
      : headings.slice(0, 3).includes(gold)
        ? 'gold 2nd-3rd'
        : 'wrong heading'
    const key = [
      result.verdict === 'clear' ? 'clear    ' : 'not clear',
      read.padEnd(13),
      `first candidate CHP: ${candidates[0] && chpCodes.has(candidates[0].hs6) ? 'yes' : 'no '}`,
      `any candidate CHP: ${candidates.some((c) => chpCodes.has(c.hs6)) ? 'yes' : 'no '}`,
    ].join('  ')
    chpReads.set(key, (chpReads.get(key) ?? 0) + 1)
  }
  const name = file.split('/').pop()
  console.log(`\n${name}: ${rows.length} rows, HS-4 top-1 by shape`)
  for (const [key, t] of [...shapes].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(
      `  ${key.padEnd(40)} ${String(t.rows).padStart(5)} rows  ${((100 * t.right) / t.rows).toFixed(1).padStart(5)} %  misses ${t.rows - t.right}`,
    )
  const basis = chpGoodsOf(engine.catalogue, rows).basis === 'hs6' ? 'HS-6' : 'heading (h)'
  console.log(`${name}: CHP goods by ${basis}, how they were read`)
  for (const [key, n] of [...chpReads].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(`  ${String(n).padStart(4)}  ${key}`)
}
