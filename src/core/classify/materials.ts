/**
 * @module classify/materials
 * The material a short name gives its goods ("paper napkins", "gold chain", "бумажные салфетки") and
 * the HS codes whose titles name it. The tariff files goods of a material under that material's
 * chapter unless a heading elsewhere names them (48 "Paper and paperboard; articles of paper pulp …");
 * a material it names by its class counts through the class WordNet files it under ("gold" →
 * precious metal: chapter 71, not 7315's chains of iron or steel; catalogue `materials`); in a chapter
 * of goods the heading's own title counts as well (6403 "… uppers of leather"). An adjective of
 * material ("wooden", "woollen": catalogue `materialAdjectives`) is read as its noun, and a short
 * name's material adds the words the tariff writes it in as qualifiers (`formsOf`). Measured in
 * BENCHMARKS.md steps 34, 42, 50 and 51; the classifier adds the weight (`MATERIAL_CHAPTER_BONUS`).
 */
import type { CatalogueArtifact } from '../catalogue/types'
import { MATERIAL_WORDS, readingOf, type WeightedTerm } from './query'
import { RUSSIAN_BRIDGE_SHARE, russianNounStems } from './russian-bridge'
import { stem, tokenize } from './text'
import { withoutExclusions } from './text-index'

/**
 * Weight of a material's other words ("wood" for "wooden") against the word the name writes: they
 * tip the balance towards lines that write the material the tariff's way, as a qualifier does.
 * Measured only at 0.6 for the kept forms (BENCHMARKS.md step 51); with the dropped noun → adjective
 * and species → class forms ("oak" → wood), 0.4 lost fewer held-out rows than 0.6 but neither gained.
 */
const MATERIAL_FORM_SHARE = 0.6
/** Russian words whose materials are kept (`russianMaterialsOf`); all are forgotten past this. */
const RUSSIAN_MATERIALS_KEPT = 5_000

export type MaterialRule = {
  /**
   * Whether a code's chapter (or, in a chapter of goods, its heading) names a material that one of
   * the description's non-head words gives; null when the description names no material.
   */
  namedBy(terms: readonly WeightedTerm[]): ((hs6: string) => boolean) | null
  /**
   * The other words the tariff may write an English material word of a short name in, as extra
   * qualifiers the terms lack and some line holds: an adjective's noun ("wooden" → wood, "woollen" →
   * wool, "golden" → gold) and a material's class of two words ending in a root material ("gold" →
   * precious metal, noble metal).
   */
  formsOf(terms: readonly WeightedTerm[], linesOf: (term: string) => number): WeightedTerm[]
  /**
   * Whether a code's chapter files its goods by a material (44 wood, 48 paper, 73 iron or steel)
   * that none of the materials a Russian word of the name gives is, nor names by a class, and the
   * code's heading title names none of them either (4202 names plastic in chapter 42); null when no
   * Russian word of the name gives a material.
   */
  conflictsWith(terms: readonly WeightedTerm[]): ((hs6: string) => boolean) | null
  /**
   * "wooden spoon", "woolen scarf", and a bridged reading of a rare Russian word: an English adjective
   * of material in -en is read as its material noun too (wood, wool), since the tariff files such
   * goods under the noun ("Tableware and kitchenware, of wood"). Only a noun that is a material the
   * index knows, and only an adjective that is a query term: a word no line holds ("woollen",
   * "silken") is none, and `readInEnglish`'s readings are added after this (`formsOf` reads those). On every length, unlike `formsOf`: long descriptions gained a row with it and lost
   * one with `formsOf` (BENCHMARKS.md steps 50, 51); where both apply, this one reads the noun first.
   */
  nounsOfAdjectivesInEn(
    terms: readonly WeightedTerm[],
    isKnownTerm: (term: string) => boolean,
  ): WeightedTerm[]
}

export function createMaterialRule(
  catalogue: Pick<CatalogueArtifact, 'hs' | 'materials' | 'materialAdjectives' | 'ruEnDictionary'>,
): MaterialRule {
  // The words of each title; an exclusion ("other than furskins") names no material of it.
  const titleWords = (level: 'chapter' | 'heading') =>
    new Map(
      catalogue.hs
        .filter((h) => h.level === level)
        .map((h) => [h.code, new Set(tokenize(withoutExclusions(h.title)).map((t) => t.term))]),
    )
  const chapterWords = titleWords('chapter')
  const headingWords = titleWords('heading')
  const materialTable = catalogue.materials ?? {}
  const adjectives = catalogue.materialAdjectives ?? {}
  /** Adjective stem → its nouns' stems ("wooden" → wood). */
  const nounsOf = new Map(Object.entries(adjectives).map(([adj, nouns]) => [adj, nouns.map(stem)]))
  const materialStems = new Set([...MATERIAL_WORDS].map(stem))
  // Chapters whose title names a material (44 "Wood …", 73 "Articles of iron or steel", 74 "Copper
  // …"): they file their goods by that material, and their headings name others only in passing
  // (7415 "… of copper or of iron or steel with heads of copper" would take "steel bolts"). A heading
  // title counts only in a chapter of goods (64 footwear, 94 furniture).
  const materialChapters = new Set(
    [...chapterWords]
      .filter(([, words]) =>
        [...words].some((w) => materialStems.has(w) || Object.hasOwn(materialTable, w)),
      )
      .map(([code]) => code),
  )
  /**
   * A material: the team's word ("steel", "wooden"), one WordNet files under a material ("gold"), or a
   * WordNet adjective of material ("golden", "woollen").
   */
  const isMaterial = (word: string, term: string): boolean =>
    MATERIAL_WORDS.has(word) || Object.hasOwn(materialTable, term) || nounsOf.has(term)
  /** The classes the tariff may name a material by, each as the stems of its words. */
  const classesByMaterial = new Map<string, string[][]>()
  const materialClasses = (term: string): string[][] => {
    let classes = classesByMaterial.get(term)
    if (!classes) {
      // Tokenised once per material: both `formsOf` and `namedBy` ask on every short name.
      classes = (Object.hasOwn(materialTable, term) ? materialTable[term]! : []).map((reading) =>
        tokenize(reading)
          .filter((t) => t.kind === 'word')
          .map((t) => t.term),
      )
      classesByMaterial.set(term, classes)
    }
    return classes
  }
  /** A material word's namings: itself, its classes, and for an adjective its nouns' ("golden"). */
  const namingsOf = (term: string): string[][] => [
    [term],
    ...materialClasses(term),
    ...(nounsOf.get(term) ?? []).flatMap((noun) => [[noun], ...materialClasses(noun)]),
  ]
  /** Whether a title's words name one of the materials, each given as its namings (`namingsOf`). */
  const namesOneOf = (namings: string[][][], words: Set<string> | undefined): boolean =>
    !!words && namings.some((names) => names.some((name) => name.every((w) => words.has(w))))
  /**
   * A Russian material word ("золотое", "стальные", "алюминиевый", "бумажные") as the English
   * materials the dictionary senses of its stem, else of its noun, name (gold; steel, iron;
   * aluminium; paper).
   */
  function russianMaterials(term: string): string[] {
    const dictionary = catalogue.ruEnDictionary
    if (!dictionary) return []
    for (const base of russianNounStems(term)) {
      const found = (Object.hasOwn(dictionary, base) ? dictionary[base]! : [])
        .filter((phrase) => /^[a-z]+$/.test(phrase) && isMaterial(phrase, stem(phrase)))
        .map(stem)
      if (found.length > 0) return found
    }
    return []
  }
  /**
   * `russianMaterials` of a term, looked up once: `namedBy` asks for every Russian word of a short
   * name up to three times a line and `conflictsWith` once more. The answer depends on the term alone.
   */
  const russianMaterialsByTerm = new Map<string, readonly string[]>()
  function russianMaterialsOf(term: string): readonly string[] {
    if (!/[а-яё]/.test(term)) return []
    let found = russianMaterialsByTerm.get(term)
    if (!found) {
      found = russianMaterials(term)
      if (russianMaterialsByTerm.size >= RUSSIAN_MATERIALS_KEPT) russianMaterialsByTerm.clear()
      russianMaterialsByTerm.set(term, found)
    }
    return found
  }

  return {
    nounsOfAdjectivesInEn(terms, isKnownTerm) {
      const out: WeightedTerm[] = []
      for (const t of terms) {
        // Most terms do not end in -en: the cheap test first, on every term of every query.
        if (!/en$/i.test(t.raw)) continue
        const word = t.raw.split(' → ').at(-1)!.toLowerCase()
        const m = /^([a-z]{3,}?)(?:en)$/.exec(word)
        if (!m) continue
        const noun = m[1]!.replace(/(.)\1$/, '$1')
        const term = stem(noun)
        if (
          !isKnownTerm(term) ||
          terms.some((q) => q.term === term) ||
          out.some((q) => q.term === term)
        )
          continue
        if (!MATERIAL_WORDS.has(noun) && !Object.hasOwn(materialTable, term)) continue
        out.push(readingOf(t, term, t.role, t.weight * RUSSIAN_BRIDGE_SHARE, noun))
      }
      return out
    },
    formsOf(terms, linesOf) {
      const forms: WeightedTerm[] = []
      const taken = new Set(terms.map((t) => t.term))
      const add = (from: WeightedTerm, term: string) => {
        if (taken.has(term) || linesOf(term) === 0) return
        taken.add(term)
        forms.push(readingOf(from, term, 'qualifier', from.weight * MATERIAL_FORM_SHARE))
      }
      for (const t of terms) {
        if (t.role === 'head' || /[а-яё]/.test(t.term) || !isMaterial(t.raw.toLowerCase(), t.term))
          continue
        // "wooden" → wood, "woollen" → wool, "golden" → gold.
        const nouns = nounsOf.get(t.term) ?? []
        for (const noun of nouns) add(t, noun)
        for (const material of [t.term, ...nouns]) {
          // "gold" → precious metal, noble metal: a class of two words, the second a root material.
          for (const words of materialClasses(material))
            if (words.length === 2 && materialStems.has(words[1]!)) for (const w of words) add(t, w)
        }
      }
      return forms
    },
    conflictsWith(terms) {
      // A Russian word's material only: on English short names the same rule moved no HS-4 figure
      // and cost hsbench-names a false alarm (BENCHMARKS.md step 55).
      const materials = terms
        .filter((t) => t.role !== 'head' && /[а-яё]/.test(t.term))
        .flatMap((t) => russianMaterialsOf(t.term))
      if (materials.length === 0) return null
      const namings = materials.map(namingsOf)
      return (hs6) => {
        const chapter = hs6.slice(0, 2)
        // A heading that lists the material among others (4202 "… of leather, … of textile
        // materials …" in chapter 42, "Articles of leather") files such goods too.
        return (
          materialChapters.has(chapter) &&
          !namesOneOf(namings, chapterWords.get(chapter)) &&
          !namesOneOf(namings, headingWords.get(hs6.slice(0, 4)))
        )
      }
    },
    namedBy(terms) {
      // Not the head: "steel" alone names the goods, not their material.
      const materials = terms
        .filter((t) => t.role !== 'head')
        .flatMap((t) =>
          isMaterial(t.raw.toLowerCase(), t.term) ? [t.term] : russianMaterialsOf(t.term),
        )
      if (materials.length === 0) return null
      const namings = materials.map(namingsOf)
      return (hs6) => {
        const chapter = hs6.slice(0, 2)
        const titles = [
          chapterWords.get(chapter),
          materialChapters.has(chapter) ? undefined : headingWords.get(hs6.slice(0, 4)),
        ]
        return titles.some((words) => namesOneOf(namings, words))
      }
    },
  }
}
