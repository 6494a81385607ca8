/**
 * @module catalogue/derive-lexicon
 * Build-time derivation of the lexicon: for WordNet noun lemmas the tariff vocabulary does not know
 * (or knows from fewer than three lines), up to three WordNet synonyms or hypernyms it does know
 * ("sofa" → "seat", "walkie-talkie" → "radiotelephone"). The result is *derived* data, from WordNet
 * 3.1 (Princeton WordNet licence), not curated; data/vocab/LEXICON.md describes it.
 *
 * Pure: takes the texts of WordNet's `index.noun` and `data.noun` and the index's document
 * frequencies; the build script reads the files.
 */
import { stem } from '../classify/text'
import type { CatalogueArtifact } from './types'

/**
 * Query key → expansions, each `[lemma, distance]`: 0 a synonym (same synset), 1–3 hypernym levels up.
 * The key is the Snowball stem of the lemma, collocation words joined by `_` ("walki_talki"), so the
 * query side finds plural and hyphenated spellings by the stems it already has. Lemmas keep WordNet's
 * spelling (`table_linen`) so a user can read what the word was taken for.
 */
export type Lexicon = NonNullable<CatalogueArtifact['lexicon']>

export type LexiconVocabulary = {
  /** Lines of the text index holding the term (0: not an index term). */
  lineCount(term: string): number
  /** Lines in the index, for the share above which a term is too generic to be an expansion. */
  totalLines: number
}

export const LEXICON_SETTINGS = {
  /** WordNet lists a lemma's senses most frequent first; later senses add more noise than help. */
  senses: 2,
  /**
   * An expansion lemma must name its synset in one of its own first senses: "seat" (3rd sense:
   * furniture) stands for the synset, "link" (8th sense: radio link) would be read as a chain link.
   */
  expansionSenses: 3,
  /** Hypernym levels climbed: sofa → seat → furniture → furnishing. Above, the nodes are abstract. */
  maxDistance: 3,
  maxExpansions: 3,
  /** A query word known from fewer lines than this is still looked up (one HTS line is thin evidence). */
  rareBelow: 3,
  /** An expansion word in more than this share of lines ("other", "apparatus") finds everything. */
  genericShare: 0.02,
  /** Shorter lemmas are mostly abbreviations ("tv", "pc" are handled by the trade synonyms). */
  minLength: 3,
  /**
   * An acronym WordNet writes in capitals ("PVC", a lemma of polyvinyl_chloride) and the index knows
   * from fewer lines than this is also read as its full name (step 70); "LED" (219 lines) is not.
   */
  acronymRareBelow: 20,
}

/**
 * Lexicographer files whose senses name tangible goods (WordNet's lexnames: 05 animal, 06 artifact,
 * 13 food, 17 object, 20 plant, 27 substance). A query word is expanded only by such senses:
 * "antenna" the aerial (artifact), not the feeler or the sensitivity (attribute). 08 body is left
 * out: its thousands of anatomical names ("vena pudendum") are not goods, and the animal products
 * among them ("liver", "tripe") have food senses.
 */
const GOODS_LEX_FILES = new Set([5, 6, 13, 17, 20, 27])

/** Taxonomic names ("genus Coragyps", "family Marchantiaceae") name no goods. */
const TAXON_WORDS = new Set(
  'genus subgenus family subfamily superfamily order suborder superorder class subclass phylum subphylum division tribe kingdom'.split(
    ' ',
  ),
)

/**
 * Abstract WordNet nodes that sit above most goods: as expansions they would pull whatever tariff
 * line mentions "device", "part" or "material". Some are frequent in the tariff texts too and caught by
 * the generic share as well; the list holds the rest (team's list, read off the WordNet top nodes).
 */
export const ABSTRACT_LEMMAS = new Set(
  (
    'entity physical_entity abstraction abstract_entity object physical_object whole unit thing ' +
    'artifact artefact instrumentality instrumentation device contrivance thing matter substance ' +
    'material stuff part portion piece component constituent element unit commodity goods ' +
    'trade_good consumer_goods merchandise product production creation structure construction ' +
    'equipment implement container covering system means mechanism living_thing organism being ' +
    'natural_object solid fluid liquid compound chemical_compound mixture item whole_thing ' +
    // Shape and place nodes reached from goods ("stalactite" → "cylinder", "beehive" → "point").
    'component_part flat_solid shape round_shape point geographic_point topographic_point'
  )
    .trim()
    .split(/\s+/),
)

type Synset = {
  offset: string
  lexFile: number
  lemmas: string[]
  hypernyms: string[]
  instance: boolean
}

/** WordNet lemma → the stems of its words, or null when it is not a word or a two-word collocation. */
function lemmaStems(lemma: string): string[] | null {
  const words = lemma.toLowerCase().split(/[_-]/)
  if (words.length > 2 || !words.every((w) => /^[a-z]{2,}$/.test(w))) return null
  // text.ts looks spellings up in a plain object, where "constructor" finds Object's own function.
  if (words.some((w) => Object.hasOwn(Object.prototype, w))) return null
  return words.map(stem)
}

/** `data.noun` → synsets by offset (license header lines start with spaces and are skipped). */
export function parseDataNoun(text: string): Map<string, Synset> {
  const synsets = new Map<string, Synset>()
  for (const line of text.split('\n')) {
    if (!/^\d{8} /.test(line)) continue
    // offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset pos src/tgt]... | gloss
    const fields = line
      .slice(0, line.indexOf(' | ') >= 0 ? line.indexOf(' | ') : undefined)
      .split(' ')
    const wordCount = Number.parseInt(fields[3]!, 16)
    const lemmas: string[] = []
    // Adjective markers like "(a)" only occur in data.adj, but strip them anyway.
    for (let i = 0; i < wordCount; i++) lemmas.push(fields[4 + 2 * i]!.replace(/\(.*\)$/, ''))
    let at = 4 + 2 * wordCount
    const pointerCount = Number(fields[at++])
    const hypernyms: string[] = []
    let instance = false
    for (let i = 0; i < pointerCount; i++, at += 4) {
      const symbol = fields[at]!
      if ((symbol === '@' || symbol === '@i') && fields[at + 2] === 'n')
        hypernyms.push(fields[at + 1]!)
      if (symbol === '@i') instance = true
    }
    synsets.set(fields[0]!, {
      offset: fields[0]!,
      lexFile: Number(fields[1]),
      lemmas,
      hypernyms,
      instance,
    })
  }
  return synsets
}

/** `index.noun` → lemma → synset offsets, most frequent sense first. */
export function parseIndexNoun(text: string): Map<string, string[]> {
  const senses = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    if (line.startsWith(' ') || !line.trim()) continue
    // lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt synset_offset...
    const fields = line.trim().split(' ')
    const synsetCount = Number(fields[2])
    senses.set(fields[0]!, fields.slice(fields.length - synsetCount))
  }
  return senses
}

export function deriveLexicon(
  wordnet: { indexNoun: string; dataNoun: string },
  vocabulary: LexiconVocabulary,
  settings = LEXICON_SETTINGS,
): Lexicon {
  const synsets = parseDataNoun(wordnet.dataNoun)
  const senses = parseIndexNoun(wordnet.indexNoun)
  const genericAbove = settings.genericShare * vocabulary.totalLines
  // An expansion must be a lemma the index knows, every word of it, and say something specific.
  const usable = (lemma: string, synset: Synset): boolean => {
    const lower = lemma.toLowerCase()
    if (ABSTRACT_LEMMAS.has(lower) || TAXON_WORDS.has(lower.split(/[_-]/)[0]!)) return false
    const rank = senses.get(lower)?.indexOf(synset.offset) ?? -1
    if (rank < 0 || rank >= settings.expansionSenses) return false
    const stems = lemmaStems(lemma)
    if (!stems) return false
    const counts = stems.map((s) => vocabulary.lineCount(s))
    return counts.every((c) => c > 0) && counts.some((c) => c <= genericAbove)
  }

  const lexicon: Lexicon = {}
  for (const [lemma, offsets] of senses) {
    if (lemma.replace(/[_-]/g, '').length < settings.minLength) continue
    const stems = lemmaStems(lemma)
    if (!stems || TAXON_WORDS.has(lemma.split(/[_-]/)[0]!)) continue
    const key = stems.join('_')
    // A single word the index knows well needs no help; a collocation is looked up only when one of
    // its words is unknown (else the words themselves match).
    const known = stems.every((s) => vocabulary.lineCount(s) >= settings.rareBelow)
    if (known || key in lexicon) continue

    // Breadth first over the first senses: all synonyms, then the hypernyms one level up, ...
    const found = new Map<string, [string, number]>()
    // The most frequent sense must name goods: "tiger" is first a fierce person, "max" a maximum.
    const first = synsets.get(offsets[0]!)
    if (!first || first.instance || !GOODS_LEX_FILES.has(first.lexFile)) continue
    let frontier = offsets
      .slice(0, settings.senses)
      .map((o) => synsets.get(o))
      .filter((s): s is Synset => !!s && !s.instance && GOODS_LEX_FILES.has(s.lexFile))
    const seen = new Set<Synset>(frontier)
    for (let distance = 0; distance <= settings.maxDistance && frontier.length > 0; distance++) {
      for (const synset of frontier) {
        for (const candidate of synset.lemmas) {
          if (found.size >= settings.maxExpansions) break
          const candidateKey = lemmaStems(candidate)?.join('_')
          if (!candidateKey || candidateKey === key || found.has(candidateKey)) continue
          if (usable(candidate, synset))
            found.set(candidateKey, [candidate.toLowerCase(), distance])
        }
      }
      const next: Synset[] = []
      for (const synset of frontier)
        for (const offset of synset.hypernyms) {
          const parent = synsets.get(offset)
          if (parent && !seen.has(parent)) {
            seen.add(parent)
            next.push(parent)
          }
        }
      frontier = next
    }
    if (found.size > 0) lexicon[key] = [...found.values()]
  }

  // Acronyms: WordNet writes some in capitals as a lemma of the synset that names the goods in full
  // ("PVC" of polyvinyl_chloride, "ABS" of acrylonitrile-butadiene-styrene). Keyed as the query reads
  // an acronym written in capitals (its letters in lower case, never stemmed: "gps", not "gp"), and
  // read as the full name only: every goods sense of the acronym must be that one synset ("APC", "RAM"
  // name other goods first), its first sense included; a non-goods sense (PVC the heart rhythm) is
  // no reading of goods.
  for (const synset of synsets.values()) {
    if (synset.instance || !GOODS_LEX_FILES.has(synset.lexFile)) continue
    for (const acronym of synset.lemmas) {
      if (!/^[A-Z]{2,5}$/.test(acronym)) continue
      const key = acronym.toLowerCase()
      if (Object.hasOwn(lexicon, key) || vocabulary.lineCount(key) >= settings.acronymRareBelow)
        continue
      const offsets = senses.get(key) ?? []
      const goodsSenses = offsets.filter((o) => {
        const s = synsets.get(o)
        return !!s && !s.instance && GOODS_LEX_FILES.has(s.lexFile)
      })
      if (offsets[0] !== synset.offset || goodsSenses.length !== 1) continue
      const fullNames = synset.lemmas.filter(
        (l) => /[_-]/.test(l) && !!lemmaStems(l) && usable(l, synset),
      )
      if (fullNames.length > 0) lexicon[key] = [[fullNames[0]!.toLowerCase(), 0]]
    }
  }
  return lexicon
}
