/**
 * UK Advance Tariff Rulings as a long-description tuning set: data/vocab/uk_hmrc_atar_rulings_sample.csv
 * (121 rulings, "The product is …", data/vocab/SOURCES.md §5), each checked as a description
 * (destination RU, regime KZ, as `npm run eval`), its HS-6 the gold. The rulings are not compiled into
 * the catalogue; any vocabulary line with the same text would be held out while it is scored. A
 * tuning set: its rows may be read (BENCHMARKS.md step 40). A description longer than the API's 2,000
 * characters is cut there, as a client would have to.
 *
 *   npx tsx bench/atar-rulings.ts [--misses] [--json]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'
import { readCatalogue } from '../src/runtime/catalogue-file'

const { values } = parseArgs({
  options: {
    misses: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const rows = parse(readFileSync('data/vocab/uk_hmrc_atar_rulings_sample.csv', 'utf8'), {
  columns: true,
  skip_empty_lines: true,
}) as { atar_ref: string; hs6: string; description: string }[]
const catalogue = readCatalogue()
const key = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase()
const texts = new Set(rows.map((r) => key(r.description)))
const vocab = catalogue.vocab.filter((l) => !texts.has(key(l.text)))
const engine = createEngine({ ...catalogue, vocab })
const chp = catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code)
let hs4 = 0
let hs6 = 0
let chpRows = 0
let chpFlagged = 0
let other = 0
let flagged = 0
const out: string[] = []
for (const r of rows) {
  const result = checkGoods(
    engine,
    parseCheckRequest({
      description: r.description.slice(0, 2000),
      destination: 'RU',
      regime: 'KZ',
    }),
  )
  const got = result.classification.candidates.map((c) => c.hs6)
  const right4 = got[0]?.slice(0, 4) === r.hs6.slice(0, 4)
  if (right4) hs4++
  if (got[0] === r.hs6) hs6++
  const onChp = chp.some((c) => r.hs6.startsWith(c))
  const f = result.verdict !== 'clear'
  if (onChp) {
    chpRows++
    if (f) chpFlagged++
  } else {
    other++
    if (f) flagged++
  }
  if (values.misses && (!right4 || onChp !== f))
    out.push(
      `${r.atar_ref} gold ${r.hs6} got ${got.slice(0, 3).join(' ')} (${result.verdict}) | ${r.description}`,
    )
}
const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`
if (values.json)
  console.log(JSON.stringify({ rows: rows.length, hs4, hs6, chpRows, chpFlagged, other, flagged }))
else {
  for (const m of out) console.log(m)
  console.log(
    `atar rows ${rows.length}: HS-4 ${pct(hs4, rows.length)}, HS-6 ${pct(hs6, rows.length)}, CHP ${chpFlagged} of ${chpRows}, other flagged ${pct(flagged, other)} of ${other} (held out ${catalogue.vocab.length - vocab.length} lines)`,
  )
}
