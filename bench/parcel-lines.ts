/**
 * Parcel-line smoke bench: how the engine reads what senders type on postal customs declarations
 * (CN22/CN23: "2x t-shirts", "used clothing", "phone case", "детские игрушки", "gift").
 *
 * bench/parcel-lines.jsonl was WRITTEN BY THE TEAM from general knowledge of such declarations, for
 * smoke testing; its labels were read from the HS 2022 heading texts of the catalogue. It is not an
 * evaluation set of record (it is not in eval/, and no figure from it is an acceptance figure): it
 * shows whether everyday parcel goods are read, and read confidently enough not to be reviewed.
 *
 * Every line is checked with destination RU and regime KZ, as `npm run eval` does. Printed:
 *   HS-4 top-1      first candidate's heading is the label (strict) or one of the defensible ones
 *                   (`also`: material, knitted or not, another item of a multi-item line)
 *   not clear       lines of goods whose heading holds no CHP code and whose verdict is not clear
 *                   (the parcel false alarms); lines in a CHP heading are counted apart
 *   vague lines     lines that name no goods ("gift", "documents"): to RU they should be `review`
 *                   with a reason asking what the goods are; their verdicts are counted
 *   category lines  lines that name a kind of goods but no heading ("womens clothes", "snacks"):
 *                   no HS-4 label; their verdicts are counted
 *
 *   npx tsx bench/parcel-lines.ts [--lines]   --lines prints every line with its reading
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'

const SET = fileURLToPath(new URL('./parcel-lines.jsonl', import.meta.url))
const CATALOGUE = fileURLToPath(new URL('../data/build/catalogue.json', import.meta.url))
const showLines = process.argv.includes('--lines')

type Line = {
  id: string
  description: string
  hs4: string | null
  also: string[]
  kind: 'goods' | 'multi' | 'category' | 'vague'
  lang: 'en' | 'ru'
}

const lines: Line[] = readFileSync(SET, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l))
  .filter((r) => !('_comment' in r))

const engine = createEngine(JSON.parse(readFileSync(CATALOGUE, 'utf8')))
const chpHeadings = new Set(
  engine.catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code.slice(0, 4)),
)

type Tally = { rows: number; strict: number; accepted: number; other: number; notClear: number }
const tally = (): Tally => ({ rows: 0, strict: 0, accepted: 0, other: 0, notClear: 0 })
const byGroup = new Map<string, Tally>()
const unlabelledVerdicts = { vague: new Map<string, number>(), category: new Map<string, number>() }
const notClearLines: string[] = []

for (const line of lines) {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: line.description, destination: 'RU', regime: 'KZ' }),
  )
  const top = result.classification.candidates[0]?.hs6.slice(0, 4) ?? '-'
  const confidence = result.classification.confidence ?? 0
  if (showLines)
    console.log(
      `${line.id} ${line.kind.padEnd(5)} gold ${line.hs4 ?? '----'} got ${top} ${confidence.toFixed(2)} ${result.verdict.padEnd(9)} | ${line.description}`,
    )
  if (line.hs4 === null) {
    const verdicts = unlabelledVerdicts[line.kind === 'category' ? 'category' : 'vague']
    verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1)
    continue
  }
  for (const group of ['all', line.lang]) {
    const t = byGroup.get(group) ?? tally()
    byGroup.set(group, t)
    t.rows++
    if (top === line.hs4) t.strict++
    if (top === line.hs4 || line.also.includes(top)) t.accepted++
    if (!chpHeadings.has(line.hs4)) {
      t.other++
      if (result.verdict !== 'clear') {
        t.notClear++
        if (group === 'all')
          notClearLines.push(
            `  ${line.id} ${result.verdict} (${top}, confidence ${confidence.toFixed(2)}) | ${line.description}`,
          )
      }
    }
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a')
console.log(
  'Parcel lines (team-written smoke set, not an evaluation set), destination RU, regime KZ\n',
)
console.log('lines          rows  HS-4 top-1  HS-4 accepted  not clear (non-CHP heading)')
for (const [group, t] of byGroup)
  console.log(
    `${group.padEnd(13)} ${String(t.rows).padStart(5)}  ${pct(t.strict, t.rows).padStart(10)}  ${pct(t.accepted, t.rows).padStart(13)}  ${pct(t.notClear, t.other)} of ${t.other}`,
  )
const counted = (m: Map<string, number>) => [...m].map(([v, n]) => `${v} ${n}`).join(', ')
console.log(
  `\nvague lines (no goods named; should be review to RU): ${counted(unlabelledVerdicts.vague)}`,
)
console.log(`category lines (a kind of goods, no heading): ${counted(unlabelledVerdicts.category)}`)
if (notClearLines.length) console.log(`\nnot clear:\n${notClearLines.join('\n')}`)
