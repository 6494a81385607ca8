/**
 * @module classify/russian-bridge
 * Russian query words the Russian tariff texts lack, read by method rather than by word lists. The
 * Russian texts (HS 2022 names, EAEU TN VED) are formal and few; traders write the words of the trade:
 * - loanwords transliterated from English ("окклюдер", "ресайклер", "кольпоскоп"): transliterated back
 *   to Latin (BGN/PCGN) and looked up, by a spelling key and a small edit distance, in the English
 *   vocabulary (HS, HTS, CN, UK texts), which is far richer;
 * - derivational relatives of words the texts have ("телевизор" / "телевизионный", "холодильник" /
 *   "холодильный"): the noun and the relational adjective share a base once a derivational suffix of
 *   a closed list is taken off.
 * - native words of the trade the formal texts do not use ("тележка", "горелка"): read through an
 *   openly licensed Russian→English dictionary (OpenRussian, data/vocab/SOURCES.md §10) into the
 *   English vocabulary. Neither spelling nor derivation reaches them.
 * Each is tried only for a word the index does not know or knows from one or two lines; the dictionary
 * also, by its main goods sense, for a word known from a few more (classifier.ts
 * DICTIONARY_RUSSIAN_LINES; the classifier hands the bridge only those entries of the catalogue's table).
 * - closed compounds none of these reads ("маслонасос" = масл-о-насос): the last part is the goods, the
 *   first a qualifier (an earlier split that read the first part as the goods was dropped: see
 *   data/vocab/LEXICON.md).
 */
import { levenshtein, stem } from './text'
import { createTypoCorrector, maxDistance, type TypoCorrector } from './typo-correction'

// --- Transliteration ------------------------------------------------------------------------------
/**
 * BGN/PCGN romanization of Russian (1947 system, as used by the US Board on Geographic Names and the
 * UK PCGN), without its apostrophes for ь/ъ (dropped) and with "е" always "e" (the "ye" after vowels
 * renders a sound English loanwords do not have).
 */
const BGN_PCGN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
}

export function transliterate(russian: string): string {
  let out = ''
  for (const ch of russian) out += BGN_PCGN[ch] ?? ch
  return out
}

/**
 * A spelling key on which an English word and the BGN/PCGN transliteration of its Russian loan meet.
 * Each rule undoes one regular correspondence of the practical transcription of English into Russian
 * (English c, q, x, ph, w, th are written к/с, кв, кс, ф, в, т; y is и/й; a doubled consonant is often
 * kept single; an s between vowels is written з: "composite" → "композит", "television" → "телевизор"),
 * so both sides are brought to the Russian spelling's letters.
 */
export function spellingKey(latin: string): string {
  return (
    latin
      // English j and dg(e) are written дж ("cartridge" → "картридж", "jumper" → "джампер").
      .replace(/dzh/g, 'j')
      .replace(/dg/g, 'j')
      .replace(/ph/g, 'f')
      .replace(/th/g, 't')
      .replace(/ck/g, 'k')
      .replace(/qu/g, 'kv')
      .replace(/q/g, 'k')
      .replace(/x/g, 'ks')
      .replace(/c(?=[eiy])/g, 's')
      .replace(/c/g, 'k')
      .replace(/w/g, 'v')
      .replace(/z/g, 's')
      .replace(/kh/g, 'h')
      // ю renders the English /ju:/ of "tuner", "occluder", "computer": тюнер, окклюдер, компьютер.
      .replace(/yu/g, 'u')
      .replace(/y/g, 'i')
      .replace(/(.)\1+/g, '$1')
  )
}

/** The key's consonants, in order: what a loanword keeps of its English spelling. */
export function consonantSkeleton(key: string): string {
  return key.replace(/[aeiou]/g, '')
}

/** A skeleton this long may differ from its English word's by one consonant. */
const MIN_SKELETON_FOR_EDIT = 7

/**
 * Russian adjective suffixes of loans and the English endings they render ("акустический" / acoustic,
 * -альный, -ивный): the adjective is looked up as its English word.
 */
const LOAN_ADJECTIVE_SUFFIXES: readonly [RegExp, string][] = [
  [/ическ$/, 'ик'],
  [/альн$/, 'ал'],
  [/ивн$/, 'ив'],
]

/**
 * The spelling keys a Russian goods stem may stand for as an English loan: its own transliteration,
 * then, for an adjective formed on a loan, the English adjective's ("акустическ" → akustik, the key of
 * "acoustic"; "-альн" → -al, "-ивн" → -iv).
 */
export function loanKeys(russianStem: string): string[] {
  const keys = [spellingKey(transliterate(russianStem))]
  for (const [suffix, english] of LOAN_ADJECTIVE_SUFFIXES)
    if (suffix.test(russianStem))
      keys.push(spellingKey(transliterate(russianStem.replace(suffix, english))))
  return keys
}

// --- Derivational relatives -----------------------------------------------------------------------
/**
 * Derivational suffixes of Russian goods nouns and relational adjectives, as left by the goods stemmer
 * (the inflection is gone: "телевизионная" → "телевизион", "холодильник" → "холодильник"). Taking the
 * longest one off leaves the base the noun and the adjective share: телевиз-ор / телевиз-ион,
 * холодиль-ник / холодиль-н, трансформатор / трансформатор-н. A closed list of the productive ones.
 */
const DERIVATIONAL_SUFFIXES = ['ическ', 'ионн', 'ион', 'ник', 'тель', 'ор', 'ск', 'ов', 'н']
/** The base must stay this long: shorter bases join unrelated words. */
const MIN_DERIVATIONAL_BASE = 6

export function derivationalBase(russianStem: string): string {
  for (const suffix of DERIVATIONAL_SUFFIXES)
    if (russianStem.endsWith(suffix) && russianStem.length - suffix.length >= MIN_DERIVATIONAL_BASE)
      return alternationKey(withoutVowelBeforeN(russianStem.slice(0, -suffix.length), suffix))
  return alternationKey(russianStem)
}

/**
 * The vowel an adjective puts between its base's last consonant and -н-: the suffix -ен(н)-
 * ("лекарств-енн-ый" of "лекарство", "производств-енн-ый") or a fleeting vowel ("пивовар-ен-ный" of
 * "пивоварн-я"). The stemmer leaves "лекарствен", "пивоварен", whose noun's base has no vowel there.
 */
function withoutVowelBeforeN(base: string, suffix: string): string {
  return suffix === 'н' ? base.replace(/([бвгджзклмпрстфхцчшщ])[ео]$/, '$1') : base
}

/**
 * A base's last consonant as the adjective writes it: before the suffix -н- a stem's final ц and к
 * become ч (теплиц-а / теплич-ный, станок / станоч-ный, замок / замоч-ный), the regular consonant
 * alternation of Russian derivation, so the noun and its adjective meet on one base.
 */
function alternationKey(base: string): string {
  return base.replace(/[цк]$/, 'ч')
}

// --- Closed compounds ----------------------------------------------------------------------------
/**
 * Russian combining forms that open closed compounds ("электродрель", "кофемолка", "мотопомпа") and the
 * full word each stands for, so the first part is read as what the goods are, not as a stem of its
 * own ("кофе" → кофе; "электро" → электрический). Grammar, not vocabulary: the team's list of the
 * productive prefixoids of Russian goods names.
 */
export const RUSSIAN_COMBINING_FORMS: Readonly<Record<string, string>> = {
  электро: 'электрический',
  авто: 'автомобиль',
  мото: 'мотор',
  вело: 'велосипед',
  кофе: 'кофе',
  теле: 'телевизионный',
  видео: 'видео',
  аудио: 'аудио',
  фото: 'фотографический',
  радио: 'радио',
  термо: 'термический',
  гидро: 'гидравлический',
  пневмо: 'пневматический',
  вибро: 'вибрационный',
  бензо: 'бензин',
  нефте: 'нефть',
  газо: 'газ',
  водо: 'вода',
  стерео: 'стереофонический',
  микро: '',
  мини: '',
  аэро: '',
}
/** A compound's head must be this long (a shorter rest, "пила", is still a noun; "ка" is a suffix). */
const MIN_COMPOUND_HEAD = 4
/**
 * A word known from more lines is read as itself: the texts write it (measured: splitting words known
 * from 1–2 lines too lifted both Russian tuning sets, the checking ones unchanged).
 */
const MAX_COMPOUND_WORD_LINES = 2
/** The first stem of a two-stem compound ("масл-о-охладитель") must be this long. */
const MIN_COMPOUND_FIRST = 3

/**
 * A Russian adjective's stem, then the noun it is formed from: the relational suffix dropped
 * ("алюминиев" → "алюмини", "алюмин"; "шерстян" → "шерст"; the stemmer's "золоты" → "золот").
 */
function russianBases(term: string): string[] {
  const base = term.replace(/(?:ов|ев|ян|ан|енн|н|ы|и)$/, '')
  return [...new Set([term, base, base.replace(/[ьи]$/, '')])].filter((b) => b.length >= 3)
}

/** A base that ends in two consonants may have lost a vowel between them ("хлопк-", "замк-"). */
const TWO_CONSONANTS_AT_END = /[бвгджзйклмнпрстфхцчшщ]{2}$/
/**
 * `russianBases`, then the noun stems a base may stand for when the noun's nominative keeps a vowel
 * its other forms and its adjectives drop (a fleeting vowel: "хлопковый" → хлопк-, the noun
 * "хлопок"; "замковый" → замк-, "замок"). The Snowball stemmer keeps that vowel, so the dictionary,
 * keyed by the nominative's stem, lists "хлопок" and not "хлопк".
 */
export function russianNounStems(term: string): string[] {
  const stems = russianBases(term)
  for (const base of [...stems])
    if (TWO_CONSONANTS_AT_END.test(base))
      for (const vowel of ['о', 'е']) stems.push(`${base.slice(0, -1)}${vowel}${base.slice(-1)}`)
  return [...new Set(stems)]
}

/**
 * The stems of a noun's other forms when its nominative keeps a fleeting vowel before its last
 * consonant ("платок" / платки → "платк", "ковер" / ковры → "ковр", "ремень" / ремни → "ремн",
 * "кошелек" / кошельки → "кошельк"): the tariff writes the plural, a name the singular.
 */
export function fleetingVowelDropped(own: string): string[] {
  const m = /^(.*[бвгджзйклмнпрстфхцчшщ])([оеё])([бвгджзйклмнпрстфхцчшщ])$/.exec(own)
  // A stem of three letters is left alone ("лед" / льда, "пес" / пса): a caution, not a measured
  // loss; the eight eval sets are identical with or without it (review of step 55).
  if (!m || m[1]!.length < 2) return []
  return m[2] === 'о' ? [`${m[1]}${m[3]}`] : [`${m[1]}${m[3]}`, `${m[1]}ь${m[3]}`]
}

export type CompoundSplit = { first: string; head: string; firstTerm: string | null }

/**
 * A closed Russian compound read apart, its last part the goods ("маслоохладитель" is an охладитель,
 * of масло; "электродрель" a дрель, electric): a combining form and a rest, or two stems joined
 * by the linking vowel -о-/-е-. `isGoodsHead(rest)` decides whether the rest names goods (a Russian
 * line's head, or a dictionary noun whose sense names goods); `isKnown(stem)` whether the first stem is
 * a word the index knows. The longest head wins: the last part is the goods.
 */
export function splitRussianCompound(
  word: string,
  isGoodsHead: (rest: string) => boolean,
  isKnown: (term: string) => boolean,
): CompoundSplit | null {
  const w = word.replace(/-/g, '')
  for (let i = MIN_COMPOUND_FIRST; i <= w.length - MIN_COMPOUND_HEAD; i++) {
    const first = w.slice(0, i)
    const rest = w.slice(i)
    if (first in RUSSIAN_COMBINING_FORMS) {
      if (!isGoodsHead(rest)) continue
      const meaning = RUSSIAN_COMBINING_FORMS[first]!
      const firstTerm = meaning ? stem(meaning) : null
      return { first, head: rest, firstTerm: firstTerm && isKnown(firstTerm) ? firstTerm : null }
    }
    const linking = first[first.length - 1]
    if ((linking === 'о' || linking === 'е') && first.length - 1 >= MIN_COMPOUND_FIRST) {
      const firstStem = stem(first.slice(0, -1))
      if (!isKnown(firstStem) || !isGoodsHead(rest)) continue
      return { first: first.slice(0, -1), head: rest, firstTerm: firstStem }
    }
  }
  return null
}

// --- The bridge ------------------------------------------------------------------------------------
export type RussianReading = {
  kind: 'loanword' | 'derivation' | 'dictionary' | 'compound'
  /** Index terms to score for the word, the reading's head first. */
  terms: string[]
  /** What the word was read as, for the user. */
  to: string
}

export type RussianBridge = {
  /**
   * `loanFirst`: for a word the Russian texts hold only as a purpose or owner ("для телевизоров"), whose
   * Russian relatives are as formal: the English trade vocabulary is tried first, through the word's
   * own loan key and then its relatives' ("телевизор" → телевизион → television).
   */
  read(word: string, loanFirst?: boolean): RussianReading | null
  /** The word's dictionary reading alone, of at most `senses` senses (for a word the index knows). */
  translate(word: string, senses: number): RussianReading | null
}

const CYRILLIC_WORD = /^[а-яё]+$/
const LATIN_WORD = /^[a-z]+$/

/**
 * A stem shorter than this is shared by words of other lemmas ("мод": мода, fashion, and модем), so its
 * dictionary senses say nothing of the word read as a loan.
 */
const MIN_FALSE_FRIEND_STEM = 5
/** Loanword keys shorter than this are not looked up: short keys meet unrelated English words. */
const MIN_LOAN_KEY = 6
/** Shorter keys must match an English key exactly: at one edit, six letters meet too many words. */
const MIN_LOAN_KEY_FOR_EDIT = 7

/**
 * The Russian→English dictionary as the bridge reads it: `sensesOf`, a Russian stem's English phrases
 * the index knows, main sense first (catalogue `ruEnDictionary`), undefined for a stem it has no
 * entry for; `namesGoods`: whether an English term names goods in some line of the index (is a line's
 * head), to prefer a goods sense over another.
 */
export type RussianDictionary = {
  /** `word`, the query word as written: its ending picks the part of speech of a shared stem. */
  sensesOf: (russianStem: string, word?: string) => readonly string[] | undefined
  namesGoods: (term: string) => boolean
  /** Whether the word reads as an adjective, whose senses keep the dictionary's order. */
  isAdjective?: (russianStem: string, word: string) => boolean
  /**
   * How much the tariff texts use an English term as the Russian stem's sense, from the headings where
   * a Russian line holds the stem and an English line the term (classifier.ts `senseSupport`); 0 for
   * none. Absent: the dictionary's order.
   */
  support?: (russianStem: string, englishTerm: string) => number
}

/** Senses of a dictionary word read: the goods senses first, in the trade's order (`bySupport`). */
export const MAX_DICTIONARY_SENSES = 2

/**
 * Weight of a word's bridged reading against the word: as for a synonym. Also the weight of an English
 * adjective's material noun ("wooden" → wood, classify/materials.ts), a reading of the same kind.
 */
export const RUSSIAN_BRIDGE_SHARE = 0.8

/**
 * The index terms of a dictionary word's senses: each English phrase's head (its last word: "vacuum
 * cleaner" is a cleaner) and then its other words. Senses whose head names goods in the index come
 * first ("насос": pump before lampas), each group in the trade's order when `support` is given
 * (`bySupport`); at most `MAX_DICTIONARY_SENSES`. `goodsFirst` false (an
 * adjective: it names what the goods are made of or for, not goods) keeps the dictionary's order:
 * "золотое" is gold, its main sense, not "gold coin", a sense whose head names goods.
 */
export function dictionaryTerms(
  phrases: readonly string[],
  namesGoods: (term: string) => boolean,
  senses = MAX_DICTIONARY_SENSES,
  goodsFirst = true,
  support?: (englishTerm: string) => number,
): { terms: string[]; to: string } | null {
  const parsed = phrases.map((phrase) => {
    const words = phrase.split(/[ -]/).map(stem)
    return { phrase, head: words[words.length - 1]!, others: words.slice(0, -1) }
  })
  const inTradeOrder = (list: typeof parsed) => bySupport(list, (p) => p.head, support)
  const chosen = (
    goodsFirst
      ? [
          ...inTradeOrder(parsed.filter((p) => namesGoods(p.head))),
          ...inTradeOrder(parsed.filter((p) => !namesGoods(p.head))),
        ]
      : parsed
  ).slice(0, senses)
  if (chosen.length === 0) return null
  const terms: string[] = []
  for (const p of chosen)
    for (const t of [p.head, ...p.others]) if (!terms.includes(t)) terms.push(t)
  return { terms, to: chosen.map((p) => p.phrase).join(', ') }
}

/**
 * A dictionary's senses in the order the trade uses them: the sense the tariff texts give the word
 * most (`support`: from the headings where the Russian word and the English sense are both written)
 * first, the dictionary's order among equals and when nothing supports any. The dictionary lists
 * senses by general use ("колодка": boot-tree, last, shoe; "корм": forage, feed, fodder); the tariff's
 * parallel texts say which one goods are named by (brake shoes, fodder).
 */
function bySupport<T>(
  senses: readonly T[],
  headOf: (sense: T) => string,
  support?: (englishTerm: string) => number,
): T[] {
  if (!support || senses.length < 2) return [...senses]
  const counts = senses.map((s) => support(headOf(s)))
  return senses
    .map((s, i) => ({ s, i }))
    .sort((a, b) => counts[b.i]! - counts[a.i]! || a.i - b.i)
    .map((x) => x.s)
}

/**
 * `terms`: the index's terms with their line counts; `words`: the vocabulary's words as written. Both
 * are read only when the tables are first built, so the caller can pass views of the index's own
 * tables instead of copies. `enabled` picks the readings (for measurement and tests); all by default.
 */
export function createRussianBridge(
  terms: Pick<ReadonlyMap<string, number>, 'has' | 'get' | 'keys'>,
  words: Iterable<string>,
  enabled: ReadonlySet<RussianReading['kind']> = new Set([
    'loanword',
    'derivation',
    'dictionary',
    'compound',
  ]),
  dictionary: RussianDictionary | null = null,
  headsLines: (term: string) => boolean = () => false,
): RussianBridge {
  // The tables are built on the first Russian word read (about 0.3 s): English-only traffic never pays.
  let tables: ReturnType<typeof buildTables> | null = null
  function buildTables() {
    // Derivational bases of the known Russian terms.
    const byBase = new Map<string, string[]>()
    for (const term of terms.keys()) {
      if (!CYRILLIC_WORD.test(term)) continue
      const base = derivationalBase(term)
      const list = byBase.get(base) ?? []
      list.push(term)
      byBase.set(base, list)
    }
    // English words and their stems by spelling key ("scanner" and "scann" → the term "scanner"), and
    // the keys by consonant skeleton.
    const englishByKey = new Map<string, string>()
    for (const w of words) {
      if (!LATIN_WORD.test(w)) continue
      const term = stem(w)
      if (!terms.has(term)) continue
      for (const form of [w, term]) {
        const key = spellingKey(form)
        if (key.length >= MIN_LOAN_KEY - 1 && !englishByKey.has(key)) englishByKey.set(key, term)
      }
    }
    const keysBySkeleton = new Map<string, string[]>()
    for (const key of englishByKey.keys()) {
      const sk = consonantSkeleton(key)
      const list = keysBySkeleton.get(sk) ?? []
      list.push(key)
      keysBySkeleton.set(sk, list)
    }
    return { byBase, englishByKey, keysBySkeleton }
  }
  let skeletonCorrector: TypoCorrector | null = null
  const work = { lookups: 0, comparisons: 0 }
  /**
   * The English key a Russian loan's key stands for: its consonants must be the same (a loan keeps the
   * consonants and respells the vowels: "ресайклер" resaikler / "recycler" resikler), one consonant
   * apart allowed only in a long word ("квадрокоптер" kvadrokopter / "quadcopter" kvadkopter); and the
   * whole key within the typo corrector's distance (one edit to 7 letters, two from 8).
   */
  function englishKeyFor(key: string): string | null {
    const { englishByKey, keysBySkeleton } = tables!
    if (englishByKey.has(key)) return key
    if (key.length < MIN_LOAN_KEY_FOR_EDIT) return null
    const sk = consonantSkeleton(key)
    let candidates = keysBySkeleton.get(sk)
    if (!candidates && sk.length >= MIN_SKELETON_FOR_EDIT) {
      skeletonCorrector ??= createTypoCorrector([...keysBySkeleton.keys()])
      const near = skeletonCorrector.correct(sk, work)
      candidates = near && levenshtein(near, sk) <= 1 ? keysBySkeleton.get(near) : undefined
    }
    let best: string | null = null
    let bestDistance = maxDistance(key.length) + 1
    for (const c of candidates ?? []) {
      // As in typo correction, the initial is kept: "oblast" (область) is no "blast".
      if (c[0] !== key[0]) continue
      const d = levenshtein(c, key)
      if (d < bestDistance) {
        best = c
        bestDistance = d
      }
    }
    return best
  }

  /** The dictionary's `support` of the Russian stem's senses, for `bySupport`. */
  const supportOf = (russianStem: string) => {
    const support = dictionary?.support
    return support && ((english: string) => support(russianStem, english))
  }
  function translate(own: string, word: string, senses?: number): RussianReading | null {
    const phrases = enabled.has('dictionary') ? dictionary?.sensesOf(own, word) : undefined
    const reading =
      phrases &&
      dictionaryTerms(
        phrases,
        dictionary!.namesGoods,
        senses,
        !dictionary!.isAdjective?.(own, word),
        supportOf(own),
      )
    return reading ? { kind: 'dictionary', ...reading } : null
  }
  /**
   * A loan reading the dictionary does not contradict: the dictionary lacks the word, or one of its
   * senses is the loan's English word ("модем" / modem). A native word the dictionary translates
   * otherwise is a false friend of the English spelling ("платье" / plate: a dress).
   */
  const notFalseFriend = (own: string, word: string, english: string): boolean => {
    if (own.length < MIN_FALSE_FRIEND_STEM) return true
    const phrases = enabled.has('dictionary') ? dictionary?.sensesOf(own, word) : undefined
    if (!phrases || phrases.length === 0) return true
    return phrases.some((p) => p.split(/[ -]/).some((w) => stem(w) === english))
  }
  const cache = new Map<string, RussianReading | null>()
  function readUncached(word: string, loanFirst: boolean): RussianReading | null {
    if (!CYRILLIC_WORD.test(word)) return null
    tables ??= buildTables()
    const { byBase, englishByKey } = tables
    const own = stem(word)
    // The relatives, most used first: the one the texts write.
    const relatives = (byBase.get(derivationalBase(own)) ?? [])
      .filter((t) => t !== own)
      .sort((a, b) => terms.get(b)! - terms.get(a)!)
    const loan = (stems: readonly string[]): RussianReading | null => {
      for (const s of stems)
        for (const key of loanKeys(s)) {
          if (key.length < MIN_LOAN_KEY) continue
          const near = englishKeyFor(key)
          const english = near ? englishByKey.get(near) : undefined
          if (english) return { kind: 'loanword', terms: [english], to: english }
        }
      return null
    }
    const translated = () => translate(own, word)
    // "модем": the stemmer takes "-ем" for an ending ("мод"), whose key is too short to look up; the
    // word as written is a loan's spelling of an English word ("modem"), when its key is one exactly
    // (the table holds keys of `MIN_LOAN_KEY` − 1 letters and more: "modem" is five), and the
    // dictionary does not translate the word otherwise ("платье", written "plate", is a dress).
    if (enabled.has('loanword') && word !== own) {
      const key = loanKeys(word)[0]
      const english = key ? englishByKey.get(key) : undefined
      if (english && notFalseFriend(own, word, english))
        return { kind: 'loanword', terms: [english], to: english }
    }
    if (loanFirst && enabled.has('loanword')) {
      const reading = loan([own, ...relatives]) ?? translated()
      if (reading) return reading
    }
    // Another form of the same noun, which the texts write more ("платок" → платки, "ковер" → ковры).
    if (enabled.has('derivation'))
      for (const form of fleetingVowelDropped(own))
        if ((terms.get(form) ?? 0) > (terms.get(own) ?? 0))
          return { kind: 'derivation', terms: [form], to: form }
    if (enabled.has('derivation') && relatives[0])
      return { kind: 'derivation', terms: [relatives[0]], to: relatives[0] }
    return (enabled.has('loanword') ? loan([own]) : null) ?? translated() ?? compound(word, own)
  }
  /**
   * A word the index does not know, or knows from one or two lines, read as a closed compound: its head through the Russian
   * lines that name goods by it, or else through the dictionary; its first part as a qualifier.
   */
  function compound(word: string, own: string): RussianReading | null {
    if (!enabled.has('compound') || (terms.get(own) ?? 0) > MAX_COMPOUND_WORD_LINES) return null
    const headTerms = (rest: string): string[] | null => {
      const restStem = stem(rest)
      if (terms.has(restStem) && headsLines(restStem)) return [restStem]
      const phrases = dictionary?.sensesOf(restStem)
      const reading = phrases && dictionaryTerms(phrases, dictionary!.namesGoods, 1)
      return reading && dictionary!.namesGoods(reading.terms[0]!) ? reading.terms : null
    }
    // The split stops at the first rest that names goods, so the last reading asked for is its head's.
    let read = null as string[] | null
    const split = splitRussianCompound(
      word,
      (rest) => {
        read = headTerms(rest)
        return read !== null
      },
      terms.has.bind(terms),
    )
    if (!split || !read) return null
    if (split.firstTerm && !read.includes(split.firstTerm)) read.push(split.firstTerm)
    return { kind: 'compound', terms: read, to: `${split.first} + ${split.head}` }
  }
  return {
    read(word, loanFirst = false) {
      const key = loanFirst ? `${word} loan` : word
      let r = cache.get(key)
      if (r === undefined) {
        r = readUncached(word, loanFirst)
        if (cache.size > 20_000) cache.clear()
        cache.set(key, r)
      }
      return r
    },
    translate(word, senses) {
      return CYRILLIC_WORD.test(word) ? translate(stem(word), word, senses) : null
    },
  }
}
