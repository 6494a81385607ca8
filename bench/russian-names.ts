/**
 * Everyday Russian trade names smoke bench (BENCHMARKS.md step 49): how the engine reads the short
 * Russian names exporters type, a noun and its adjective ("стеклянная ваза", "кольцо золотое", "сыр
 * твердый"), most of them naming a material.
 *
 * bench/russian-names.jsonl was WRITTEN BY THE TEAM from general knowledge, for smoke testing; its
 * labels were read from the HS 2022 heading texts of the catalogue. It is not an evaluation set of
 * record (not in eval/, no acceptance figure): the EEC sets are classification decisions of technical
 * goods, so they hardly hold such names, and this set shows whether they are read.
 *
 * Every name is checked with destination RU and regime KZ, as `npm run eval` does. Printed: HS-4 top-1
 * and the names whose verdict is not clear (to RU a CHP heading's, as ball bearings 8482, should be;
 * any other is a false alarm).
 *
 *   npx tsx bench/russian-names.ts [--lines]   --lines prints every name with its reading
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'

const SET = fileURLToPath(new URL('./russian-names.jsonl', import.meta.url))
const CATALOGUE = fileURLToPath(new URL('../data/build/catalogue.json', import.meta.url))
const showLines = process.argv.includes('--lines')

type Name = { id: string; description: string; hs4: string }

const names: Name[] = readFileSync(SET, 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.includes('"_comment"'))
  .map((l) => JSON.parse(l) as Name)
const engine = createEngine(JSON.parse(readFileSync(CATALOGUE, 'utf8')))

let right = 0
const notClear: string[] = []
for (const n of names) {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: n.description, destination: 'RU', regime: 'KZ' }),
  )
  const top = result.classification.candidates[0]?.hs6 ?? '-'
  const ok = top.slice(0, 4) === n.hs4
  if (ok) right++
  if (result.verdict !== 'clear')
    notClear.push(`${n.id} ${result.verdict} (${top}) | ${n.description}`)
  if (showLines)
    console.log(
      `${ok ? 'ok ' : 'bad'} ${n.id} ${n.hs4} got ${top} ${result.verdict} | ${n.description}`,
    )
}
const pct = (k: number) => `${((100 * k) / names.length).toFixed(1)} %`
console.log(
  `Everyday Russian names (team-written smoke set, not an evaluation set), destination RU, regime KZ`,
)
console.log(
  `names ${names.length}: HS-4 top-1 ${pct(right)} (${right}), not clear ${notClear.length}`,
)
for (const line of notClear) console.log(`  ${line}`)
