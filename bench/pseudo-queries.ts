/**
 * Self-supervised English short-name bench: trade terms held out of the vocabulary and read back as
 * queries. There is no English short-name set to tune on (hsbench-names judges by its aggregate
 * only), so the trade-term sources stand in for what exporters type:
 *
 *   data/vocab/uk_hmrc_search_references.csv     keyword → code (HMRC's search references), and
 *   data/vocab/uk_hmrc_classification_examples.csv  colloquial terms and synonyms (machine-written;
 *                                                  brands left out: a brand names no goods).
 *
 * A seeded random sample of their short lines (1–4 words, no comma or bracket: "needle roller
 * bearing", not "coffee makers, electric") whose every copy in both files is filed under one heading,
 * half from each file, is held out: every vocabulary line with the same text (any source) is removed
 * from the built catalogue, and so is every trade-term line (UK search term, UK example, synonym) that
 * holds all of a held-out line's words: the example files were written per code, several names at a
 * time, so "double cream" has "bulk double cream" beside it, a sibling a truly new name would not have
 * (`--loose` keeps the siblings: figures 1–2 points higher). An engine is built in memory from what is
 * left, and each held-out line is checked as a description (destination RU, regime KZ, as
 * `npm run eval`), its heading the gold.
 *
 * Figures per half (tune: SHA-256 of the text, first byte even; check: odd) and per source: HS-4
 * top-1, the gold heading among the returned candidates, and, as hsbench-names counts them, lines whose
 * gold heading holds a CHP code that are read as clear (CHP not clear) and other lines flagged, and,
 * of the CHP-heading lines, those whose own code is under a CHP code (CHP code not clear): about half
 * of the CHP-heading lines are goods of a non-CHP sibling ("compasses" 9014.10, "hard disks" 8471.70),
 * which the heading figure counts as CHP goods (BENCHMARKS.md, "Short names and the CHP heading"). Tune
 * on the tune half (its misses may be read: `--misses tune`), keep a change when the check half agrees.
 *
 *   npm run -s bench:pseudo-queries [-- --size 1500] [--seed 7] [--loose] [--json] [--misses tune]
 *
 * What it cannot measure: the WordNet lexicon (catalogue.lexicon) was derived against the whole
 * vocabulary, so a held-out word may still have its WordNet reading; the index, the typo corrector's
 * word list and the head-word prior are rebuilt from what is left. Labels are the files' own codes (the
 * UK examples are machine-written, a few are wrong); 38–51 lines per half have a CHP heading, so one
 * line there is 2–3 points.
 */
import { parseArgs } from 'node:util'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'
import { samplePseudoQueries } from './pseudo-query-sample'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
    misses: { type: 'string' },
    /** Hold out the exact texts only, leaving their longer siblings ("bulk double cream") in. */
    loose: { type: 'boolean', default: false },
  },
})

const { held, catalogue, vocab, removed } = samplePseudoQueries({
  size: Number(values.size),
  seed: Number(values.seed),
  loose: values.loose ?? false,
})
const engine = createEngine({ ...catalogue, vocab })
const chp = catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code)
const chpHeadings = new Set(chp.map((c) => c.slice(0, 4)))

type Tally = {
  rows: number
  top1: number
  among: number
  chpRows: number
  chpFlagged: number
  otherRows: number
  otherFlagged: number
  /** Of the CHP-heading lines, those whose own code is under a CHP code (the HS-6 reading of "CHP goods"). */
  chpCodeRows: number
  chpCodeFlagged: number
  /** Other lines flagged only because nothing was read (`classification.unreadable`). */
  otherUnreadable: number
}
const tallies = new Map<string, Tally>()
const tallyOf = (name: string): Tally => {
  let t = tallies.get(name)
  if (!t) {
    t = {
      rows: 0,
      top1: 0,
      among: 0,
      chpRows: 0,
      chpFlagged: 0,
      otherRows: 0,
      otherFlagged: 0,
      chpCodeRows: 0,
      chpCodeFlagged: 0,
      otherUnreadable: 0,
    }
    tallies.set(name, t)
  }
  return t
}
const missesOf = values.misses
const misses: string[] = []
for (const h of held) {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: h.text, destination: 'RU', regime: 'KZ' }),
  )
  const headings = result.classification.candidates.map((c) => c.hs6.slice(0, 4))
  const right = headings[0] === h.heading
  const among = headings.includes(h.heading)
  const flagged = result.verdict !== 'clear'
  const onChp = chpHeadings.has(h.heading)
  const onChpCode = chp.some((code) => h.code.startsWith(code))
  const deciding = result.reasons.filter((r) => r.effect !== 'info').map((r) => r.rule_id)
  const unreadableOnly =
    deciding.length > 0 && deciding.every((id) => id === 'classification.unreadable')
  for (const name of ['all', h.half, `${h.half}/${h.source}`]) {
    const t = tallyOf(name)
    t.rows++
    if (right) t.top1++
    if (among) t.among++
    if (onChp) {
      t.chpRows++
      if (flagged) t.chpFlagged++
      if (onChpCode) {
        t.chpCodeRows++
        if (flagged) t.chpCodeFlagged++
      }
    } else {
      t.otherRows++
      if (flagged) t.otherFlagged++
      if (flagged && unreadableOnly) t.otherUnreadable++
    }
  }
  if (missesOf === h.half && (!right || (onChp && !flagged)))
    misses.push(
      `${h.heading} got ${headings.slice(0, 4).join(' ') || '-'}${among ? ' (among)' : ''} ${onChp ? `CHP${onChpCode ? ` code ${h.code}` : ''} ${result.verdict}` : ''} | ${h.text}`,
    )
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '–')
const order = [
  'tune',
  'check',
  'all',
  'tune/search',
  'tune/example',
  'check/search',
  'check/example',
]
if (values.json) {
  console.log(JSON.stringify(Object.fromEntries(order.map((n) => [n, tallies.get(n)]))))
} else {
  console.log(
    `held out ${held.length} trade terms (seed ${values.seed}${values.loose ? ', loose' : ''}); ${removed} vocabulary lines removed`,
  )
  console.log(
    'half            rows  HS-4 top-1  among cands  CHP not clear        other flagged  CHP code not clear',
  )
  for (const name of order) {
    const t = tallies.get(name)
    if (!t) continue
    console.log(
      `${name.padEnd(14)} ${String(t.rows).padStart(5)}  ${pct(t.top1, t.rows).padStart(10)}  ${pct(t.among, t.rows).padStart(11)}  ${`${pct(t.chpFlagged, t.chpRows)} of ${t.chpRows}`.padStart(14)}  ${`${pct(t.otherFlagged, t.otherRows)} of ${t.otherRows}`.padStart(18)}  ${`${pct(t.chpCodeFlagged, t.chpCodeRows)} of ${t.chpCodeRows}`.padStart(18)}`,
    )
  }
  console.log(
    `other lines flagged only as unreadable (nothing read): ${order
      .slice(0, 2)
      .map((n) => `${n} ${tallies.get(n)?.otherUnreadable ?? 0}`)
      .join(', ')} (the rest are CHP readings of other goods)`,
  )
  for (const m of misses) console.log(m)
}
