/**
 * @module text
 * Normalisation and tokenisation shared by the index builder and the query side, so both see the
 * same terms. English and Russian words are stemmed with the Snowball stemmers; part numbers and
 * codes are kept whole (they are matched by patterns, not by the text index).
 */
import { newStemmer } from 'snowball-stemmers'

const englishStemmer = newStemmer('english')

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
  (
    'и в во для из с со на по не или а но к ко от до без при под над о об же ли бы что как так это ' +
    'их его ее её им них прочие прочий прочее прочих кроме том числе др шт'
  ).split(' '),
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

/**
 * Words whose stems exercise each step of `stem` (US spellings, the acronym plural, the English and
 * Russian stemmers, fleeting endings): what `stemmerFingerprint` stems afresh.
 */
const FINGERPRINT_WORDS = [
  'analyzers',
  'catalyzed',
  'bearings',
  'machinery',
  'leds',
  'pcbs',
  'glasses',
  'knives',
  'batteries',
  'running',
  'самосвалы',
  'автомобили',
  'смесь',
  'вращающийся',
  'подшипников',
  'стальные',
]

/**
 * What this code's `stem` is: its tables and the stems it makes of `FINGERPRINT_WORDS`, digested
 * (FNV-1a, 32 bits). A table of saved stems carries the fingerprint of the code that made it, and is
 * seeded only into the same code: a changed exception, spelling or stemmer step changes it, so saved
 * stems can never outlive the stemmer that made them (TEXT_INDEX_FORMAT may not be bumped).
 */
export function stemmerFingerprint(): string {
  const text = JSON.stringify([
    SPELLING,
    STEM_EXCEPTIONS,
    ACRONYM_PLURAL.source,
    FINGERPRINT_WORDS.map(stemAfresh),
  ])
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** Stems made in another process (the prebuilt text index), with the fingerprint of the code that made them. */
export type StemTable = { stemmer: string; words: string[]; stems: string[] }

/**
 * Seeds this isolate's stem cache with stems that `stem` made in another process (the prebuilt text
 * index's table), so an engine build need not run the Snowball stemmers on them again. Refused, and
 * nothing seeded, unless the table was made by this very stemmer (`stemmerFingerprint`).
 */
export function seedStems(table: StemTable): boolean {
  if (table.stemmer !== stemmerFingerprint() || table.words.length !== table.stems.length)
    return false
  for (let i = 0; i < table.words.length; i++) stemCache.set(table.words[i]!, table.stems[i]!)
  return true
}

/** The words stemmed in this isolate since the cache was last cleared, with their stems, in order. */
export function stemmedWords(): StemTable {
  return {
    stemmer: stemmerFingerprint(),
    words: [...stemCache.keys()],
    stems: [...stemCache.values()],
  }
}

/** Empties the stem cache (`npm run build:index`, to see which words an engine build stems). */
export function clearStemCache(): void {
  stemCache.clear()
}

/**
 * Capitals beside lower-case words: 2–5 Latin capitals, alone or with a lower-case plural "s" ("LEDs",
 * "SSDs"), between non-letters. Two lower-case letters in a row say the line is not written in
 * capitals throughout: many rulings and parcel lines are ("MENS COTTON T-SHIRTS", "TOYS"), and there a
 * word in capitals is a word.
 */
const ACRONYM_AS_WRITTEN = /(?<!\p{L})([A-Z]{2,5})(s?)(?!\p{L})/gu
const LOWER_CASE_WORD = /\p{Ll}{2}/u
/**
 * Whether a text is written in mixed case, so its capitals carry meaning (an acronym, a unit's case):
 * two lower-case letters in a row. Rulings and parcel lines are often in capitals throughout.
 */
export function writesLowerCase(text: string): boolean {
  return LOWER_CASE_WORD.test(text)
}
const LETTER_RUN = /\p{L}+/gu

/**
 * The acronyms of a text as written ("UPS", "SSDs", "APC" in "APC UPS battery pack"), by their lower
 * case as the tokenizer sees them ("ups", "ssds"), each to its term: the acronym itself, in lower case
 * and singular ("ups", "ssd"). An acronym is no English word: stemmed, "UPS" (uninterruptible power
 * supply) is the plural of "up" and met "make-up", "ABS" met "ab". Empty when the text is in capitals
 * throughout.
 */
export function acronymsAsWritten(text: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>()
  if (!writesLowerCase(text)) return out
  for (const [written, letters] of text.matchAll(ACRONYM_AS_WRITTEN))
    out.set(written.toLowerCase(), letters!.toLowerCase())
  // The tokenizer sees words in lower case: a word the text also writes otherwise ("SMC DIODE
  // SOLUTIONS diode") is read as the word everywhere.
  if (out.size > 0)
    for (const [word] of text.matchAll(LETTER_RUN))
      if (word !== word.toUpperCase() && !/^\p{Lu}+s$/u.test(word)) out.delete(word.toLowerCase())
  return out
}

const NO_ACRONYMS: ReadonlyMap<string, string> = new Map()

export function stem(word: string): string {
  let cached = stemCache.get(word)
  if (cached === undefined) {
    cached = stemAfresh(word)
    stemCache.set(word, cached)
  }
  return cached
}

function stemAfresh(word: string): string {
  // analyzer/analyser, catalyze/catalyse: US -yz- forms meet the British -ys- of the HS texts.
  const spelled =
    (Object.hasOwn(SPELLING, word) ? SPELLING[word] : undefined) ??
    word.replace(/yz(e|er|ers|es|ed|ing)$/, 'ys$1')
  return Object.hasOwn(STEM_EXCEPTIONS, spelled)
    ? STEM_EXCEPTIONS[spelled]!
    : CYRILLIC.test(spelled)
      ? stemRussianGoodsWord(spelled)
      : englishStemmer.stem(ACRONYM_PLURAL.test(spelled) ? spelled.slice(0, -1) : spelled)
}

// --- Russian ------------------------------------------------------------------------------------
// The Snowball Russian stemmer, less its verb steps. Snowball first tries a word's ending as a
// perfective gerund ("-ив", "-ав"), then as a verb ("-л", "-ли", "-или", "-ен"…), and only then as a
// noun's. Goods texts are nouns and adjectives, and those verb endings are the ends of noun stems:
// Snowball gives "самосвал" → "самосва" but "самосвалы" → "самосвал", "автомобиль" → "автомобил"
// but "автомобили" → "автомоб", "смесь" → "сме" but "смеси" → "смес", "материал" → "материа",
// "локомотив" → "локомот", so the singular a trader writes never met the plural of the tariff text.
// Here a word loses an adjectival ending (participle suffix included) or a noun ending, as in
// Snowball; a reflexive "-ся" only before an adjectival ending ("вращающийся"); "-сь" never (it ends
// nouns: "смесь", "ось"). Steps 2–4 (the "и", "-ость", "-нн"/superlative/"ь") are Snowball's.

const RU_VOWEL = /[аеиоуыэюя]/
const RU_ADJECTIVE =
  'ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею'.split(' ')
const RU_PARTICIPLE_AFTER_A = 'ем нн вш ющ щ'.split(' ')
const RU_PARTICIPLE = 'ивш ывш ующ'.split(' ')
const RU_NOUN = (
  'а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ' +
  'ью ю ия ья я'
).split(' ')

/** The longest of `endings` that `word` ends with inside [from, end), or ''. */
function longestEnding(word: string, from: number, endings: readonly string[]): string {
  let best = ''
  for (const e of endings)
    if (e.length > best.length && word.length - e.length >= from && word.endsWith(e)) best = e
  return best
}

/** `word` without its adjectival ending (adjective, with a participle suffix before it), or null. */
function withoutAdjectival(word: string, rv: number): string | null {
  const adjective = longestEnding(word, rv, RU_ADJECTIVE)
  if (!adjective) return null
  const rest = word.slice(0, -adjective.length)
  const afterA = longestEnding(rest, rv, RU_PARTICIPLE_AFTER_A)
  const other = longestEnding(rest, rv, RU_PARTICIPLE)
  // Snowball's `among`: the longest participle suffix decides, "-ем", "-нн"… only after а or я.
  if (other.length > afterA.length) return rest.slice(0, -other.length)
  if (afterA) {
    const before = rest.length - afterA.length - 1
    return before >= rv && 'ая'.includes(rest[before]!) ? rest.slice(0, -afterA.length) : rest
  }
  return rest
}

/** Start of the region after the first vowel (RV), and of R2 (Snowball's definitions). */
function russianRegions(word: string): { rv: number; r2: number } {
  const firstVowel = word.search(RU_VOWEL)
  const rv = firstVowel < 0 ? word.length : firstVowel + 1
  const afterVowelConsonant = (from: number) => {
    for (let i = from; i < word.length - 1; i++)
      if (RU_VOWEL.test(word[i]!) && !RU_VOWEL.test(word[i + 1]!)) return i + 2
    return word.length
  }
  return { rv, r2: afterVowelConsonant(afterVowelConsonant(0)) }
}

/**
 * Hard adjectival endings no noun takes ("-ой", "-ом", "-ей", "-ие" end nouns too: "платой",
 * "молотом", "покрытие").
 */
const RU_ADJECTIVE_ONLY = /(?:ый|ая|ое|ые|ого|ому|ых|ыми|ым|ую)$/
/** The past passive participle in -т- of a verb whose stem ends in a vowel (моло-ть → моло-тый). */
const RU_T_PARTICIPLE = /[аеиоуыя]т(?:ый|ая|ое|ые|ого|ому|ых|ыми|ым|ую)$/

/**
 * The verb's noun of such a participle ("покрытие", "литье"), by the endings of its -ие/-ье
 * declension that no other noun in -т takes: "-тий" is "литий", "-тью"/"-тья"/"-тьи" are also
 * "нитью", "рукоятью", "статья".
 */
const RU_VERBAL_NOUN_ENDING = /(?:ие|ия|ию|ием|ии|иям|иями|иях|ье|ьем)$/
const RU_T_VERBAL_NOUN = /[аеиоуыя]т(?:ие|ия|ию|ием|ии|иям|иями|иях|ье|ьем)$/

export function stemRussianGoodsWord(input: string): string {
  let word = input
  const { rv, r2 } = russianRegions(word)
  // "молотый кофе" is ground coffee, "молот" a hammer: a participle in -т- loses its ending and keeps
  // an "ы", so it does not meet the noun whose stem ends in the same -т ("молотые" → "молоты",
  // "молот"/"молота"/"молотом" → "молот"; likewise "битый" / "бита", "литые" / "литьё").
  // The verb's noun in -тие/-тьё meets its participle, as before ("покрытие" / "покрытый", "литьё" /
  // "литые").
  const participleStem = RU_T_PARTICIPLE.test(word)
    ? word.replace(RU_ADJECTIVE_ONLY, '')
    : RU_T_VERBAL_NOUN.test(word)
      ? word.replace(RU_VERBAL_NOUN_ENDING, '')
      : null
  if (participleStem !== null && participleStem.length >= rv) return `${participleStem}ы`
  // Step 1: a reflexive participle, an adjectival ending, else a noun ending.
  const reflexive =
    word.endsWith('ся') && word.length - 2 >= rv ? withoutAdjectival(word.slice(0, -2), rv) : null
  const adjectival = reflexive ?? withoutAdjectival(word, rv)
  if (adjectival !== null) word = adjectival
  else {
    const noun = longestEnding(word, rv, RU_NOUN)
    if (noun) word = word.slice(0, -noun.length)
  }
  // Step 2: a final "и".
  if (word.endsWith('и') && word.length - 1 >= rv) word = word.slice(0, -1)
  // Step 3: the derivational "-ость" / "-ост" in R2.
  const derivational = longestEnding(word, Math.max(r2, rv), ['ост', 'ость'])
  if (derivational) word = word.slice(0, -derivational.length)
  // Step 4: superlative then "нн" → "н", or "нн" → "н", or a final "ь".
  const superlative = longestEnding(word, rv, ['ейш', 'ейше'])
  if (superlative) {
    word = word.slice(0, -superlative.length)
    if (word.endsWith('нн') && word.length - 2 >= rv) word = word.slice(0, -1)
  } else if (word.endsWith('нн') && word.length - 2 >= rv) word = word.slice(0, -1)
  else if (word.endsWith('ь') && word.length - 1 >= rv) word = word.slice(0, -1)
  return word
}

// A run of letters, digits and the joiners part numbers use (6205-2RS, 8482.10, XC7A35T-1CPG236C).
const RAW_TOKEN = /[\p{L}\p{N}]+(?:[-./+][\p{L}\p{N}]+)*/gu

/**
 * Splits text into tokens. Words become stems; tokens that mix letters and digits are kept whole as
 * codes; plain numbers are numbers. Stopwords are dropped here so both sides agree.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const acronyms = acronymsAsWritten(text)
  let position = 0
  for (const match of normalizeText(text).matchAll(RAW_TOKEN))
    pushTokens(tokens, match[0], ++position, acronyms)
  return tokens
}

/**
 * The tokens of one run of letters, digits and joiners (`RAW_TOKEN`), the `position`th of its text,
 * added to `tokens`: `tokenize`'s reading of each run, for a caller that scans the text itself.
 */
export function pushTokens(
  tokens: Token[],
  raw: string,
  position: number,
  acronyms: ReadonlyMap<string, string> = NO_ACRONYMS,
): void {
  const hasDigit = DIGIT.test(raw)
  const hasLetter = LATIN.test(raw) || CYRILLIC.test(raw)
  if (hasDigit && hasLetter) {
    tokens.push({ raw, term: raw.toUpperCase(), kind: 'code', lang: null, position })
    return
  }
  if (hasDigit) {
    tokens.push({ raw, term: raw, kind: 'number', lang: null, position })
    return
  }
  // Hyphenated words ("lace-up", "piezo-electric") are indexed by their parts and, joined, as
  // the one word many writers use ("piezoelectric").
  const parts = raw.split(/[-./+]/)
  const joined =
    parts.length === 2 && parts.every((p) => p.length >= 3 && !/\d/.test(p)) ? parts.join('') : ''
  for (const part of joined ? [...parts, joined] : parts) {
    const word = part.replace(/'s$/, '').replace(/'/g, '')
    if (word.length < 2) continue
    const lang = CYRILLIC.test(word) ? 'ru' : 'en'
    if (lang === 'en' ? ENGLISH_STOPWORDS.has(word) : RUSSIAN_STOPWORDS.has(word)) continue
    // An acronym written in capitals is its own term, never a stem ("UPS" is not "up").
    const acronym = acronyms.get(word)
    if (acronym !== undefined) {
      tokens.push({ raw: part, term: acronym, kind: 'word', lang, position })
      continue
    }
    // A Russian compound inflects both halves ("автомобили-самосвалы", "автомобиль-самосвал"), and
    // is written with its hyphen: its joined term is both halves' stems, so every case meets.
    const term = part === joined && lang === 'ru' ? parts.map((p) => stem(p)).join('') : stem(word)
    tokens.push({ raw: part, term, kind: 'word', lang, position })
  }
}

/** The index terms of a catalogue text: stemmed words only, duplicates kept (term frequency). */
export function indexTerms(text: string): string[] {
  return tokenize(text)
    .filter((t) => t.kind === 'word')
    .map((t) => t.term)
}

/** Plain Levenshtein distance, unbounded: for short words and a handful of candidates per lookup. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length]!
}
