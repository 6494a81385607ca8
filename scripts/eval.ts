/**
 * Scores the engine on a labelled file (default ../shared/eval/dev.jsonl): every row is checked with
 * destination RU and regime KZ. Prints HS-6 top-1, HS-4 top-1, HS-6 in top 5, CHP recall (rows with
 * `on_chp_list` whose verdict is not clear), false-alarm rate (rows without it whose verdict is not
 * clear) and rows per second. `--misses` lists the rows whose heading was wrong.
 *
 * Usage: npm run eval [-- FILE] [-- --misses]
 * The only program allowed to read ../shared (the labelled data lives there, not in the product).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const showMisses = args.includes('--misses')
const file =
  args.find((a) => !a.startsWith('--')) ?? join(root, '..', 'shared', 'eval', 'dev.jsonl')
if (!existsSync(file)) {
  console.error(`eval: no such file ${file}`)
  process.exit(2)
}

type Row = {
  id?: string
  description: string
  hs6_hs2022?: string
  hs6?: string
  on_chp_list?: boolean
}
const rows: Row[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8')),
)
const chp = new Set(engine.catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code))

let hs6Top1 = 0
let hs4Top1 = 0
let hs6Top5 = 0
let chpRows = 0
let chpFlagged = 0
let otherRows = 0
let falseAlarms = 0
const misses: string[] = []
const started = performance.now()
for (const row of rows) {
  const gold = row.hs6_hs2022 ?? row.hs6 ?? ''
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: row.description, destination: 'RU', regime: 'KZ' }),
  )
  const candidates = result.classification.candidates
  const top = candidates[0]?.hs6 ?? ''
  if (top === gold) hs6Top1++
  if (top.slice(0, 4) === gold.slice(0, 4)) hs4Top1++
  else
    misses.push(
      `${row.id ?? ''} gold ${gold} got ${top || '-'} (${result.verdict}) | ${row.description.slice(0, 100)}`,
    )
  if (candidates.slice(0, 5).some((c) => c.hs6 === gold)) hs6Top5++
  const onChp = row.on_chp_list ?? chp.has(gold)
  if (onChp) {
    chpRows++
    if (result.verdict !== 'clear') chpFlagged++
  } else {
    otherRows++
    if (result.verdict !== 'clear') falseAlarms++
  }
}
const seconds = (performance.now() - started) / 1000
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a')

if (showMisses) console.log(misses.join('\n'))
console.log(`file            ${file}`)
console.log(`rows            ${rows.length} (${chpRows} CHP, ${otherRows} other)`)
console.log(`HS-6 top-1      ${pct(hs6Top1, rows.length)}`)
console.log(`HS-4 top-1      ${pct(hs4Top1, rows.length)}`)
console.log(`HS-6 in top 5   ${pct(hs6Top5, rows.length)}`)
console.log(`CHP recall      ${pct(chpFlagged, chpRows)}  (CHP rows not clear, to RU, regime KZ)`)
console.log(`false alarms    ${pct(falseAlarms, otherRows)}  (other rows not clear)`)
console.log(
  `rows/s          ${Math.round(rows.length / seconds)}  (single thread, engine built beforehand)`,
)
