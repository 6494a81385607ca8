/**
 * @module catalogue/compile-catalogue
 * Turns the parsed data files into the catalogue artifact, validating each one: required columns,
 * code shapes, and that every HS code a list, pattern or vocabulary row names exists in HS 2022.
 * Pure: the build script does the reading.
 */
import { z } from 'zod'
import { AppError, type FieldIssue } from '../errors'
import { LEGAL_STATUSES, REGIMES } from '../schemas'
import {
  type BearingSeries,
  CATALOGUE_FORMAT,
  type CatalogueArtifact,
  type ComponentClasses,
  type ControlList,
  type CountryGroup,
  type EmbargoProgramme,
  type HsEntry,
  type ListEntry,
  type Manufacturer,
  type PartNumberFamily,
  type VocabLine,
} from './types'

type Row = Record<string, string>

export type RawDataFiles = {
  hsNomenclature: Row[]
  hsNamesRu: Row[]
  tnvedLeavesRu: Row[]
  /** EAEU TN VED line texts per HS-6 (vocab/tnved_eaeu_2026_ru.csv); optional for hand-made inputs. */
  tnvedTextsRu?: Row[]
  htsus: Row[]
  euCn: Row[]
  ukSearchReferences: Row[]
  /** Russian goods-declaration texts per HS-4 (vocab/ru_declarations_hs4.csv); optional. */
  ruDeclarations?: Row[]
  /** data/vocab/uk_hmrc_classification_examples.csv (optional: empty when absent). */
  ukClassificationExamples: Row[]
  synonyms: Row[]
  listsManifest: unknown
  chp: Row[]
  euAnnexesCn: Row[]
  euAnnexViiA: Row[]
  euDualUse: Row[]
  /** data/lists/uk/russia_2019_schedule_3a_luxury.csv (optional). */
  ukRussiaSchedules?: Row[]
  /** data/lists/programmes/embargo_programmes.csv (optional). */
  programmes?: Row[]
  kz106: unknown
  transshipment: Row[]
  coalition: Row[]
  euPartners: Row[]
  euMemberStates: Row[]
  bearingPatterns: Row[]
  partFamilies: Row[]
  manufacturers: Row[]
  /** data/patterns/component_maker_classes.csv and part_number_prefixes.csv (optional). */
  makerClasses: Row[]
  partPrefixes: Row[]
  /** data/patterns/part_number_family_agreement.csv (optional): the families against the parts list. */
  familyAgreement?: Row[]
}

const ListManifestSchema = z.object({
  lists: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9_]+$/),
      name: z.string().min(1),
      jurisdiction: z.string().min(1),
      legal_status: z.enum(LEGAL_STATUSES),
      version: z.string().min(1),
      source: z.string().min(1),
      regimes: z.array(z.enum(REGIMES)),
      match: z.enum(['hs_prefix', 'text']),
      note: z.string(),
      destinations: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
      loader: z.object({ kind: z.string(), file: z.string(), annex: z.string().optional() }),
    }),
  ),
  kz_106_categories: z.array(
    z.object({ code: z.string().regex(/^\d{4,6}$/), title: z.string(), derivation: z.string() }),
  ),
})

const Kz106Schema = z.object({
  status: z.string(),
  events: z.array(
    z.object({
      date: z.string(),
      type: z.string(),
      who: z.string(),
      content: z.string(),
      sources: z.array(z.string()),
    }),
  ),
})

/** Collects problems per file so one run names all of them, then throws once. */
class Problems {
  private readonly issues: FieldIssue[] = []
  add(file: string, row: number | null, message: string): void {
    this.issues.push({ pointer: row === null ? `/${file}` : `/${file}/${row}`, message })
  }
  throwIfAny(): void {
    if (this.issues.length === 0) return
    const shown = this.issues.slice(0, 50)
    throw new AppError(
      'DATA_INVALID',
      `${this.issues.length} problem(s) in the data files; first: ${shown[0]!.pointer}: ${shown[0]!.message}`,
      { details: shown },
    )
  }
}

function requireColumns(problems: Problems, file: string, rows: Row[], columns: string[]): void {
  if (rows.length === 0) {
    problems.add(file, null, 'file is empty')
    return
  }
  for (const column of columns) {
    if (!(column in rows[0]!)) problems.add(file, null, `missing column "${column}"`)
  }
}

function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

export function compileCatalogue(
  files: RawDataFiles,
  meta: { dataVersion: string; builtAt: string },
): CatalogueArtifact {
  const problems = new Problems()

  // HS 2022 nomenclature: the reference every other code is checked against.
  requireColumns(problems, 'hs/hs2022_nomenclature.csv', files.hsNomenclature, [
    'code',
    'level',
    'description',
  ])
  requireColumns(problems, 'hs/hs_names_ru.csv', files.hsNamesRu, [
    'code',
    'name_ru_tnved_fns2022',
    'name_ru_ett2017',
  ])
  problems.throwIfAny()

  const ruByCode = new Map(files.hsNamesRu.map((r) => [r.code!, r]))
  const hs: HsEntry[] = []
  const known = new Set<string>()
  files.hsNomenclature.forEach((row, i) => {
    const code = row.code ?? ''
    const level = row.level
    const digits = { chapter: 2, heading: 4, subheading: 6 }[level as 'chapter']
    if (!digits || !/^\d+$/.test(code) || code.length !== digits) {
      problems.add('hs/hs2022_nomenclature.csv', i + 2, `bad code "${code}" for level "${level}"`)
      return
    }
    const ru = ruByCode.get(code)
    const ruName = clean(ru?.name_ru_tnved_fns2022) || clean(ru?.name_ru_ett2017) || null
    hs.push({
      code,
      level: level as HsEntry['level'],
      title: clean(row.description),
      titleRu: ruName,
    })
    known.add(code)
  })
  problems.throwIfAny()

  const isKnownHs = (code: string): boolean => {
    if (code.length === 2 || code.length === 4 || code.length === 6) return known.has(code)
    return code.length > 6 && /^\d+$/.test(code) && known.has(code.slice(0, 6))
  }

  const vocab: VocabLine[] = []
  const seen = new Set<string>()
  const addLine = (code: string, text: string, source: VocabLine['source']): void => {
    const t = clean(text)
    if (!t || /^other$/i.test(t) || /^прочие$/i.test(t)) return
    const key = `${code}|${t.toLowerCase()}`
    if (seen.has(key)) return
    seen.add(key)
    vocab.push({ code, text: t, source })
  }

  for (const entry of hs) {
    if (entry.level === 'subheading') addLine(entry.code, entry.title, 'hs2022')
    if (entry.level === 'heading') addLine(entry.code, entry.title, 'hs2022_heading')
  }

  // Russian names: subheading names in the EAEU tariff are relative to their heading, so the heading
  // name is kept as its own line and the subheading line stands alone (SOURCES.md §3).
  files.hsNamesRu.forEach((row) => {
    const code = row.code ?? ''
    if (!known.has(code) || code.length < 4) return
    addLine(code, clean(row.name_ru_tnved_fns2022).toLowerCase(), 'hs_ru')
    if (row.hs2017_status !== 'new_in_hs2022') addLine(code, clean(row.name_ru_ett2017), 'hs_ru')
  })
  files.tnvedLeavesRu.forEach((row, i) => {
    const hs6 = row.hs6 ?? ''
    if (!known.has(hs6)) {
      problems.add(
        'hs/tnved_eaeu_10digit_leaves_ru.csv',
        i + 2,
        `unknown HS 2022 subheading "${hs6}"`,
      )
      return
    }
    addLine(hs6, row.name_ru ?? '', 'tnved_ru')
  })
  // The texts of the current TN VED reach the subheadings the 2017 names and the leaves above miss
  // (8539 51 LED modules, every heading not divided in TNVED3); one line per distinct line text.
  ;(files.tnvedTextsRu ?? []).forEach((row, i) => {
    const hs6 = row.hs6 ?? ''
    if (!known.has(hs6) || hs6.length !== 6) {
      problems.add('vocab/tnved_eaeu_2026_ru.csv', i + 2, `unknown HS 2022 subheading "${hs6}"`)
      return
    }
    addLine(hs6, row.text ?? '', 'tnved_eaeu_2026')
  })
  // The trade words of Russian declarants ("пылесос", "подшипник"), which the tariff texts above do
  // not use; attached to the heading, the only level the source gives (data/vocab/SOURCES.md §9).
  ;(files.ruDeclarations ?? []).forEach((row, i) => {
    const hs4 = row.hs4 ?? ''
    if (!/^\d{4}$/.test(hs4) || !known.has(hs4)) {
      problems.add('vocab/ru_declarations_hs4.csv', i + 2, `unknown HS 2022 heading "${hs4}"`)
      return
    }
    addLine(hs4, row.text ?? '', 'ru_declaration')
  })

  // US HTS and EU CN lines: the heading text is cut off (it is indexed once, as the heading line), so
  // a line carries what distinguishes the national line within its heading.
  const headingText = new Map(hs.filter((h) => h.level === 'heading').map((h) => [h.code, h.title]))
  files.htsus.forEach((row, i) => {
    const hs6 = row.hs6 ?? ''
    if (!hs6) {
      if (row.level === '4' && known.has(row.hs4 ?? ''))
        addLine(row.hs4!, row.description ?? '', 'htsus_2025')
      return
    }
    if (!known.has(hs6)) {
      problems.add('vocab/htsus_2025_flat.csv', i + 2, `unknown HS 2022 subheading "${hs6}"`)
      return
    }
    const full = clean(row.full_description)
    const cut = full.indexOf(': ')
    addLine(hs6, cut >= 0 ? full.slice(cut + 2) : full, 'htsus_2025')
  })
  files.euCn.forEach((row, i) => {
    const hs6 = row.hs6 ?? ''
    if (!known.has(hs6)) {
      problems.add('vocab/eu_cn_2026_cn8.csv', i + 2, `unknown HS 2022 subheading "${hs6}"`)
      return
    }
    const heading = clean(row.heading_description)
    let full = clean(row.full_description)
    if (heading && full.startsWith(heading)) full = full.slice(heading.length).replace(/^:\s*/, '')
    addLine(hs6, full, 'eu_cn_2026')
  })
  files.ukSearchReferences.forEach((row, i) => {
    const hs6 = row.hs6 ?? ''
    if (!known.has(hs6)) {
      problems.add(
        'vocab/uk_hmrc_search_references.csv',
        i + 2,
        `unknown HS 2022 subheading "${hs6}"`,
      )
      return
    }
    addLine(hs6, row.term ?? '', 'uk_search_reference')
  })
  // Optional files may be absent from hand-made inputs (tests): treated as empty.
  compileClassificationExamples(files.ukClassificationExamples ?? [], problems, known, addLine)
  requireColumns(problems, 'vocab/trade_synonyms.csv', files.synonyms, ['code', 'terms', 'basis'])
  files.synonyms.forEach((row, i) => {
    const code = row.code ?? ''
    if (!isKnownHs(code) || code.length > 6) {
      problems.add('vocab/trade_synonyms.csv', i + 2, `unknown HS 2022 code "${code}"`)
      return
    }
    if (!clean(row.basis)) problems.add('vocab/trade_synonyms.csv', i + 2, 'no basis given')
    for (const term of (row.terms ?? '').split('|')) addLine(code, term, 'synonym')
  })
  problems.throwIfAny()

  const lists = compileLists(files, problems, isKnownHs, headingText)
  const countryGroups = compileCountryGroups(files, problems)
  const bearings = compileBearings(files, problems, isKnownHs)
  const partFamilies = compilePartFamilies(files, problems, isKnownHs)
  const manufacturers = compileManufacturers(files, problems)
  const componentClasses = compileComponentClasses(files, problems, isKnownHs)
  const programmes = compileProgrammes(files.programmes ?? [], problems)
  const kz = Kz106Schema.safeParse(files.kz106)
  if (!kz.success) problems.add('lists/kazakhstan_106_goods_status.json', null, kz.error.message)
  problems.throwIfAny()

  const statements = kz.success
    ? kz.data.events.map((e, i) => ({
        id: `kz_106_${i + 1}`,
        date: e.date,
        text: `${e.who}: ${e.content}`,
        sources: e.sources,
      }))
    : []

  return {
    format: CATALOGUE_FORMAT,
    dataVersion: meta.dataVersion,
    builtAt: meta.builtAt,
    hs,
    vocab,
    lists,
    countryGroups,
    bearings,
    partFamilies,
    manufacturers,
    componentClasses,
    statements,
    programmes,
  }
}

const PROGRAMME_EFFECTS = new Set(['prohibited', 'high_risk', 'review'])
const EMBARGOED_COUNTRIES = new Set(['IR', 'KP', 'SY', 'CU'])

/** Country programmes per regime (data/lists/programmes/SOURCES.md): one row per regime and country. */
function compileProgrammes(rows: Row[], problems: Problems): EmbargoProgramme[] {
  const file = 'lists/programmes/embargo_programmes.csv'
  const seen = new Set<string>()
  return rows.flatMap((row, i) => {
    const regime = clean(row.regime)
    const country = clean(row.country)
    const effect = clean(row.effect)
    const key = `${regime}|${country}`
    if (!(REGIMES as readonly string[]).includes(regime))
      problems.add(file, i + 2, `unknown regime "${regime}"`)
    if (!EMBARGOED_COUNTRIES.has(country))
      problems.add(file, i + 2, `not an embargoed country "${country}"`)
    if (!PROGRAMME_EFFECTS.has(effect)) problems.add(file, i + 2, `bad effect "${effect}"`)
    if (seen.has(key)) problems.add(file, i + 2, `second row for ${key}`)
    seen.add(key)
    for (const column of ['programme', 'act', 'banned', 'source'])
      if (!clean(row[column])) problems.add(file, i + 2, `no ${column}`)
    return [
      {
        regime: regime as EmbargoProgramme['regime'],
        country,
        programme: clean(row.programme),
        act: clean(row.act),
        banned: clean(row.banned),
        effect: effect as EmbargoProgramme['effect'],
        source: clean(row.source),
        sourceDate: clean(row.source_date),
        note: clean(row.note),
      },
    ]
  })
}

/**
 * LLM-written colloquial terms and synonyms per HS-6 (data/vocab/SOURCES.md). Brands could be indexed
 * only when every code the models gave a brand lies in one HS-4: a brand that spans headings ("Bosch":
 * drills, fridges, spark plugs) says nothing about which one.
 */
function compileClassificationExamples(
  rows: Row[],
  problems: Problems,
  known: Set<string>,
  addLine: (code: string, text: string, source: 'uk_classification_example') => void,
): void {
  const file = 'vocab/uk_hmrc_classification_examples.csv'
  if (rows.length === 0) return
  requireColumns(problems, file, rows, ['code', 'kind', 'text', 'source_model'])
  problems.throwIfAny()
  const brandHeadings = new Map<string, Set<string>>()
  rows.forEach((row, i) => {
    const code = row.code ?? ''
    if (!/^\d{6}$/.test(code) || !known.has(code)) {
      problems.add(file, i + 2, `unknown HS 2022 subheading "${code}"`)
      return
    }
    if (row.kind === 'brand') {
      const brand = clean(row.text).toLowerCase()
      brandHeadings.set(brand, (brandHeadings.get(brand) ?? new Set()).add(code.slice(0, 4)))
    } else if (row.kind !== 'colloquial' && row.kind !== 'synonym') {
      problems.add(file, i + 2, `unknown kind "${row.kind}"`)
    }
  })
  for (const row of rows) {
    if (!known.has(row.code ?? '')) continue
    if (row.kind === 'brand') {
      if (!INDEX_SINGLE_HEADING_BRANDS) continue
      if (brandHeadings.get(clean(row.text).toLowerCase())?.size !== 1) continue
    }
    addLine(row.code!, row.text ?? '', 'uk_classification_example')
  }
}

/**
 * Brands confined to one HS-4 as vocabulary lines: off. Measured (data/vocab/SOURCES.md): on the
 * short trade names of HSBench they moved HS-4 top-1 by +0.2 pt, on dev.jsonl they cost 2 CHP rows.
 * The brands stay in the CSV for a maker-aware reading.
 */
const INDEX_SINGLE_HEADING_BRANDS = false

function share(text: string | undefined): number {
  const n = Number(text)
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : Number.NaN
}

/** Derived maker → HS-4/HS-6 table and part-number prefixes (data/patterns/SOURCES.md). */
function compileComponentClasses(
  files: RawDataFiles,
  problems: Problems,
  isKnownHs: (code: string) => boolean,
): ComponentClasses {
  const classesFile = 'patterns/component_maker_classes.csv'
  const prefixesFile = 'patterns/part_number_prefixes.csv'
  const out: ComponentClasses = { source: '', basis: '', makers: [], prefixes: [] }
  const sources = new Set<string>()
  const checkCommon = (file: string, row: Row, i: number): boolean => {
    if (!clean(row.source)) problems.add(file, i + 2, 'no source')
    if (row.basis !== 'derived') problems.add(file, i + 2, 'basis must say "derived"')
    if (!/^\d{6}$/.test(row.hs6 ?? '') || !isKnownHs(row.hs6!)) {
      problems.add(file, i + 2, `unknown HS 2022 subheading "${row.hs6}"`)
      return false
    }
    sources.add(clean(row.source))
    return true
  }
  const makerRows = files.makerClasses ?? []
  makerRows.forEach((row, i) => {
    if (!checkCommon(classesFile, row, i)) return
    const m = {
      maker: clean(row.maker),
      aliases: (row.aliases ?? '').split('|').map(clean).filter(Boolean),
      hs4: clean(row.hs4),
      hs4Share: share(row.hs4_share),
      hs6: row.hs6!,
      hs6Share: share(row.hs6_share),
      parts: Number(row.parts),
      makerParts: Number(row.maker_parts),
      // "854110 40|854129 8": the parts per HS-6 (optional column).
      ...(clean(row.hs6_parts)
        ? {
            hs6Parts: Object.fromEntries(
              clean(row.hs6_parts)
                .split('|')
                .map((pair) => pair.trim().split(/\s+/))
                .map(([code, n]) => [code ?? '', Number(n)]),
            ),
          }
        : {}),
    }
    if (!m.maker || !isKnownHs(m.hs4) || !m.hs6.startsWith(m.hs4))
      problems.add(classesFile, i + 2, `bad maker or HS-4 "${m.maker}" "${m.hs4}"`)
    const perHs6 = Object.entries(m.hs6Parts ?? {})
    if (
      perHs6.some(([code, n]) => !code.startsWith(m.hs4) || !isKnownHs(code) || !(n > 0)) ||
      (perHs6.length > 0 && perHs6.reduce((sum, [, n]) => sum + n, 0) !== m.parts)
    )
      problems.add(classesFile, i + 2, 'hs6_parts must be "HS-6 count" pairs summing to parts')
    if ([m.hs4Share, m.hs6Share, m.parts, m.makerParts].some((n) => Number.isNaN(n)))
      problems.add(classesFile, i + 2, 'share or count is not a number')
    out.makers.push(m)
  })
  const prefixRows = files.partPrefixes ?? []
  prefixRows.forEach((row, i) => {
    if (!checkCommon(prefixesFile, row, i)) return
    const p = {
      prefix: clean(row.prefix),
      maker: clean(row.maker),
      hs6: row.hs6!,
      share: share(row.share),
      parts: Number(row.parts),
      shareAllMakers: share(row.share_all_makers),
      partsAllMakers: Number(row.parts_all_makers),
    }
    if (!/^[A-Z0-9]{3,6}$/.test(p.prefix) || !/[A-Z]/.test(p.prefix))
      problems.add(prefixesFile, i + 2, `bad prefix "${p.prefix}"`)
    if ([p.share, p.parts, p.shareAllMakers, p.partsAllMakers].some((n) => Number.isNaN(n)))
      problems.add(prefixesFile, i + 2, 'share or count is not a number')
    out.prefixes.push(p)
  })
  out.source = [...sources].join(' ; ')
  out.basis = out.source
    ? 'derived: counts over the parts list (maker, part number, EAEU TN VED code); HS-6 = first 6 digits of the TN VED code'
    : ''
  return out
}

function compileLists(
  files: RawDataFiles,
  problems: Problems,
  isKnownHs: (code: string) => boolean,
  headingText: Map<string, string>,
): ControlList[] {
  const manifest = ListManifestSchema.safeParse(files.listsManifest)
  if (!manifest.success) {
    problems.add('lists/lists.json', null, manifest.error.message)
    problems.throwIfAny()
    return []
  }
  const lists: ControlList[] = []
  for (const spec of manifest.data.lists) {
    const entries: ListEntry[] = []
    const file = `lists/${spec.loader.file}`
    switch (spec.loader.kind) {
      case 'chp':
        files.chp.forEach((row, i) => {
          const code = row.hs6 ?? ''
          if (!/^\d{6}$/.test(code) || !isKnownHs(code))
            problems.add(file, i + 2, `bad CHP code "${code}"`)
          if (!/^(1|2|3\.A|3\.B|4\.A|4\.B)$/.test(row.tier ?? ''))
            problems.add(file, i + 2, `bad tier "${row.tier}"`)
          entries.push({
            code,
            title: clean(row.chp_description) || clean(row.hs2022_description),
            tier: row.tier ?? null,
            partial: false,
          })
        })
        if (entries.length !== 50)
          problems.add(file, null, `expected the 50 CHP codes, found ${entries.length}`)
        break
      case 'eu_annex':
        files.euAnnexesCn.forEach((row, i) => {
          if (row.annex !== spec.loader.annex) return
          const listed = row.cn_code ?? ''
          if (!/^\d{2,8}$/.test(listed)) {
            problems.add(file, i + 2, `bad code "${listed}" in annex ${row.annex}`)
            return
          }
          // "2612 00 00" names the whole heading where HS 2022 divides it further (as SOURCES.md does
          // for "2701 00"): match it as the heading.
          const code =
            !isKnownHs(listed) && /^\d{4}0+$/.test(listed) && isKnownHs(listed.slice(0, 4))
              ? listed.slice(0, 4)
              : listed
          const title = clean(row.description) || headingText.get(code.slice(0, 4)) || code
          entries.push({
            code,
            // Codes kept as published that HS 2022 no longer has (an HS 2017 code, CN chapter 98)
            // can match only a declared code, and say so.
            title: isKnownHs(code) ? title : `${title} (code as published; not an HS 2022 code)`,
            tier: clean(row.part) || null,
            partial: row.ex_only_part === 'yes',
          })
        })
        break
      case 'uk_schedule':
        ;(files.ukRussiaSchedules ?? []).forEach((row, i) => {
          if (row.schedule !== spec.loader.annex) return
          const listed = row.commodity_code ?? ''
          if (!/^\d{4,10}$/.test(listed)) {
            problems.add(file, i + 2, `bad commodity code "${listed}"`)
            return
          }
          if (!clean(row.condition))
            problems.add(file, i + 2, 'no condition (write "none" if the law sets none)')
          if (!clean(row.source) || !clean(row.legal_basis))
            problems.add(file, i + 2, 'no source or legal basis')
          // Derived reading (data/lists/uk/SOURCES.md): an 8-digit code ending "00" names its whole HS-6,
          // and "2106 00 00" its whole heading, as for the EU annexes.
          const code =
            /^\d{4}0+$/.test(listed) &&
            !isKnownHs(listed.slice(0, 6)) &&
            isKnownHs(listed.slice(0, 4))
              ? listed.slice(0, 4)
              : listed.length === 8 && listed.endsWith('00') && isKnownHs(listed.slice(0, 6))
                ? listed.slice(0, 6)
                : listed
          if (!isKnownHs(code)) {
            problems.add(file, i + 2, `unknown HS 2022 code "${listed}"`)
            return
          }
          const condition = clean(row.condition)
          entries.push({
            code,
            title: clean(row.description) || headingText.get(code.slice(0, 4)) || code,
            tier: `Sch. ${row.schedule} para. ${clean(row.paragraph)}`,
            partial: false,
            ...(condition && condition !== 'none' ? { condition } : {}),
          })
        })
        break
      case 'eu_vii_a':
        files.euAnnexViiA.forEach((row, i) => {
          const code = clean(row.control_code)
          if (!/^X\.[A-E]\.[IVX]+\.\d{3}$/.test(code))
            problems.add(file, i + 2, `bad control code "${code}"`)
          entries.push({
            code,
            title: clean(row.heading),
            tier: clean(row.category) || null,
            partial: false,
            text: clean(row.heading),
          })
        })
        break
      case 'eu_dual_use':
        files.euDualUse.forEach((row, i) => {
          const code = clean(row.code)
          if (!/^\d[A-E]\d{3}$/.test(code)) problems.add(file, i + 2, `bad control code "${code}"`)
          entries.push({
            code,
            title: clean(row.heading),
            tier: `Category ${row.category}`,
            partial: true,
            text: clean(row.heading),
          })
        })
        break
      case 'kz_106':
        for (const category of manifest.data.kz_106_categories) {
          if (!isKnownHs(category.code))
            problems.add('lists/lists.json', null, `unknown code ${category.code}`)
          entries.push({
            code: category.code,
            title: category.title,
            tier: null,
            partial: false,
            derivation: category.derivation,
          })
        }
        break
      default:
        problems.add(
          'lists/lists.json',
          null,
          `unknown loader kind "${spec.loader.kind}" for ${spec.id}`,
        )
    }
    if (entries.length === 0) problems.add(file, null, `list ${spec.id} has no entries`)
    const { loader: _loader, ...meta } = spec
    lists.push({ ...meta, entries })
  }
  return lists
}

const ISO2 = /^[A-Z]{2}$/

function compileCountryGroups(files: RawDataFiles, problems: Problems): CountryGroup[] {
  const groups: CountryGroup[] = []
  const transshipment: CountryGroup = {
    id: 'transshipment_fincen_bis_2022',
    name: 'Common transshipment points (FinCEN & BIS joint alert)',
    source:
      'FinCEN & BIS Joint Alert of 28 June 2022 ("include but are not limited to"), as quoted by four news pages (data/SOURCES.md §7)',
    version: '2022-06-28',
    members: [],
  }
  files.transshipment.forEach((row, i) => {
    const iso2 = clean(row.iso2)
    if (!ISO2.test(iso2))
      problems.add('lists/transshipment_points_fincen_bis_2022.csv', i + 2, `bad iso2 "${iso2}"`)
    transshipment.members.push({
      iso2,
      name: clean(row.country),
      basis: clean(row.list),
      source: clean(row.sources),
    })
  })
  groups.push(transshipment)

  const coalition: CountryGroup = {
    id: 'coalition',
    name: 'Countries applying substantially similar export controls on Russia and Belarus',
    source: 'EAR Supplement No. 3 to Part 746, plus the United States (data/lists/SOURCES.md)',
    version: '',
    members: [],
  }
  files.coalition.forEach((row, i) => {
    const iso2 = clean(row.iso2)
    if (!ISO2.test(iso2)) problems.add('lists/coalition_countries.csv', i + 2, `bad iso2 "${iso2}"`)
    if (!clean(row.source)) problems.add('lists/coalition_countries.csv', i + 2, 'no source')
    // Every row names the rule that added the country, or says that it was not read.
    if (!clean(row.rule)) problems.add('lists/coalition_countries.csv', i + 2, 'no rule')
    coalition.members.push({
      iso2,
      name: clean(row.country),
      basis: clean(row.basis),
      source: clean(row.source),
      rule: clean(row.rule),
      ruleDate: clean(row.rule_date),
    })
  })
  groups.push(coalition)

  const partners: CountryGroup = {
    id: 'eu_833_annex_viii',
    name: 'EU Reg. 833/2014 Annex VIII partner countries',
    source:
      'EU Reg. 833/2014 Annex VIII as consolidated on 2022-12-04 (legalize-dev/legalize-eu@0107f54c)',
    version: '2022-12-04',
    members: [],
  }
  files.euPartners.forEach((row, i) => {
    const iso2 = clean(row.iso2)
    if (!ISO2.test(iso2))
      problems.add(
        'lists/eu_reg833_annex_viii_partner_countries_2022-12.csv',
        i + 2,
        `bad iso2 "${iso2}"`,
      )
    partners.members.push({
      iso2,
      name: clean(row.country_as_published),
      basis: 'Annex VIII',
      source: clean(row.source),
    })
  })
  groups.push(partners)

  const members: CountryGroup = {
    id: 'eu_member_states',
    name: 'EU Member States',
    source:
      'EU Interinstitutional Style Guide, point 7.1 Countries, Rev. 23 of 1.2.2020 (data/lists/SOURCES.md)',
    version: '2020-02-01',
    members: [],
  }
  files.euMemberStates.forEach((row, i) => {
    const iso2 = clean(row.iso2)
    if (!ISO2.test(iso2)) problems.add('lists/eu_member_states.csv', i + 2, `bad iso2 "${iso2}"`)
    members.members.push({
      iso2,
      name: clean(row.country),
      basis: 'EU Member State',
      source: clean(row.source),
    })
  })
  if (members.members.length !== 27)
    problems.add(
      'lists/eu_member_states.csv',
      null,
      `expected 27 Member States, found ${members.members.length}`,
    )
  groups.push(members)
  return groups
}

function compileBearings(
  files: RawDataFiles,
  problems: Problems,
  isKnownHs: (code: string) => boolean,
): CatalogueArtifact['bearings'] {
  const series: BearingSeries[] = []
  const suffixes: string[] = []
  let suffixSource = ''
  files.bearingPatterns.forEach((row, i) => {
    const file = 'patterns/trade_designation_patterns.csv'
    if (row.pattern_type === 'series') {
      const hs6 = clean(row.hs6_candidate)
      if (!isKnownHs(hs6)) problems.add(file, i + 2, `unknown HS code "${hs6}"`)
      // "60xx, 62xx, 618xx" → prefixes 60, 62, 618; the two x are the bore code. Parenthesised
      // qualifiers ("(4-digit)") only restate the length and are dropped.
      const pattern = (row.pattern ?? '').replace(/\([^)]*\)/g, '')
      for (const part of pattern.split(',')) {
        const m = /^([A-Z]*\d*)xx$/.exec(part.trim())
        if (!m) {
          problems.add(file, i + 2, `cannot read series "${part.trim()}"`)
          continue
        }
        series.push({
          prefix: m[1]!,
          meaning: clean(row.meaning),
          hs6,
          source: clean(row.source_url),
        })
      }
    } else if (row.pattern_type === 'suffix') {
      for (const s of (row.pattern ?? '').split(/[,/]/)) suffixes.push(s.trim().toUpperCase())
      suffixSource = [suffixSource, clean(row.source_url)].filter(Boolean).join(' ; ')
    }
  })
  if (series.length === 0)
    problems.add('patterns/trade_designation_patterns.csv', null, 'no series patterns')
  return { series, suffixes: [...new Set(suffixes.filter(Boolean))], suffixSource }
}

function compilePartFamilies(
  files: RawDataFiles,
  problems: Problems,
  isKnownHs: (code: string) => boolean,
): PartNumberFamily[] {
  const file = 'patterns/part_number_families.csv'
  const agreementFile = 'patterns/part_number_family_agreement.csv'
  const agreementById = new Map<string, NonNullable<PartNumberFamily['listed']>>()
  ;(files.familyAgreement ?? []).forEach((row, i) => {
    if (row.basis !== 'derived') problems.add(agreementFile, i + 2, 'basis must say "derived"')
    if (!clean(row.agreement)) return
    const parts = Number(row.parts)
    const sameHeading = Number(row.same_hs4)
    const agreement = Number(row.agreement)
    if (
      !(parts > 0) ||
      !(sameHeading >= 0 && sameHeading <= parts) ||
      !(agreement >= 0 && agreement <= 1) ||
      !clean(row.source)
    ) {
      problems.add(agreementFile, i + 2, 'parts, agreement (0–1) and source are required')
      return
    }
    agreementById.set(clean(row.family_id), {
      parts,
      sameHeading,
      agreement,
      source: clean(row.source),
    })
  })
  return files.partFamilies.flatMap((row, i) => {
    const hs6 = clean(row.hs6)
    const regex = clean(row.regex)
    try {
      new RegExp(regex, 'i')
    } catch {
      problems.add(file, i + 2, `invalid regex "${regex}"`)
      return []
    }
    if (!/^\d{6}$/.test(hs6) || !isKnownHs(hs6)) {
      problems.add(file, i + 2, `unknown HS code "${hs6}"`)
      return []
    }
    if (!clean(row.source)) problems.add(file, i + 2, 'no source')
    const listed = agreementById.get(clean(row.family_id))
    return [
      {
        ...(listed ? { listed } : {}),
        id: clean(row.family_id),
        regex,
        manufacturer: clean(row.manufacturer),
        componentType: clean(row.component_type),
        hs6,
        hs6Basis: clean(row.hs6_basis),
        source: clean(row.source),
      },
    ]
  })
}

function compileManufacturers(files: RawDataFiles, problems: Problems): Manufacturer[] {
  return files.manufacturers.flatMap((row, i) => {
    const name = clean(row.name)
    if (!name || !clean(row.source)) {
      problems.add('patterns/component_manufacturers.csv', i + 2, 'name and source are required')
      return []
    }
    const aliases = (row.aliases ?? '').split('|').map(clean).filter(Boolean)
    return [{ name, aliases, kind: clean(row.kind), source: clean(row.source) }]
  })
}
