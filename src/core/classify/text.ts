/**
 * @module text
 * Normalisation and tokenisation shared by the index builder and the query side, so both see the
 * same terms. English and Russian words are stemmed with the Snowball stemmers; part numbers and
 * codes are kept whole (they are matched by patterns, not by the text index).
 */
import { newStemmer } from 'snowball-stemmers'

const englishStemmer = newStemmer('english')
const russianStemmer = newStemmer('russian')

// Stems are pure functions of the word, and the vocabulary is small (tens of thousands of words),
// so one cache per isolate pays for itself on the first batch.
const stemCache = new Map<string, string>()

/** US and British spellings meet on one form (team's own table: HS texts use British spelling). */
const SPELLING: Record<string, string> = {
  aluminum: 'aluminium',
  color: 'colour',
  colored: 'coloured',
  colors: 'colours',
  fiber: 'fibre',
  fibers: 'fibres',
  gray: 'grey',
  jewelry: 'jewellery',
  meter: 'metre',
  meters: 'metres',
  liter: 'litre',
  liters: 'litres',
  tire: 'tyre',
  tires: 'tyres',
  mold: 'mould',
  molds: 'moulds',
  molded: 'moulded',
  vapor: 'vapour',
  catalog: 'catalogue',
  sulfur: 'sulphur',
  sulfate: 'sulphate',
  sulfide: 'sulphide',
  center: 'centre',
  centers: 'centres',
  womans: 'woman',
  mens: 'men',
  womens: 'women',
  childrens: 'children',
  boys: 'boy',
  girls: 'girl',
  // Plurals in -ves the stemmer cannot bring back to -f/-fe ("knives" would stem to "knive", never
  // meeting "knife"): the closed class of English f→ves nouns that name goods or their materials.
  knives: 'knife',
  leaves: 'leaf',
  shelves: 'shelf',
  halves: 'half',
  loaves: 'loaf',
  calves: 'calf',
  wolves: 'wolf',
  scarves: 'scarf',
  hooves: 'hoof',
  sheaves: 'sheaf',
}

/**
 * Nouns the stemmer merges with a different word: "bearings" would stem to "bear", so a "teddy bear" or
 * "gummy bears" read as ball bearings (a CHP code). The noun keeps its own stem.
 */
const STEM_EXCEPTIONS: Record<string, string> = {
  bearing: 'bearing',
  bearings: 'bearing',
  // "coated" paper or steel is no garment: a "coat" would stem with it and read as coated steel.
  coated: 'coated',
  coating: 'coating',
  coatings: 'coating',
}

export const ENGLISH_STOPWORDS = new Set(
  (
    'a an the and or nor of for to in on at by with without from into onto as is are was were be been being ' +
    'it its this that these those which who whom whose what when where while than then there here such ' +
    'not no other others etc ie eg i e whether including include includes included excluding ' +
    'said say says also only each per can may will would should could used use using designed intended ' +
    'type types kind kinds form forms like similar thereof therefor therewith article articles ' +
    'item items model models style styles number numbers no nos sku ref reference order pcs pc qty ' +
    'imported importation consist consists consisting composed constructed manufactured made comprised ' +
    'featuring feature features has have having approximately approx measures measuring measure size ' +
    'new brand inch inches cm mm m kg g lbs lb oz ml percent pct x ' +
    // Units: the figure before them may matter, the word never names the goods.
    'hz khz mhz ghz mah mw kw kv mv ohm gb mb tb kb pk ct'
  ).split(' '),
)

export const RUSSIAN_STOPWORDS = new Set(
  'и в во для из с со на по не или а но к ко от до без при под над о об же ли бы что как так это ' +
    'их его ее её им них прочие прочий прочее прочих кроме том числе др шт'.split(' '),
)

export type TokenKind = 'word' | 'code' | 'number'

export type Token = {
  /** The token as written, case kept (for part numbers and evidence). */
  raw: string
  /** The index term: a stem for words, the uppercased token for codes. */
  term: string
  kind: TokenKind
  lang: 'en' | 'ru' | null
  /** Position among all tokens, to find the goods phrase. */
  position: number
}

const CYRILLIC = /[а-яё]/
const LATIN = /[a-z]/
const DIGIT = /[0-9]/

const NON_ASCII = /[\u0080-\uffff]/

/** NFKC, case fold, one kind of quote and dash, ё → е. */
export function normalizeText(text: string): string {
  // Most trade text is ASCII, where NFKC changes nothing and the backtick is the only quote to fold.
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'")
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[‘’‚‛`´]/g, "'")
    .replace(/[“”„‟«»]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
}

/**
 * The plural of an acronym without vowels ("SSDs", "PCBs", "HDDs"): Snowball keeps the "s" of a word
 * with no vowel before it, so "SSDs" would never meet "SSD". "pcs" is pieces, a count, not PCs.
 */
const ACRONYM_PLURAL = /^(?!pcs$)[b-df-hj-np-tv-xz]{2,}s$/

export function stem(word: string): string {
  let cached = stemCache.get(word)
  if (cached === undefined) {
    // analyzer/analyser, catalyze/catalyse: US -yz- forms meet the British -ys- of the HS texts.
    const spelled =
      (Object.hasOwn(SPELLING, word) ? SPELLING[word] : undefined) ??
      word.replace(/yz(e|er|ers|es|ed|ing)$/, 'ys$1')
    cached = Object.hasOwn(STEM_EXCEPTIONS, spelled)
      ? STEM_EXCEPTIONS[spelled]!
      : CYRILLIC.test(spelled)
        ? russianStemmer.stem(spelled)
        : englishStemmer.stem(ACRONYM_PLURAL.test(spelled) ? spelled.slice(0, -1) : spelled)
    stemCache.set(word, cached)
  }
  return cached
}

// A run of letters, digits and the joiners part numbers use (6205-2RS, 8482.10, XC7A35T-1CPG236C).
const RAW_TOKEN = /[\p{L}\p{N}]+(?:[-./+][\p{L}\p{N}]+)*/gu

/**
 * Splits text into tokens. Words become stems; tokens that mix letters and digits are kept whole as
 * codes; plain numbers are numbers. Stopwords are dropped here so both sides agree.
 */
export function tokenize(text: string): Token[] {
  const normalized = normalizeText(text)
  const tokens: Token[] = []
  let position = 0
  for (const match of normalized.matchAll(RAW_TOKEN)) {
    const raw = match[0]
    position++
    const hasDigit = DIGIT.test(raw)
    const hasLetter = LATIN.test(raw) || CYRILLIC.test(raw)
    if (hasDigit && hasLetter) {
      tokens.push({ raw, term: raw.toUpperCase(), kind: 'code', lang: null, position })
      continue
    }
    if (hasDigit) {
      tokens.push({ raw, term: raw, kind: 'number', lang: null, position })
      continue
    }
    // Hyphenated words ("lace-up", "piezo-electric") are indexed by their parts and, joined, as
    // the one word many writers use ("piezoelectric").
    const parts = raw.split(/[-./+]/)
    if (parts.length === 2 && parts.every((p) => p.length >= 3 && !/\d/.test(p)))
      parts.push(parts.join(''))
    for (const part of parts) {
      const word = part.replace(/'s$/, '').replace(/'/g, '')
      if (word.length < 2) continue
      const lang = CYRILLIC.test(word) ? 'ru' : 'en'
      if (lang === 'en' ? ENGLISH_STOPWORDS.has(word) : RUSSIAN_STOPWORDS.has(word)) continue
      tokens.push({ raw: part, term: stem(word), kind: 'word', lang, position })
    }
  }
  return tokens
}

/** The index terms of a catalogue text: stemmed words only, duplicates kept (term frequency). */
export function indexTerms(text: string): string[] {
  return tokenize(text)
    .filter((t) => t.kind === 'word')
    .map((t) => t.term)
}
