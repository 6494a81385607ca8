/**
 * Everyday English trade names smoke bench (BENCHMARKS.md step 57): how the engine reads the short
 * English names exporters and brokers type ("needle roller bearing", "usb webcam", "rye flour",
 * "cotton t-shirt"), one to four words, over all HS sections.
 *
 * bench/english-names.jsonl was WRITTEN BY THE TEAM from general knowledge, for smoke testing; its
 * labels were read from the HS 2022 heading texts (data/hs/hs2022_nomenclature.csv). It is not an
 * evaluation set of record (not in eval/, no acceptance figure) and methods are tuned on it, so its
 * figure alone never justifies a change: hsbench-names and the pseudo-query check half judge.
 *
 * Every name is checked with destination RU and regime KZ, as `npm run eval` does. Printed, as the
 * hidden acceptance measures short names: HS-4 top-1; the names in a heading that holds a CHP code
 * (the "(h)" basis of `npm run eval`) that are not clear; the other names that are flagged (not clear).
 *
 *   npx tsx bench/english-names.ts [--lines]   --lines prints every name with its reading
 */
import { fileURLToPath } from 'node:url'
import { checkName, readSmokeNames, smokeEngine } from './smoke-names'

const SET = fileURLToPath(new URL('./english-names.jsonl', import.meta.url))
const showLines = process.argv.includes('--lines')

type Name = { id: string; description: string; hs4: string }

const names = readSmokeNames<Name>(SET)
const { engine, chpHeadings } = smokeEngine()

let right = 0
let chpNames = 0
let chpNotClear = 0
const chpClear: string[] = []
const otherFlagged: string[] = []
const misses: string[] = []
for (const n of names) {
  const { top, verdict } = checkName(engine, n.description)
  const ok = top.slice(0, 4) === n.hs4
  const chp = chpHeadings.has(n.hs4)
  const clear = verdict === 'clear'
  if (ok) right++
  else misses.push(`${n.id} ${n.hs4} got ${top} ${verdict} | ${n.description}`)
  if (chp) {
    chpNames++
    if (!clear) chpNotClear++
    else chpClear.push(`${n.id} ${n.hs4} got ${top} | ${n.description}`)
  } else if (!clear) otherFlagged.push(`${n.id} ${verdict} (${top}) | ${n.description}`)
  if (showLines)
    console.log(`${ok ? 'ok ' : 'bad'} ${n.id} ${n.hs4} got ${top} ${verdict} | ${n.description}`)
}
const pct = (k: number, of: number) => `${((100 * k) / Math.max(1, of)).toFixed(1)} %`
const others = names.length - chpNames
console.log(
  `Everyday English names (team-written smoke set, not an evaluation set), destination RU, regime KZ`,
)
console.log(
  `names ${names.length}: HS-4 top-1 ${pct(right, names.length)} (${right}); CHP-heading names not clear ${pct(chpNotClear, chpNames)} of ${chpNames}; other names flagged ${pct(otherFlagged.length, others)} of ${others}`,
)
if (!showLines) for (const line of misses) console.log(`  miss ${line}`)
for (const line of chpClear) console.log(`  CHP clear ${line}`)
for (const line of otherFlagged) console.log(`  flagged ${line}`)
