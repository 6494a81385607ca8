/**
 * Held-out measurement of the part-number reading ("weapons components" lines: a part number and its
 * maker, with or without a word for what it is). The derived maker and prefix tables
 * (data/patterns/component_maker_classes.csv, part_number_prefixes.csv) are counted over the parts
 * list `Shamaich1337/TNVED-code-classification` `data/df_clear_uniq_3.csv`, so scoring the engine on
 * that list's own rows would measure memory. Here the list is split by the part number: SHA-256 of the
 * part number as the evaluation filter hashes it (lower case, letters and digits), first byte even →
 * tuning half, odd → held-out half. The tables are derived from the tuning half only
 * (`deriveComponentTables`, the same code as the import), put into the built catalogue in place of
 * the full-list tables, and every held-out row is checked with destination RU as
 *
 *   "<part> <maker>"           the maker as the list spells it,
 *   "<part> <Maker>"           its first word alone when that has 4+ letters ("Murata"), and
 *   "<part> <maker> <type>"    with a generic word for the part's HS-6 (TYPE_WORDS below, the team's
 *                              words for the subheading; the list itself names no type), rows whose
 *                              HS-6 has no word are skipped for this form.
 *
 * Figures: share of lines whose verdict is not clear (all rows, and rows whose HS-6 is on the CHP
 * list), HS-4 top-1 right. Then the makers of the whole list whose parts are predominantly under
 * CHP codes.
 *
 *   npm run -s bench:parts-holdout [-- --mirrors /work/.mirror] [--in-sample] [--misses N]   (N CHP-class rows read as clear, per form) [--json]
 *   --in-sample  also score the held-out rows with the tables as built (derived from the whole list)
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import {
  deriveComponentTables,
  type ListedPart,
  listedParts,
} from '../src/core/catalogue/derive-component-classes'
import {
  createExcludeFilter,
  normaliseIdentifier,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'
import type { CatalogueArtifact } from '../src/core/catalogue/types'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createPartNumberReader } from '../src/core/classify/part-numbers'
import { createEngine, type Engine } from '../src/core/engine'
import { readCatalogue } from '../src/runtime/catalogue-file'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '/work/.mirror' },
    'in-sample': { type: 'boolean', default: false },
    misses: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
})

const REPO = 'Shamaich1337/TNVED-code-classification'
const COMMIT = '72601bf2cb3bf4f10ad62468163bd03095b422af'
const FILE = 'data/df_clear_uniq_3.csv'

/**
 * A generic word for what a part under this HS-6 is (team's words, from the HS 2022 subheading
 * titles), for the "<part> <maker> <type>" form. Subheadings not listed are skipped for that form.
 */
const TYPE_WORDS: Record<string, string> = {
  '854231': 'microcontroller',
  '854232': 'memory',
  '854233': 'amplifier',
  '854239': 'integrated circuit',
  '854110': 'diode',
  '854121': 'transistor',
  '854129': 'transistor',
  '854130': 'thyristor',
  '854141': 'LED',
  '854149': 'photodiode',
  '854151': 'sensor',
  '854160': 'crystal',
  '853221': 'tantalum capacitor',
  '853222': 'electrolytic capacitor',
  '853224': 'ceramic capacitor',
  '853225': 'film capacitor',
  '853229': 'capacitor',
  '853321': 'resistor',
  '853340': 'variable resistor',
  '850450': 'inductor',
  '850431': 'transformer',
  '850440': 'power supply',
  '853669': 'connector',
  '853690': 'connector',
  '853650': 'switch',
  '853641': 'relay',
  '853630': 'protection device',
  '853610': 'fuse',
  '854442': 'cable',
  '854449': 'wire',
  '853400': 'printed circuit board',
  '852910': 'antenna',
  '851762': 'module',
  '854370': 'module',
  '903289': 'controller',
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const filter = createExcludeFilter(
  parseDigests(readFileSync(join(root, 'eval', 'exclude.sha256'), 'utf8')),
  sha256,
)
const csv = execFileSync(
  'git',
  ['--git-dir', join(values.mirrors, REPO.replace('/', '+'), 'repo'), 'show', `${COMMIT}:${FILE}`],
  { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
)
const catalogue = readCatalogue()
const subheadings = new Set(catalogue.hs.filter((h) => h.level === 'subheading').map((h) => h.code))
const { parts } = listedParts(
  parse(csv, { columns: true, skip_empty_lines: true, bom: true }),
  (part, maker) => filter({ parts: [part], text: `${part} ${maker}` }) === null,
  (hs6) => subheadings.has(hs6),
)
const heldOut = (p: ListedPart) =>
  Number.parseInt(sha256(normaliseIdentifier(p.part)).slice(0, 2), 16) % 2 === 1
const tuning = parts.filter((p) => !heldOut(p))
const test = parts.filter(heldOut)

const investigated = createPartNumberReader(catalogue)
const chp = new Set(catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code))

/**
 * The forms scored: the maker as the list spells it, its first word alone as people write it
 * ("MURATA ELECTRONICS" → "Murata", when that word has 4+ letters), and with a type word.
 */
const FORMS = ['part maker', 'part short-maker', 'part maker type'] as const
type Form = (typeof FORMS)[number]
function shortName(maker: string): string {
  const first = maker.split(/\s+/)[0]!
  return first.length >= 4 && first !== maker ? first[0]! + first.slice(1).toLowerCase() : maker
}

function engineWith(tables: ReturnType<typeof deriveComponentTables> | null): Engine {
  const copy: CatalogueArtifact = structuredClone(catalogue)
  if (tables) copy.componentClasses = { ...copy.componentClasses, ...tables }
  return createEngine(copy)
}

type Score = {
  form: string
  rows: number
  notClear: number
  chpRows: number
  chpNotClear: number
  hs4: number
  /** Rows whose maker is one public investigations name (data/patterns/component_manufacturers.csv). */
  namedRows: number
  namedNotClear: number
  /** Per confidence band (0.2 wide): rows, summed confidence, rows whose HS-4 was right. */
  bands: { rows: number; confidence: number; right: number }[]
}

function score(engine: Engine, form: Form, missesWanted: number): Score {
  const s: Score = {
    form,
    rows: 0,
    notClear: 0,
    chpRows: 0,
    chpNotClear: 0,
    hs4: 0,
    namedRows: 0,
    namedNotClear: 0,
    bands: Array.from({ length: 5 }, () => ({ rows: 0, confidence: 0, right: 0 })),
  }
  const misses: string[] = []
  for (const p of test) {
    const type = TYPE_WORDS[p.hs6]
    if (form === 'part maker type' && !type) continue
    const description =
      form === 'part maker'
        ? `${p.part} ${p.makerRaw}`
        : form === 'part short-maker'
          ? `${p.part} ${shortName(p.makerRaw)}`
          : `${p.part} ${p.makerRaw} ${type}`
    const result = checkGoods(engine, parseCheckRequest({ description, destination: 'RU' }))
    const top = result.classification.candidates[0]?.hs6 ?? ''
    const flagged = result.verdict !== 'clear'
    s.rows++
    if (flagged) s.notClear++
    if (investigated.manufacturers(description).length) {
      s.namedRows++
      if (flagged) s.namedNotClear++
    }
    if (chp.has(p.hs6)) {
      s.chpRows++
      if (flagged) s.chpNotClear++
    }
    const right = top.slice(0, 4) === p.hs6.slice(0, 4)
    const confidence = result.classification.confidence ?? 0
    const band = s.bands[Math.min(4, Math.floor(confidence * 5))]!
    band.rows++
    band.confidence += confidence
    if (right) band.right++
    if (right) s.hs4++
    // The misses that matter for the acceptance first: CHP-class parts read as clear.
    if (chp.has(p.hs6) && !flagged && misses.length < missesWanted)
      misses.push(`  ${p.hs6} got ${top || '-'} (${result.verdict}) | ${description}`)
  }
  if (misses.length) console.log(`misses (${form}):\n${misses.join('\n')}`)
  return s
}

const pct = (n: number, of: number) => (of ? ((100 * n) / of).toFixed(1) : '–')
const rowsOut: (Score & { tables: string })[] = []
const runs: [string, Engine][] = [['tuning half', engineWith(deriveComponentTables(tuning))]]
if (values['in-sample']) runs.push(['whole list (in-sample)', engineWith(null)])
for (const [tables, engine] of runs)
  for (const form of FORMS) rowsOut.push({ tables, ...score(engine, form, Number(values.misses)) })

// Makers of the whole list whose parts are predominantly under CHP codes (≥ 20 parts).
const byMaker = new Map<string, ListedPart[]>()
for (const p of parts) byMaker.set(p.maker, [...(byMaker.get(p.maker) ?? []), p])
const makers = [...byMaker]
  .filter(([, ps]) => ps.length >= 20)
  .map(([maker, ps]) => ({
    maker,
    parts: ps.length,
    chpShare: ps.filter((p) => chp.has(p.hs6)).length / ps.length,
  }))
  .sort((a, b) => b.chpShare - a.chpShare || b.parts - a.parts)

if (values.json) {
  console.log(
    JSON.stringify({ tuning: tuning.length, heldOut: test.length, rows: rowsOut, makers }, null, 2),
  )
} else {
  console.log(
    `${REPO}@${COMMIT.slice(0, 12)} ${FILE}: ${parts.length} parts; tuning half ${tuning.length}, held-out half ${test.length}`,
  )
  console.log(
    '| tables from | form | rows | not clear to RU | CHP rows | CHP not clear | investigated-maker rows | their not clear | HS-4 top-1 |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rowsOut)
    console.log(
      `| ${r.tables} | ${r.form} | ${r.rows} | ${pct(r.notClear, r.rows)} | ${r.chpRows} | ${pct(r.chpNotClear, r.chpRows)} | ${r.namedRows} | ${pct(r.namedNotClear, r.namedRows)} | ${pct(r.hs4, r.rows)} |`,
    )
  console.log(
    '\nReliability on the held-out rows (tuning-half tables): classification.confidence against HS-4 right',
  )
  for (const r of rowsOut.filter((r) => r.tables === 'tuning half')) {
    const ece =
      r.bands.reduce((e, b) => e + Math.abs(b.confidence - b.right), 0) / Math.max(1, r.rows)
    console.log(
      `  ${r.form}: ` +
        r.bands
          .map((b, i) =>
            b.rows
              ? `${(i / 5).toFixed(1)}–${((i + 1) / 5).toFixed(1)} ${b.rows} rows, mean ${(b.confidence / b.rows).toFixed(2)}, right ${pct(b.right, b.rows)} %`
              : '',
          )
          .filter(Boolean)
          .join('; ') +
        `; ECE ${ece.toFixed(3)}`,
    )
  }
  const predominant = makers.filter((m) => m.chpShare >= 0.8)
  console.log(
    `\nmakers with ≥ 20 parts: ${makers.length}; with ≥ 80 % of parts under CHP codes: ${predominant.length}`,
  )
  console.log(
    predominant.map((m) => `${m.maker} ${Math.round(m.chpShare * 100)} % of ${m.parts}`).join('; '),
  )
  console.log(
    `below 80 %: ${makers
      .filter((m) => m.chpShare < 0.8)
      .map((m) => `${m.maker} ${Math.round(m.chpShare * 100)} % of ${m.parts}`)
      .join('; ')}`,
  )
}
