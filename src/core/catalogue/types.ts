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
  | 'htsus_2025'
  | 'eu_cn_2026'
  | 'uk_search_reference'
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
  entries: ListEntry[]
}

export type CountryGroupMember = { iso2: string; name: string; basis: string; source: string }

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
}

export type Manufacturer = { name: string; aliases: string[]; kind: string; source: string }

export type Statement = { id: string; date: string; text: string; sources: string[] }

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
  /** Dated public statements the rules quote (e.g. Kazakhstan on ball bearings). */
  statements: Statement[]
  /**
   * Derived from WordNet 3.1 (Princeton WordNet licence; data/vocab/LEXICON.md): query word stem →
   * up to three `[lemma, distance]` the index knows (0 synonym, 1–3 hypernym levels up). Optional:
   * an artifact built without it classifies as before.
   */
  lexicon?: Record<string, [lemma: string, distance: number][]>
}
