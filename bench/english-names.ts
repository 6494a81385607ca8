/**
 * Everyday English trade names smoke bench (BENCHMARKS.md steps 57 and 60): how the engine reads the
 * short English names exporters and brokers type ("needle roller bearing", "usb webcam", "rye flour",
 * "cotton t-shirt"), one to four words, over all HS sections.
 *
 * bench/english-names.jsonl (the default, step 57) was WRITTEN BY THE TEAM from general knowledge, for
 * smoke testing; its labels were read from the HS 2022 heading texts (data/hs/hs2022_nomenclature.csv).
 * It is not an evaluation set of record (not in eval/, no acceptance figure) and methods are tuned on
 * it, so its figure alone never justifies a change.
 *
 * bench/english-names-check.jsonl (step 60) is the team's HELD-OUT set of the same kind, written blind:
 * a set whose `_comment` says "HELD-OUT" is judged by aggregates only, so for it this bench prints no
 * row, no miss and no verdict of a name, and refuses `--lines`. So is any file but the team's smoke
 * sets and the eval `-tune` halves (a checking set, eval/dev.jsonl, which holds dev-check, the HSBench sets).
 *
 * Every name is checked with destination RU and regime KZ, as `npm run eval` does. Printed, as the
 * hidden acceptance measures short names: HS-4 top-1 (and HS-6 top-1 over the names that give `hs6`);
 * the names in a heading that holds a CHP code (the "(h)" basis of `npm run eval`) that are not clear;
 * the other names that are flagged (not clear). When the set marks its CHP goods (`chp`), also the
 * acceptance's own figures: CHP goods not clear, and goods outside every heading that holds a CHP
 * code flagged (the non-CHP goods of a CHP heading, a needle roller bearing, are counted apart).
 *
 *   npx tsx bench/english-names.ts [--lines] [file.jsonl]   --lines prints every name with its reading
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkName, readSmokeNames, smokeEngine } from './smoke-names'

const fileArgument = process.argv.slice(2).find((a) => !a.startsWith('--'))
const SET = fileArgument
  ? resolve(fileArgument)
  : fileURLToPath(new URL('./english-names.jsonl', import.meta.url))
/** Sets that may be read row by row: the team's smoke sets but a held-out one, the -tune halves. */
const LISTABLE = /(bench\/english-[a-z-]+|eval\/[a-z-]+-tune)\.jsonl$/
const heldOut =
  !LISTABLE.test(SET) ||
  SET.endsWith('-check.jsonl') ||
  readFileSync(SET, 'utf8')
    .split('\n')
    .some((l) => l.includes('"_comment"') && l.includes('HELD-OUT'))
const showLines = process.argv.includes('--lines')
if (heldOut && showLines) {
  console.error(
    `${SET.split('/').pop()} is held out or a checking set, judged by aggregates only: no --lines`,
  )
  process.exit(2)
}

type Name = { id: string; description: string; hs4: string; hs6?: string; chp?: boolean }

const names = readSmokeNames<Name>(SET)
const { engine, chpHeadings } = smokeEngine()
const marksChp = names.some((n) => n.chp !== undefined)

let right = 0
let hs6Names = 0
let hs6Right = 0
let chpNames = 0
let chpNotClear = 0
const tally = { chp: 0, chpFlagged: 0, other: 0, otherFlagged: 0, shared: 0, sharedFlagged: 0 }
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
  if (n.hs6) {
    hs6Names++
    if (top === n.hs6) hs6Right++
  }
  if (chp) {
    chpNames++
    if (!clear) chpNotClear++
    else chpClear.push(`${n.id} ${n.hs4} got ${top} | ${n.description}`)
  } else if (!clear) otherFlagged.push(`${n.id} ${verdict} (${top}) | ${n.description}`)
  const kind = n.chp ? 'chp' : chp ? 'shared' : 'other'
  tally[kind]++
  if (!clear) tally[`${kind}Flagged`]++
  if (showLines)
    console.log(`${ok ? 'ok ' : 'bad'} ${n.id} ${n.hs4} got ${top} ${verdict} | ${n.description}`)
}
const pct = (k: number, of: number) => `${((100 * k) / Math.max(1, of)).toFixed(1)} %`
const others = names.length - chpNames
console.log(
  `Everyday English names (team-written smoke set, not an evaluation set), destination RU, regime KZ: ${SET.split('/').pop()}${heldOut ? ' (held out: aggregates only)' : ''}`,
)
console.log(
  `names ${names.length}: HS-4 top-1 ${pct(right, names.length)} (${right}); CHP-heading names not clear ${pct(chpNotClear, chpNames)} of ${chpNames}; other names flagged ${pct(otherFlagged.length, others)} of ${others}`,
)
if (hs6Names)
  console.log(`HS-6 top-1 ${pct(hs6Right, hs6Names)} of ${hs6Names} names that give hs6`)
if (marksChp)
  console.log(
    `CHP goods not clear ${pct(tally.chpFlagged, tally.chp)} of ${tally.chp}; other goods flagged ${pct(tally.otherFlagged, tally.other)} of ${tally.other}; non-CHP goods of CHP headings flagged ${tally.sharedFlagged} of ${tally.shared}`,
  )
if (!heldOut) {
  if (!showLines) for (const line of misses) console.log(`  miss ${line}`)
  for (const line of chpClear) console.log(`  CHP clear ${line}`)
  for (const line of otherFlagged) console.log(`  flagged ${line}`)
}
