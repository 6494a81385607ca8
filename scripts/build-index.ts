/**
 * Compiles the raw data files in data/ into the catalogue artifact (data/build/catalogue.json) that the
 * engine loads on Node and that the Worker bundle imports. Validates every file on the way and exits
 * non-zero, naming the file and row, on the first bad one.
 *
 * Run by `npm ci` (prepare) and `npm start`; by hand: `npm run build:index`.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { compileCatalogue, type RawDataFiles } from '../src/core/catalogue/compile-catalogue'
import {
  createExcludeFilter,
  ExclusionTally,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'
import {
  compileRuEnDictionary,
  compileRuEnSensesByPart,
  type RuEnRow,
} from '../src/core/catalogue/ru-en-dictionary'
import { clearStemCache, stem, stemmedWords } from '../src/core/classify/text'
import { buildTextIndex, linesWithTerm, serializeTextIndex } from '../src/core/classify/text-index'
import { createEngine } from '../src/core/engine'
import { AppError } from '../src/core/errors'
import { textIndexPathFor } from '../src/runtime/catalogue-file'
import { headClassesFor, lexiconFor, materialsFor } from './derive-lexicon'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = join(root, 'data')
const outFile = process.argv[2] ?? join(dataDir, 'build', 'catalogue.json')

const hash = createHash('sha256')

function readText(relative: string): string {
  const text = readFileSync(join(dataDir, relative), 'utf8')
  hash.update(relative).update(text)
  return text
}

function readCsv(relative: string): Record<string, string>[] {
  try {
    return parse(readText(relative), { columns: true, skip_empty_lines: true, bom: true })
  } catch (error) {
    throw new AppError(
      'DATA_INVALID',
      `data/${relative}: not valid CSV: ${(error as Error).message}`,
    )
  }
}

function readOptionalCsv(relative: string): Record<string, string>[] {
  return existsSync(join(dataDir, relative)) ? readCsv(relative) : []
}

/**
 * Outside vocabulary rows pass the evaluation-row filter here as well as in the import, so that a
 * re-import or a hand-edited file cannot bring an evaluation row back (EXCLUDE rules: data/SOURCES.md).
 * Tariff texts (HS, CN, HTS, TN VED) are not filtered: the digest file leaves public tariff text out.
 */
function excludeTally(): ExclusionTally {
  const file = join(root, 'eval', 'exclude.sha256')
  if (!existsSync(file))
    throw new AppError(
      'DATA_INVALID',
      'eval/exclude.sha256 is missing: outside data cannot be checked',
    )
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
  return new ExclusionTally(createExcludeFilter(parseDigests(readFileSync(file, 'utf8')), sha256))
}

function main(): void {
  const started = performance.now()
  const tally = excludeTally()
  const filtered = (relative: string, text: (row: Record<string, string>) => string) =>
    readOptionalCsv(relative).filter((row) => tally.keep(relative, { text: text(row) }))
  const files: RawDataFiles = {
    hsNomenclature: readCsv('hs/hs2022_nomenclature.csv'),
    hsNamesRu: readCsv('hs/hs_names_ru.csv'),
    tnvedLeavesRu: readCsv('hs/tnved_eaeu_10digit_leaves_ru.csv'),
    // Tariff text, but passed through the filter all the same: it came through an outside export.
    tnvedTextsRu: filtered('vocab/tnved_eaeu_2026_ru.csv', (r) => r.text ?? ''),
    htsus: readCsv('vocab/htsus_2025_flat.csv'),
    euCn: readCsv('vocab/eu_cn_2026_cn8.csv'),
    ruDeclarations: filtered('vocab/ru_declarations_hs4.csv', (r) => r.text ?? ''),
    ukSearchReferences: filtered('vocab/uk_hmrc_search_references.csv', (r) => r.term ?? ''),
    ukClassificationExamples: filtered(
      'vocab/uk_hmrc_classification_examples.csv',
      (r) => r.text ?? '',
    ),
    synonyms: readCsv('vocab/trade_synonyms.csv'),
    listsManifest: JSON.parse(readText('lists/lists.json')),
    chp: readCsv('lists/chp_list.csv'),
    euAnnexesCn: readCsv('lists/eu/reg833_annexes_cn.csv'),
    euAnnexViiA: readCsv('lists/eu/reg833_annex_vii_part_a.csv'),
    euDualUse: readCsv('lists/eu/annex_i_2021_821.csv'),
    ukRussiaSchedules: readOptionalCsv('lists/uk/russia_2019_schedule_3a_luxury.csv'),
    programmes: readOptionalCsv('lists/programmes/embargo_programmes.csv'),
    kz106: JSON.parse(readText('lists/kazakhstan_106_goods_status.json')),
    transshipment: readCsv('lists/transshipment_points_fincen_bis_2022.csv'),
    coalition: readOptionalCsv('lists/coalition_countries.csv'),
    euPartners: readCsv('lists/eu_reg833_annex_viii_partner_countries_2022-12.csv'),
    euMemberStates: readCsv('lists/eu_member_states.csv'),
    bearingPatterns: readCsv('patterns/trade_designation_patterns.csv'),
    partFamilies: readOptionalCsv('patterns/part_number_families.csv'),
    manufacturers: readOptionalCsv('patterns/component_manufacturers.csv'),
    // Aggregates without part numbers: the import filtered the parts they were counted from.
    makerClasses: readOptionalCsv('patterns/component_maker_classes.csv'),
    partPrefixes: readOptionalCsv('patterns/part_number_prefixes.csv'),
    familyAgreement: readOptionalCsv('patterns/part_number_family_agreement.csv'),
  }
  // Russian→English dictionary (data/vocab/SOURCES.md §10); compiled against the index below.
  const ruEnRows: RuEnRow[] = filtered('vocab/ru_en_openrussian.csv', (r) => `${r.ru} ${r.en}`).map(
    (r) => ({ ru: r.ru!, pos: r.pos as RuEnRow['pos'], en: r.en!.split('; ') }),
  )
  const artifact = compileCatalogue(files, {
    dataVersion: hash.digest('hex').slice(0, 12),
    builtAt: new Date().toISOString(),
  })
  // Derived from WordNet against the compiled vocabulary (data/vocab/LEXICON.md).
  artifact.lexicon = lexiconFor(artifact.vocab).lexicon
  const index = buildTextIndex(artifact.vocab)
  // Materials and the classes WordNet files them under, for short names' material rule (LEXICON.md).
  const { materials, materialAdjectives } = materialsFor(artifact.vocab)
  artifact.materials = materials
  artifact.materialAdjectives = materialAdjectives
  artifact.headClasses = headClassesFor(
    artifact.vocab,
    artifact.hs.filter((h) => h.level === 'heading'),
  )
  artifact.ruEnDictionary = compileRuEnDictionary(
    ruEnRows,
    stem,
    (term) => linesWithTerm(index, term) > 0,
    (term) => linesWithTerm(index, term),
    // Every word: the classifier reads a short name whose words no line holds together in English
    // (classifier.ts `readInEnglish`), the bridge only words known from few lines.
    Number.POSITIVE_INFINITY,
  )
  artifact.ruEnSensesByPart = compileRuEnSensesByPart(
    ruEnRows,
    stem,
    (term) => linesWithTerm(index, term) > 0,
  )
  mkdirSync(dirname(outFile), { recursive: true })
  const json = JSON.stringify(artifact)
  writeFileSync(outFile, json)
  // The classifier's text index, prebuilt for Node processes (runtime/catalogue-file.ts readEngine).
  // With the stems an engine build makes (an engine built here with a cleared stem cache), which
  // each engine loading the index then seeds instead of stemming them again.
  clearStemCache()
  createEngine(artifact, { textIndex: index })
  const textIndex = serializeTextIndex(
    index,
    { dataVersion: artifact.dataVersion, builtAt: artifact.builtAt },
    stemmedWords(),
  )
  writeFileSync(textIndexPathFor(outFile), textIndex)
  const ms = Math.round(performance.now() - started)
  console.error(
    `catalogue ${artifact.dataVersion}: ${artifact.hs.length} HS codes, ${artifact.vocab.length} vocabulary lines, ` +
      `${artifact.lists.length} lists, ${artifact.componentClasses.makers.length} maker classes, ` +
      `${artifact.componentClasses.prefixes.length} part-number prefixes, ` +
      `${Object.keys(artifact.ruEnDictionary).length} Russian dictionary words, ` +
      `${Object.keys(artifact.materials).length} WordNet materials, ` +
      `${Object.keys(artifact.materialAdjectives).length} adjectives of material, ` +
      `${Object.keys(artifact.headClasses).length} goods heads with classes, ` +
      `${(json.length / 1e6).toFixed(1)} MB → ${outFile} (${ms} ms)`,
  )
  console.error(
    `  text index: ${(textIndex.length / 1e6).toFixed(1)} MB → ${textIndexPathFor(outFile)}`,
  )
  for (const line of tally.report()) console.error(`  ${line}`)
}

try {
  main()
} catch (error) {
  if (error instanceof AppError) {
    console.error(`build:index failed: ${error.message}`)
    for (const d of error.details) console.error(`  ${d.pointer}: ${d.message}`)
    process.exit(1)
  }
  throw error
}
