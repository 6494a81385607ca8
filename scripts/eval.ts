/**
 * Scores the engine on the labelled sets in eval/ (eval/README.md). Every row is checked with
 * destination RU and regime KZ through the public verbs `parseCheckRequest` + `checkGoods`, so the
 * figures are what a user gets. One table row per set: HS-6 top-1, HS-4 top-1, HS-6 in top 5, CHP
 * recall (CHP rows whose verdict is not clear), false alarms (other rows whose verdict is not clear),
 * rows per second. Then a reliability table: the top candidate's score (or
 * `classification.confidence` when every result has one) in bands against the share that was right.
 *
 * Usage: npm run eval [-- FILE...] [--misses] [--json] [--reliability-per-set]
 *   no FILE      every eval/*.jsonl except dev.jsonl (the union of dev-tune and dev-check)
 *   --misses     rows whose HS-4 was wrong, for the FILEs named (dev-tune when none is named: the
 *                misses of dev-check are never printed unless it is named, it judges changes)
 *   --json       the figures as JSON on stdout, nothing else (for BENCHMARKS)
 *   --reliability-per-set  a reliability table for each set too, not only the pooled one
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine } from '../src/core/engine'
import { chpGoodsOf, evalSetFiles, goldHs4, goldHs6, readEvalRows } from './eval-rows'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const evalDir = join(root, 'eval')
const args = process.argv.slice(2)
const showMisses = args.includes('--misses')
const asJson = args.includes('--json')
const perSetReliability = args.includes('--reliability-per-set')
const named = args.filter((a) => !a.startsWith('--'))
const files = named.length ? named : evalSetFiles(evalDir)
const missFiles = new Set(named.length ? files : [join(evalDir, 'dev-tune.jsonl')])
for (const f of files) {
  if (!existsSync(f)) {
    console.error(`eval: no such file ${f}`)
    process.exit(2)
  }
}

const catalogueJson = readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8')
const newEngine = () => createEngine(JSON.parse(catalogueJson))
// The warm-up below repeats three phrases: with the engine's cache of readings they would be read only
// once, so this first engine reads every line afresh. The sets' own engines keep the cache (what a
// user gets); a set's rows are distinct descriptions (hsbench-names: 2 repeats in 1,228 rows), so
// rows/s still times reading.
let engine = createEngine(JSON.parse(catalogueJson), { classificationCacheEntries: 0 })

/** One scored row, kept for the reliability table. */
type Outcome = {
  score: number | null
  confidence: number | null
  hs4Right: boolean
  hs6Right: boolean | null
}

type SetFigures = {
  set: string
  rows: number
  /** Rows with a 6-digit label; HS-6 figures are over these. */
  hs6Rows: number
  hs6Top1: number
  hs4Top1: number
  hs6Top5: number
  /**
   * "hs6": the gold HS-6 is on CHP; "heading": some rows have an HS-4 label only (HSBench names, the
   * EEC decisions), so for every row of the set the gold heading holding a CHP code counts instead.
   */
  chpBasis: 'hs6' | 'heading'
  chpRows: number
  chpFlagged: number
  otherRows: number
  falseAlarms: number
  rowsPerSecond: number
}

// rows/s must not depend on which sets ran before: warm the JIT on phrases that are in no set, then
// give every set a fresh engine so its per-word caches start empty (as on a new server).
for (let i = 0; i < 100; i++)
  for (const description of ['steel bolts and nuts', 'cotton t-shirts', 'laptop computer'])
    checkGoods(engine, parseCheckRequest({ description, destination: 'RU', regime: 'KZ' }))

const outcomes = new Map<string, Outcome[]>()
const figures: SetFigures[] = []
const misses: string[] = []

for (const file of files) {
  const set = basename(file, '.jsonl')
  const rows = readEvalRows(file)
  const chpGoods = chpGoodsOf(engine.catalogue, rows)
  const f: SetFigures = {
    set,
    rows: rows.length,
    hs6Rows: 0,
    hs6Top1: 0,
    hs4Top1: 0,
    hs6Top5: 0,
    chpBasis: chpGoods.basis,
    chpRows: 0,
    chpFlagged: 0,
    otherRows: 0,
    falseAlarms: 0,
    rowsPerSecond: 0,
  }
  const setOutcomes: Outcome[] = []
  engine = newEngine()
  const started = performance.now()
  for (const row of rows) {
    const g6 = goldHs6(row)
    const g4 = goldHs4(row)
    const result = checkGoods(
      engine,
      parseCheckRequest({ description: row.description, destination: 'RU', regime: 'KZ' }),
    )
    const candidates = result.classification.candidates
    const top = candidates[0]?.hs6 ?? ''
    const hs4Right = top.slice(0, 4) === g4
    if (hs4Right) f.hs4Top1++
    else if (missFiles.has(file))
      misses.push(
        `${set} ${row.id ?? ''} gold ${g6 || g4} got ${top || '-'} (${result.verdict}) | ${row.description.slice(0, 100)}`,
      )
    let hs6Right: boolean | null = null
    if (g6) {
      f.hs6Rows++
      hs6Right = top === g6
      if (hs6Right) f.hs6Top1++
      if (candidates.slice(0, 5).some((c) => c.hs6 === g6)) f.hs6Top5++
    }
    const onChp = chpGoods.isChp(row)
    const flagged = result.verdict !== 'clear'
    if (onChp) {
      f.chpRows++
      if (flagged) f.chpFlagged++
    } else {
      f.otherRows++
      if (flagged) f.falseAlarms++
    }
    // `confidence` is not in the result schema yet; read it structurally so the eval picks it up
    // the day the classifier reports it, without a change here.
    const confidence = (result.classification as { confidence?: unknown }).confidence
    setOutcomes.push({
      score: candidates[0]?.score ?? null,
      confidence: typeof confidence === 'number' ? confidence : null,
      hs4Right,
      hs6Right,
    })
  }
  f.rowsPerSecond = Math.round(rows.length / ((performance.now() - started) / 1000))
  figures.push(f)
  outcomes.set(set, setOutcomes)
}

// --- reliability -------------------------------------------------------------------------------

const pooled = [...outcomes.values()].flat()
/** One field for the whole run, so bands from different fields are never mixed. */
const beliefField =
  pooled.length && pooled.every((o) => o.confidence !== null)
    ? 'classification.confidence'
    : 'classification.candidates[0].score'
const belief = (o: Outcome) =>
  beliefField === 'classification.confidence' ? o.confidence : o.score
const BANDS = [0, 0.2, 0.4, 0.6, 0.8] as const

type Band = {
  band: string
  rows: number
  meanBelief: number | null
  hs4Right: number
  hs6Rows: number
  hs6Right: number
}

function reliability(list: Outcome[]): { bands: Band[]; ece4: number | null } {
  const bands: Band[] = BANDS.map((lo, i) => ({
    band: `${lo.toFixed(1)}–${(BANDS[i + 1] ?? 1).toFixed(1)}`,
    rows: 0,
    meanBelief: 0,
    hs4Right: 0,
    hs6Rows: 0,
    hs6Right: 0,
  }))
  const none: Band = {
    band: 'no candidate',
    rows: 0,
    meanBelief: null,
    hs4Right: 0,
    hs6Rows: 0,
    hs6Right: 0,
  }
  for (const o of list) {
    const b = belief(o)
    const band =
      b === null ? none : bands[Math.min(BANDS.length - 1, Math.max(0, Math.floor(b / 0.2)))]!
    band.rows++
    if (b !== null) band.meanBelief! += b
    if (o.hs4Right) band.hs4Right++
    if (o.hs6Right !== null) {
      band.hs6Rows++
      if (o.hs6Right) band.hs6Right++
    }
  }
  let gap = 0
  let scored = 0
  for (const b of bands) {
    if (!b.rows) {
      b.meanBelief = null
      continue
    }
    b.meanBelief! /= b.rows
    // Expected calibration error over HS-4: row-weighted gap between stated belief and hit rate.
    gap += Math.abs(b.meanBelief! - b.hs4Right / b.rows) * b.rows
    scored += b.rows
  }
  return { bands: none.rows ? [...bands, none] : bands, ece4: scored ? gap / scored : null }
}

const pooledReliability = reliability(pooled)
const setReliability = perSetReliability
  ? [...outcomes].map(([set, list]) => ({ set, ...reliability(list) }))
  : []

// --- output ------------------------------------------------------------------------------------

if (asJson) {
  console.log(
    JSON.stringify(
      {
        destination: 'RU',
        regime: 'KZ',
        sets: figures,
        reliability: {
          field: beliefField,
          pooled: pooledReliability,
          ...(perSetReliability ? { perSet: setReliability } : {}),
        },
      },
      null,
      2,
    ),
  )
} else printTables()

function printTables(): void {
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a')
  const table = (head: string[], body: string[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
    console.log(
      [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n'),
    )
  }

  if (showMisses && misses.length) console.log(`${misses.join('\n')}\n`)

  console.log('Accuracy and verdicts (destination RU, regime KZ)\n')
  table(
    [
      'set',
      'rows',
      'HS-6 top-1',
      'HS-4 top-1',
      'HS-6 top 5',
      'CHP recall',
      'false alarms',
      'rows/s',
    ],
    figures.map((f) => [
      f.set,
      String(f.rows),
      f.hs6Rows ? pct(f.hs6Top1, f.hs6Rows) : '–',
      pct(f.hs4Top1, f.rows),
      f.hs6Rows ? pct(f.hs6Top5, f.hs6Rows) : '–',
      `${pct(f.chpFlagged, f.chpRows)} of ${f.chpRows}${f.chpBasis === 'heading' ? ' (h)' : ''}`,
      `${pct(f.falseAlarms, f.otherRows)} of ${f.otherRows}`,
      String(f.rowsPerSecond),
    ]),
  )
  console.log(
    [
      '',
      'CHP recall: rows whose gold HS-6 is on the CHP list and whose verdict is not clear.',
      '(h) a set with HS-4-only rows: rows whose gold heading contains a CHP code, a looser measure.',
      'False alarms: the other rows whose verdict is not clear.',
      'rows/s: one thread, a fresh engine per set (built beforehand, JIT warmed, caches empty).',
    ].join('\n'),
  )

  const printReliability = (title: string, r: ReturnType<typeof reliability>) => {
    console.log(`\n${title}\n`)
    table(
      ['band', 'rows', 'mean', 'HS-4 right', 'HS-6 right'],
      r.bands.map((b) => [
        b.band,
        String(b.rows),
        b.meanBelief === null ? '–' : b.meanBelief.toFixed(2),
        pct(b.hs4Right, b.rows),
        b.hs6Rows ? `${pct(b.hs6Right, b.hs6Rows)} of ${b.hs6Rows}` : '–',
      ]),
    )
    if (r.ece4 !== null) console.log(`expected calibration error (HS-4): ${r.ece4.toFixed(3)}`)
  }
  printReliability(
    `Reliability: ${beliefField}, all ${pooled.length} rows of ${figures.length} sets pooled`,
    pooledReliability,
  )
  for (const s of setReliability) printReliability(`Reliability: ${s.set}`, s)
}
