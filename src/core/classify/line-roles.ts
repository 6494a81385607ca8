/**
 * @module classify/line-roles
 * Reads a vocabulary line the way `query.ts` reads a description: which words name the goods (the
 * head), which qualify the head inside the goods phrase, and which only say what the goods are for,
 * made of or sold with. "Balls for ball bearings" names balls, not bearings; "Furskins; raw, of mink,
 * with or without head, tail or paws" names furskins, and its tail is a qualifier. Scoring a query's
 * head against a line's head is what makes "ball bearing" read as ball bearings.
 */
import { tokenize } from './text'

/**
 * `inCompound`: a part before the last of a hyphenated head ("servo" in "Brakes and servo-brakes"). It
 * modifies the other half inside one word: the line names brakes, and says less of servos than a free
 * word would. Weakest role: a term's role in a line is its strongest occurrence, so a free "servo"
 * elsewhere in the line wins. Scored as a goods word; it does not cover the query word (classifier.ts).
 */
export const LINE_ROLE = { head: 0, goods: 1, qualifier: 2, inCompound: 3 } as const
export type LineRole = (typeof LINE_ROLE)[keyof typeof LINE_ROLE]

// Words after which a tariff text stops naming the goods ("for", "of", "with", "containing", ...).
const EN_BREAKERS = new Set(
  (
    'for of with without whether containing contained in on from by to than other excluding excl ' +
    'not which that when where used designed suitable put presented having weighing measuring ' +
    'exceeding less more not whose incorporating including known such as at'
  ).split(' '),
)
const RU_BREAKERS = new Set(
  'для из с со без в во на от по кроме содержащие содержащий предназначенные используемые'.split(
    ' ',
  ),
)
const COORDINATORS = new Set(['and', 'or', 'и', 'или'])
/**
 * A Russian adjective compound: a first half in a combining vowel ("пшенично-", "волоконно-") and an
 * adjective ending ("-ая", "-ые", "-ого", ...), as the tariff writes mixtures and joint properties.
 */
const ADJECTIVE_COMPOUND =
  /^[а-яё]+[оеё]-[а-яё]+(?:ая|яя|ый|ий|ой|ое|ее|ые|ие|ого|его|ому|ему|ую|юю|ым|им|ых|их|ыми|ими)$/i
/** Heads that name parts of the goods named before them ("Motorcycles; parts and accessories"). */
const PARTS_WORDS = new Set(['parts', 'part', 'accessories', 'части', 'принадлежности'])

/**
 * The role of each indexed term of a line, in `tokenize` order (words only, as `indexTerms` emits them).
 * Segments (split by ";" and ":", the HS and national tariff separators) are read one by one: each
 * opens with a goods phrase unless it starts with a breaker ("Of mink", "For machines of 8456").
 * Inside the goods phrase, the word before a coordinator or a comma and the phrase's last word are
 * heads ("Sheep and goats", "Photographic paper, paperboard and textiles"); other words are goods
 * words; everything after the first breaker of the segment qualifies.
 */
export function lineTermRoles(text: string): LineRole[] {
  const roles: LineRole[] = []
  for (const segment of text.split(/[;:]/)) {
    const segmentStart = roles.length
    let namesParts = false
    const chunks = segment.split(/[,()[\]]/)
    let qualifying = false
    // Whether the segment has named goods before this word ("Carpets" in "Carpets and other …").
    let goodsNamed = false
    for (const chunk of chunks) {
      const words = chunk.trim().split(/\s+/).filter(Boolean)
      if (words.length === 0) continue
      const cyrillic = /[а-яё]/i.test(chunk)
      const breakers = cyrillic ? RU_BREAKERS : EN_BREAKERS
      // Per raw word: its role; a raw word may yield several terms (hyphenated parts).
      const wordRoles: LineRole[] = []
      let goodsWords: number[] = []
      // Where "and other …" opens the chunk's residual genus ("other gas turbines"), -1 if nowhere.
      let genusFrom = -1
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!.toLowerCase()
        if (!qualifying && breakers.has(w)) {
          if (addsGoodsOfTheKind(w, words[i + 1], goodsNamed, goodsWords)) {
            if (genusFrom < 0) genusFrom = i
          } else qualifying = true
        }
        if (qualifying) {
          wordRoles.push(LINE_ROLE.qualifier)
          continue
        }
        if (COORDINATORS.has(w)) {
          markHead(wordRoles, goodsWords, words, cyrillic)
          goodsWords = []
          wordRoles.push(LINE_ROLE.qualifier)
          continue
        }
        goodsWords.push(i)
        wordRoles.push(LINE_ROLE.goods)
        if (w !== 'other') goodsNamed = true
      }
      markHead(wordRoles, goodsWords, words, cyrillic)
      if (genusFrom >= 0)
        for (let i = genusFrom; i < words.length; i++)
          if (wordRoles[i] === LINE_ROLE.head) wordRoles[i] = LINE_ROLE.goods
      for (let i = 0; i < words.length; i++)
        if (wordRoles[i] === LINE_ROLE.head && PARTS_WORDS.has(words[i]!.toLowerCase()))
          namesParts = true
      for (let i = 0; i < words.length; i++) {
        const terms = tokenize(words[i]!).filter((t) => t.kind === 'word')
        const role = wordRoles[i]!
        // "servo-brakes" names brakes: of a hyphenated head, the parts before the last are inside the
        // compound (of a hyphenated goods word too, "Entry-phone systems", measured: dev-check HS-4 −1
        // row). A Russian compound names its goods by both nouns ("автомобили-самосвалы",
        // "насос-дозатор"): every part is the head.
        const lastPart = cyrillic ? 0 : terms.length > 2 ? terms.length - 2 : terms.length - 1
        // "пшенично-ржаная" (meslin), "волоконно-оптические": an adjective built on a combining form
        // names one property by both halves; neither half alone is the property ("ржаная" is rye,
        // not wheat-and-rye). Its halves are inside the compound, the joined word keeps the role.
        const halves = cyrillic && ADJECTIVE_COMPOUND.test(words[i]!) ? terms.length - 1 : 0
        terms.forEach((_, k) => {
          roles.push(
            (role === LINE_ROLE.head && k < lastPart) || k < halves ? LINE_ROLE.inCompound : role,
          )
        })
      }
    }
    // "Motorcycles (including mopeds); parts and accessories": a later segment that names parts makes
    // the goods named before it what the parts belong to; those goods are no longer the line's head.
    if (namesParts)
      for (let i = 0; i < segmentStart; i++)
        if (roles[i] === LINE_ROLE.head) roles[i] = LINE_ROLE.goods
  }
  return roles
}

/**
 * "Carpets and other textile floor coverings", "Turbo-jets, turbo-propellers and other gas turbines":
 * an "other" that opens a goods phrase after the segment has named goods adds goods of the same kind,
 * not a qualifier as after "for" or "of": the words after it are goods words. They are not the head:
 * the line names the turbo-jets; of gas turbines it holds only those its siblings do not name, as a
 * residual does (read as the head, the genus drew short names of sibling goods: pseudo-query bench
 * tune half HS-4 −3 rows, against −1 as goods words; BENCHMARKS.md step 23). A segment that opens
 * with "Other" ("Other seats, with wooden frames", "Other DC motors") is itself the residual of its
 * siblings and keeps the breaker's reading: read as goods, its words let residual subheadings outrank
 * named siblings (dev-check HS-6 top 5 −2 rows). "other than" excludes
 * (`withoutExclusions` drops it before roles are read); a bare "Other" names nothing. Russian
 * "прочие" is no breaker: it reads as an adjective before the head already.
 */
function addsGoodsOfTheKind(
  word: string,
  next: string | undefined,
  goodsNamed: boolean,
  goodsWords: readonly number[],
): boolean {
  if (word !== 'other' || !goodsNamed || goodsWords.length > 0) return false
  return next !== undefined && next.toLowerCase() !== 'than'
}

/** English heads end the noun phrase; a Russian head is its first noun (`russianHeadIndex`). */
function markHead(
  wordRoles: LineRole[],
  goodsWords: number[],
  words: readonly string[],
  cyrillic: boolean,
): void {
  if (goodsWords.length === 0) return
  if (!cyrillic) {
    wordRoles[goodsWords[goodsWords.length - 1]!] = LINE_ROLE.head
    return
  }
  const phrase = goodsWords.map((i) => words[i]!)
  const head = russianHeadIndex(phrase)
  wordRoles[goodsWords[head]!] = LINE_ROLE.head
  // "части телевизоров", "корпуса подшипников", "двигатели самолетов": a Russian noun after the head
  // is its genitive owner (whose parts, what for), as "for" or "of" opens one in English; it and
  // the words that qualify it ("двигателей внутреннего сгорания") qualify the goods.
  const owner = russianOwnerIndex(phrase, head)
  for (let k = owner; k >= 0 && k < goodsWords.length; k++)
    wordRoles[goodsWords[k]!] = LINE_ROLE.qualifier
}

/**
 * The first Cyrillic noun after the head of a Russian goods phrase (-1 if none): the genitive owner.
 * Adjectives after the head qualify it in its own case ("Подшипники шариковые") and stay goods words;
 * a Latin word (a maker, a model) is not read as an owner.
 */
export function russianOwnerIndex(phrase: readonly string[], head: number): number {
  for (let k = head + 1; k < phrase.length; k++) {
    const w = phrase[k]!
    if (/^[а-яё]{3,}/i.test(w) && !isRussianAdjective(w)) return k
  }
  return -1
}

// Russian adjectives and participles by their endings, in every case and number. Most endings are
// never a noun's; "-ий"/"-ие" are also nouns' ("алюминий", "изделие", "оборудование"), so they count
// only after the letters that end adjective stems ("детские", "режущий", "передние", "зимние").
const RU_ADJECTIVE_ENDING = /(?:ый|ой|ая|яя|ое|ее|ые|ого|его|ому|ему|ым|ыми|ими|ых|ую|юю)$/
const RU_ADJECTIVE_SOFT_ENDING = /(?:[кгхжшчщ]|[дхжшзтм]н|нн)(?:ий|ие|их|им|ия|яя)$/

/** Whether a Russian word reads as an adjective or participle ("шариковый", "детские"), not a noun. */
export function isRussianAdjective(word: string): boolean {
  const w = word.toLowerCase()
  // Short words in "-ой" are nouns ("слой", "бой"); no adjective this short matters for goods.
  if (w.length <= 4) return false
  return RU_ADJECTIVE_ENDING.test(w) || RU_ADJECTIVE_SOFT_ENDING.test(w)
}

/**
 * Whether a Russian tariff text names no goods of its own and is read only with the text above it:
 * the EAEU tariff writes a subheading as a dash line under its heading ("для легковых автомобилей"
 * under "Шины и покрышки пневматические резиновые новые", "прочие", "неотбеленные"). Such a text
 * opens with a breaker ("для", "из", "с", ...) or its goods phrase holds adjectives and participles
 * only. A text that names goods ("ослы", "части", "шины и покрышки восстановленные") stands alone.
 */
const OBLIQUE_OPENING = /(?:ого|его|ому|ему|ым|ыми|ими|ых|их|стью)$/
export function isRussianFragment(text: string): boolean {
  const words = text
    .toLowerCase()
    .replace(/^[\s\-–—]+/, '')
    .split(/[\s,;:()]+/)
    .filter(Boolean)
  if (words.length === 0 || !/[а-яё]/.test(words[0]!)) return false
  const first = words[0]!
  if (RU_BREAKERS.has(first)) return true
  // "линейной плотности …", "полотняного переплетения", "мощностью …": a first word in an oblique
  // case qualifies goods named above it.
  if (OBLIQUE_OPENING.test(first) && (isRussianAdjective(first) || /стью$/.test(first))) return true
  const end = words.findIndex((w) => RU_BREAKERS.has(w))
  const phrase = (end < 0 ? words : words.slice(0, end)).filter(
    (w) => /^[а-яё]{3,}/.test(w) && !COORDINATORS.has(w),
  )
  return phrase.every(isRussianAdjective)
}

/**
 * The head of a Russian goods phrase: its first noun. Tariff texts put adjectives after the noun
 * ("Подшипники шариковые"), people mostly before it ("шариковый подшипник", "детские игрушки"); the
 * first word that is not an adjective is the noun either way. All adjectives: the first word.
 */
export function russianHeadIndex(phrase: readonly string[]): number {
  const i = phrase.findIndex((w) => !isRussianAdjective(w))
  return Math.max(i, 0)
}
