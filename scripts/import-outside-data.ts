/**
 * Imports two outside sources from bare git mirrors into data/, with the evaluation-row filter applied
 * (eval/exclude.sha256; src/core/catalogue/exclude-filter.ts) before anything is written:
 *
 * 1. HMRC `trade-tariff/trade-tariff-classification-examples`: LLM-written colloquial terms, synonyms and
 *    brands per UK commodity code → data/vocab/uk_hmrc_classification_examples.csv (code = HS-6).
 * 2. `Shamaich1337/TNVED-code-classification` `data/df_clear_uniq_3.csv`: electronic part numbers with
 *    maker and EAEU TN VED code → two DERIVED tables (no part number is written to data/):
 *    data/patterns/component_maker_classes.csv (maker → HS-4 distribution, dominant HS-6) and
 *    data/patterns/part_number_prefixes.csv (maker + part-number prefix → HS-6, ≥ 5 parts, ≥ 90 %).
 *
 * Usage: npx tsx scripts/import-outside-data.ts [--mirrors DIR]   (default /work/.mirror)
 * The mirrors are `<owner>+<name>/repo`, read with `git --git-dir=... show <commit>:<path>`.
 * Prints per source the rows read, dropped by the filter, dropped for an unknown HS-6, and written.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import {
  createExcludeFilter,
  ExclusionTally,
  normaliseIdentifier,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1]! : '/work/.mirror'

const HMRC_REPO = 'trade-tariff/trade-tariff-classification-examples'
const HMRC_FILES = [
  'data/labelled_commodities_gemini-2.5-flash_2025-11-17.json',
  'data/labelled_commodities-2025-11-17-gemini-2.5-pro.json',
  'data/labelled_commodities_gpt-5-mini_2025-11-24.json',
  'data/labelled_commodities_initial.json',
]
const TNVED_REPO = 'Shamaich1337/TNVED-code-classification'
const TNVED_FILE = 'data/df_clear_uniq_3.csv'

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
function show(repo: string, commit: string, path: string): string {
  return execFileSync('git', ['--git-dir', gitDir(repo), 'show', `${commit}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
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

/** Company-form words that do not tell two makers apart ("BOURNS INC" is "BOURNS"). */
const COMPANY_FORMS = new Set([
  'INC',
  'INCORPORATED',
  'CO',
  'COMPANY',
  'LTD',
  'LIMITED',
  'CORP',
  'CORPORATION',
  'GMBH',
  'LLC',
  'AG',
  'SA',
  'PLC',
  'KG',
])
/**
 * Trailing descriptive words dropped when what remains still names the maker (≥ 3 letters):
 * "MURATA ELECTRONICS" and "MURATA" are one maker in this file, "MAXIM INTEGRATED" and "MAXIM" too.
 * "ON SEMICONDUCTOR" keeps its second word because "ON" alone is not a name.
 */
const DESCRIPTIVE = new Set([
  'ELECTRONICS',
  'ELECTRONIC',
  'SEMICONDUCTOR',
  'SEMICONDUCTORS',
  'TECHNOLOGY',
  'TECHNOLOGIES',
  'INTEGRATED',
  'INTERNATIONAL',
  'INDUSTRIAL',
  'COMPONENTS',
  'ELEKTRONIK',
])

function makerKey(raw: string): string {
  const words = raw
    .toUpperCase()
    .replace(/[.,()]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !COMPANY_FORMS.has(w))
  // Some spellings in the file are glued ("LINEARTECHNOLOGY", "DIODESINC", "WURTHELEKTRONIKGMBH"):
  // strip a glued company form or descriptive word (3+ letters) while 3+ letters remain.
  const glued = [...COMPANY_FORMS, ...DESCRIPTIVE].filter((w) => w.length >= 3)
  const last = words.length - 1
  for (let changed = true; changed && last >= 0; ) {
    changed = false
    for (const g of glued) {
      const w = words[last]!
      if (w.length - g.length >= 3 && w.endsWith(g)) {
        words[last] = w.slice(0, -g.length)
        changed = true
      }
    }
  }
  while (
    words.length > 1 &&
    DESCRIPTIVE.has(words.at(-1)!) &&
    words.slice(0, -1).join('').length >= 3
  )
    words.pop()
  return words.join(' ')
}

type Part = { part: string; maker: string; makerRaw: string; hs6: string }

function share(n: number, of: number): string {
  return (n / of).toFixed(3)
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>()
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1)
  return m
}

function top(m: Map<string, number>): [string, number] {
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!
}

const MIN_MAKER_PARTS = 5
const MIN_PREFIX_PARTS = 5
const MIN_PREFIX_SHARE = 0.9

function importTnved(): void {
  const commit = headCommit(TNVED_REPO)
  const source = `${TNVED_REPO}@${commit.slice(0, 12)} ${TNVED_FILE}`
  const rows: Record<string, string>[] = parse(show(TNVED_REPO, commit, TNVED_FILE), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })
  let badCode = 0
  let duplicate = 0
  const parts: Part[] = []
  const seenParts = new Set<string>()
  for (const row of rows) {
    const tnved = clean(row.TNVED)
    const part = clean(row.part_num)
    const makerRaw = clean(row.manufacturer)
    // The part number is the identifying field; the maker name alone is never an evaluation row.
    if (!tally.keep('tnved_part_numbers', { parts: [part], text: `${part} ${makerRaw}` })) continue
    if (!/^\d{10}$/.test(tnved) || !subheadings.has(tnved.slice(0, 6)) || !makerRaw) {
      badCode++
      continue
    }
    const key = `${makerKey(makerRaw)}|${normaliseIdentifier(part)}`
    if (seenParts.has(key)) {
      duplicate++
      continue
    }
    seenParts.add(key)
    parts.push({ part, maker: makerKey(makerRaw), makerRaw, hs6: tnved.slice(0, 6) })
  }

  const byMaker = new Map<string, Part[]>()
  for (const p of parts) byMaker.set(p.maker, [...(byMaker.get(p.maker) ?? []), p])

  const classRows: string[][] = []
  const prefixRows: string[][] = []
  const makers = [...byMaker].filter(([, ps]) => ps.length >= MIN_MAKER_PARTS)
  // Agreement of a prefix across all makers, so a reader can tell "GRM" (one maker) from "AD" (many).
  const prefixAll = new Map<string, string[]>()
  for (const p of parts) {
    const id = normaliseIdentifier(p.part).toUpperCase()
    for (let n = 3; n <= 6 && n < id.length; n++) {
      const k = id.slice(0, n)
      prefixAll.set(k, [...(prefixAll.get(k) ?? []), p.hs6])
    }
  }
  for (const [, ps] of makers.sort((a, b) => b[1].length - a[1].length)) {
    // The spelling used most often names the maker; the others become its aliases.
    const spellings = countBy(ps, (p) => p.makerRaw)
    const name = top(spellings)[0]
    const aliases = [...spellings.keys()].filter((s) => s !== name).sort()
    const hs4s = [...countBy(ps, (p) => p.hs6.slice(0, 4))].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    )
    for (const [hs4, n] of hs4s) {
      const [hs6, m] = top(
        countBy(
          ps.filter((p) => p.hs6.startsWith(hs4)),
          (p) => p.hs6,
        ),
      )
      classRows.push([
        name,
        aliases.join('|'),
        hs4,
        share(n, ps.length),
        hs6,
        share(m, n),
        String(n),
        String(ps.length),
        source,
        'derived',
      ])
    }

    // Prefixes: 3 to 6 leading letters/digits with at least one letter, ≥ 5 parts and ≥ 90 % on one
    // HS-6. A longer prefix is written only when no shorter written prefix already says the same HS-6.
    const kept: { prefix: string; hs6: string }[] = []
    for (let n = 3; n <= 6; n++) {
      const groups = new Map<string, Part[]>()
      for (const p of ps) {
        const id = normaliseIdentifier(p.part).toUpperCase()
        if (id.length <= n) continue
        const k = id.slice(0, n)
        groups.set(k, [...(groups.get(k) ?? []), p])
      }
      for (const [prefix, group] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
        if (!/[A-Z]/.test(prefix) || group.length < MIN_PREFIX_PARTS) continue
        const [hs6, m] = top(countBy(group, (p) => p.hs6))
        if (m / group.length < MIN_PREFIX_SHARE) continue
        if (kept.some((k) => prefix.startsWith(k.prefix) && k.hs6 === hs6)) continue
        kept.push({ prefix, hs6 })
        const all = prefixAll.get(prefix) ?? []
        const allAgree = all.filter((h) => h === hs6).length
        prefixRows.push([
          prefix,
          name,
          hs6,
          share(m, group.length),
          String(group.length),
          share(allAgree, all.length),
          String(all.length),
          source,
          'derived',
        ])
      }
    }
  }
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
  console.log(`${TNVED_REPO}@${commit}`)
  console.log(
    `  ${rows.length} rows read; ${badCode} without a 10-digit code in HS 2022 (e.g. "other") and ` +
      `${duplicate} repeated maker+part dropped; ${parts.length} parts from ${byMaker.size} makers kept`,
  )
  console.log(
    `  ${makers.length} makers with ≥ ${MIN_MAKER_PARTS} parts → ${classRows.length} maker × HS-4 rows ` +
      `(data/patterns/component_maker_classes.csv); ${prefixRows.length} prefixes → ` +
      'data/patterns/part_number_prefixes.csv',
  )
}

importHmrc()
importTnved()
for (const line of tally.report()) console.log(`  filter: ${line}`)
