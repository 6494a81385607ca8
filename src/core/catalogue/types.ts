/**
 * @module catalogue/types
 * The compiled catalogue: HS 2022 nomenclature, trade vocabulary, controlled lists, country groups and
 * part-number patterns. `npm run build:index` compiles `data/` into one artifact of this shape; the
 * engine receives it through a port and never reads files itself.
 */
import type { LegalStatus, Regime } from '../schemas'

export const CATALOGUE_FORMAT = 1

export type HsLevel = 'chapter' | 'heading' | 'subheading'

export type HsEntry = {
  code: string
  level: HsLevel
  title: string
  /** Russian name (FNS 2022 for chapters/headings, EAEU tariff 2017 for subheadings), if any. */
  titleRu: string | null
}

/** Where a vocabulary line comes from; each source has its own weight in the index. */
export type VocabSource =
  | 'hs2022'
  | 'hs2022_heading'
  | 'hs_ru'
  | 'tnved_ru'
  /** EAEU TN VED texts (2026 consolidation), the distinct line texts of each subheading. */
  | 'tnved_eaeu_2026'
  | 'htsus_2025'
  | 'eu_cn_2026'
  | 'uk_search_reference'
  /** Colloquial terms and synonyms written by LLMs for HMRC (data/vocab/SOURCES.md): machine-written. */
  | 'uk_classification_example'
  /** Russian goods descriptions from goods declarations, per HS-4 (data/vocab/SOURCES.md §9). */
  | 'ru_declaration'
  | 'synonym'

/** One searchable text attached to an HS code (4 digits: the whole heading; 6: one subheading). */
export type VocabLine = { code: string; text: string; source: VocabSource }

export type ListEntry = {
  /** HS/CN code (2–10 digits) matched by prefix, or a control code (e.g. 3A001) matched by text. */
  code: string
  title: string
  tier: string | null
  /** Only part of the code is covered ("ex" entries in the EU annexes). */
  partial: boolean
  /** Extra words used for direct text matching (e.g. the dual-use entry text). */
  text?: string
  /** For derived mappings (e.g. the reported Kazakh categories → HS headings): how it was derived. */
  derivation?: string
  /** A condition the law puts on the entry, e.g. "the sales price exceeds £250 per item" (UK Schedule 3A). */
  condition?: string
}

export type ControlList = {
  id: string
  name: string
  jurisdiction: string
  legal_status: LegalStatus
  version: string
  source: string
  /** Regimes whose verdicts this list can decide; other regimes see its matches as information. */
  regimes: Regime[]
  /** `hs_prefix`: entries are HS/CN codes; `text`: entries are control codes matched by their text. */
  match: 'hs_prefix' | 'text'
  note: string
  /** Destinations the list's prohibition speaks of (e.g. Russia only); absent: Russia and Belarus. */
  destinations?: string[]
  entries: ListEntry[]
}

export type CountryGroupMember = {
  iso2: string
  name: string
  basis: string
  source: string
  /** The act that put the country in the group and its date, or why it is not known (coalition table). */
  rule?: string
  ruleDate?: string
}

export type CountryGroup = {
  id: string
  name: string
  source: string
  version: string
  members: CountryGroupMember[]
}

export type BearingSeries = {
  /** Designation prefix before the two-digit bore code, e.g. "62", "NU22", "QJ3". */
  prefix: string
  meaning: string
  hs6: string
  source: string
}

export type PartNumberFamily = {
  id: string
  regex: string
  manufacturer: string
  componentType: string
  hs6: string
  hs6Basis: string
  source: string
  /**
   * How sure a match is, where the parts list (data/patterns/part_number_family_agreement.csv,
   * derived) has parts the pattern matches: (parts under the family's heading + 1) / (parts + 2),
   * with the counts and the source. Absent when no listed part matches.
   */
  listed?: { parts: number; sameHeading: number; agreement: number; source: string }
}

export type Manufacturer = { name: string; aliases: string[]; kind: string; source: string }

/**
 * Derived from a parts list with maker and EAEU TN VED code (data/patterns/SOURCES.md): how a maker's parts
 * spread over HS headings. One row per maker and HS-4.
 */
export type MakerClass = {
  /** The maker's spelling used most often in the source, upper case as there ("TEXAS INSTRUMENTS"). */
  maker: string
  /** Other spellings of the same maker in the source ("MAXIM" for "MAXIM INTEGRATED"). */
  aliases: string[]
  hs4: string
  /** Share of the maker's parts under this HS-4 (0–1). */
  hs4Share: number
  /** The HS-6 most of the maker's parts under this HS-4 have, and its share of them. */
  hs6: string
  hs6Share: number
  /** Parts under this HS-4, and all the maker's parts (≥ 5). */
  parts: number
  makerParts: number
  /** Parts per HS-6 under this HS-4 ("854110" → 40), so a reader can count them against a list. */
  hs6Parts?: Record<string, number>
}

/** Derived: a part-number prefix (3–6 letters/digits) that, within one maker, names one HS-6. */
export type PartNumberPrefix = {
  /** Upper case, letters and digits only; compare with the token with punctuation removed. */
  prefix: string
  maker: string
  hs6: string
  /** Share of the maker's parts with this prefix that have this HS-6 (≥ 0.9), and their count (≥ 5). */
  share: number
  parts: number
  /** The same over every maker's parts with this prefix: low when other makers use it for other goods. */
  shareAllMakers: number
  partsAllMakers: number
}

/** The derived component tables, with their common source (repository@commit file) and basis. */
export type ComponentClasses = {
  source: string
  basis: string
  makers: MakerClass[]
  prefixes: PartNumberPrefix[]
}

export type Statement = { id: string; date: string; text: string; sources: string[] }

/**
 * A country programme (Iran, North Korea, Syria, Cuba) under one regime, as its source says it
 * (data/lists/programmes/SOURCES.md): what is banned in the source's words and the firmest effect the
 * source supports (`prohibited` only where it says exports are prohibited generally).
 */
export type EmbargoProgramme = {
  regime: Regime
  country: string
  programme: string
  act: string
  banned: string
  effect: 'prohibited' | 'high_risk' | 'review'
  source: string
  sourceDate: string
  note: string
}

export type CatalogueArtifact = {
  format: typeof CATALOGUE_FORMAT
  /** Hash of the data files the artifact was built from. */
  dataVersion: string
  builtAt: string
  hs: HsEntry[]
  vocab: VocabLine[]
  lists: ControlList[]
  countryGroups: CountryGroup[]
  bearings: { series: BearingSeries[]; suffixes: string[]; suffixSource: string }
  partFamilies: PartNumberFamily[]
  manufacturers: Manufacturer[]
  /** Maker → HS-4/HS-6 distribution and part-number prefixes, derived from a parts list. */
  componentClasses: ComponentClasses
  /** Dated public statements the rules quote (e.g. Kazakhstan on ball bearings). */
  statements: Statement[]
  /** Country programmes per regime for the embargoed destinations (optional: absent → none loaded). */
  programmes?: EmbargoProgramme[]
  /**
   * Derived from WordNet 3.1 (Princeton WordNet licence; data/vocab/LEXICON.md): query word stem →
   * up to three `[lemma, distance]` the index knows (0 synonym, 1–3 hypernym levels up). Optional:
   * an artifact built without it classifies as before.
   */
  lexicon?: Record<string, [lemma: string, distance: number][]>
  /**
   * Russian→English dictionary (OpenRussian, CC BY-SA 4.0; data/vocab/SOURCES.md §10): Russian stem →
   * English phrases the index knows, main sense first. Optional: without it the Russian bridge reads
   * loanwords and derivations only.
   */
  ruEnDictionary?: Record<string, string[]>
  /**
   * The same dictionary's senses apart by part of speech, for the stems a noun and an adjective share
   * ("золото" / "золотой", "часть" / "частый"): stem → [noun senses, adjective senses]
   * (catalogue/ru-en-dictionary.ts `compileRuEnSensesByPart`). Optional: without it the pooled senses.
   */
  ruEnSensesByPart?: Record<string, [noun: string[], adjective: string[]]>
  /**
   * Derived from WordNet 3.1 (data/vocab/LEXICON.md, "Materials"): English material word stem → the
   * classes the tariff may name it by ("gold" → precious metal, noble metal, metal). Optional: without
   * it only the team's material words are read as materials.
   */
  materials?: Record<string, string[]>
  /**
   * Derived from WordNet 3.1 (data/vocab/LEXICON.md, "Materials"): English adjective of material, as
   * its stem → the material nouns it is formed from ("wooden" → wood, "woollen" → wool). Optional.
   */
  materialAdjectives?: Record<string, string[]>
  /**
   * Goods head stem → per WordNet sense (most frequent first) the stems of its classes a heading
   * title writes ("table" → [[furniture, furnish]]): derive-materials.ts `deriveHeadClasses`.
   */
  headClasses?: Record<string, string[][]>
}
