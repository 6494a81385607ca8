/**
 * @module classify/classifier
 * Description → ranked HS 2022 subheadings with evidence (DESIGN §4 steps 1–3). Words the index does
 * not know are corrected to the nearest vocabulary word by classify/typo-correction.ts, with a bounded
 * cost per description.
 */
import type { CatalogueArtifact, HsEntry, Manufacturer } from '../catalogue/types'
import { headingConfidence } from './confidence'
import { deriveHeadPrior } from './head-prior'
import { expandTerms } from './lexicon'
import { isRussianAdjective, isRussianFragment, LINE_ROLE } from './line-roles'
import { createMaterialRule } from './materials'
import { agreementFactors, agreementWith, type TermPlaces, termPlaces } from './modifier-agreement'
import { createPartNumberReader, type ExplicitEvidence } from './part-numbers'
import {
  createRangeReader,
  type Quantity,
  type RangeReader,
  rangeFit,
  readQuantities,
} from './quantities'
import {
  analyzeQuery,
  GOODS_WEIGHT,
  PART_HEADS,
  RUSSIAN_PART_HEADS,
  readingOf,
  type WeightedTerm,
} from './query'
import { RankedCandidate } from './ranked-candidate'
import {
  createRussianBridge,
  dictionaryTerms,
  fleetingVowelDropped,
  MAX_DICTIONARY_SENSES,
  RUSSIAN_BRIDGE_SHARE,
  type RussianReading,
  russianNounStems,
} from './russian-bridge'
import { normalizeText, stem, type Token, tokenize } from './text'
import {
  buildTextIndex,
  clearScores,
  DEFAULT_ROLE_MATCH,
  freeMaskOf,
  headingIdf,
  headMaskOf,
  type LineHit,
  linesWithTerm,
  maskOf,
  newScratch,
  popcount,
  scoreLines,
  scoreOf,
  type TextIndex,
} from './text-index'
import {
  type CorrectionWork,
  createTypoCorrector,
  MIN_WORD_LENGTH,
  modelNameWords,
  pickWordsToCorrect,
  splitCompound,
  type TypoCorrector,
} from './typo-correction'

export type ClassifiedCandidate = {
  hs6: string
  title: string
  /** Calibrated share of belief among the returned candidates, 0–1. */
  score: number
  evidence: string[]
  /** True when part-number, designation or code evidence (not only words) points here. */
  explicit: boolean
  /**
   * True when the reading rests on what the description says the goods are: a word it matched is the
   * query's head or a goods word (not only a qualifier: "portable", "type", "made of copper"), or
   * explicit or parts-of evidence points here. Internal: the rules read it, results do not show it.
   */
  namesGoods: boolean
}

export type Classification = {
  candidates: ClassifiedCandidate[]
  /** Strength of the best text match (BM25 units); low means the description says little we know. */
  textStrength: number
  /** Calibrated chance, 0–1, that the first candidate's heading is right (classify/confidence.ts). */
  confidence: number
  explicit: ExplicitEvidence[]
  manufacturers: Manufacturer[]
  corrections: { from: string; to: string }[]
  /**
   * The words of a line that names no goods, only why or how they are sent ("gift", "personal
   * items"): such a line is not read from its words at all (classify/query.ts). Absent otherwise.
   */
  namesNoGoods?: string
  /**
   * The line names a maker (one we know, a company's legal form, or a part number beside it): its
   * words' roles do not say which words name the goods, so `namesGoods` is a weaker test here.
   * Absent otherwise.
   */
  namesMaker?: true
  /**
   * The typo-correction work this call spent, a deterministic measure of its cost for tests and
   * benches (bounded by `MAX_CORRECTED_WORDS` lookups; see typo-correction.ts). Not part of the result.
   */
  work?: CorrectionWork
}

export type Classifier = {
  classify(description: string): Classification
  hs(code: string): HsEntry | undefined
  /** The typo corrector, for its bounds (`maxComparisonsPerLookup`). */
  corrector: TypoCorrector
}

const SOURCE_LABEL: Record<string, string> = {
  hs2022: 'HS 2022 text',
  hs2022_heading: 'HS 2022 heading text',
  hs_ru: 'Russian tariff name',
  tnved_ru: 'EAEU TN VED line',
  tnved_eaeu_2026: 'EAEU TN VED 2026 text',
  htsus_2025: 'US HTS 2025 line',
  eu_cn_2026: 'EU CN 2026 line',
  uk_search_reference: 'UK tariff search term',
  uk_classification_example: 'UK classification example (LLM-written term)',
  ru_declaration: 'Russian goods declaration text',
  synonym: 'curated trade synonym',
}

/** Weights of the score parts (team's tuning on dev.jsonl; see BENCHMARKS.md for the figures). */
export const DEFAULT_TUNING = {
  headingShare: 0.5,
  secondLineShare: 0.6,
  /** Weight of the query words a code's whole vocabulary covers, across all its lines. */
  coverageShare: 2,
  /** How a match counts by the word's role in the query and in the line (see text-index.ts). */
  roleMatch: DEFAULT_ROLE_MATCH,
}
export type Tuning = typeof DEFAULT_TUNING
const EXPLICIT_BONUS: Record<ExplicitEvidence['kind'], number> = {
  code_in_text: 0.9,
  bearing_designation: 0.6,
  part_number_family: 1.0,
}
/**
 * What goods a part belongs to is read from the lines that name those goods ("Shavers, hair clippers"),
 * not from lines where the word only qualifies other goods ("laptop adapter" is a static converter, so
 * "laptop parts" are not parts of converters): the owner's head counts only where a line's head is it.
 */
const OWNER_ROLE_MATCH: readonly number[] = [1.0, 0, 0, 0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
const PARTS_BONUS = 1.1
const MAKER_BONUS = 0.8
/**
 * Goods in a marked condition: used, second-hand, retreaded, worn, reconditioned. The tariff names
 * them apart from the goods as made ("Retreaded or used pneumatic tyres" beside "New pneumatic
 * tyres"; "шины и покрышки … восстановленные или бывшие в употреблении"), and a trader who ships such
 * goods says so; a description that does not ("шины для легковых автомобилей", "tyres for passenger
 * cars") names goods as made. The words of the condition, as index stems in English and Russian: a
 * closed class of the tariff's grammar, like its exclusions "кроме", "other than", not synonyms of
 * goods. A line holding one, read for a description that writes none, counts `MARKED_CONDITION_SHARE`
 * of its score. Waste and scrap were measured as a second such class and dropped: the tariff writes
 * them into headings of the goods themselves ("Sawdust and wood waste and scrap"), and hsbench-names
 * lost 3–4 HS-4 rows at shares 0.5–0.85 (BENCHMARKS.md step 36).
 */
const MARKED_CONDITION_TERMS: ReadonlySet<string> = new Set([
  'retread',
  'secondhand',
  'worn',
  'refurbish',
  'recondit',
  'remanufactur',
  // "бывшие в употреблении" (not "употреблен": "для употребления в пищу" names food as made)
  'бывш',
  'восстановлен',
  'поношен',
])
/** "used" is an English stopword, "second hand" two words and "б/у" no token: read as written. */
const USED_AS_WRITTEN = /(?<![\p{L}\p{N}])(?:used|second[- ]?hand|б\/у|б\.у\.)(?![\p{L}\p{N}])/iu
/**
 * Food named by a state the tariff calls "prepared or preserved" (headings 1602, 1604, 1605, 2001–2008:
 * "Prepared or preserved meat", "Fruit, nuts … otherwise prepared or preserved"). Chapters 2, 3, 7 and
 * 8 keep the goods fresh, chilled, frozen, dried, salted, in brine, smoked or provisionally preserved
 * (Chapter 16 note 1, Chapter 20 note 1(a): goods "prepared or preserved by the processes specified in
 * Chapter 2, 3, 7 or 8" stay there), so those words are not of this class; what is left is the
 * trader's word for the tariff's phrase: tinned, canned, pickled, in syrup, in oil, in vinegar, and
 * the phrase's own halves. A closed class of the tariff's grammar, like `MARKED_CONDITION_TERMS`. A
 * description that writes one reads the phrase "prepared or preserved" as a qualifier. "processed"
 * names non-food goods too and lost hsbench-descriptions the row the class gained (BENCHMARKS.md step 45).
 */
const PREPARED_STATE_AS_WRITTEN =
  /(?<![\p{L}\p{N}])(?:tinned|canned|pickled|prepared|preserved|in (?:heavy |light )?syrup|in (?:olive |vegetable |sunflower )?oil|in vinegar)(?![\p{L}\p{N}])/iu
const PREPARED_OR_PRESERVED_TERMS = ['prepar', 'preserv'] as const
/** Weight of the phrase read from a state word: a reading, like a WordNet synonym (0.8). */
const PREPARED_STATE_SHARE = 0.8
/** 0.5, 0.7 and 0.85 measured alike on all eight sets; 0.5 reads the tyre lines by a clear margin. */
const MARKED_CONDITION_SHARE = 0.5
/** The Russian lines a heading holds: its tariff name and declarants' texts (HS-4 only). */
const RUSSIAN_HEADING_SOURCES: ReadonlySet<string> = new Set(['hs_ru', 'ru_declaration'])
/** Bits of the classifier's `lineFacts`: the line names goods in a marked condition (used, retreaded). */
const LINE_MARKED = 1
/** The line restricts its goods to owners (`possessiveOwners`). */
const LINE_OWNED = 2
/** The line comes from one of `RUSSIAN_HEADING_SOURCES`. */
const LINE_RUSSIAN_HEADING_SOURCE = 4
/**
 * Descriptions of at most this many query terms read a subheading the Russian tariff names by a dash
 * fragment with its heading's Russian lines as its own (see `classify`). A short name names the goods
 * and at most a distinction, which such a subheading's own text never holds together; a long
 * description meets the subheadings' own texts word by word, and there the heading's lines only
 * flattened the order of siblings (BENCHMARKS.md step 33: for every length, eec-descriptions-check
 * HS-6 top-1 47.2 -> 38.9 %).
 */
const FRAGMENT_CONTEXT_MAX_TERMS = 4
const GENERIC_IC = '854239'
/** A token shaped like a component part number: letters and at least three digits (AD7091RBRMZ, LM2596S-5.0). */
const PART_NUMBER_SHAPE = /^(?=(?:[^0-9]*[0-9]){3})(?=.*[a-z])[a-z0-9][a-z0-9\-/.]{3,}$/i
/**
 * Whether a description is one written word. "телевизор" is read as its word and the word after its
 * combining form ("визор", `russianCompoundRest`): two query terms, still one word.
 */
function isOneWord(query: ReturnType<typeof analyzeQuery>): boolean {
  if (query.terms.length === 1) return true
  const words = query.tokens.filter((t) => t.kind === 'word')
  return words.length === 1 && query.terms.some((q) => q.term === words[0]!.term)
}

/** Machinery, electrical goods, vehicles, aircraft, ships and instruments (HS chapters 84–90). */
const MACHINE_CHAPTERS = /^(?:8[4-9]|90)/
const TEMPERATURE = 0.12
/** Subheadings kept after the text scoring; the rest cannot reach the returned candidates. */
const KEPT_SUBHEADINGS = 40
/** Headings, strongest first, that may propose a subheading when none of theirs matched. */
const HEADINGS_PROPOSING = 6
const MAX_CANDIDATES = 8
/**
 * Headings past the first eight subheadings that still get a candidate (their best subheading). One
 * heading often fills the eight (a meter word: 9028.10, .20, .30, …), so a heading that is a close
 * second would not be read at all; the rules weigh every candidate's CHP codes (`chpChance`). Measured
 * on the pseudo-query bench (BENCHMARKS.md): 2 and 4 alike on seed 7, 4 better than 2 on seed 13, 8 no
 * better than 4.
 */
const OTHER_HEADINGS = 4
const MAX_EVIDENCE = 3
/**
 * Share of its coverage a one-word description's word gives a code whose lines hold it only as a
 * modifier or inside a compound ("Entry-phone systems"), not as the goods they name. Measured on all
 * eight sets (BENCHMARKS.md): 0.5 changes one row (HSBench names HS-4 +1); 0 costs HSBench names a
 * CHP row, and applying it to two-word descriptions adds a false alarm in each HSBench set. Lines that
 * name a maker are left out (their roles do not tell): with them, the held-out "part maker type"
 * rows not clear to Russia fell from 88.3 to 87.5 % (`npm run bench:parts-holdout`).
 */
const HEAD_ELSEWHERE_COVERAGE = 0.5
/**
 * Share of its coverage a query word gives a code whose lines hold it only as the first half of a
 * hyphenated head ("servo" in "Brakes and servo-brakes", 8708.30): those lines name other goods, and
 * "servo motor" read as brakes because its rare modifier was covered there and the motor only in
 * "Motor vehicles". Measured on all eight sets (BENCHMARKS.md, "Accuracy now" step 18): at 0,
 * HSBench descriptions and names +1 row each, no checking set loses. The same rule for the halves of
 * hyphenated goods words too ("Entry-phone systems") cost dev-check an HS-4 row at 0 and 0.1 and
 * left "servo motor" unread at 0.25 and 0.5.
 */
const IN_COMPOUND_COVERAGE = 0

/**
 * Weight of the two words of a closed compound read apart ("keychain" → key chain) against the word
 * as written: a reading, not the word. 0.5, 0.8 and 1 measured alike; 0.8 as for a WordNet synonym.
 */
const SPLIT_COMPOUND_SHARE = 0.8
/**
 * A Russian word's English reading as a query term: its first sense in the word's role, further senses
 * as qualifiers, at the bridge's share (the bridge and `readInEnglish` read words alike).
 */
function bridgedTerm(word: WeightedTerm, term: string, sense: number): WeightedTerm {
  return readingOf(
    word,
    term,
    sense === 0 ? word.role : 'qualifier',
    (sense === 0 ? word.weight : Math.min(word.weight, 1.2)) * RUSSIAN_BRIDGE_SHARE,
  )
}
/**
 * Longest Russian name read in English too when no line holds its words together (`readInEnglish`).
 * Measured (BENCHMARKS.md step 37): at 4 words eec-products-check lost a CHP row (5 → 4 of 7) and
 * added a false alarm; at 3 neither, and a row of HS-4 gained.
 */
const ENGLISH_READING_MAX_TERMS = 3
/**
 * A Russian head known from at most `DICTIONARY_RUSSIAN_LINES` lines is read as its form without the
 * fleeting vowel when the index knows that form from at least this many times as many lines
 * (`otherFormOf`). Measured (BENCHMARKS.md step 58): for every word, not only the head, at 2 and at 5,
 * eec-products-check lost an HS-4 row; for the head, no figure of the eight sets moved.
 */
const FLEETING_FORM_MIN_RATIO = 2
/** A Russian word with no ending whose hard noun forms are told apart from a soft-sign word's. */
const ZERO_ENDING_STEM = /^[а-я]+[бвдзлмнпрстф]$/
/**
 * The head-word prior (head-prior.ts): added to a candidate as this weight × its heading's share, on
 * the relative scale where the best text match is 1, for lines of at most `HEAD_PRIOR_MAX_WORDS`
 * content words; words heading fewer than `HEAD_PRIOR_MIN_TERMS` trade terms have none. Measured on
 * all sets (BENCHMARKS.md): 0.1 and 0.15 alike, 0.25 lost the gain, 0.4 lost rows; min 5 or 10 and
 * α 0 or 2 alike.
 */
const HEAD_PRIOR_WEIGHT = 0.12
const HEAD_PRIOR_MAX_WORDS = 2
const HEAD_PRIOR_MIN_TERMS = 5
const HEAD_PRIOR_ALPHA = 2
/** A Russian word known from this many lines or fewer also gets its bridged reading. */
const RARE_RUSSIAN_LINES = 2
/**
 * A dictionary sense counts as the tariff's use of a Russian word when the two meet in at least this
 * many headings (`senseSupport`); one shared heading is chance ("проба" / clamp). Measured
 * (BENCHMARKS.md step 59): at 1, and with raw counts instead of the Dice share, eec-descriptions-check
 * gained a false alarm or eec-products-check lost HS-4 rows.
 */
const SENSE_SUPPORT_MIN_HEADINGS = 2
/**
 * A Russian word known from this many lines or fewer is also read through the Russian→English
 * dictionary, beside its own lines: the official texts name few goods by such a word, the English
 * ones many by its translation. Measured on the four Russian sets (BENCHMARKS.md): 5 lifted both
 * tuning sets (HS-6 top 5) with no verdict change; 8 (engine 0.5.0) lifts eec-products-tune and both
 * checking sets' HS-4 by a row and takes a false alarm off eec-descriptions-check; 7 loses a tuning
 * row; 10, 20 and 100 each lose a CHP row on one set or another.
 */
export const DICTIONARY_RUSSIAN_LINES = 8
/**
 * Senses of such a known word read through the dictionary: its main goods sense only. Its own lines
 * already weigh; a second sense mostly adds another heading ("кроссовки": sneaker, and trainer →
 * ground flying trainers 8805, which `bench/parcel-lines.ts` lost a row to). A word the index does not
 * know reads up to `MAX_DICTIONARY_SENSES`.
 */
const KNOWN_WORD_DICTIONARY_SENSES = 1

/**
 * Below this heading idf a word names no kind of goods: it is in the vocabularies of more than about 22
 * of some 1,200 headings (1 in 55): "unit" 2.98, "components" 2.60, "assembly" 2.78, "device" 3.04,
 * "system" 3.12, "electronic" 3.34, against "element" 3.84, "semiconductor" 4.14, "receiver" 4.67,
 * "router" 5.61. Chosen on the tuning sets (eval/dev-tune, eec-*-tune, hsbench-descriptions), where
 * every value tried from 3.9 to 4.1 gives the same verdicts: below, dev-tune loses a CHP row whose
 * head ("element", 3.84) was then required though a goods word named the goods; above 4.2,
 * eec-descriptions-tune regains a false alarm. 4.0 is the middle of that range.
 */
export const GENERIC_WORD_IDF = 4.0

/**
 * The query words (bit i = terms[i]) a reading must match to be a reading of what the goods are: the
 * head when it names a kind of goods; when the head is generic ("brake control unit", "radio receiver
 * components"), the goods words that name one; when none does, any goods word (nothing to tell by).
 * Where the roles do not tell (a line that names a maker), any word that names a kind of goods, except
 * a company's legal form.
 */
function namingWords(
  terms: readonly WeightedTerm[],
  idfOf: (t: WeightedTerm) => number,
  rolesTell: boolean,
): number {
  const maskOf = (keep: (t: WeightedTerm) => boolean) =>
    terms.reduce((mask, t, i) => (i < 31 && keep(t) ? mask | (1 << i) : mask), 0)
  const specific = (t: WeightedTerm) => idfOf(t) >= GENERIC_WORD_IDF
  if (!rolesTell) {
    const named = maskOf((t) => specific(t) && !COMPANY_FORM.test(`${t.raw}.`))
    return named || maskOf(() => true)
  }
  const heads = maskOf((t) => t.role === 'head' && specific(t))
  if (heads) return heads
  return (
    maskOf((t) => t.role !== 'qualifier' && specific(t)) || maskOf((t) => t.role !== 'qualifier')
  )
}

/**
 * Share of its score a line keeps when a possessive restricts its goods to a user or owner the
 * description does not name ("Dentists', barbers' or similar chairs", "Bakers' wares", "Men's or
 * boys' shirts"): the line names those chairs, not chairs in general, while a line that names the
 * goods without an owner ("Chairs" under 9401's seats) names them for anyone. Only for descriptions
 * of at most `SHORT_NAME_MAX_TERMS` words: a short name that lacks the owner is a name of the general
 * goods. Measured on all eight sets (BENCHMARKS.md step 34): 0.8 lifts hsbench-names by a row; on
 * every length it cost hsbench-descriptions an HS-6 top-5 row, 0.9 moved the same names row only.
 */
const POSSESSIVE_RESTRICTION = 0.8
/**
 * Added (on the relative scale, best text match 1) to a candidate whose HS chapter is named by a
 * material the description gives its goods ("paper napkins": chapter 48, "Paper and paperboard;
 * articles of paper pulp, of paper or of paperboard"), for descriptions of at most
 * `SHORT_NAME_MAX_TERMS` words. The tariff files goods of a material under that material's chapter
 * unless a heading elsewhere names them, so the material tips the balance between headings the text
 * matched about equally (as the head-word prior does), and cannot outweigh a clear match. Measured on
 * all eight sets (BENCHMARKS.md step 34): 0.1 on every length cost hsbench-descriptions HS-4 and HS-6
 * a row; 0.05 two HS-6 rows. Since step 42 the material is also read in Russian ("бумажные"), by the
 * classes WordNet files it under ("gold" → precious metal), and in the heading's title in a chapter of
 * goods (6403 "… uppers of leather"): classify/materials.ts.
 */
const MATERIAL_CHAPTER_BONUS = 0.1
/**
 * Share of its score a candidate keeps when a Russian short name gives a material ("кольцо
 * золотое", "ложка деревянная") and the candidate's chapter files goods by another one (73 iron or
 * steel, 82 base metal) that its heading's title does not join with the name's (`conflictsWith`,
 * classify/materials.ts). The Russian lines name such goods by their class ("ювелирные изделия из
 * драгоценного металла") while the head word meets technical lines of other materials ("кольца
 * ввертные"). 0.5 and 0.8 gained the same eec-products-check row; 0.5 one more smoke-set name
 * (BENCHMARKS.md step 55).
 */
const MATERIAL_CONFLICT_SHARE = 0.5
/**
 * A short English name's candidates that read it about equally well (within this much of the best
 * score, on the scale where the best text match is 1) are weighed by where the tariff writes the name's
 * modifiers (classify/modifier-agreement.ts); a candidate keeps `MODIFIER_AGREEMENT_SHARE` of its score
 * per level of agreement it lacks (heading, chapter). Measured (BENCHMARKS.md step 60): a band of 0.15
 * cost a parcel line and pseudo-query false alarms, 0.25 more; a share of 0.8 made a CHP-heading name
 * of the smoke set clear; the chapter alone (no heading level) gained less.
 */
const MODIFIER_AGREEMENT_BAND = 0.1
const MODIFIER_AGREEMENT_SHARE = 0.9
/**
 * A candidate whose HS text bounds a quantity the description states outside that bound ("DC motor
 * 1.5 kW" read as 8501.31, "of an output not exceeding 750W") keeps this share of its score, and the
 * sibling whose bound holds the figure (8501.32) takes the score it had (classify/quantities.ts).
 */
const RANGE_CONTRADICTED_SHARE = 0.5
/** A name whose words before its head need not modify it: a list, a purpose, a material phrase. */
const NOT_A_PLAIN_PHRASE = /[,;&/+(]|\b(?:and|or|with|for|of|in|on|not)\b|[а-яё]/i
/** Descriptions this short are names of goods, which the two rules above read (see each). */
const SHORT_NAME_MAX_TERMS = 3
/**
 * Weight of a short name's head class ("table" → furniture) against the head. Measured (BENCHMARKS.md
 * step 52): 0.2 and 0.25 keep every set's figures (0.25 one false alarm fewer), 0.3–0.45 lose a
 * hsbench-names row, 0.6 two; read on every short name with a material, not only as a second
 * reading, 0.3 lost seven.
 */
const HEAD_CLASS_SHARE = 0.25
/** WordNet senses of the head read: "table" the furniture is its 2nd (the 1st is the array). */
const HEAD_CLASS_SENSES = 2
/** Apostrophes as the sources write them: ASCII, right single quotation mark, modifier letter. */
const POSSESSIVE_WORD = /([a-z]+)(?:'s|s'|’s|s’|ʼs|sʼ)(?![a-z])/gi
/**
 * Per line that holds one, the stems of the possessive words in it ("dentists'" → dentist, "men's" →
 * men): the users or owners its goods are restricted to (`POSSESSIVE_RESTRICTION`).
 */
function possessiveOwners(lineText: readonly string[]): Map<number, string[]> {
  const owners = new Map<number, string[]>()
  lineText.forEach((text, line) => {
    if (!/['’ʼ]/.test(text)) return
    const words = [...text.matchAll(POSSESSIVE_WORD)].map((m) =>
      stem(m[0].toLowerCase().replace(/['’ʼ]s?$/, '')),
    )
    if (words.length > 0) owners.set(line, words)
  })
  return owners
}

/** A company's legal form ("Co., Ltd", "GmbH", "ООО"): the words around it are a maker's name. */
const COMPANY_FORM =
  /\b(?:co\.|ltd|inc|llc|gmbh|corp|plc)(?![a-z])|(?:^|[\s"«])(?:ооо|зао|оао)(?![а-яё])/i

export function createClassifier(
  catalogue: CatalogueArtifact,
  tuning: Tuning = DEFAULT_TUNING,
  /** A prebuilt index of `catalogue.vocab` (`npm run build:index`); built here when absent. */
  prebuiltIndex?: TextIndex,
): Classifier {
  const {
    headingShare: HEADING_SHARE,
    secondLineShare: SECOND_LINE_SHARE,
    coverageShare: COVERAGE_SHARE,
    roleMatch: ROLE_MATCH,
  } = tuning
  const index = prebuiltIndex ?? buildTextIndex(catalogue.vocab)
  // The question is which heading the goods belong to: a query word weighs by how few headings hold it.
  const idf = headingIdf(index)
  const scratch = newScratch(index)
  const hsByCode = new Map(catalogue.hs.map((h) => [h.code, h]))
  const subheadingsOf = new Map<string, string[]>()
  for (const h of catalogue.hs) {
    if (h.level !== 'subheading') continue
    const list = subheadingsOf.get(h.code.slice(0, 4)) ?? []
    list.push(h.code)
    subheadingsOf.set(h.code.slice(0, 4), list)
  }
  // A heading's residual subheading (the one the HS text calls "n.e.c."), else its first; read for a
  // heading that proposes a subheading, so found once per heading here rather than on every check.
  const standInOf = new Map<string, string>()
  for (const [heading, children] of subheadingsOf) {
    const standIn =
      children.find((c) => /n\.e\.c\./.test(hsByCode.get(c)?.title ?? '')) ?? children[0]
    if (standIn) standInOf.set(heading, standIn)
  }
  const partNumbers = createPartNumberReader(catalogue)
  // Built on the first description that states a quantity: reading every HS text's ranges takes
  // 60–250 ms, which a single CLI check of a line without figures should not pay.
  let ranges: RangeReader | undefined
  const rangeReader = () => (ranges ??= createRangeReader(catalogue.hs))
  const slots = codeSlots(index.lineCode)
  const ownersOf = possessiveOwners(index.lineText)
  /**
   * The dictionary's senses of a Russian stem; for a stem it lacks ("алюминиев", "золоты"), those of
   * the noun its adjective is formed from, a fleeting vowel restored ("хлопковая" → хлопок).
   */
  function dictionarySenses(
    term: string,
    word?: string,
  ): { stem: string; senses: readonly string[] } | undefined {
    const dictionary = catalogue.ruEnDictionary
    if (!dictionary) return undefined
    if (Object.hasOwn(dictionary, term))
      return { stem: term, senses: sensesInPart(term, word, dictionary[term]!) }
    for (const base of russianNounStems(term)) {
      if (!Object.hasOwn(dictionary, base) || (dictionary[base]?.length ?? 0) === 0) continue
      return { stem: base, senses: sensesInPart(base, word, dictionary[base]!) }
    }
    return undefined
  }
  /**
   * A shared stem's senses of the part of speech the query word's ending gives ("части" a noun:
   * part; "золотое" an adjective: gold, golden); the pooled senses for any other stem or without
   * the word.
   */
  function sensesInPart(
    russianStem: string,
    word: string | undefined,
    pooled: readonly string[],
  ): readonly string[] {
    const byPart = catalogue.ruEnSensesByPart
    if (!word || !byPart || !Object.hasOwn(byPart, russianStem)) return pooled
    return byPart[russianStem]![readsAsAdjective(russianStem, word) ? 1 : 0]
  }
  /**
   * Whether a Russian query word is read through adjective senses: its stem is an adjective's only,
   * or, for a stem a noun shares, its ending is an adjective's ("золотое", not "золото").
   */
  function readsAsAdjective(russianStem: string, word: string): boolean {
    const byPart = catalogue.ruEnSensesByPart
    const parts = byPart && Object.hasOwn(byPart, russianStem) ? byPart[russianStem]! : null
    if (!parts) return false
    if (parts[0].length === 0) return true
    return isRussianAdjective(word)
  }
  const materials = createMaterialRule(catalogue)
  // Subheadings whose Russian name is a dash fragment of their heading's (line-roles.ts).
  const fragmentCode = new Set(
    catalogue.hs
      .filter((h) => h.level === 'subheading' && h.titleRu && isRussianFragment(h.titleRu))
      .map((h) => h.code),
  )
  const fragmentSlot = Uint8Array.from(slots.codes, (c) => (fragmentCode.has(c) ? 1 : 0))
  // Per line, the facts the scoring loop of `classifyReading` asks of every line it touches, in one
  // byte: a Set of source names, a Map and a separate array read per line cost more than the rest of
  // that loop's work on a line.
  const lineFacts = new Uint8Array(index.lineText.length)
  // Lines that name goods in a marked condition (used, retreaded: `MARKED_CONDITION_TERMS`).
  for (const term of MARKED_CONDITION_TERMS) {
    const id = index.termIds.get(term)
    if (id === undefined) continue
    for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++)
      lineFacts[index.postingLine[k]!]! |= LINE_MARKED
  }
  for (const line of ownersOf.keys()) lineFacts[line]! |= LINE_OWNED
  index.lineSource.forEach((source, line) => {
    if (RUSSIAN_HEADING_SOURCES.has(source)) lineFacts[line]! |= LINE_RUSSIAN_HEADING_SOURCE
  })
  const partsHeadingOf = partsHeadings(catalogue.hs)
  const partsHeadingSet = new Set(partsHeadingOf.values())
  // Headings that hold their own parts in a subheading ("Machinery ...; parts", 8479.90).
  const ownPartsHeadings = new Set(
    catalogue.hs
      .filter((h) => h.level === 'subheading' && /;\s*parts\b/i.test(h.title))
      .map((h) => h.code.slice(0, 4)),
  )
  /**
   * The heading whose two best lines match a short phrase best: steadier than the single best line,
   * and not won by a heading that merely mentions the phrase in many lines (8703's dozens of cars
   * "with diesel engine" against 8408's "diesel engines").
   */
  function strongestHeading(
    phraseTerms: WeightedTerm[],
    admits: (heading: string) => boolean = () => true,
  ): string | null {
    const firstTwo = new Map<string, [number, number]>()
    scoreLines(index, phraseTerms, scratch, OWNER_ROLE_MATCH, idf)
    for (let i = 0; i < scratch.count; i++) {
      const line = scratch.touched[i]!
      const heading = index.lineCode[line]!.slice(0, 4)
      const score = scoreOf(scratch, line)
      const kept = firstTwo.get(heading) ?? [0, 0]
      if (score > kept[0]) firstTwo.set(heading, [score, kept[0]])
      else if (score > kept[1]) firstTwo.set(heading, [kept[0], score])
      else firstTwo.set(heading, kept)
    }
    clearScores(scratch)
    let best: string | null = null
    let bestScore = 0
    for (const [heading, [first, second]] of firstTwo) {
      if (admits(heading) && first + second > bestScore) {
        best = heading
        bestScore = first + second
      }
    }
    return best
  }
  const isKnownTerm = (term: string) => index.termIds.has(term)
  const headPrior = deriveHeadPrior(index, {
    minTerms: HEAD_PRIOR_MIN_TERMS,
    alpha: HEAD_PRIOR_ALPHA,
  })
  const knownHs6 = (code: string) => hsByCode.get(code)?.level === 'subheading'
  // Where the tariff writes a term (its headings and chapters): a modifier's agreement
  // (classify/modifier-agreement.ts) and a Russian word's sense support (`senseSupport`); per term,
  // bounded as the other per-term caches are.
  const placesCache = new Map<string, TermPlaces>()
  const placesOf = (term: string): TermPlaces => {
    let places = placesCache.get(term)
    if (!places) {
      places = termPlaces(index, term)
      if (placesCache.size > 5_000) placesCache.clear()
      placesCache.set(term, places)
    }
    return places
  }

  // Typo tolerance: vocabulary words bucketed by initial and length, built once and kept for the life
  // of the classifier (an isolate or a process), with its cache of answers.
  const corrector = createTypoCorrector(
    [...index.wordsByStem.keys()].filter((w) => isKnownTerm(stem(w))),
  )

  // Russian words the Russian texts lack, read as an English loanword, a compound or a relative.
  const linesOf = (term: string) => linesWithTerm(index, term)
  const headClasses = catalogue.headClasses ?? {}
  /**
   * "oak table" → furniture, "wooden spoon" → cutlery, tableware: a short name's known English head
   * as the WordNet classes a heading title names it by (catalogue `headClasses`), as qualifiers, when
   * the name also gives a material (the material rule then picks the class's heading of it).
   */
  const headClassesOf = (terms: readonly WeightedTerm[]): WeightedTerm[] => {
    const heads = terms.filter((t) => t.role === 'head' && !/[а-яё]/.test(t.term))
    if (heads.length === 0) return []
    if (materials.namedBy(terms) === null) return []
    const out: WeightedTerm[] = []
    const taken = new Set(terms.map((t) => t.term))
    for (const head of heads)
      for (const sense of (Object.hasOwn(headClasses, head.term)
        ? headClasses[head.term]!
        : []
      ).slice(0, HEAD_CLASS_SENSES))
        for (const term of sense) {
          if (taken.has(term) || linesOf(term) === 0) continue
          taken.add(term)
          out.push(readingOf(head, term, 'qualifier', head.weight * HEAD_CLASS_SHARE))
        }
    return out
  }
  // "телевизор": every Russian line that holds it says what goods are for ("трансформаторы … для
  // телевизоров") or whose parts they are; none names goods by it, so the texts do not know it as the
  // goods a description's head names. Such a head is read through the English trade vocabulary.
  const headOnlyQualifies = (t: { term: string; raw: string; role: string }): boolean => {
    if (t.role !== 'head' || !/[а-яё]/.test(t.raw)) return false
    const id = index.termIds.get(t.term)
    if (id === undefined) return false
    for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++) {
      if (index.postingRole[k] !== LINE_ROLE.qualifier) return false
    }
    return true
  }
  const headingIdfOf = (term: string) => {
    const id = index.termIds.get(term)
    return id === undefined ? 0 : idf[id]!
  }
  // A term some line names goods by (is that line's head), generic or not ("машина").
  const headsLines = (term: string): boolean => {
    const id = index.termIds.get(term)
    if (id === undefined) return false
    for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++)
      if (index.postingRole[k] === LINE_ROLE.head) return true
    return false
  }
  // An English term names a kind of goods where some line's head is it ("pump"), not only a qualifier
  // ("lampas"), and it is no generic word ("set", "unit": GENERIC_WORD_IDF). Measured: without the
  // idf condition "гарнитура" was read as a "set" (amplifier sets) and eec-descriptions-tune gained a
  // false alarm.
  /**
   * "frequency converter", "oscilloscope probe": among the candidates that read a plain English noun
   * phrase about equally well, the sense of its head its modifiers agree with (where the tariff writes
   * them: the candidate's heading, its chapter, neither; classify/modifier-agreement.ts). Only a plain
   * phrase, words before its head, modifies the head: not a list ("books and toys"), a purpose, a count
   * ("socks 5 pairs") or a Russian name. A generic modifier ("hand", "water") is written in most
   * chapters, so it agrees with most candidates alike and moves little; leaving out modifiers below
   * `GENERIC_WORD_IDF` was measured and cost the pseudo-query check half a name among the candidates.
   */
  function weighByModifiers(
    description: string,
    query: ReturnType<typeof analyzeQuery>,
    terms: readonly WeightedTerm[],
    candidates: readonly { hs6: string; score: number; words: number }[],
  ): void {
    const head = query.terms.find((t) => t.role === 'head')
    const words = query.tokens
    if (
      !head ||
      words.length < 2 ||
      words.some((t) => t.kind !== 'word') ||
      words[words.length - 1]!.term !== head.term ||
      NOT_A_PLAIN_PHRASE.test(description) ||
      candidates.length === 0
    )
      return
    const best = Math.max(...candidates.map((s) => s.score))
    const near = candidates.filter((s) => s.score >= best - MODIFIER_AGREEMENT_BAND)
    for (const modifier of query.terms) {
      if (modifier.role === 'head') continue
      const bit = terms.findIndex((t) => t.term === modifier.term)
      if (bit < 0 || bit > 30) continue
      const places = placesOf(modifier.term)
      const factors = agreementFactors(
        near.map((s) => agreementWith(places, s.hs6, (s.words & (1 << bit)) !== 0)),
        MODIFIER_AGREEMENT_SHARE,
      )
      near.forEach((s, i) => {
        s.score *= factors[i]!
      })
    }
  }
  function weighByRanges(
    stated: readonly Quantity[],
    candidates: readonly {
      hs6: string
      score: number
      words: number
      hits: LineHit[]
      evidence: string[]
      explicit: boolean
    }[],
    candidateFor: (hs6: string) => {
      hs6: string
      score: number
      words: number
      hits: LineHit[]
      evidence: string[]
    },
  ): void {
    const byCode = new Map(candidates.map((c) => [c.hs6, c]))
    const scoreOf = (hs6: string) => byCode.get(hs6)?.score ?? 0
    for (const c of candidates) {
      if (c.explicit || c.score <= 0) continue
      const bounds = rangeReader().rangesOf(c.hs6)
      if (bounds.length === 0 || rangeFit(bounds, stated) !== 'contradicts') continue
      const sibling = rangeReader().fittingSibling(c.hs6, stated, scoreOf)
      if (!sibling) continue
      const before = c.score
      c.score *= RANGE_CONTRADICTED_SHARE
      const fitting = candidateFor(sibling)
      if (fitting.score >= before) continue
      fitting.score = before
      fitting.words |= c.words
      if (fitting.hits.length === 0) fitting.hits = c.hits
      fitting.evidence.push(
        `${stated.map((q) => `"${q.written}"`).join(', ')}: outside the bound of ${c.hs6}, inside that of ${sibling} (HS 2022 texts)`,
      )
    }
  }
  const goodsTerms = new Map<string, boolean>()
  const namesGoods = (term: string): boolean => {
    let names = goodsTerms.get(term)
    if (names === undefined) {
      names = headingIdfOf(term) >= GENERIC_WORD_IDF && headsLines(term)
      // Bounded by the dictionary's English words (a few thousand).
      goodsTerms.set(term, names)
    }
    return names
  }
  // The bridge and the typo guard read the dictionary for words known from at most
  // `DICTIONARY_RUSSIAN_LINES` lines, as they were measured; the catalogue's table holds every word for
  // `readInEnglish`. (Handing the bridge the whole table cost eec-products-check a CHP row: a
  // well-known word that only qualifies was then read through its dictionary sense.)
  // Read through the catalogue's table, not a filtered copy of it (a copy costs every engine its size).
  const rareWordSenses = (russianStem: string, word?: string): readonly string[] | undefined => {
    const dictionary = catalogue.ruEnDictionary
    return dictionary &&
      Object.hasOwn(dictionary, russianStem) &&
      linesOf(russianStem) <= DICTIONARY_RUSSIAN_LINES
      ? sensesInPart(russianStem, word, dictionary[russianStem]!)
      : undefined
  }
  /**
   * How much the tariff's parallel texts use an English term as a Russian stem's sense: the Dice share
   * of the headings where a Russian line holds the stem and an English line the term ("колодка" and
   * "shoe" meet in brake and footwear headings; "колодка" and "boot-tree", the dictionary's first
   * sense, in none). Dice, not the count: a broad English word ("fix", "time") meets any Russian
   * word in many headings. The bridge reads a rare word's senses in that order (`bySupport`). Not for
   * `readInEnglish`: ranked there too, eec-products-check lost an HS-4 row (BENCHMARKS.md step 59).
   */
  const senseSupport = (russianStem: string, englishTerm: string): number => {
    const russian = placesOf(russianStem).headings
    if (russian.size === 0) return 0
    const english = placesOf(englishTerm).headings
    let shared = 0
    for (const h of english) if (russian.has(h)) shared++
    return shared < SENSE_SUPPORT_MIN_HEADINGS ? 0 : (2 * shared) / (russian.size + english.size)
  }
  // The index's own term and word tables, not copies of them: the bridge reads them only when its
  // tables are first built, and a copy would cost every engine about a megabyte.
  const russianBridge = createRussianBridge(
    { has: isKnownTerm, get: linesOf, keys: () => index.termIds.keys() },
    { [Symbol.iterator]: () => index.wordsByStem.keys() },
    undefined,
    catalogue.ruEnDictionary
      ? {
          sensesOf: rareWordSenses,
          namesGoods,
          isAdjective: readsAsAdjective,
          support: senseSupport,
        }
      : null,
    headsLines,
  )

  const isDictionaryWord = (word: string) =>
    /[а-яё]/.test(word) && rareWordSenses(stem(word)) !== undefined

  // A word the tariff texts write: one of 5 letters or more as written, a shorter one as its own stem.
  const isVocabularyWord = (w: string) =>
    w.length >= 5 ? index.wordsByStem.has(w) : stem(w) === w && isKnownTerm(w)

  /**
   * "мёд" (honey) and "медь" (copper) share the stem "мед": the goods stemmer, as Snowball, drops the
   * soft sign. A Russian word written with no ending ("мёд", "сыр") is the nominative of a hard noun, and
   * the forms of that noun are the stem with a hard ending ("мед", "меда", "меду", "медом", "меде");
   * a line that writes the stem only with other endings ("медь", "меди", "медью"; "сырые") names
   * another word. Those lines are not scored for the term. Not for stems ending in г к х ж ш ч щ ц й,
   * whose hard nouns take "-и" too ("шёлк" / "шелки").
   */
  const otherLemmaCache = new Map<string, ReadonlySet<number> | null>()
  function otherLemmaLines(t: WeightedTerm): ReadonlySet<number> | null {
    const word = normalizeText(t.raw)
    if (word !== t.term || !ZERO_ENDING_STEM.test(word)) return null
    let lines = otherLemmaCache.get(word)
    if (lines === undefined) {
      const id = index.termIds.get(word)
      const hardForm = new RegExp(`(?<![а-я])${word}(?:а|у|ом|е|ы|ов|ам|ами|ах)?(?![а-я])`)
      const other = new Set<number>()
      if (id !== undefined)
        for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++) {
          const line = index.postingLine[k]!
          if (!hardForm.test(normalizeText(index.lineText[line]!))) other.add(line)
        }
      lines = other.size > 0 ? other : null
      if (otherLemmaCache.size > 5_000) otherLemmaCache.clear()
      otherLemmaCache.set(word, lines)
    }
    return lines
  }

  /**
   * "станок" (4 lines) / "станки" (99): a Russian noun the texts know from few lines, read as its
   * other forms when the texts write those more: the stem of a noun with a fleeting vowel keeps the
   * vowel in the nominative singular and drops it in every other form ("станок" / станк-, "замок" /
   * замк-). The bridge does the same for a word known from at most `RARE_RUSSIAN_LINES` lines
   * (`fleetingVowelDropped`); here for the words it hands to the dictionary, whose main sense would
   * otherwise be the reading ("станок" → lathe, which read every machine tool as a lathe).
   */
  function otherFormOf(t: WeightedTerm): RussianReading | null {
    if (t.role !== 'head' || !/^[а-яё]+$/.test(t.term)) return null
    const lines = linesOf(t.term)
    const form = fleetingVowelDropped(t.term).find(
      (f) => linesOf(f) >= FLEETING_FORM_MIN_RATIO * lines,
    )
    return form ? { kind: 'derivation', terms: [form], to: form } : null
  }

  /**
   * "диски колесные литые": a short Russian name whose words no line holds together (the Russian
   * texts are formal and few: "диски" are magnetic discs there, "колесные" and "литые" qualify other
   * goods) is also read in English, each word through its dictionary's main goods sense (disc, wheel,
   * cast), since the English texts (HS, HTS, CN, UK) are far richer in trade names. The English words
   * are scored beside the Russian ones, at the bridge's share, each in its Russian word's role. Only
   * names of 2–`ENGLISH_READING_MAX_TERMS` Russian words with no purpose phrase: a purpose ("для
   * экскаватора") is rarely written in the line of the goods, so the test says nothing there.
   */
  function readInEnglish(
    terms: WeightedTerm[],
    queryTerms: readonly WeightedTerm[],
    purpose: string | null,
  ): WeightedTerm[] {
    if (!catalogue.ruEnDictionary || purpose !== null) return []
    if (
      queryTerms.length < 2 ||
      queryTerms.length > ENGLISH_READING_MAX_TERMS ||
      !queryTerms.every((t) => /[а-яё]/.test(t.term))
    )
      return []
    // The Russian terms: the name's words and the bridge's Russian readings of them (a derivation's
    // base, "гранитная → гранит"), which are read in English too. Only the name's own words was
    // measured: eec-products-tune lost an HS-4 row, and with the test below on every reading
    // eec-products-check lost one as well (BENCHMARKS.md step 49, lead's review).
    const own = terms.filter((t) => /[а-яё]/.test(t.term))
    // A word the bridge read in English from the index's few lines keeps that reading alone: reading
    // the other words in English beside it cost eec-products-check a CHP row (BENCHMARKS.md step 49).
    if (
      terms.some((t) => !/[а-яё]/.test(t.term) && own.some((o) => t.raw.startsWith(`${o.raw} → `)))
    )
      return []
    // A word no line holds ("стеклянная ваза": the texts lack "ваза", which the bridge reads as
    // vase) is itself a sign that no line holds the name's words together; otherwise the lines say.
    const allKnown = queryTerms.every((q) => own.some((o) => o.term === q.term))
    if (allKnown) {
      scoreLines(index, own, scratch, ROLE_MATCH, idf)
      const all = (1 << own.length) - 1
      let together = false
      for (let i = 0; i < scratch.count && !together; i++)
        together = (maskOf(scratch, scratch.touched[i]!) & all) === all
      clearScores(scratch)
      if (together) return []
    }
    const english: WeightedTerm[] = []
    for (const t of own) {
      const word = normalizeText(t.raw)
      const found = dictionarySenses(t.term, word)
      const phrases = found?.senses
      const reading =
        phrases && dictionaryTerms(phrases, namesGoods, 1, !readsAsAdjective(found.stem, word))
      reading?.terms.forEach((term, i) => {
        if (english.some((q) => q.term === term) || terms.some((q) => q.term === term)) return
        english.push(bridgedTerm(t, term, i))
      })
    }
    return english
  }

  /**
   * "блок питания для ноутбука", "устройство управления для станка": a Russian generic head with a noun
   * of its own goods phrase beside it (a genitive complement: "блок питания", "устройство управления")
   * is already named by that noun: the phrase is the name of a kind of goods (a power supply unit), and
   * what it is for stays a qualifier. An adjective beside the head ("гидравлическая установка") names
   * no kind, so its purpose still does.
   */
  function namedByComplement(terms: readonly WeightedTerm[]): boolean {
    return terms.some(
      (t) =>
        t.role === 'goods' &&
        /^[а-яё]+$/.test(t.term) &&
        !isRussianAdjective(t.raw) &&
        isKnownTerm(t.term),
    )
  }

  /**
   * "Установка для ремонта скважин", "apparatus for washing bottles": a head that names no kind of
   * goods (below `GENERIC_WORD_IDF`: an apparatus, a machine, a unit, a system) is named by what it is
   * for, as the tariff names machines by their function ("machines for making cartons"), so the words
   * of its purpose phrase are goods words, at the goods weight, not qualifiers. A specific head
   * ("brush for shoes") keeps its purpose a qualifier. Measured on all eight sets (BENCHMARKS.md);
   * a lower weight (0.9) added a false alarm to dev-tune, the head's weight (2.2) lost rows. What a
   * Russian name says the goods are based on ("Смесь на основе гипса", `Query.basis`) names them as
   * the purpose does, as the tariff names preparations and mixtures (step 61).
   */
  function byPurpose(q: ReturnType<typeof analyzeQuery>): ReturnType<typeof analyzeQuery> {
    const head = q.terms.find((t) => t.role === 'head')
    const naming = [q.purpose, q.basis].filter((p) => p !== null).join(' ')
    if (
      !naming ||
      !head ||
      !isKnownTerm(head.term) ||
      headingIdfOf(head.term) >= GENERIC_WORD_IDF ||
      namedByComplement(q.terms)
    )
      return q
    const namingTerms = new Set(tokenize(naming).map((t) => t.term))
    return {
      ...q,
      terms: q.terms.map((t) =>
        t.role === 'qualifier' && namingTerms.has(t.term)
          ? { ...t, role: 'goods', weight: Math.max(t.weight, GOODS_WEIGHT) }
          : t,
      ),
    }
  }

  /**
   * A word that can name the goods in a query: one the index knows, or a Russian word the index lacks
   * that the dictionary reads ("сковорода" → frying pan).
   */
  const isQueryWord = (term: string) =>
    isKnownTerm(term) || (/[а-яё]/.test(term) && (rareWordSenses(term)?.length ?? 0) > 0)
  /**
   * The query read with the index's words as content words; but when that makes a Russian adjective
   * the head because the noun beside it is a word the texts lack ("чугунная сковорода" read as
   * "чугун", pig iron; "стеклянная ваза" as glass), read again with the dictionary's words as content
   * words too: the noun's English reading then names the goods, the adjective qualifies them. A
   * one-word name keeps its reading's role (as a head, "лекарства" → medicine read vaccines more
   * surely: `bench/parcel-lines.ts` flagged it).
   */
  function readQuery(description: string): ReturnType<typeof analyzeQuery> {
    const parsed = analyzeQuery(description, isKnownTerm)
    const head = parsed.terms.find((t) => t.role === 'head')
    if (
      !head ||
      !isRussianAdjective(head.raw) ||
      !parsed.terms.some((t) => !isKnownTerm(t.term) && isQueryWord(t.term))
    )
      return parsed
    return analyzeQuery(description, isQueryWord)
  }

  function classify(description: string): Classification {
    const first = classifyReading(description, false)
    if (!first.headClassesWanted) return first.result
    // The second reading, with the head's classes, counts only when its first candidate's lines
    // name the head: the class alone ("furniture") says nothing of which furniture.
    const second = classifyReading(description, true)
    return second.headNamedFirst ? second.result : first.result
  }

  /**
   * Offers every touched subheading slot its score (its best two lines, its heading's best, and the
   * query words its lines and its heading's cover) and every touched heading slot its best line. Like
   * `collectSlotHits`, a function of its own so that V8 optimises the loop early.
   */
  function offerTouchedSlots(
    touchedSlots: number,
    fragmentContext: boolean,
    coverage: (mask: number, namedMask: number, freeMask: number) => number,
    subheadingScores: TopSlots,
    headingSlots: TopSlots,
  ): void {
    for (let i = 0; i < touchedSlots; i++) {
      const slot = slots.touched[i]!
      if (!slots.isSubheading[slot]) {
        headingSlots.offer(slot, slots.first[slot]!)
        continue
      }
      const h = slots.headingSlot[slot]!
      const headingScore = h >= 0 ? slots.first[h]! : 0
      const headingMask = h >= 0 ? slots.mask[h]! : 0
      const namedMask = slots.headMask[slot]! | (h >= 0 ? slots.headMask[h]! : 0)
      const freeMask = slots.freeMask[slot]! | (h >= 0 ? slots.freeMask[h]! : 0)
      // A subheading the Russian tariff names by a dash fragment ("для легковых автомобилей" under
      // "шины и покрышки пневматические резиновые новые") is read with its heading's Russian lines as
      // its own, as the English HS 2022 subheading texts repeat their heading's goods.
      let first = slots.first[slot]!
      let second = slots.second[slot]!
      if (fragmentContext && h >= 0 && fragmentSlot[slot] && slots.ruFirst[h]! > 0) {
        // The best two of the four (each pair already ordered), without an array per slot.
        const ruFirst = slots.ruFirst[h]!
        if (ruFirst > first) {
          second = Math.max(first, slots.ruSecond[h]!)
          first = ruFirst
        } else second = Math.max(second, ruFirst)
      }
      subheadingScores.offer(
        slot,
        first +
          SECOND_LINE_SHARE * second +
          HEADING_SHARE * headingScore +
          COVERAGE_SHARE * coverage(slots.mask[slot]! | headingMask, namedMask, freeMask),
      )
    }
  }

  /** Zeroes what `collectSlotHits` wrote for the touched slots, ready for the next check. */
  function clearTouchedSlots(touchedSlots: number): void {
    for (let i = 0; i < touchedSlots; i++) {
      const slot = slots.touched[i]!
      slots.mask[slot] = 0
      slots.headMask[slot] = 0
      slots.freeMask[slot] = 0
      slots.first[slot] = 0
      slots.second[slot] = 0
      slots.ruFirst[slot] = 0
      slots.ruSecond[slot] = 0
    }
  }

  /**
   * Per code slot, over the lines `scoreLines` scored (`scratch`): the best and second-best line, and
   * every query word any of its lines matched; the slots touched go to `slots.touched` (reused: a check
   * touches up to a thousand slots, and an array grown for them each check was a sixth of the
   * classifier's garbage). Returns the best line score and how many slots were touched. A function of
   * its own rather than a loop inside `classifyReading`: V8 optimises this small hot function within a
   * thread's first checks, the loop inside the large one much later (BENCHMARKS.md, "Speed, session ten").
   */
  function collectSlotHits(
    shortName: boolean,
    named: Set<string>,
    partsNouns: number,
    conditionStated: boolean,
  ): { textStrength: number; touchedSlots: number } {
    let textStrength = 0
    let touchedSlots = 0
    for (let i = 0; i < scratch.count; i++) {
      const line = scratch.touched[i]!
      // One byte of facts per line (`lineFacts`): this loop runs over ~1,600 lines a check.
      const facts = lineFacts[line]!
      let lineScore =
        scoreOf(scratch, line) *
        (facts & LINE_MARKED && !conditionStated ? MARKED_CONDITION_SHARE : 1)
      if (lineScore === 0) continue
      const lineMask = maskOf(scratch, line)
      // "plastic garden chairs" against "Dentists', barbers' or similar chairs": goods restricted to
      // owners the name does not mention.
      const owners = shortName && facts & LINE_OWNED ? ownersOf.get(line) : undefined
      if (owners && !owners.some((o) => named.has(o))) lineScore *= POSSESSIVE_RESTRICTION
      // "запчасти для дронов" met only by its "запчасти" ("автозапчасти"): a trade phrase for the
      // parts OF something says nothing of parts whose owner the description does not name.
      if (
        index.isPhrase[line] &&
        (lineMask & ~partsNouns) === 0 &&
        popcount(lineMask) < index.lineTerms[line]!
      )
        continue
      const slot = slots.lineSlot[line]!
      if (lineScore > textStrength) textStrength = lineScore
      slots.headMask[slot]! |= headMaskOf(scratch, line)
      slots.freeMask[slot]! |= freeMaskOf(scratch, line)
      if (slots.first[slot] === 0 && slots.mask[slot] === 0) slots.touched[touchedSlots++] = slot
      slots.mask[slot]! |= lineMask
      if (facts & LINE_RUSSIAN_HEADING_SOURCE && !slots.isSubheading[slot]) {
        if (lineScore > slots.ruFirst[slot]!) {
          slots.ruSecond[slot] = slots.ruFirst[slot]!
          slots.ruFirst[slot] = lineScore
        } else if (lineScore > slots.ruSecond[slot]!) slots.ruSecond[slot] = lineScore
      }
      if (lineScore > slots.first[slot]!) {
        slots.second[slot] = slots.first[slot]!
        slots.first[slot] = lineScore
        slots.firstLine[slot] = line
        slots.firstMask[slot] = lineMask
      } else if (lineScore > slots.second[slot]!) slots.second[slot] = lineScore
    }
    return { textStrength, touchedSlots }
  }

  /**
   * One reading of a line; `withHeadClasses`: a short name's head also as its WordNet classes
   * (`headClassesOf`). Says besides whether the first candidate's lines name the head, and whether
   * the classes are wanted: the line is a short name
   * with a material and a head that has classes, and the first reading lacks the head ("oak table" →
   * 4403.91, rough oak) or the material ("wooden spoon" → 8215.99, of base metal).
   */
  function classifyReading(
    description: string,
    withHeadClasses: boolean,
  ): {
    result: Classification
    headClassesWanted: boolean
    headNamedFirst: boolean
  } {
    const parsed = byPurpose(readQuery(description))
    // "ADUM1401 Analog Devices": a maker's name says who made the goods, not what they are.
    const makerWords = partNumbers.makerWords(description)
    // "gift", "free sample": any heading the words matched ("gift wrap", "sample books") would be a
    // reading of words that name no goods; only explicit evidence (a part number) can read the line.
    const query = parsed.namesNoGoods
      ? { ...parsed, terms: [] }
      : makerWords.size === 0
        ? parsed
        : { ...parsed, terms: parsed.terms.filter((t) => !makerWords.has(t.raw.toLowerCase())) }
    const corrections: { from: string; to: string }[] = []
    const terms: WeightedTerm[] = []
    // WordNet synonyms and hypernyms the index knows, for words it does not ("sofa" → "seat").
    const expansions = expandTerms(query, catalogue.lexicon, isKnownTerm)
    // Only a few unknown words are looked up, the goods words first: the cost of a check must not grow
    // with the number of unknown words an adversary writes (issue 8).
    // A capitalised word beside a model code ("Mavic" in "DJI Mavic 3T") is a product name, not a typo.
    const modelNames = modelNameWords(description)
    const toCorrect = pickWordsToCorrect(
      query.terms.filter(
        (t) =>
          !isKnownTerm(t.term) && !expansions.has(t.term) && !modelNames.has(t.raw.toLowerCase()),
      ),
    )
    const work: CorrectionWork = { lookups: 0, comparisons: 0 }
    // Russian words the texts lack or know from one or two lines, as few as for typo correction and
    // the goods words first, so the cost stays bounded whatever the line (issue 8).
    const toBridge = pickWordsToCorrect(
      query.terms.filter(
        (t) =>
          /[а-яё]/.test(t.raw) && (linesOf(t.term) <= RARE_RUSSIAN_LINES || headOnlyQualifies(t)),
      ),
    )
    const noKnownGoodsWord = !query.terms.some((q) => q.role !== 'qualifier' && isKnownTerm(q.term))
    let headReading: { term: string } | undefined
    for (const t of query.terms) {
      const lines = linesOf(t.term)
      const onlyQualifies = lines > RARE_RUSSIAN_LINES && headOnlyQualifies(t)
      const russian = toBridge.has(t.raw.toLowerCase())
        ? russianBridge.read(t.raw.toLowerCase(), onlyQualifies)
        : lines > 0 && lines <= DICTIONARY_RUSSIAN_LINES
          ? (otherFormOf(t) ??
            russianBridge.translate(t.raw.toLowerCase(), KNOWN_WORD_DICTIONARY_SENSES))
          : lines === 0 &&
              query.terms.length <= SHORT_NAME_MAX_TERMS &&
              t.raw.length >= 3 &&
              t.raw.length < MIN_WORD_LENGTH
            ? // A short word of a short name ("ваза", "таз пластиковый") is too short for typo
              // correction and loan keys, not for the dictionary, which reads it by its own stem.
              // Not in a long description, whose other words read it ("Строительный фен, …":
              // "фен" → hair-drier put 8421.12 clothes-dryers among the candidates, eec-descriptions-tune).
              russianBridge.translate(t.raw.toLowerCase(), MAX_DICTIONARY_SENSES)
            : null
      if (russian) {
        // The head's own lines name other goods ("трансформаторы … для телевизоров"): read as the
        // head, they would be the reading.
        if (lines > 0 && !onlyQualifies) terms.push(t)
        if (onlyQualifies) headReading = { term: russian.terms[0]! }
        corrections.push({ from: t.raw, to: `${russian.to} (${russian.kind})` })
        russian.terms.forEach((term, i) => {
          if (terms.some((q) => q.term === term) || query.terms.some((q) => q.term === term)) return
          terms.push(bridgedTerm(t, term, i))
        })
        continue
      }
      if (isKnownTerm(t.term)) {
        terms.push(t)
        const supplement = expansions.get(t.term)
        if (supplement?.supplements) {
          terms.push(...supplement.terms)
          corrections.push(...supplement.notes)
        }
        continue
      }
      // A WordNet expansion comes before typo correction: a real word is not a typo of another.
      const expansion = expansions.get(t.term)
      if (expansion) {
        terms.push(...expansion.terms)
        corrections.push(...expansion.notes)
        continue
      }
      const word = t.raw.toLowerCase()
      if (!toCorrect.has(word)) continue
      // A word the Russian dictionary lists is a real word the texts lack, not a typo of one they
      // have ("града" is hail, not "грана").
      const fixed = isDictionaryWord(word) ? null : corrector.correct(word, work)
      if (fixed && isKnownTerm(stem(fixed)) && !query.terms.some((q) => q.term === stem(fixed))) {
        corrections.push({ from: t.raw, to: fixed })
        // A corrected word is a guess: it never heads the phrase and counts less.
        terms.push({
          ...t,
          term: stem(fixed),
          raw: fixed,
          role: 'qualifier',
          weight: Math.min(t.weight, 1.2) * 0.6,
        })
        continue
      }
      // An unknown word that is no typo may be a closed compound of two vocabulary words, read only
      // when nothing else in the line names the goods: beside other goods words, splitting a long
      // word ("hollowbodied") misled more readings than it found (dev-check −1, HSBench descriptions
      // −2 rows).
      const parts = noKnownGoodsWord ? splitCompound(word, isVocabularyWord) : null
      if (parts) {
        const [first, head] = parts
        corrections.push({ from: t.raw, to: `${first} ${head}` })
        terms.push(readingOf(t, stem(head), t.role, t.weight * SPLIT_COMPOUND_SHARE, head))
        if (!query.terms.some((q) => q.term === stem(first)))
          terms.push(
            readingOf(
              t,
              stem(first),
              'qualifier',
              Math.min(t.weight, 1.2) * SPLIT_COMPOUND_SHARE,
              first,
            ),
          )
      }
    }

    // "tinned peaches", "pickled onions": the tariff's "prepared or preserved" (`PREPARED_STATE_AS_WRITTEN`).
    const preparedState = PREPARED_STATE_AS_WRITTEN.exec(description)
    if (preparedState && terms.length > 0)
      for (const term of PREPARED_OR_PRESERVED_TERMS) {
        if (terms.some((q) => q.term === term) || !isKnownTerm(term)) continue
        terms.push({
          term,
          raw: `${preparedState[0]} → ${term}`,
          role: 'qualifier',
          weight: PREPARED_STATE_SHARE,
        })
      }
    terms.push(...materials.nounsOfAdjectivesInEn(terms, isKnownTerm))
    for (let i = 0; i < terms.length; i++) {
      const notInLines = otherLemmaLines(terms[i]!)
      if (notInLines) terms[i] = { ...terms[i]!, notInLines }
    }
    terms.push(...readInEnglish(terms, query.terms, query.purpose))
    const shortName = query.terms.length <= SHORT_NAME_MAX_TERMS
    // "gold ring" → precious metal (7113 "Jewellery … of precious metal"), "golden" → gold: the words
    // the tariff writes a short name's material in (classify/materials.ts).
    if (shortName) terms.push(...materials.formsOf(terms, linesOf))
    // "oak table" → furniture (9403), read only when the plain reading missed (`classify`).
    const classTerms = shortName ? headClassesOf(terms) : []
    if (withHeadClasses) terms.push(...classTerms)
    scoreLines(index, terms, scratch, ROLE_MATCH, idf)
    const named = new Set(terms.map((t) => t.term))
    const partsNouns = termsMask(terms, (t) => PARTS_NOUNS.has(t.term))
    const russianCompoundHalves = compoundHalfTerms(query.tokens)
    const conditionStated =
      USED_AS_WRITTEN.test(description) ||
      query.tokens.some((t) => MARKED_CONDITION_TERMS.has(t.term))
    const { textStrength, touchedSlots } = collectSlotHits(
      shortName,
      named,
      partsNouns,
      conditionStated,
    )
    clearScores(scratch)

    const termValue = terms.map((t) => t.weight * (idf[index.termIds.get(t.term)!] ?? 0))
    // "QX7B NORTHWIND SEMICONDUCTOR CO., LTD diode": in a line that names a maker (one we know, a
    // company's legal form or a part number beside it) the maker's name takes the head's place and the
    // type word trails as a qualifier, so word roles do not say which words name the goods.
    const manufacturers = partNumbers.manufacturers(description)
    const partToken = query.codes.find((t) => PART_NUMBER_SHAPE.test(t.raw))
    const rolesTell = !partToken && manufacturers.length === 0 && !COMPANY_FORM.test(description)
    // "phone": 8517.69 has the word only in "Entry-phone systems", 4202 in "phone accessories". A
    // description of one word names its goods by that word alone, so the word covers a code fully only
    // where one of the code's lines names its goods by it too (`HEAD_ELSEWHERE_COVERAGE`).
    const headTerms = rolesTell && isOneWord(query) ? termsMask(terms, (t) => t.role === 'head') : 0
    // "волоконно-оптический кабель": a half of the description's own Russian compound word, met inside
    // the same compound in a line ("кабели волоконно-оптические"), is that word, not a free word the
    // line holds only inside a compound ("ржаная" in "пшенично-ржаная"). English halves keep the
    // rule: exempting them moved an hsbench-descriptions row (HS-6) and nothing else.
    const compoundHalves = termsMask(terms, (t) => russianCompoundHalves.has(t.term))
    const coverage = (mask: number, namedMask: number, freeMask: number): number => {
      let sum = 0
      for (let i = 0; i < termValue.length && i < 31; i++) {
        if (!(mask & (1 << i))) continue
        const onlyElsewhere = headTerms & (1 << i) && !(namedMask & (1 << i))
        const onlyInCompounds = !(freeMask & (1 << i)) && !(compoundHalves & (1 << i))
        sum +=
          termValue[i]! *
          (onlyElsewhere ? HEAD_ELSEWHERE_COVERAGE : 1) *
          (onlyInCompounds ? IN_COMPOUND_COVERAGE : 1)
      }
      return sum
    }
    const bestHit = (slot: number): LineHit => ({
      line: slots.firstLine[slot]!,
      score: slots.first[slot]!,
      mask: slots.firstMask[slot]!,
    })
    // Evidence is kept as the hits behind a score and written out only for the few candidates returned.
    type Scored = {
      hs6: string
      score: number
      evidence: string[]
      hits: LineHit[]
      explicit: boolean
      /** Every query word (bit i = terms[i]) that any line of the code or its heading matched. */
      words: number
      /** Parts-of evidence ("panels for aircraft" → 8807) points here. */
      partsOf: boolean
      /** How often explicit evidence like this candidate's is right, where its data says (0 otherwise). */
      agreement: number | undefined
    }
    // Every candidate is made here, with all its fields from the start: one object shape, so V8 keeps
    // the optimised code of this function (a field added later to some gave them another shape, and
    // reading them threw that code away, --trace-deopt).
    const newScored = (hs6: string, score: number, hits: LineHit[], words: number): Scored => ({
      hs6,
      score,
      evidence: [],
      hits,
      explicit: false,
      words,
      partsOf: false,
      agreement: undefined,
    })
    const describeHit = (hit: LineHit): string => {
      const matched = terms.filter((_, i) => i < 31 && hit.mask & (1 << i)).map((t) => `"${t.raw}"`)
      return `matched ${matched.join(', ')} in ${SOURCE_LABEL[index.lineSource[hit.line]!]} "${truncate(index.lineText[hit.line]!, 90)}"`
    }
    const fragmentContext = terms.length <= FRAGMENT_CONTEXT_MAX_TERMS
    const subheadingScores = new TopSlots(KEPT_SUBHEADINGS)
    const headingSlots = new TopSlots(HEADINGS_PROPOSING)
    offerTouchedSlots(touchedSlots, fragmentContext, coverage, subheadingScores, headingSlots)
    const scored = new Map<string, Scored>()
    /** The candidate for a code, added with no text score when only explicit evidence points there. */
    const candidateFor = (hs6: string): Scored => {
      let s = scored.get(hs6)
      if (!s) {
        s = newScored(hs6, 0, [], 0)
        scored.set(hs6, s)
      }
      return s
    }
    for (let rank = 0; rank < subheadingScores.size; rank++) {
      const slot = subheadingScores.item(rank)
      const score = subheadingScores.score(rank)
      const h = slots.headingSlot[slot]!
      const behind = [bestHit(slot)]
      if (h >= 0 && slots.first[h]! > slots.first[slot]! * 0.5) behind.push(bestHit(h))
      scored.set(
        slots.codes[slot]!,
        newScored(
          slots.codes[slot]!,
          score,
          behind,
          slots.mask[slot]! | (h >= 0 ? slots.mask[h]! : 0),
        ),
      )
    }
    // A heading that matched while none of its subheadings did still proposes its subheadings; only
    // the strongest headings, to bound the work.
    // With no subheading of its own matched, the heading stands for its residual subheading (the one
    // the HS text calls "n.e.c."), or for its first one when it has none.
    for (let rank = 0; rank < headingSlots.size; rank++) {
      const slot = headingSlots.item(rank)
      const children = subheadingsOf.get(slots.codes[slot]!) ?? []
      if (children.some((hs6) => scored.has(hs6))) continue
      const hs6 = standInOf.get(slots.codes[slot]!)
      if (!hs6) continue
      // "шины": 4011 holds the word only in its own lines (its name, declarants' "шины"), its
      // subheadings' Russian names are fragments; read as its residual's own lines, as above, rather
      // than at the heading share, which lost it to 4012, whose subheading lines hold the word.
      const asOwnLines =
        fragmentContext && fragmentCode.has(hs6) && slots.ruFirst[slot]! > 0
          ? slots.ruFirst[slot]! +
            SECOND_LINE_SHARE * slots.ruSecond[slot]! +
            HEADING_SHARE * slots.first[slot]! +
            COVERAGE_SHARE *
              coverage(slots.mask[slot]!, slots.headMask[slot]!, slots.freeMask[slot]!)
          : 0
      scored.set(
        hs6,
        newScored(
          hs6,
          Math.max(HEADING_SHARE * slots.first[slot]! * 1.6, asOwnLines),
          [bestHit(slot)],
          slots.mask[slot]!,
        ),
      )
    }
    clearTouchedSlots(touchedSlots)

    // Relative scale: the best text match is 1. Explicit evidence then adds on the same scale.
    const top = Math.max(1e-9, ...[...scored.values()].map((s) => s.score))
    for (const s of scored.values()) s.score /= top
    // A bare trade name ("mules", "chips") says little beyond its head: how the trade files terms
    // headed by that word tips the balance between the headings the text matched equally well.
    // Long descriptions say enough on their own (on every line: hsbench-descriptions
    // −2 rows, dev-check +1; BENCHMARKS.md).
    // A head the Russian texts hold only as a purpose, read as an English word ("телевизор" →
    // television), is looked up as that reading.
    const priorHead = headReading ?? query.terms.find((t) => t.role === 'head')
    if (priorHead && query.terms.length <= HEAD_PRIOR_MAX_WORDS) {
      const shares = new Map(headPrior.of(priorHead.term).map((h) => [h.heading, h.share]))
      for (const s of scored.values())
        s.score += HEAD_PRIOR_WEIGHT * (shares.get(s.hs6.slice(0, 4)) ?? 0)
    }
    // "paper napkins", "gold chain", "бумажные салфетки": a material the name gives its goods favours
    // the chapter (or, in a chapter of goods, the heading) the tariff files such goods under.
    const namesMaterial = shortName ? materials.namedBy(query.terms) : null
    if (namesMaterial)
      for (const s of scored.values()) if (namesMaterial(s.hs6)) s.score += MATERIAL_CHAPTER_BONUS
    // "кольцо золотое" against 7318's "кольца ввертные" of iron or steel: a chapter of another material.
    const materialConflict = shortName ? materials.conflictsWith(query.terms) : null
    if (materialConflict)
      for (const s of scored.values())
        if (materialConflict(s.hs6)) s.score *= MATERIAL_CONFLICT_SHARE
    if (shortName) weighByModifiers(description, query, terms, [...scored.values()])
    // "DC motor 1.5 kW", "кабель 0,6/1 кВ": a figure the HS text of a candidate bounds otherwise moves
    // the reading to the sibling whose bound holds it; a candidate without a bound, or a description
    // without a figure of that dimension, is left as read.
    const stated = readQuantities(description)
    if (stated.length > 0) weighByRanges(stated, [...scored.values()], candidateFor)
    const explicit = partNumbers.read(description, query.tokens, knownHs6)
    const head = terms.find((t) => t.role === 'head')
    const headIsBearing = !head || /^(bearing|подшипник|brg)$/.test(head.term)
    for (const e of explicit) {
      let bonus = EXPLICIT_BONUS[e.kind]
      // "housing for 6205 bearings": the designation names what the goods fit, not what they are.
      if (e.kind === 'bearing_designation' && !headIsBearing) bonus *= 0.4
      const s = candidateFor(e.hs6)
      if (!s.explicit) s.score += bonus
      s.explicit = true
      s.evidence.unshift(e.text)
      if (e.agreement !== undefined) s.agreement = Math.max(s.agreement ?? 0, e.agreement)
    }

    // "panels for aircraft": parts are classified with what they are parts of, in the heading the HS
    // text reserves for those parts (8807 for 8801–8806, 8529 for 8524–8528, ...).
    // "helicopter tail boom", "diesel engine parts": the words before a part noun or an unknown one
    // name what the goods belong to, as "for X" does.
    const partOf =
      query.purpose && head && (PART_HEADS.has(head.term) || RUSSIAN_PART_HEADS.has(head.term))
        ? query.purpose
        : query.partOf
    if (partOf) {
      // Only machines, apparatus and vehicles whose parts the HS places somewhere can own a part
      // ("tail" alone is fish or fur; "strand" owns no board), and a heading of parts owns none.
      const partsHeadingFor = (heading: string): string | undefined =>
        partsHeadingOf.get(heading) ??
        (partsHeadingSet.has(heading) || ownPartsHeadings.has(heading) ? heading : undefined)
      // "helicopter rotor blade": a rotor is itself a part, so the blade's owner is the helicopter.
      const owner = analyzeQuery(partOf, isKnownTerm)
      const ownerTerms = owner.partOf ? analyzeQuery(owner.partOf, isKnownTerm).terms : owner.terms
      const purposeHeading = strongestHeading(
        ownerTerms,
        (heading) =>
          MACHINE_CHAPTERS.test(heading) &&
          !partsHeadingSet.has(heading) &&
          partsHeadingFor(heading) !== undefined,
      )
      const partsHeading = purposeHeading && partsHeadingFor(purposeHeading)
      if (partsHeading) {
        // A heading that holds its own parts ("Pumps; parts thereof" in 8413) offers its parts
        // subheadings; a heading of parts (8409, 8708) offers all of its subheadings.
        const allChildren = subheadingsOf.get(partsHeading) ?? []
        const partsChildren = partsHeadingSet.has(partsHeading)
          ? allChildren
          : allChildren.filter((c) => /;\s*parts\b/i.test(hsByCode.get(c)?.title ?? ''))
        const children = partsChildren.length > 0 ? partsChildren : allChildren
        const scoredChild = children
          .filter((c) => scored.has(c))
          .sort((a, b) => scored.get(b)!.score - scored.get(a)!.score)[0]
        const child =
          scoredChild ??
          children.find((c) => /n\.e\.c\./.test(hsByCode.get(c)?.title ?? '')) ??
          children[children.length - 1]
        if (child) {
          const s = candidateFor(child)
          s.score += PARTS_BONUS
          s.partsOf = true
          s.evidence.unshift(
            `parts of "${partOf}" (heading ${purposeHeading}) go to heading ${partsHeading} (HS 2022 heading text)`,
          )
        }
      }
    }

    // "LM2596S-5.0 Texas Instruments voltage regulator": a part number next to a semiconductor maker's
    // name is an electronic component, whatever the type words read as on their own ("regulator" is
    // also a thermostat). Team's reading: such parts are integrated circuits (8542) or discrete
    // semiconductors (8541); without a family pattern the IC subheading "other" is proposed.
    const semiconductorMaker = manufacturers.find((m) => /semiconductor/i.test(m.kind))
    const familyRead = explicit.some((e) => e.kind === 'part_number_family')
    // "LTC2400 Linear Technology": a part number beside a maker whose listed parts mostly share one
    // heading reads as that heading (derived maker table), more precisely than "semiconductor maker".
    const makerReading = partToken && !familyRead ? partNumbers.makerClass(description) : null
    const addMakerEvidence = (target: Scored, text: string) => {
      target.score += MAKER_BONUS
      target.explicit = true
      target.evidence.unshift(text)
    }
    if (makerReading) {
      const target = candidateFor(makerReading.hs6)
      target.agreement = Math.max(target.agreement ?? 0, makerReading.hs4Share)
      addMakerEvidence(
        target,
        `part number ${partToken!.raw} with maker ${makerReading.maker}: ${Math.round(makerReading.hs4Share * 100)} % of its ${makerReading.parts} listed parts are in heading ${makerReading.hs6.slice(0, 4)}${makerReading.chpShare === undefined ? '' : `, ${Math.round(makerReading.chpShare * 100)} % under codes on the CHP list`} (derived from a parts list with TN VED codes)`,
      )
    } else if (semiconductorMaker && partToken && !familyRead) {
      const inChips = [...scored.values()]
        .filter((s) => /^854[12]/.test(s.hs6))
        .sort((a, b) => b.score - a.score)[0]
      addMakerEvidence(
        inChips ?? candidateFor(GENERIC_IC),
        `part number ${partToken.raw} with semiconductor maker ${semiconductorMaker.name} → electronic component (team's reading)`,
      )
    }
    // Up to three evidence lines: explicit evidence first, then the lines behind the text score,
    // described only as far as needed (each description builds a string).
    const withHitEvidence = (evidence: string[], hits: LineHit[]): string[] => {
      const out = evidence.slice(0, MAX_EVIDENCE)
      for (const hit of hits) {
        if (out.length >= MAX_EVIDENCE) break
        // A heading proposed for its parts may have no line that matched a word: nothing to show.
        if (hit.mask === 0) continue
        out.push(describeHit(hit))
      }
      return out
    }
    const goodsWords = namingWords(terms, (t) => idf[index.termIds.get(t.term)!] ?? 0, rolesTell)
    const ranked = withOtherHeadings(
      [...scored.values()].sort((a, b) => b.score - a.score || a.hs6.localeCompare(b.hs6)),
    )
    const maxScore = ranked[0]?.score ?? 0
    // A typed array and a loop, not `map` and `reduce`: the exps are small integers (1) as often as
    // not, and an array that is sometimes of integers, sometimes of doubles made V8 throw away the
    // optimised code of this whole function at the `reduce` on most checks (--trace-deopt).
    const exps = new Float64Array(ranked.length)
    let total = 0
    for (let i = 0; i < ranked.length; i++) {
      exps[i] = Math.exp((ranked[i]!.score - maxScore) / TEMPERATURE)
      total += exps[i]!
    }
    // Evidence lines written when first read (RankedCandidate): most candidates' are never shown.
    const candidates = ranked.map(
      (r, i) =>
        new RankedCandidate(
          r.hs6,
          hsByCode.get(r.hs6)?.title ?? r.hs6,
          round(exps[i]! / total),
          () => withHitEvidence(r.evidence, r.hits),
          r.explicit,
          r.explicit || !!r.partsOf || goodsWords === 0 || (r.words & goodsWords) !== 0,
        ),
    )
    // The text model knows nothing of part numbers: "TMS320C6713 Texas Instruments" shares no word
    // with a tariff line, yet its prefix is 97 % one heading in the parts list. Where explicit evidence
    // for the first candidate says how often it is right, that share is the floor of the confidence.
    // The first candidate's score, from the numbers it was made of: reading it back from `candidates`
    // (an array V8 sees in several shapes: empty, scores stored as integers or as doubles) threw away
    // this function's optimised code (--trace-deopt) on one line in twenty, again and again through
    // the cached code of its main loop.
    const topScore = ranked.length > 0 ? round(exps[0]! / total) : undefined
    const confidence = Math.max(
      headingConfidence(topScore, textStrength),
      ranked[0]?.explicit ? (ranked[0].agreement ?? 0) : 0,
    )
    const headMask = termsMask(terms, (t) => t.role === 'head')
    const headNamedFirst = !!ranked[0] && (ranked[0].words & headMask) !== 0
    const namedByMaterial = materials.namedBy(terms)
    const materialNamedFirst = !!ranked[0] && !!namedByMaterial?.(ranked[0].hs6)
    return {
      result: {
        candidates,
        textStrength,
        confidence,
        explicit,
        manufacturers,
        corrections,
        work,
        ...(query.namesNoGoods ? { namesNoGoods: query.namesNoGoods } : {}),
        ...(rolesTell ? {} : { namesMaker: true as const }),
      },
      headClassesWanted:
        !withHeadClasses &&
        classTerms.length > 0 &&
        (!headNamedFirst || (namedByMaterial !== null && !materialNamedFirst)),
      headNamedFirst,
    }
  }

  return { classify, hs: (code) => hsByCode.get(code), corrector }
}

/**
 * The first `MAX_CANDIDATES` subheadings by score, then the best subheading of each of the next
 * `OTHER_HEADINGS` headings not yet among them, in score order.
 */
export function withOtherHeadings<T extends { hs6: string }>(sorted: T[]): T[] {
  const out = sorted.slice(0, MAX_CANDIDATES)
  const headings = new Set(out.map((c) => c.hs6.slice(0, 4)))
  for (let i = MAX_CANDIDATES; i < sorted.length; i++) {
    if (out.length >= MAX_CANDIDATES + OTHER_HEADINGS) break
    const heading = sorted[i]!.hs6.slice(0, 4)
    if (headings.has(heading)) continue
    headings.add(heading)
    out.push(sorted[i]!)
  }
  return out
}

/**
 * Whether a declared code agrees with the reading: its heading is that of one of the first three
 * candidates (a declared national line may be finer than HS-6; the heading is what the text can tell).
 */
export function declaredCodeConsistent(candidates: { hs6: string }[], declared: string): boolean {
  return candidates.slice(0, 3).some((c) => c.hs6.slice(0, 4) === declared.slice(0, 4))
}

/**
 * Heading → the heading that holds its parts, read from the HS heading texts ("Aircraft; parts of goods
 * of heading 8801, 8802 or 8806", "parts ... of headings 8456-8465", "of heading no. 8524 to 8528").
 */
function partsHeadings(hs: HsEntry[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const h of hs) {
    if (
      h.level !== 'heading' ||
      !/\bparts\b/i.test(h.title) ||
      /excluding|other than those of/i.test(h.title)
    )
      continue
    const ref = /headings?\s*(?:no\.?\s*)?(\d{4}(?:\s*(?:-|to|or|and|,)\s*\d{4})*)/i.exec(h.title)
    if (!ref) continue
    const codes = ref[1]!.match(/\d{4}/g)!
    const isRange = /-|to/.test(ref[1]!) && codes.length === 2
    const referenced = isRange
      ? Array.from({ length: Number(codes[1]) - Number(codes[0]) + 1 }, (_, i) =>
          String(Number(codes[0]) + i).padStart(4, '0'),
        )
      : codes
    for (const code of referenced) if (code !== h.code && !map.has(code)) map.set(code, h.code)
  }
  return map
}

/**
 * Numeric slots for the codes vocabulary lines attach to, with per-slot scratch arrays reused by every
 * call (one classifier per process or isolate), so aggregating hits allocates nothing per line.
 */
function codeSlots(lineCode: string[]) {
  const codes: string[] = []
  const slotOf = new Map<string, number>()
  const lineSlot = Int32Array.from(lineCode, (code) => {
    let slot = slotOf.get(code)
    if (slot === undefined) {
      slot = codes.length
      codes.push(code)
      slotOf.set(code, slot)
    }
    return slot
  })
  const n = codes.length
  return {
    codes,
    lineSlot,
    isSubheading: Uint8Array.from(codes, (c) => (c.length === 6 ? 1 : 0)),
    headingSlot: Int32Array.from(codes, (c) =>
      c.length === 6 ? (slotOf.get(c.slice(0, 4)) ?? -1) : -1,
    ),
    first: new Float64Array(n),
    second: new Float64Array(n),
    /** A heading's best and second-best Russian lines (its name, declarants' texts). */
    ruFirst: new Float64Array(n),
    ruSecond: new Float64Array(n),
    firstLine: new Int32Array(n),
    firstMask: new Uint32Array(n),
    mask: new Uint32Array(n),
    headMask: new Uint32Array(n),
    freeMask: new Uint32Array(n),
    /** The slots one reading touched, in the order touched. */
    touched: new Int32Array(n),
  }
}

/**
 * The k best slots by score, ties in the order offered: the first k of a stable sort, without
 * sorting every candidate (a common word touches a thousand subheadings; 40 are kept).
 */
class TopSlots {
  /** Slots and their scores, best first, in two typed arrays: an offer allocates nothing. */
  private readonly items: Int32Array
  private readonly scores: Float64Array
  size = 0
  constructor(private readonly k: number) {
    this.items = new Int32Array(k)
    this.scores = new Float64Array(k)
  }

  offer(item: number, score: number): void {
    const { items, scores, k } = this
    if (this.size === k && !(score > scores[k - 1]!)) return
    let at = this.size
    while (at > 0 && scores[at - 1]! < score) at--
    // Shift the worse ones down a place; when full, the last falls off.
    for (let i = Math.min(this.size, k - 1); i > at; i--) {
      items[i] = items[i - 1]!
      scores[i] = scores[i - 1]!
    }
    items[at] = item
    scores[at] = score
    if (this.size < k) this.size++
  }

  item(rank: number): number {
    return this.items[rank]!
  }

  score(rank: number): number {
    return this.scores[rank]!
  }
}

/** Words that name parts as such ("parts", "spare", "запчасти"), stems. */
const PARTS_NOUNS = new Set(['part', 'spare', 'component', 'accessori', ...RUSSIAN_PART_HEADS])

/**
 * The terms of the halves of a hyphenated Russian word of the description ("волоконно", "оптический"
 * of "волоконно-оптический"): the tokenizer gives each half, and the joined word, the same position.
 */
function compoundHalfTerms(tokens: readonly Token[]): Set<string> {
  const wordsAt = new Map<number, number>()
  for (const t of tokens)
    if (t.kind === 'word') wordsAt.set(t.position, (wordsAt.get(t.position) ?? 0) + 1)
  return new Set(
    tokens
      .filter((t) => t.kind === 'word' && t.lang === 'ru' && wordsAt.get(t.position)! > 1)
      .map((t) => t.term),
  )
}

/** Bit i set for each query term i (of the first 31) that `keep` admits. */
function termsMask(terms: readonly WeightedTerm[], keep: (t: WeightedTerm) => boolean): number {
  return terms.reduce((mask, t, i) => (i < 31 && keep(t) ? mask | (1 << i) : mask), 0)
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
