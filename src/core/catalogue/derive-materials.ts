/**
 * @module catalogue/derive-materials
 * Build-time derivation of the materials table: which English words name a material goods are made
 * of, and the WordNet hypernyms that material is filed under ("gold" → precious metal, noble metal;
 * "oak" → wood). The tariff names materials by their class ("of precious metal", "of base metal",
 * "of wood"), so a short name's material ("gold ring", "oak table") finds its heading only through
 * the class (classifier.ts, `MATERIAL_BONUS`). *Derived* from WordNet 3.1 (Princeton WordNet
 * licence), not curated; data/vocab/LEXICON.md ("Materials") describes it.
 *
 * Pure: takes the parsed WordNet noun and adjective files and the index's document frequencies.
 */
import { stem } from '../classify/text'
import { ABSTRACT_LEMMAS, parseDataNoun, parseIndexNoun } from './derive-lexicon'

/** Material word stem → hypernym lemmas ("precious metal", "noble metal", "metal"), nearest first. */
export type MaterialTable = Record<string, string[]>

export const MATERIAL_SETTINGS = {
  /** Senses of a word read (WordNet orders them most frequent first; gold's substance is its 3rd). */
  senses: 3,
  /** Hypernym levels between a word's sense and a root material (gold → noble metal → metal). */
  maxDistanceToRoot: 3,
  /** Hypernym levels kept as readings: the classes the tariff names (precious metal, wood). */
  maxReadingDistance: 2,
}

/**
 * Lexicographer files a material sense is in: 20 plant ("oak": the wood of an oak), 21 possession
 * ("gold": coins of gold, a precious metal), 27 substance ("gold": the element). Other senses
 * ("gold" the colour, "steel" the sword) are not what goods are made of.
 */
const MATERIAL_LEX_FILES = new Set([20, 21, 27])
/** The roots themselves must be substances: "metal" the element or the alloy, not "metal" music. */
const SUBSTANCE_LEX_FILE = 27

/**
 * `rootWords`: the team's material words (classify/query.ts `MATERIAL_WORDS`). A noun lemma of one
 * word the index knows is a material when its most frequent sense is a plant, possession or
 * substance ("tablet", "kid", "lead" are first something else) and one of its first senses of those
 * files is a substance sense of a root word or has one among its hypernyms within
 * `maxDistanceToRoot` levels. Its readings are the classes between it and the root: the hypernyms
 * (up to `maxReadingDistance` levels) that are roots or reach one ("gold" → noble metal, metal; not
 * "conductor"), and, of a possession sense ("gold": coins), the class one level up when its name holds
 * a root word ("precious metal"). Every word of a reading is an index term; abstract nodes
 * (`ABSTRACT_LEMMAS`) are never readings.
 */
export function deriveMaterials(
  wordnet: { indexNoun: string; dataNoun: string },
  isKnownTerm: (term: string) => boolean,
  rootWords: Iterable<string>,
  settings = MATERIAL_SETTINGS,
): MaterialTable {
  const synsets = parseDataNoun(wordnet.dataNoun)
  const senses = parseIndexNoun(wordnet.indexNoun)
  const rootList = [...rootWords]
  const roots = new Set<string>()
  for (const word of rootList)
    for (const offset of senses.get(word) ?? [])
      if (synsets.get(offset)?.lexFile === SUBSTANCE_LEX_FILE) roots.add(offset)
  const rootStems = new Set(rootList.map(stem))

  // Levels from a synset up to the nearest root (0: it is one), or Infinity beyond the limit.
  const toRoot = new Map<string, number>()
  const distanceToRoot = (offset: string, budget: number): number => {
    if (roots.has(offset)) return 0
    if (budget === 0) return Number.POSITIVE_INFINITY
    const key = `${offset}:${budget}`
    const known = toRoot.get(key)
    if (known !== undefined) return known
    let best = Number.POSITIVE_INFINITY
    for (const parent of synsets.get(offset)?.hypernyms ?? [])
      best = Math.min(best, 1 + distanceToRoot(parent, budget - 1))
    toRoot.set(key, best)
    return best
  }
  const readingOf = (name: string): string | null => {
    if (ABSTRACT_LEMMAS.has(name.toLowerCase())) return null
    const reading = name.toLowerCase().replace(/_/g, ' ')
    const words = reading.split(/[ -]/)
    if (words.length > 2 || !words.every((w) => /^[a-z]+$/.test(w) && isKnownTerm(stem(w))))
      return null
    return reading
  }

  const table: MaterialTable = {}
  for (const [lemma, offsets] of senses) {
    if (!/^[a-z]{3,}$/.test(lemma) || Object.hasOwn(Object.prototype, lemma)) continue
    const key = stem(lemma)
    if (!isKnownTerm(key) || key in table) continue
    const first = synsets.get(offsets[0]!)
    if (!first || !MATERIAL_LEX_FILES.has(first.lexFile)) continue
    const readings: string[] = []
    const add = (reading: string | null) => {
      if (reading && !readings.includes(reading)) readings.push(reading)
    }
    let material = false
    const possessions: (typeof first)[] = []
    for (const offset of offsets.slice(0, settings.senses)) {
      const sense = synsets.get(offset)
      if (!sense || sense.instance || !MATERIAL_LEX_FILES.has(sense.lexFile)) continue
      if (distanceToRoot(offset, settings.maxDistanceToRoot) === Number.POSITIVE_INFINITY) {
        if (sense.lexFile === 21) possessions.push(sense)
        continue
      }
      material = true
      let frontier = [sense]
      for (let distance = 1; distance <= settings.maxReadingDistance; distance++) {
        frontier = frontier.flatMap((s) =>
          s.hypernyms
            .filter((o) => distanceToRoot(o, settings.maxDistanceToRoot) < Number.POSITIVE_INFINITY)
            .map((o) => synsets.get(o)!),
        )
        for (const synset of frontier) for (const name of synset.lemmas) add(readingOf(name))
      }
    }
    if (!material) continue
    for (const sense of possessions)
      for (const parent of sense.hypernyms)
        for (const name of synsets.get(parent)?.lemmas ?? [])
          if (
            name
              .toLowerCase()
              .split('_')
              .some((w) => rootStems.has(stem(w)))
          )
            add(readingOf(name))
    table[key] = readings
  }
  return table
}

/** Adjective stem → the material nouns it is formed from ("wooden" → wood, "woollen" → wool). */
export type MaterialAdjectives = Record<string, string[]>

/** A gloss that says what the thing is made of ("made or consisting of … wood", "made of wool"). */
const MADE_OF_GLOSS = /\b(?:made (?:of|from)|consisting of)\b/
/** Pointers from an adjective to its noun: pertainym ("woollen" → wool) and derivation ("golden" → gold). */
const NOUN_POINTERS = new Set(['\\', '+'])

/**
 * English adjectives of material, from WordNet's adjective file: an adjective sense whose gloss says
 * "made of / made from / consisting of" and that points (pertainym or derivation; a satellite through
 * its head adjective: "wooden" → woody → wood) to a noun the materials table or the root words name.
 * The tariff writes either form ("Wooden furniture", "Tableware … of wood"), a short name either
 * ("oak table", "wooden spoon"), so the classifier reads each as the other. The key is the adjective's
 * stem whether or not the index knows it (the chapter bonus reads the query's own words); it must
 * differ from its noun's ("metallic" stems to "metal").
 */
export function deriveMaterialAdjectives(
  dataAdj: string,
  nounSynsets: Map<string, { lemmas: string[] }>,
  isMaterialNoun: (lemma: string) => boolean,
  /** A word read as a material noun already ("gold", "silver", "bronze" are adjectives too). */
  readAsNoun: (lemma: string) => boolean,
): MaterialAdjectives {
  type AdjSynset = {
    satellite: boolean
    lemmas: string[]
    nouns: string[]
    heads: string[]
    gloss: string
  }
  const synsets = new Map<string, AdjSynset>()
  for (const line of dataAdj.split('\n')) {
    if (!/^\d{8} /.test(line)) continue
    const bar = line.indexOf(' | ')
    const fields = line.slice(0, bar >= 0 ? bar : undefined).split(' ')
    const wordCount = Number.parseInt(fields[3]!, 16)
    const lemmas: string[] = []
    for (let i = 0; i < wordCount; i++)
      lemmas.push(fields[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase())
    let at = 4 + 2 * wordCount
    const pointerCount = Number(fields[at++])
    const nouns: string[] = []
    const heads: string[] = []
    for (let i = 0; i < pointerCount; i++, at += 4) {
      const [symbol, offset, pos, sourceTarget] = fields.slice(at, at + 4) as [
        string,
        string,
        string,
        string,
      ]
      if (symbol === '&') heads.push(offset)
      if (!NOUN_POINTERS.has(symbol) || pos !== 'n') continue
      const target = Number.parseInt(sourceTarget.slice(2), 16)
      const nounLemmas = nounSynsets.get(offset)?.lemmas ?? []
      for (const lemma of target > 0 ? nounLemmas.slice(target - 1, target) : nounLemmas)
        nouns.push(lemma.toLowerCase())
    }
    synsets.set(fields[0]!, {
      satellite: fields[2] === 's',
      lemmas,
      nouns,
      heads,
      gloss: bar >= 0 ? line.slice(bar + 3).split(/[;"]/)[0]! : '',
    })
  }
  const table: MaterialAdjectives = {}
  for (const synset of synsets.values()) {
    if (!MADE_OF_GLOSS.test(synset.gloss)) continue
    const isMaterial = (n: string) => /^[a-z]+$/.test(n) && isMaterialNoun(n)
    // Its own noun first ("golden" → gold); a satellite's head's only when it has none ("wooden").
    const own = synset.nouns.filter(isMaterial)
    const nouns =
      own.length > 0 || !synset.satellite
        ? own
        : synset.heads.flatMap((h) => synsets.get(h)?.nouns ?? []).filter(isMaterial)
    if (nouns.length === 0) continue
    for (const lemma of synset.lemmas) {
      if (!/^[a-z]{3,}$/.test(lemma) || Object.hasOwn(Object.prototype, lemma)) continue
      const key = stem(lemma)
      if (readAsNoun(lemma)) continue
      const list = Object.hasOwn(table, key) ? table[key]! : []
      for (const noun of nouns) if (stem(noun) !== key && !list.includes(noun)) list.push(noun)
      if (list.length > 0) table[key] = list
    }
  }
  return table
}

/**
 * Goods head stem → per sense (most frequent first), the stems of its WordNet classes that a heading
 * title writes ("table" → [[furniture, furnish]], "spoon" → [[cutleri, tableware]]). The tariff often
 * names goods by their class only (9403 "Other furniture", 4419 "Tableware and kitchenware, of wood"),
 * so a short name's known head ("oak table") reaches such a heading only through the class. The
 * lexicon holds hypernyms for unknown or rare words only; this table is for known heads
 * (data/vocab/LEXICON.md "Classes of a goods head").
 */
export type HeadClasses = Record<string, string[][]>

export const HEAD_CLASS_SETTINGS = {
  /** Senses of the head read; a sense that is no artifact reads nothing. */
  senses: 2,
  /** Hypernym levels walked up from a sense. */
  maxDistance: 3,
}

/** Lexicographer file 06: artifacts, the made goods ("table" the furniture, not the array). */
const ARTIFACT_LEX_FILE = 6

/**
 * A one-word noun lemma the index knows: for each of its first `senses` senses that is an artifact
 * ("table" the furniture is its 2nd, after the array), the one-word lemmas of the artifact hypernyms
 * within `maxDistance` levels whose stem is a word of a heading title (`isTitleTerm`) and not the
 * head itself or an abstract node; with `classHoldsHead`, only a class some heading that names it
 * files the head under too (9403 "Other furniture" has "Dining tables"; "furnishing", a class of
 * furniture, is named only by headings of textile furnishings, which hold no table).
 */
export function deriveHeadClasses(
  wordnet: { indexNoun: string; dataNoun: string },
  isKnownTerm: (term: string) => boolean,
  isTitleTerm: (term: string) => boolean,
  settings = HEAD_CLASS_SETTINGS,
  classHoldsHead: (cls: string, head: string) => boolean = () => true,
): HeadClasses {
  const synsets = parseDataNoun(wordnet.dataNoun)
  const senses = parseIndexNoun(wordnet.indexNoun)
  const table: HeadClasses = {}
  for (const [lemma, offsets] of senses) {
    if (!/^[a-z]{3,}$/.test(lemma) || Object.hasOwn(Object.prototype, lemma)) continue
    const key = stem(lemma)
    if (!isKnownTerm(key) || key in table) continue
    const perSense: string[][] = []
    for (const offset of offsets.slice(0, settings.senses)) {
      const classes: string[] = []
      const sense = synsets.get(offset)
      if (sense && sense.lexFile === ARTIFACT_LEX_FILE && !sense.instance) {
        let frontier = [sense]
        for (let d = 1; d <= settings.maxDistance; d++) {
          // Classes that are made goods themselves: not "way" (door), "room" (box), "agent" (drugs).
          frontier = frontier
            .flatMap((s) => s.hypernyms.map((o) => synsets.get(o)!))
            .filter((s) => s?.lexFile === ARTIFACT_LEX_FILE)
          for (const synset of frontier)
            for (const name of synset.lemmas) {
              const word = name.toLowerCase()
              if (!/^[a-z]{3,}$/.test(word) || ABSTRACT_LEMMAS.has(word)) continue
              const term = stem(word)
              if (
                term !== key &&
                isTitleTerm(term) &&
                !classes.includes(term) &&
                classHoldsHead(term, key)
              )
                classes.push(term)
            }
        }
      }
      perSense.push(classes)
    }
    if (perSense.some((c) => c.length > 0)) table[key] = perSense
  }
  return table
}
