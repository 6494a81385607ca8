/**
 * @module classify/query
 * Reads a goods description the way a classifier should: what the goods *are* weighs more than what
 * they are made *of*, used *for* or sold *with*. Customs texts name the goods first and qualify them
 * after ("aluminum wing panels for aircraft", "pullover constructed of cotton knit fabric"), and
 * ruling texts put a product name before "is a ...". Russian names put the head noun first.
 */

import { russianHeadIndex } from './line-roles'
import { RUSSIAN_COMBINING_FORMS } from './russian-bridge'
import { acronymsAsWritten, normalizeText, pushTokens, stem, type Token, tokenize } from './text'

export type WeightedTerm = {
  term: string
  weight: number
  raw: string
  role: 'head' | 'goods' | 'qualifier'
  /**
   * Lines whose words of this stem are forms of another word ("медь" for "мёд": the stems meet once
   * the soft sign is gone); the term is not scored there.
   */
  notInLines?: ReadonlySet<number>
}

/**
 * A word read as another term (a dictionary sense, a material's noun, a class, half of a compound):
 * the evidence shows both ("wooden → wood"), the term as written when it is a stem (`shown`). Only
 * the reading's own fields: a word's `notInLines` belong to its own stem.
 */
export function readingOf(
  word: Pick<WeightedTerm, 'raw'>,
  term: string,
  role: WeightedTerm['role'],
  weight: number,
  shown: string = term,
): WeightedTerm {
  return { term, raw: `${word.raw} → ${shown}`, role, weight }
}

export type Query = {
  terms: WeightedTerm[]
  /** Tokens that mix letters and digits, kept whole for part-number and code patterns. */
  codes: Token[]
  numbers: Token[]
  tokens: Token[]
  /** What the goods are for or part of ("for aircraft" → "aircraft"), when the text says so. */
  purpose: string | null
  /**
   * What a Russian goods phrase says the goods are based on, when "на основе" ends it ("Смесь на
   * основе поливинилхлорида" → "поливинилхлорида"), as the tariff names preparations and mixtures
   * ("препараты на основе …"); null otherwise.
   */
  basis: string | null
  /**
   * The goods words before the head ("helicopter tail" in "helicopter tail boom"), when the head names
   * a part: what the goods may be a part of.
   */
  partOf: string | null
  /**
   * When the goods phrase names no goods, only why or how they are sent ("gift", "personal items",
   * "free sample", "подарок"): its words as written. Null when the line names goods.
   */
  namesNoGoods: string | null
}

// The head leads, but a goods word before it often picks the heading ("coffee beans", "paper
// napkins"): with heading idf, head:goods 2.2:1.3 (was 2.5:1.2) lifted HSBench HS-4 (descriptions
// +1.5, names +0.8 points) with dev-check and dev-tune HS-4 unchanged.
export const HEAD_WEIGHT = 2.2
export const GOODS_WEIGHT = 1.3
const QUALIFIER_WEIGHT = 0.45

// Words after which the text stops naming the goods and starts qualifying them.
const BREAKERS = new Set(
  (
    'for with without that which made constructed manufactured composed consisting designed used ' +
    'intended containing contains comprising fitted equipped suitable to by from in on when where ' +
    'whether having has featuring packaged packed imported said'
  ).split(' '),
)
/** Words after which an exclusion ("without a CPU chip") stops and the description goes on. */
const EXCLUSION_ENDS = new Set(['with', 'for', 'which', 'that', 'used', 'and', 'but', 'is', 'are'])
// "set of", "parts of": the goods are named after "of".
const OF_CONTAINERS = new Set(
  'set sets kit kits pair pairs pack packs box boxes piece pieces part parts accessories component components assortment bundle'.split(
    ' ',
  ),
)
/**
 * Words that count the goods when "of" follows ("2 pairs of sneakers", "set of 6 wine glasses", "box of
 * chocolates"): the goods are named after "of", the count is not a goods word. Team's list.
 */
const COUNTING_CONTAINERS = new Set(
  'set sets pair pairs pack packs box boxes piece pieces bundle bundles assortment lot lots dozen'.split(
    ' ',
  ),
)
/**
 * Labels of a size or an age when a number follows ("shoes EU 42", "t-shirt age 5-6", "trainers UK 9"):
 * they say which size, not what goods. Team's list.
 */
const SIZE_LABELS = new Set('size sizes age aged ages eu uk us fr waist chest length'.split(' '))
/** Materials goods are made of, as shippers write them (team's list). */
export const MATERIAL_WORDS: ReadonlySet<string> = new Set(
  (
    'cotton polyester nylon silicone leather steel stainless plastic plastics wood wooden rubber metal glass ceramic wool silk ' +
    'aluminum aluminium iron copper brass bronze titanium paper cardboard'
  ).split(' '),
)
/** Colours and materials that trail the goods in shipper lines (team's list). */
const TRAILING_ATTRIBUTES = new Set(
  (
    'black blk white wht red blue navy green grey gray gry pink purple yellow orange brown beige gold silver clear ' +
    `${[...MATERIAL_WORDS].join(' ')} ` +
    'male female men mens women womens kids adult unisex ' +
    // Trade terms that shippers append to the goods ("Cassava Starch Unbranded Food Grade").
    'unbranded branded imported bulk bagged packed packaged boxed bottled unprocessed processed ' +
    'unmodified modified refined crude virgin new used grade'
  ).split(' '),
)
/** "Food Grade", "Industrial Grade": the word before "grade" qualifies the grade, not the goods. */
const GRADE_WORDS = new Set(['grade', 'grad'])
/** Words that name no goods ("the product is", "tomato products"): never the head when another word can be. */
const GENERIC_HEADS = new Set([
  'product',
  'products',
  'item',
  'items',
  'goods',
  'article',
  'articles',
  'товар',
  'товары',
  'изделие',
  'изделия',
])
/** Field labels at the start of a line ("product: wetsuit ..."), dropped before reading. */
const LEADING_LABEL =
  /^\s*(?:product|products|item|goods|description|article|commodity|товар|наименование)\s*:\s*/iu

/**
 * Words that say why, how or to whom goods are sent, not what they are: postal declarations often
 * carry nothing else ("gift", "personal effects", "free sample", "mixed items"). A goods phrase made
 * only of these (with attributes and generic heads) names no goods; before the goods they are not the
 * head ("perfume sample", "birthday present" reads "birthday" only as a qualifier). Team's list.
 */
const UNNAMING_NOUNS = new Set(
  (
    'gift gifts present presents sample samples stuff thing things belongings effects merchandise ' +
    'souvenir souvenirs document documents parcel parcels package packages order purchase purchases ' +
    'подарок подарки подарка образец образцы образца вещи вещь сувенир сувениры документы посылка'
  ).split(' '),
)
/** Whose goods they are or why they are sent ("personal", "free", "birthday"): they qualify goods, never name them. */
const SENDING_MODIFIERS = new Set(
  'personal private free commercial birthday wedding anniversary личные личный личных'.split(' '),
)
/** Words that describe goods without naming them ("mixed nuts", "christmas decorations"). */
const VAGUE_MODIFIERS = new Set(
  'mixed assorted various misc miscellaneous sundry general christmas xmas household daily everyday разные разное'.split(
    ' ',
  ),
)

function isUnnaming(word: string): boolean {
  const w = word.toLowerCase().replace(/'s$/, '')
  return UNNAMING_NOUNS.has(w) || SENDING_MODIFIERS.has(w) || VAGUE_MODIFIERS.has(w)
}

/** Words that say why, how or for whom goods are sent: in a line that names goods, they qualify them. */
function saysWhySent(word: string): boolean {
  const w = word.toLowerCase().replace(/'s$/, '')
  return UNNAMING_NOUNS.has(w) || SENDING_MODIFIERS.has(w)
}

const IDENTIFIER_MARKERS = new Set([
  'model',
  'models',
  'style',
  'styles',
  'sku',
  'item',
  'items',
  'designated',
  'denoted',
])
/** Text each of IDENTIFIER_MARKERS holds (as its lower case): a line without any names no identifier. */
const IDENTIFIER_MARKER_TEXT = /model|style|sku|item|designated|denoted/i
/** Words that name the form the goods come in, not the goods (stems; team's list). */
const WRAPPERS = new Set(['modul', 'assembl', 'kit', 'system', 'packag', 'set'])
/** Head words that name a part rather than an article of its own, in "X for Y" (stems; team's list). */
export const PART_HEADS = new Set([
  'part',
  'component',
  'piec',
  'panel',
  'kit',
  'assembl',
  'subassembl',
  'modul',
  'board',
  'bracket',
  'spare',
  'element',
  'fit',
  'accessori',
  'insert',
  'cover',
  'door',
  'arm',
  'boom',
  'wing',
  'blade',
  'hatch',
])
/**
 * Head words that make "Y X" a part of Y ("diesel engine parts", "helicopter tail boom", "robot arm"):
 * nouns that name a piece of a machine or vehicle, not goods of their own (stems; team's list).
 */
const COMPOUND_PART_HEADS = new Set([
  'part',
  'rotor',
  'spare',
  'component',
  'accessori',
  'door',
  'arm',
  'boom',
  'wing',
  'blade',
  'hatch',
])
/**
 * Russian nouns that name parts ("части", "запчасти", "запасные части", "комплектующие", "детали",
 * "принадлежности"), as stems: with "для X" or a genitive owner ("части двигателя") the goods are
 * parts of X, as in English (team's list).
 */
export const RUSSIAN_PART_HEADS = new Set(['част', 'запчаст', 'комплект', 'детал', 'принадлежн'])
const RUSSIAN_BREAKERS = new Set('для из с со из-под под в на от к'.split(' '))

/** Splits the normalised text into the words with their positions, so breakers can be found. */
/**
 * Combining forms that stand for a vehicle ("автозапчасти" are parts of motor cars, "мотошлем" a
 * motorcycle helmet), as the noun they are short for, in the genitive a parts noun takes: grammar, not
 * vocabulary (team's list). "электро", "радио" and the like qualify how goods work and own nothing.
 */
const RU_COMBINING_OWNERS: Record<string, string> = {
  авто: 'автомобилей',
  мото: 'мотоциклов',
  вело: 'велосипедов',
}

/**
 * The noun after a combining form ("двигатель" of "электродвигатель"), if long enough to be one. The
 * combining forms are the bridge's (`RUSSIAN_COMBINING_FORMS`): one list for reading and splitting.
 */
function russianCompoundRest(word: string): string | null {
  const w = word.toLowerCase()
  const form = Object.keys(RUSSIAN_COMBINING_FORMS).find((f) => w.startsWith(f))
  return form && w.length - form.length >= 5 ? w.slice(form.length) : null
}

/** "электро" of "электро двигатель": the adjective a combining form stands for, by its stem. */
const COMBINING_FORM_ADJECTIVES = new Map(
  Object.entries(RUSSIAN_COMBINING_FORMS).filter(([, meaning]) => /(?:ый|ий|ой)$/.test(meaning)),
)

/**
 * Combining forms written as words of their own ("мини печь", "микро двигатель", the "мини" of
 * "мини-печь"): they qualify the next word and are no words of their own. Stemmed as words, they meet
 * stems of unrelated words ("мини" → "мин", the minutes of "м3/мин"; "микро" corrected to "микрон").
 * A form that stands for an adjective is read as that adjective ("электро" as "электрический"); one
 * that says only size or kind ("мини", "микро", "аэро") is dropped, as its compound written whole is
 * read by its head (russian-bridge.ts `splitRussianCompound`). Forms that are words themselves
 * ("кофе", "видео", "радио") and the nouns ("авто", "газо") are left as they are.
 */
export function readCombiningFormsApart(tokens: readonly Token[]): Token[] {
  const out: Token[] = []
  for (const t of tokens) {
    const form = t.kind === 'word' && t.lang === 'ru' ? t.raw.toLowerCase() : ''
    if (RUSSIAN_COMBINING_FORMS[form] === '') continue
    const adjective = COMBINING_FORM_ADJECTIVES.get(form)
    out.push(adjective ? { ...t, raw: adjective, term: stem(adjective) } : t)
  }
  return out
}

/**
 * Whether a line is Russian. A Latin name in quotes or brackets is a maker's or model name, not the
 * language of the line ("Гарнитура «BLUETOOTH»", "Спиртной напиток дивин (Divin)"), and codes do not
 * count; a line is Russian when its other Latin words (3+ letters) do not outnumber its Cyrillic ones.
 */
export function readsAsRussian(normalized: string): boolean {
  const outside = normalized
    .replace(/"[^"]*"|\([^()]*\)/g, (quoted) => (/[а-я]/.test(quoted) ? quoted : ' '))
    .replace(/[a-z]*\d[a-z\d]*/g, ' ')
  const cyrillicWords = outside.match(/[а-я]{2,}/g)?.length ?? 0
  const latinWords = outside.match(/[a-z]{3,}/g)?.length ?? 0
  return /[а-я]/.test(normalized) && cyrillicWords > 0 && latinWords <= cyrillicWords / 2
}

// A run of letters, digits and joiners (text.ts RAW_TOKEN, captured), or a mark that ends a phrase.
const WORD_OR_MARK = /([\p{L}\p{N}]+(?:[-./+][\p{L}\p{N}]+)*)|[,;:()[\]]|\.(?=\s|$)/gu

/**
 * The words and marks of a line, each word with its position (a mark has -1); with `tokens`, each
 * word's tokens (`tokenize`'s, same positions) are added to it from the same scan.
 */
function wordsWithPositions(
  text: string,
  tokens?: Token[],
  acronyms?: ReadonlyMap<string, string>,
): { word: string; position: number }[] {
  const out: { word: string; position: number }[] = []
  let position = 0
  for (const m of text.matchAll(WORD_OR_MARK)) {
    if (m[1] === undefined) {
      out.push({ word: m[0], position: -1 })
      continue
    }
    position++
    out.push({ word: m[0], position })
    if (tokens) pushTokens(tokens, m[0], position, acronyms)
  }
  return out
}

/**
 * The words and marks of a normalised line and its tokens from one scan: the words are `RAW_TOKEN`'s
 * runs, as a mark never starts one.
 */
export function wordsAndTokens(
  normalized: string,
  acronyms?: ReadonlyMap<string, string>,
): {
  words: { word: string; position: number }[]
  tokens: Token[]
} {
  const tokens: Token[] = []
  return { words: wordsWithPositions(normalized, tokens, acronyms), tokens }
}

/**
 * The head of a Russian goods phrase: its first noun (`russianHeadIndex`), among the Cyrillic words
 * when there are any (a Latin word there is a name: "Транспортное средство типа «PickUp»").
 */
function russianHead(goodsWords: Token[]): Token | undefined {
  const cyrillicWords = goodsWords.filter((t) => t.lang === 'ru')
  const words = cyrillicWords.length ? cyrillicWords : goodsWords
  return words[russianHeadIndex(words.map((t) => t.raw))]
}

export function analyzeQuery(
  rawDescription: string,
  isKnownTerm: (term: string) => boolean = () => true,
): Query {
  const description = rawDescription.replace(LEADING_LABEL, '')
  const normalized = normalizeText(description)
  const scanned = wordsAndTokens(normalized, acronymsAsWritten(description))
  const tokens = readCombiningFormsApart(scanned.tokens)
  const words = scanned.words
  const cyrillic = readsAsRussian(normalized)
  const contentPositions = new Set(
    tokens.filter((t) => t.kind === 'word' && isKnownTerm(t.term)).map((t) => t.position),
  )

  // Ruling style: "<name or number>, is a <goods> ..." / "consists of <goods>": the goods start there.
  const namesGoodsBefore = (end: number): boolean => {
    // The subject is the clause right before the verb: "Item D423-113, Alison Hall, consists of"
    // has none (a name between commas is no subject of its own).
    let from = end
    while (from > 0 && words[from - 1]!.position > 0) from--
    const subject = new Set(words.slice(from, end).map((w) => w.position))
    const content = tokens.filter(
      (t) => t.kind === 'word' && contentPositions.has(t.position) && subject.has(t.position),
    )
    const last = content.at(-1)
    return last !== undefined && !WRAPPERS.has(last.term) && !OF_CONTAINERS.has(last.raw)
  }
  let start = 0
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!.word
    const next = words[i + 1]!.word
    if (w === '.') break
    const isA = (w === 'is' || w === 'are') && ['a', 'an', 'the'].includes(next)
    const consistsOf = (w === 'consists' || w === 'consisting') && next === 'of'
    // "compass consists of a floating ball": the goods are named before "consists of", their parts
    // after it; only when its subject names no goods ("Item D191-225, LaSour, which consists of a
    // table and four chairs") or names a wrapper ("system consisting of ...", "set consisting of ...")
    // do the goods follow.
    if (consistsOf && namesGoodsBefore(i)) break
    if (isA || consistsOf) {
      start = i + 2
      if (!isA && ['a', 'an', 'the'].includes(words[start]?.word ?? '')) start++
      break
    }
  }

  // "documents and photos": words that name no goods do not make a first item of their own.
  const namesGoods = (span: { word: string; position: number }[]) =>
    span.some(
      (x) =>
        contentPositions.has(x.position) &&
        !TRAILING_ATTRIBUTES.has(x.word) &&
        !isUnnaming(x.word) &&
        !GENERIC_HEADS.has(x.word),
    )
  // The goods phrase runs from `start` to the first breaker; a leading segment without any word the
  // index knows (an item number, a brand) is skipped.
  let end = words.length
  /** Words of a bracket that closes a Russian goods phrase: goods words, never the head. */
  const bracketGoodsPositions = new Set<number>()
  /** Words of a bracket inside a Russian goods phrase, or Latin names in brackets: qualifiers. */
  const glossPositions = new Set<number>()
  for (let i = start; i < words.length; i++) {
    const w = words[i]!.word
    const isPunct = w.length === 1 && ',;:()[].'.includes(w)
    const seenContent = words.slice(start, i).some((x) => contentPositions.has(x.position))
    // A bracket in a Russian goods phrase does not end it. One that closes the phrase names the goods
    // in other words ("Мотоблок (мотокультиватор)", "Защитные изделия (фартук, юбка, накидка)"): its
    // words are goods words. One the phrase goes on after glosses the word before it ("Строительный
    // (технический) фен", "Лапша (вермишель) крахмальная"): its words qualify, and the head is read
    // outside it. A Latin word in brackets is a name ("(Divin)") and qualifies either way.
    if (cyrillic && w === '(' && seenContent) {
      const close = words.findIndex((x, k) => k > i && x.word === ')')
      const inner = close < 0 ? [] : words.slice(i + 1, close)
      const closesPhrase = !((words[close + 1]?.position ?? -1) > 0)
      if (inner.length > 0 && !inner.some((x) => x.word === '(')) {
        for (const x of inner) {
          if (x.position <= 0) continue
          const namesGoods = closesPhrase && /[а-я]/.test(x.word)
          ;(namesGoods ? bracketGoodsPositions : glossPositions).add(x.position)
        }
        i = close
        continue
      }
    }
    if (isPunct) {
      const contentSoFar = words.slice(start, i).filter((x) => contentPositions.has(x.position))
      // "aluminum, steel or plastic piece parts": a list of materials does not end the goods phrase.
      const onlyMaterials = contentSoFar.every(
        (x) => TRAILING_ATTRIBUTES.has(x.word) || x.word === 'or' || x.word === 'and',
      )
      // "Gift: chocolates", "Product no. FA3265, Dry Honey BBQ Sauce Mix": words that name no goods,
      // then the goods.
      const onlyUnnaming = contentSoFar.every(
        (x) => isUnnaming(x.word) || GENERIC_HEADS.has(x.word),
      )
      // "Clothing: 3 t-shirts, 1 jeans", "Toys: lego set": one word before a colon at the start of the
      // line names the category; the goods follow it.
      const categoryLabel =
        w === ':' &&
        start === 0 &&
        i === 1 &&
        words.slice(i + 1).some((x) => contentPositions.has(x.position))
      if (seenContent && !(w === ',' && onlyMaterials) && !onlyUnnaming && !categoryLabel) {
        end = i
        break
      }
      start = i + 1
      continue
    }
    // "shoes and socks", "a table and four chairs": several goods in one line, each named by one word
    // after the first; the first goods are read. Not "psyllium powder and sugar blend", where the last
    // noun heads both, nor "men's and boys' shirts".
    if (!cyrillic && (w === 'and' || w === '&') && namesGoods(words.slice(start, i))) {
      const rest = words.slice(i + 1)
      const restEnd = rest.findIndex(
        (x) => x.position < 0 || BREAKERS.has(x.word) || x.word === 'of',
      )
      const second = (restEnd < 0 ? rest : rest.slice(0, restEnd)).filter((x) =>
        contentPositions.has(x.position),
      )
      if (second.length === 1 && !TRAILING_ATTRIBUTES.has(second[0]!.word)) {
        end = i
        break
      }
    }
    if (cyrillic ? RUSSIAN_BREAKERS.has(w) : BREAKERS.has(w)) {
      if (seenContent) {
        end = i
        break
      }
      continue
    }
    if (w === 'of' && seenContent) {
      const previous = words[i - 1]!.word
      // "gift of chocolates", "sample of fabric": the goods are named after "of".
      if (
        !OF_CONTAINERS.has(previous) &&
        !UNNAMING_NOUNS.has(previous) &&
        !/^\d+$/.test(previous)
      ) {
        end = i
        break
      }
    }
  }
  // Names after "model", "style", "item", "sku" are identifiers ("Models FEEL, EFER and EFET"), not
  // goods words: alphanumeric or capitalised tokens right after the marker, joined by "and" or commas.
  // Scanned only when a marker can be there: every marker holds one of IDENTIFIER_MARKER_TEXT.
  const asWritten = description.normalize('NFKC').replace(/[‐‑‒–—―]/g, '-')
  const original = IDENTIFIER_MARKER_TEXT.test(asWritten) ? wordsWithPositions(asWritten) : []
  const identifierPositions = new Set<number>()
  for (let i = 0; i < original.length; i++) {
    if (!IDENTIFIER_MARKERS.has(original[i]!.word.toLowerCase())) continue
    for (let j = i + 1; j < Math.min(original.length, i + 10); j++) {
      const w = original[j]!.word
      if (w === ',' || w === 'and' || w === '&' || /^(no|nos|number|numbers|#)$/i.test(w)) continue
      const looksLikeName =
        /\d/.test(w) || (w.length >= 2 && w === w.toUpperCase() && /\p{Lu}/u.test(w))
      if (!looksLikeName) break
      identifierPositions.add(original[j]!.position)
    }
  }
  const goodsPositions = new Set(
    words
      .slice(start, end)
      .map((w) => w.position)
      .filter((p) => p > 0 && !identifierPositions.has(p)),
  )

  // English heads come last in the noun phrase, Russian heads are the first noun; abbreviations and sizes the index
  // does not know ("blk", "M") are not heads.
  const goodsWords = tokens.filter(
    (t) => t.kind === 'word' && goodsPositions.has(t.position) && contentPositions.has(t.position),
  )
  // Shipper lines put colour, material and size after the goods ("watch band silicone", "socks
  // 6pk cotton"): a trailing attribute is not the head when a goods word stands before it.
  // "oscilloscope 4 channels", "sofa 3 seats": a word counted by a number is an attribute, not the goods.
  const numberPositions = new Set(tokens.filter((t) => t.kind === 'number').map((t) => t.position))
  const sizePositions = new Set(
    tokens
      .filter(
        (t) =>
          t.kind === 'word' &&
          SIZE_LABELS.has(t.raw.toLowerCase()) &&
          tokens.some((n) => n.position === t.position + 1 && n.kind !== 'word'),
      )
      .map((t) => t.position),
  )
  const isAttribute = (t: Token) =>
    sizePositions.has(t.position) ||
    TRAILING_ATTRIBUTES.has(t.raw.toLowerCase()) ||
    GENERIC_HEADS.has(t.raw.toLowerCase()) ||
    UNNAMING_NOUNS.has(t.raw.toLowerCase()) ||
    numberPositions.has(t.position - 1)
  let last = goodsWords.length - 1
  while (last > 0 && isAttribute(goodsWords[last]!)) {
    const grade = GRADE_WORDS.has(goodsWords[last]!.term)
    last--
    if (grade && last > 0) last--
  }
  // "laser module", "pump assembly": a wrapper word names the form, the word before it the goods.
  // With "for X" after it ("kits for the S-92 helicopter") the wrapper is a part of X and stays the head.
  const endsAtFor = words[end]?.word === 'for'
  // "gift set": a word that names no goods before the wrapper does not take the head.
  if (
    !cyrillic &&
    !endsAtFor &&
    last > 0 &&
    WRAPPERS.has(goodsWords[last]!.term) &&
    !isAttribute(goodsWords[last - 1]!)
  )
    last--
  const head = cyrillic
    ? russianHead(
        goodsWords.filter(
          (t) => !bracketGoodsPositions.has(t.position) && !glossPositions.has(t.position),
        ),
      )
    : goodsWords[last]

  const countingPositions = new Set(
    words
      .filter((w, i) => COUNTING_CONTAINERS.has(w.word) && words[i + 1]?.word === 'of')
      .map((w) => w.position),
  )
  // "multimeter without recording device", "motherboard without a CPU": the words of an exclusion say
  // what the goods are not, so they are no evidence for a reading (as `withoutExclusions` does for the
  // tariff lines). "with or without" excludes nothing.
  const excludedPositions = new Set<number>()
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.word
    const opens =
      (w === 'without' && words[i - 1]?.word !== 'or') ||
      w === 'excluding' ||
      w === 'except' ||
      (w === 'other' && words[i + 1]?.word === 'than')
    if (opens) {
      for (let j = i + 1; j < words.length && words[j]!.position > 0; j++) {
        if (j > i + 1 && EXCLUSION_ENDS.has(words[j]!.word)) break
        excludedPositions.add(words[j]!.position)
      }
      continue
    }
    if (!cyrillic) continue
    // Russian exclusions and negations: "без двигателя", "кроме ...", "за исключением ...",
    // "не являющиеся ...", "не объединенная с ...". Russian marks no end of an exclusion but the
    // clause's punctuation, so it runs to the next comma. "с или без", "оснащенный или не оснащенный"
    // ("whether or not") exclude nothing; "не более 3 лет", "не превышает 50 км/ч" are bounds.
    const before = words[i - 1]?.word
    const opensRussian =
      (w === 'без' && before !== 'или' && before !== 'либо') ||
      w === 'кроме' ||
      w === 'исключая' ||
      (w === 'исключением' && before === 'за') ||
      (w === 'не' &&
        before !== 'или' &&
        before !== 'либо' &&
        !/^(?:только|более|менее|свыше|превыша)/.test(words[i + 1]?.word ?? ''))
    if (!opensRussian) continue
    for (let j = i + 1; j < words.length && words[j]!.position > 0; j++)
      excludedPositions.add(words[j]!.position)
  }
  const byTerm = new Map<string, WeightedTerm>()
  for (const token of tokens) {
    if (token.kind !== 'word' || identifierPositions.has(token.position)) continue
    if (excludedPositions.has(token.position)) continue
    // Every term of a Russian hyphenated head is the head ("автомобиль-самосвал"), as in line-roles.
    const isHead =
      token === head || (cyrillic && head !== undefined && token.position === head.position)
    // "birthday present - lego", "free sample of fabric": words that say why goods are sent qualify them;
    // so does the count in "2 pairs of sneakers".
    const role: WeightedTerm['role'] = isHead
      ? 'head'
      : goodsPositions.has(token.position) &&
          !glossPositions.has(token.position) &&
          !saysWhySent(token.raw) &&
          !sizePositions.has(token.position) &&
          !countingPositions.has(token.position)
        ? 'goods'
        : 'qualifier'
    const weight =
      role === 'head' ? HEAD_WEIGHT : role === 'goods' ? GOODS_WEIGHT : QUALIFIER_WEIGHT
    const existing = byTerm.get(token.term)
    if (!existing || existing.weight < weight)
      byTerm.set(token.term, { term: token.term, weight, raw: token.raw, role })
    // "электродвигатель" is an electric "двигатель": the tariff names the noun with an adjective
    // ("двигатели электрические"), so the word after the combining form is read too, in the same role.
    const rest = cyrillic ? russianCompoundRest(token.raw) : null
    const restTerm = rest ? tokenize(rest).find((t) => t.kind === 'word')?.term : undefined
    if (restTerm && isKnownTerm(restTerm) && !byTerm.has(restTerm))
      byTerm.set(restTerm, { term: restTerm, weight, raw: rest!, role })
  }
  // The purpose phrase: after "for" / "of" / "used in" that ends the goods phrase, up to the next break.
  let purpose: string | null = null
  const breaker = words[end]?.word
  if (
    breaker === 'for' ||
    breaker === 'of' ||
    breaker === 'in' ||
    breaker === 'with' ||
    (cyrillic && breaker === 'для')
  ) {
    const rest: string[] = []
    for (let i = end + 1; i < words.length; i++) {
      const w = words[i]!.word
      if (w.length === 1 && ',;:()[].'.includes(w)) break
      if (rest.length > 0 && (BREAKERS.has(w) || w === 'of' || RUSSIAN_BREAKERS.has(w))) break
      if (!['use', 'a', 'an', 'the'].includes(w)) rest.push(w)
    }
    if (breaker !== 'with' && rest.length > 0) purpose = rest.join(' ')
  }
  // "Смесь на основе поливинилхлорида": what the goods are based on, up to the next break.
  let basis: string | null = null
  if (cyrillic && breaker === 'на' && words[end + 1]?.word === 'основе') {
    const rest: string[] = []
    for (let i = end + 2; i < words.length; i++) {
      const w = words[i]!.word
      if (words[i]!.position < 0 || (rest.length > 0 && RUSSIAN_BREAKERS.has(w))) break
      rest.push(w)
    }
    if (rest.length > 0) basis = rest.join(' ')
  }
  // "helicopter tail boom", "diesel engine parts": when the phrase ends in a part word, the goods words
  // before it say what the goods belong to.
  let partOf: string | null = null
  if (!cyrillic && head && purpose === null && COMPOUND_PART_HEADS.has(head.term)) {
    const before = goodsWords.filter((t) => t.position < head.position && !isAttribute(t))
    if (before.length > 0) partOf = before.map((t) => t.raw).join(' ')
  }
  // "части двигателя": a Russian parts noun names its owner after it, in the genitive.
  if (cyrillic && head && purpose === null && RUSSIAN_PART_HEADS.has(head.term)) {
    const after = goodsWords.filter((t) => t.position > head.position && !isAttribute(t))
    if (after.length > 0) partOf = after.map((t) => t.raw).join(' ')
  }
  // "автозапчасти": a combining form before a parts noun names the owner ("авто" a motor car). The
  // compound itself is rarely a tariff word, so it is looked for among all the goods phrase's words.
  if (cyrillic && purpose === null && partOf === null) {
    for (const t of tokens) {
      if (t.kind !== 'word' || !goodsPositions.has(t.position)) continue
      const rest = russianCompoundRest(t.raw)
      const restTerm = rest ? tokenize(rest).find((r) => r.kind === 'word')?.term : undefined
      const owner = rest
        ? RU_COMBINING_OWNERS[t.raw.toLowerCase().slice(0, -rest.length)]
        : undefined
      if (restTerm && owner && RUSSIAN_PART_HEADS.has(restTerm)) {
        partOf = owner
        // Read as "запчасти автомобилей": the owner is a goods word of the query, as a genitive is.
        const ownerTerm = tokenize(owner).find((o) => o.kind === 'word')?.term
        if (ownerTerm && isKnownTerm(ownerTerm) && !byTerm.has(ownerTerm))
          byTerm.set(ownerTerm, {
            term: ownerTerm,
            weight: GOODS_WEIGHT,
            raw: owner,
            role: 'goods',
          })
        break
      }
    }
  }
  // A line whose words, up to where the goods phrase ends, only say why or how goods are sent
  // ("gift", "personal items", "free sample for testing") names no goods.
  const phraseEnd = Math.max(0, ...words.slice(0, end).map((w) => w.position))
  const phraseWords = tokens.filter(
    (t) => t.kind === 'word' && t.position <= phraseEnd && !identifierPositions.has(t.position),
  )
  const namesNoGoods =
    phraseWords.length > 0 &&
    phraseWords.some((t) => isUnnaming(t.raw) || GENERIC_HEADS.has(t.raw.toLowerCase())) &&
    phraseWords.every(
      (t) =>
        isUnnaming(t.raw) ||
        TRAILING_ATTRIBUTES.has(t.raw.toLowerCase()) ||
        GENERIC_HEADS.has(t.raw.toLowerCase()),
    )
      ? phraseWords.map((t) => t.raw).join(' ')
      : null
  return {
    namesNoGoods,
    purpose,
    basis,
    partOf,
    terms: [...byTerm.values()],
    codes: tokens.filter((t) => t.kind === 'code'),
    numbers: tokens.filter((t) => t.kind === 'number'),
    tokens,
  }
}
