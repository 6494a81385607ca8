/**
 * Everyday Russian trade names smoke bench (BENCHMARKS.md steps 49 and 58): how the engine reads the
 * short Russian names exporters type.
 *
 * bench/russian-names.jsonl (the default, step 49): a noun and its adjective ("стеклянная ваза",
 * "кольцо золотое", "сыр твердый"), most of them naming a material.
 * bench/russian-everyday.jsonl (step 58): one to four words of every shape exporters type, single
 * nouns ("шуруповерт"), product types ("ноутбук игровой"), abbreviations and loanwords ("ИБП",
 * "роутер Wi-Fi"), about a quarter of them CHP goods marked `chp: true`.
 * bench/russian-everyday-check.jsonl (step 59): its held-out half, 152 names written blind on 2026-12-07
 * in the same shapes over 20 HS sections, 38 CHP goods; read only by its aggregate figures.
 *
 * All were WRITTEN BY THE TEAM from general knowledge, for smoke testing; their labels were read from
 * the HS 2022 heading texts. They are not evaluation sets of record (not in eval/, no acceptance
 * figure); the first two have been tuned on: a change is judged on the eval sets, the guards and the
 * held-out half, never on these. Names are printed only for the sets that may be read row by row (the
 * team's smoke sets but the held-out half, the eval `-tune` halves); for any other file (a held-out or
 * checking set, eval/dev.jsonl, which holds dev-check, the HSBench sets) only the aggregate figures.
 *
 * Every name is checked with destination RU and regime KZ, as `npm run eval` does. Printed: HS-4 top-1
 * and the names whose verdict is not clear. When the set marks its CHP goods (`chp`), also the two
 * acceptance-style figures: CHP goods not clear, and other goods flagged, "other" being the names
 * outside every heading that holds a CHP code (a needle roller bearing, 8482.40, shares its heading
 * with CHP ball bearings, so a flag on it is a reading of the heading, not a false alarm; those names
 * are counted apart).
 *
 *   npx tsx bench/russian-names.ts [--lines] [file.jsonl]   --lines prints every name with its reading
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkName, readSmokeNames, smokeEngine } from './smoke-names'

const fileArgument = process.argv.slice(2).find((a) => !a.startsWith('--'))
const SET = fileArgument
  ? resolve(fileArgument)
  : fileURLToPath(new URL('./russian-names.jsonl', import.meta.url))
/** Sets that may be read row by row: the team's smoke sets but their held-out half, the -tune halves. */
const LISTABLE = /(bench\/russian-[a-z-]+|eval\/[a-z-]+-tune)\.jsonl$/
const aggregatesOnly = !LISTABLE.test(SET) || SET.endsWith('-check.jsonl')
if (aggregatesOnly && process.argv.includes('--lines')) {
  console.error('a held-out or checking set is read by its aggregate figures only: no --lines')
  process.exit(2)
}
const showLines = process.argv.includes('--lines')

type Name = { id: string; description: string; hs4: string; hs6?: string; chp?: boolean }

const names = readSmokeNames<Name>(SET)
const { engine, chpHeadings } = smokeEngine()
const marksChp = names.some((n) => n.chp !== undefined)

let right = 0
const notClear: string[] = []
const tally = { chp: 0, chpFlagged: 0, other: 0, otherFlagged: 0, shared: 0, sharedFlagged: 0 }
for (const n of names) {
  const { top, verdict } = checkName(engine, n.description)
  const ok = top.slice(0, 4) === n.hs4
  const flagged = verdict !== 'clear'
  if (ok) right++
  if (n.chp) {
    tally.chp++
    if (flagged) tally.chpFlagged++
  } else if (chpHeadings.has(n.hs4)) {
    tally.shared++
    if (flagged) tally.sharedFlagged++
  } else {
    tally.other++
    if (flagged) tally.otherFlagged++
  }
  if (flagged) notClear.push(`${n.id} ${verdict} (${top}) | ${n.description}`)
  if (showLines)
    console.log(
      `${ok ? 'ok ' : 'bad'} ${n.id} ${n.hs4} got ${top} ${verdict}${n.chp ? ' CHP' : ''} | ${n.description}`,
    )
}
const pct = (k: number, of = names.length) => `${((100 * k) / Math.max(1, of)).toFixed(1)} %`
console.log(
  `Everyday Russian names (team-written smoke set, not an evaluation set), destination RU, regime KZ: ${SET.split('/').pop()}`,
)
console.log(
  `names ${names.length}: HS-4 top-1 ${pct(right)} (${right}), not clear ${notClear.length}`,
)
if (marksChp)
  console.log(
    `CHP goods not clear ${pct(tally.chpFlagged, tally.chp)} of ${tally.chp}; other goods flagged ${pct(tally.otherFlagged, tally.other)} of ${tally.other}; non-CHP goods of CHP headings flagged ${tally.sharedFlagged} of ${tally.shared}`,
  )
if (!aggregatesOnly) for (const line of notClear) console.log(`  ${line}`)
