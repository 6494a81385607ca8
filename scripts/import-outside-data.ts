/**
 * Imports two outside sources from bare git mirrors into data/, with the evaluation-row filter applied
 * (eval/exclude.sha256; src/core/catalogue/exclude-filter.ts) before anything is written:
 *
 * 1. HMRC `trade-tariff/trade-tariff-classification-examples`: LLM-written colloquial terms, synonyms and
 *    brands per UK commodity code → data/vocab/uk_hmrc_classification_examples.csv (code = HS-6).
 * 2. `Shamaich1337/TNVED-code-classification` `data/df_clear_uniq_3.csv`: electronic part numbers with
 *    maker and EAEU TN VED code → two DERIVED tables (no part number is written to data/):
 *    data/patterns/component_maker_classes.csv (maker → HS-4 distribution, dominant HS-6) and
 *    data/patterns/part_number_prefixes.csv (maker + part-number prefix → HS-6, ≥ 5 parts, ≥ 90 %),
 *    and the curated families checked against the same parts →
 *    data/patterns/part_number_family_agreement.csv (how often a family match is right). The counting is
 *    src/core/catalogue/derive-component-classes.ts (also run by bench/parts-holdout.ts on half the list).
 *
 * 3. `KanukhinA/TN_VED_Pipeline` `data/ТН ВЭД.xlsx`: the Russian texts of the EAEU TN VED (a TWS.BY
 *    export of 29.03.2026, every 10-digit code with the path of its lines) → the distinct line texts per
 *    HS-6, data/vocab/tnved_eaeu_2026_ru.csv (src/core/catalogue/tnved-texts.ts; data/vocab/SOURCES.md §8).
 *
 * 4. `FreezeEngine/TNVED-Hackathon-app` `data/cache/dataset_4digits.pkl`: Russian goods descriptions
 *    from goods declarations (column 31) with their HS heading → data/vocab/ru_declarations_hs4.csv
 *    (src/core/catalogue/ru-declarations.ts; data/vocab/SOURCES.md §9). Rows that hold the text of any
 *    row of eval/*.jsonl are dropped as well.
 *
 * Usage: npx tsx scripts/import-outside-data.ts [--mirrors DIR] [--only hmrc|parts|tnved-texts|ru-declarations]
 * (default mirrors /work/.mirror; default: all four)
 * The mirrors are `<owner>+<name>/repo`, read with `git --git-dir=... show <commit>:<path>`.
 * Prints per source the rows read, dropped by the filter, dropped for an unknown HS-6, and written.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import {
  COMPONENT_DERIVATION,
  deriveComponentTables,
  deriveFamilyAgreement,
  listedParts,
} from '../src/core/catalogue/derive-component-classes'
import {
  createExcludeFilter,
  ExclusionTally,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'
import { ruDeclarationRows } from '../src/core/catalogue/ru-declarations'
import { TNVED_RECURRING_SUBHEADINGS, tnvedTextRows } from '../src/core/catalogue/tnved-texts'
import { readStringListPickle } from './read-pickle'
import { readXlsxSheet } from './read-xlsx'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1]! : '/work/.mirror'
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : ''

const HMRC_REPO = 'trade-tariff/trade-tariff-classification-examples'
const HMRC_FILES = [
  'data/labelled_commodities_gemini-2.5-flash_2025-11-17.json',
  'data/labelled_commodities-2025-11-17-gemini-2.5-pro.json',
  'data/labelled_commodities_gpt-5-mini_2025-11-24.json',
  'data/labelled_commodities_initial.json',
]
const TNVED_REPO = 'Shamaich1337/TNVED-code-classification'
const TNVED_FILE = 'data/df_clear_uniq_3.csv'
const TNVED_TEXTS_REPO = 'KanukhinA/TN_VED_Pipeline'
/** The commit recorded in data/vocab/SOURCES.md §8 (the file was added in the first commit). */
const TNVED_TEXTS_COMMIT = '116385a49fbea31f96ad5ea5dbcebc8989515a09'
const TNVED_TEXTS_FILE = 'data/ТН ВЭД.xlsx'

const RU_DECLARATIONS_REPO = 'FreezeEngine/TNVED-Hackathon-app'
/** The commit recorded in data/vocab/SOURCES.md §9 (HEAD; the file was added in 18337f04). */
const RU_DECLARATIONS_COMMIT = '3ee16e35230b1c4662db888e32e1df52e21a4b01'
const RU_DECLARATIONS_FILE = 'data/cache/dataset_4digits.pkl'
/** Distinct descriptions kept per heading: no cap. Caps of 5 and 10 lost most of the gain (SOURCES.md §9). */
const RU_DECLARATIONS_PER_HEADING = Number.POSITIVE_INFINITY

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const tally = new ExclusionTally(
  createExcludeFilter(
    parseDigests(readFileSync(join(root, 'eval', 'exclude.sha256'), 'utf8')),
    sha256,
  ),
)

function gitDir(repo: string): string {
  return join(mirrors, repo.replace('/', '+'), 'repo')
}
function headCommit(repo: string): string {
  return execFileSync('git', ['--git-dir', gitDir(repo), 'rev-parse', 'HEAD'], {
    encoding: 'utf8',
  }).trim()
}
function showBytes(repo: string, commit: string, path: string): Buffer {
  return execFileSync('git', ['--git-dir', gitDir(repo), 'show', `${commit}:${path}`], {
    maxBuffer: 256 * 1024 * 1024,
  })
}
function show(repo: string, commit: string, path: string): string {
  return showBytes(repo, commit, path).toString('utf8')
}

const hsRows: Record<string, string>[] = parse(
  readFileSync(join(root, 'data', 'hs', 'hs2022_nomenclature.csv'), 'utf8'),
  { columns: true, skip_empty_lines: true, bom: true },
)
const subheadings = new Set(hsRows.filter((r) => r.level === 'subheading').map((r) => r.code!))

const clean = (text: unknown): string =>
  typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : ''

// ---------------------------------------------------------------------------------------------------
// 1. HMRC classification examples → vocabulary terms
// ---------------------------------------------------------------------------------------------------

type LabelledCommodity = {
  commodity_code?: string
  colloquial_terms?: unknown
  synonyms?: unknown
  known_brands?: unknown
}

/** The models mostly wrote lists; two flash rows have a single string instead. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  return value === undefined || value === null ? [] : [value]
}

function importHmrc(): void {
  const commit = headCommit(HMRC_REPO)
  const kinds = [
    ['colloquial', 'colloquial_terms'],
    ['synonym', 'synonyms'],
    ['brand', 'known_brands'],
  ] as const
  // code|kind|lower-cased text → the row, with every model file that wrote it.
  const terms = new Map<string, { code: string; kind: string; text: string; models: string[] }>()
  let commodities = 0
  let badCode = 0
  let badCodeTerms = 0
  for (const file of HMRC_FILES) {
    const model = file.replace(/^data\/labelled_commodities[_-]?/, '').replace(/\.json$/, '')
    const rows = JSON.parse(show(HMRC_REPO, commit, file)) as LabelledCommodity[]
    for (const row of rows) {
      commodities++
      const code = clean(row.commodity_code)
      const hs6 = code.slice(0, 6)
      const all = kinds.flatMap(([kind, field]) =>
        asList(row[field])
          .map(clean)
          .filter((t) => t.length > 1)
          .map((text) => ({ kind, text })),
      )
      if (!/^\d{10}$/.test(code) || !subheadings.has(hs6)) {
        badCode++
        badCodeTerms += all.length
        continue
      }
      for (const { kind, text } of all) {
        if (!tally.keep(`uk_hmrc_classification_examples ${kind}`, { text })) continue
        const key = `${hs6}|${kind}|${text.toLowerCase()}`
        const seen = terms.get(key)
        if (seen) {
          if (!seen.models.includes(model)) seen.models.push(model)
        } else terms.set(key, { code: hs6, kind, text, models: [model] })
      }
    }
  }
  const out = [...terms.values()].sort(
    (a, b) =>
      a.code.localeCompare(b.code) || a.kind.localeCompare(b.kind) || a.text.localeCompare(b.text),
  )
  writeFileSync(
    join(root, 'data', 'vocab', 'uk_hmrc_classification_examples.csv'),
    stringify(
      out.map((t) => [t.code, t.kind, t.text, t.models.join('|')]),
      { header: true, columns: ['code', 'kind', 'text', 'source_model'] },
    ),
  )
  console.log(`${HMRC_REPO}@${commit}`)
  console.log(
    `  ${commodities} labelled commodities read; ${badCode} dropped (HS-6 not an HS 2022 subheading, ` +
      `${badCodeTerms} terms)`,
  )
  const byKind = (k: string) => out.filter((t) => t.kind === k).length
  console.log(
    `  ${out.length} distinct terms written (colloquial ${byKind('colloquial')}, synonym ${byKind('synonym')}, ` +
      `brand ${byKind('brand')}) → data/vocab/uk_hmrc_classification_examples.csv`,
  )
}

// ---------------------------------------------------------------------------------------------------
// 2. TNVED part numbers → maker classes and part-number prefixes (derived)
// ---------------------------------------------------------------------------------------------------

function importTnved(): void {
  const commit = headCommit(TNVED_REPO)
  const source = `${TNVED_REPO}@${commit.slice(0, 12)} ${TNVED_FILE}`
  const rows: Record<string, string>[] = parse(show(TNVED_REPO, commit, TNVED_FILE), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })
  // The part number is the identifying field; the maker name alone is never an evaluation row.
  const { parts, badCode, duplicate } = listedParts(
    rows,
    (part, makerRaw) =>
      tally.keep('tnved_part_numbers', { parts: [part], text: `${part} ${makerRaw}` }),
    (hs6) => subheadings.has(hs6),
  )

  const partMakers = new Set(parts.map((p) => p.maker))
  const tables = deriveComponentTables(parts)
  const classRows = tables.makers.map((m) => [
    m.maker,
    m.aliases.join('|'),
    m.hs4,
    m.hs4Share.toFixed(3),
    m.hs6,
    m.hs6Share.toFixed(3),
    String(m.parts),
    String(m.makerParts),
    Object.entries(m.hs6Parts ?? {})
      .map(([hs6, n]) => `${hs6} ${n}`)
      .join('|'),
    source,
    'derived',
  ])
  const prefixRows = tables.prefixes.map((p) => [
    p.prefix,
    p.maker,
    p.hs6,
    p.share.toFixed(3),
    String(p.parts),
    p.shareAllMakers.toFixed(3),
    String(p.partsAllMakers),
    source,
    'derived',
  ])
  const makers = new Set(tables.makers.map((m) => m.maker))
  writeFileSync(
    join(root, 'data', 'patterns', 'component_maker_classes.csv'),
    stringify(classRows, {
      header: true,
      columns: [
        'maker',
        'aliases',
        'hs4',
        'hs4_share',
        'hs6',
        'hs6_share',
        'parts',
        'maker_parts',
        'hs6_parts',
        'source',
        'basis',
      ],
    }),
  )
  writeFileSync(
    join(root, 'data', 'patterns', 'part_number_prefixes.csv'),
    stringify(prefixRows, {
      header: true,
      columns: [
        'prefix',
        'maker',
        'hs6',
        'share',
        'parts',
        'share_all_makers',
        'parts_all_makers',
        'source',
        'basis',
      ],
    }),
  )
  // The curated families checked against the same parts: how often a family match is right.
  const families: Record<string, string>[] = parse(
    readFileSync(join(root, 'data', 'patterns', 'part_number_families.csv'), 'utf8'),
    { columns: true, skip_empty_lines: true, bom: true },
  )
  const agreement = deriveFamilyAgreement(
    families.map((f) => ({ id: f.family_id!, regex: f.regex!, hs6: f.hs6! })),
    parts,
  )
  writeFileSync(
    join(root, 'data', 'patterns', 'part_number_family_agreement.csv'),
    stringify(
      agreement.map((a) => [
        a.familyId,
        String(a.parts),
        String(a.sameHeading),
        String(a.sameSubheading),
        a.agreement === undefined ? '' : a.agreement.toFixed(3),
        source,
        'derived',
      ]),
      {
        header: true,
        columns: ['family_id', 'parts', 'same_hs4', 'same_hs6', 'agreement', 'source', 'basis'],
      },
    ),
  )
  console.log(`${TNVED_REPO}@${commit}`)
  console.log(
    `  ${rows.length} rows read; ${badCode} without a 10-digit code in HS 2022 (e.g. "other") and ` +
      `${duplicate} repeated maker+part dropped; ${parts.length} parts from ${partMakers.size} makers kept`,
  )
  console.log(
    `  ${makers.size} makers with ≥ ${COMPONENT_DERIVATION.minMakerParts} parts → ${classRows.length} maker × HS-4 rows ` +
      `(data/patterns/component_maker_classes.csv); ${prefixRows.length} prefixes → ` +
      'data/patterns/part_number_prefixes.csv',
  )
  console.log(
    `  ${agreement.filter((a) => a.parts).length} of ${agreement.length} curated families match listed parts ` +
      '→ data/patterns/part_number_family_agreement.csv',
  )
}

// ---------------------------------------------------------------------------------------------------
// 3. EAEU TN VED Russian texts → vocabulary lines per HS-6
// ---------------------------------------------------------------------------------------------------

function importTnvedTexts(): void {
  const sheet = readXlsxSheet(showBytes(TNVED_TEXTS_REPO, TNVED_TEXTS_COMMIT, TNVED_TEXTS_FILE), 2)
  const [header, ...body] = sheet
  if (header?.A !== 'Код' || header?.B !== 'Наименование')
    throw new Error(`${TNVED_TEXTS_FILE}: unexpected header ${JSON.stringify(header)}`)
  const namesRu: Record<string, string>[] = parse(
    readFileSync(join(root, 'data', 'hs', 'hs_names_ru.csv'), 'utf8'),
    { columns: true, skip_empty_lines: true, bom: true },
  )
  const names = new Map(
    namesRu
      .filter((r) => r.level === 'heading' || r.level === 'chapter')
      .map((r) => [
        r.code!,
        [r.name_ru_tnved_fns2022 ?? '', r.name_ru_ett2017 ?? ''].filter(Boolean),
      ]),
  )
  const result = tnvedTextRows(
    body.map((r) => ({ code10: clean(r.A), path: r.B ?? '' })),
    (hs6) => subheadings.has(hs6),
    (code10) => [
      ...(names.get(code10.slice(0, 2)) ?? []),
      ...(names.get(code10.slice(0, 4)) ?? []),
    ],
  )
  const kept = result.rows.filter((r) => tally.keep('tnved_eaeu_2026_ru', { text: r.text }))
  const source = `${TNVED_TEXTS_REPO}@${TNVED_TEXTS_COMMIT.slice(0, 12)} ${TNVED_TEXTS_FILE}`
  writeFileSync(
    join(root, 'data', 'vocab', 'tnved_eaeu_2026_ru.csv'),
    stringify(
      kept.map((r) => [r.hs6, r.text, r.code10, String(r.codes)]),
      { header: true, columns: ['hs6', 'text', 'first_code10', 'codes'] },
    ),
  )
  const covered = new Set(kept.map((r) => r.hs6))
  console.log(source)
  console.log(
    `  ${result.codes} codes read; ${result.badCode} malformed, ${result.notHs2022} whose first 6 digits ` +
      `are no HS 2022 subheading dropped; ${result.otherOnly} "прочие" lines and ${result.ancestorName} ` +
      `chapter or heading names left out; ${result.recurringTexts} texts recurring under ≥ ` +
      `${TNVED_RECURRING_SUBHEADINGS} subheadings (${result.recurringRows} rows) left out`,
  )
  console.log(
    `  ${result.rows.length} distinct line texts, ${result.rows.length - kept.length} dropped by the filter; ` +
      `${kept.length} written for ${covered.size} of ${subheadings.size} subheadings ` +
      '→ data/vocab/tnved_eaeu_2026_ru.csv',
  )
}

// ---------------------------------------------------------------------------------------------------
// 4. Russian goods declarations (column 31) → vocabulary lines per HS-4
// ---------------------------------------------------------------------------------------------------

/** Every description of every evaluation set: a source row holding one of them is dropped. */
function evaluationTexts(): string[] {
  const texts: string[] = []
  for (const name of readdirSync(join(root, 'eval')).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(root, 'eval', name), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const row = JSON.parse(line) as { description?: string }
      if (row.description) texts.push(row.description)
    }
  }
  return texts
}

function importRuDeclarations(): void {
  const table = readStringListPickle(
    showBytes(RU_DECLARATIONS_REPO, RU_DECLARATIONS_COMMIT, RU_DECLARATIONS_FILE),
  )
  if (!Array.isArray(table)) throw new Error(`${RU_DECLARATIONS_FILE}: not a list`)
  const raw = table.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== 'string'))
      throw new Error(`${RU_DECLARATIONS_FILE}: row ${i} is not [code, text]`)
    return { code: clean(r[0]), text: clean(r[1]) }
  })
  const headings = new Set(hsRows.filter((r) => r.level === 'heading').map((r) => r.code!))
  const evalTexts = evaluationTexts()
  const result = ruDeclarationRows(
    raw,
    (hs4) => headings.has(hs4),
    evalTexts,
    RU_DECLARATIONS_PER_HEADING,
  )
  const kept = result.rows.filter((r) => tally.keep('ru_declarations_hs4', { text: r.text }))
  writeFileSync(
    join(root, 'data', 'vocab', 'ru_declarations_hs4.csv'),
    stringify(
      kept.map((r) => [r.hs4, r.text]),
      { header: true, columns: ['hs4', 'text'] },
    ),
  )
  console.log(
    `${RU_DECLARATIONS_REPO}@${RU_DECLARATIONS_COMMIT.slice(0, 12)} ${RU_DECLARATIONS_FILE}`,
  )
  console.log(
    `  ${result.read} rows read; ${result.badCode} malformed codes, ${result.notHs2022} no HS 2022 ` +
      `heading, ${result.empty} empty after cleaning, ${result.duplicate} repeats; ` +
      `${result.evalOverlap} dropped for holding the text of one of ${evalTexts.length} evaluation rows; ` +
      `${result.overCap} over the per-heading cap`,
  )
  console.log(
    `  ${result.rows.length - kept.length} dropped by the filter; ${kept.length} written for ` +
      `${new Set(kept.map((r) => r.hs4)).size} of ${headings.size} headings → data/vocab/ru_declarations_hs4.csv`,
  )
}

if (!only || only === 'hmrc') importHmrc()
if (!only || only === 'parts') importTnved()
if (!only || only === 'tnved-texts') importTnvedTexts()
if (!only || only === 'ru-declarations') importRuDeclarations()
for (const line of tally.report()) console.log(`  filter: ${line}`)
