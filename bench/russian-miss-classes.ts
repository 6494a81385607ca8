/**
 * Failure classes of Russian goods names (BENCHMARKS step 40): for each row of a Russian eval set whose
 * heading is read wrong, the first of a few mechanical tests that explains it, so that planning starts
 * from the largest class. The Russian counterpart of bench/pseudo-query-classes.ts.
 *
 *   npx tsx bench/russian-miss-classes.ts [--list CLASS|all] eval/eec-products-tune.jsonl
 *   npx tsx bench/russian-miss-classes.ts eval/eec-products-check.jsonl      (counts only)
 *   npx tsx bench/russian-miss-classes.ts --list all bench/russian-everyday.jsonl  (team smoke set)
 *
 * `--list` prints rows and is refused for any set but the two Russian `-tune` halves: the checking sets
 * are judged by their aggregate counts only.
 *
 * Every test reads the whole catalogue the engine is built from, words by the index's own stemmer. The
 * name's goods phrase is the words before its first breaker ("для", "из", "с", ...), its head the first
 * word of that phrase that is not an adjective (line-roles.ts), the rest its qualifiers. "Russian lines"
 * are the Russian tariff names, the EAEU TN VED texts and the declarants' texts; "English lines" the HS,
 * HTS, CN and UK texts; the dictionary is the catalogue's OpenRussian table (stem → English senses).
 * The first class that applies, in this order:
 *   unknown head           no Russian line holds the head and the dictionary has no sense for it;
 *                          "closed compound" when it splits into two words Russian lines hold
 *                          ("кофемашина": step 22 reads such words apart);
 *   unknown qualifier      the same for another word of the goods phrase (a combining form written
 *                          with its hyphen, "горно-", "мини-", is a qualifier, never the head);
 *   gold lacks the head (in its Russian lines):
 *     dictionary reaches gold   the gold heading's English lines hold the head's dictionary sense;
 *     gold is a residual heading  its English title says "not elsewhere specified" / "other";
 *     qualifier only in gold    another word of the name (or its sense) is in the gold heading;
 *     no word reaches gold;
 *   gold holds the head:
 *     engine read an adjective  the heading read first lacks the head but holds an adjective of the name;
 *     engine read a qualifier   the same with a noun of the name (an owner, a purpose);
 *     stem collision            the heading read first holds the head's stem only in words of the other
 *                               part of speech (the name's noun "молот", the line's "молотые");
 *     "X прочие" line wins      the subheading read first is a residual ("прочие", "прочая", ...);
 *     restrictive adjective wins  the first evidence line of the reading holds the head and a Russian
 *                               adjective the name lacks ("лыжные ботинки" for "мужские кожаные ботинки");
 *     gold is a residual heading (with the head);
 *     ranking: other;
 * and, beside the class, flags: one word; purpose phrase; gold among no candidate; and (step 61) how the
 * engine read the name: its first candidate's evidence matched qualifiers only (the ruling's tail won);
 * the head is the first half of an adjective compound ("Каменно-полимерный"); the head was read through
 * a closed compound's half ("мочеприемник" → приемник) or the dictionary; the head names no kind of
 * goods (heading idf below `GENERIC_WORD_IDF`, or its dictionary sense's below it in English) and the
 * name gives a purpose or basis ("для …", "на основе …").
 */
import { parseArgs } from 'node:util'
import { goldHs4, readEvalRows } from '../scripts/eval-rows'
import type { VocabSource } from '../src/core/catalogue/types'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { GENERIC_WORD_IDF } from '../src/core/classify/classifier'
import { isRussianAdjective } from '../src/core/classify/line-roles'
import { analyzeQuery } from '../src/core/classify/query'
import { ENGLISH_STOPWORDS, RUSSIAN_STOPWORDS, stem } from '../src/core/classify/text'
import { buildTextIndex, headingIdf } from '../src/core/classify/text-index'
import { createEngine } from '../src/core/engine'
import { readCatalogue } from '../src/runtime/catalogue-file'

const { values, positionals } = parseArgs({
  options: { list: { type: 'string' } },
  allowPositionals: true,
})
const files = positionals.length ? positionals : ['eval/eec-products-tune.jsonl']
// The team's smoke sets (bench/russian-*.jsonl) may be read row by row too: they are no sets of record.
// Not the held-out half of the everyday set (bench/russian-everyday-check.jsonl): counts only.
const LISTABLE = /(eec-(products|descriptions)-tune|bench\/russian-[a-z-]+)\.jsonl$/
if (values.list && files.some((f) => !LISTABLE.test(f) || f.endsWith('-check.jsonl')))
  throw new Error('--list reads rows: the Russian -tune halves and the team smoke sets only')

const catalogue = readCatalogue()
const engine = createEngine(catalogue)
const dictionary = catalogue.ruEnDictionary ?? {}
const index = buildTextIndex(catalogue.vocab)
const idfTable = headingIdf(index)
const isKnownTerm = (term: string) => index.termIds.has(term)
const idfOf = (term: string) => {
  const id = index.termIds.get(term)
  return id === undefined ? 0 : idfTable[id]!
}
/** A head that names no kind of goods: by its own heading idf, or by its dictionary sense's in English. */
const namesNoKind = (term: string) => {
  if (isKnownTerm(term) && idfOf(term) < GENERIC_WORD_IDF) return true
  const sense = (dictionary[term] ?? [])[0]?.split(/[ -]/).at(-1)
  return sense !== undefined && isKnownTerm(stem(sense)) && idfOf(stem(sense)) < GENERIC_WORD_IDF
}
/** "каменно-полимерный": a word in a combining vowel before a hyphen and an adjective. */
const adjectiveCompoundHalf = (word: string) =>
  new RegExp(
    `(?:^|[^а-яё])${word}-[а-яё]+(?:ая|яя|ый|ий|ой|ое|ее|ые|ие|ого|его|ую|ым|им|ых|их)(?![а-яё])`,
  )
/** The query words an evidence string says were matched ('matched "a", "b → c" in …'). */
const matchedWords = (evidence: string) =>
  [...evidence.matchAll(/"([^"]+)"(?=[,\s]+(?:"|in ))/g)].map((m) => m[1]!)

const RUSSIAN: ReadonlySet<VocabSource> = new Set([
  'hs_ru',
  'tnved_ru',
  'tnved_eaeu_2026',
  'ru_declaration',
])
const BREAKERS = new Set(
  'для из с со без в во на от по при кроме содержащие содержащий предназначенные используемые используемая используемый применяемая применяемый применяемые'.split(
    ' ',
  ),
)
const wordsOf = (text: string) =>
  (text.toLowerCase().match(/[a-zа-яё]+/g) ?? []).filter(
    (w) => w.length > 1 && !ENGLISH_STOPWORDS.has(w) && !RUSSIAN_STOPWORDS.has(w),
  )
const isCyrillic = (w: string) => /[а-яё]/.test(w)

type Holdings = Map<string, Set<boolean>> // stem → the part of speech of its words (adjective?)
const ruByHeading = new Map<string, Holdings>()
const enByHeading = new Map<string, Set<string>>()
const ruStems = new Set<string>()
const enStems = new Set<string>()
const ruName6 = new Map<string, string>()
for (const e of catalogue.hs) {
  if (e.code.length < 4) continue
  const h = e.code.slice(0, 4)
  const en = enByHeading.get(h) ?? new Set<string>()
  enByHeading.set(h, en)
  for (const w of wordsOf(e.title)) {
    en.add(stem(w))
    enStems.add(stem(w))
  }
}
for (const line of catalogue.vocab) {
  if (line.code.length < 4) continue
  const h = line.code.slice(0, 4)
  if (RUSSIAN.has(line.source)) {
    if (line.source === 'hs_ru' && line.code.length === 6) ruName6.set(line.code, line.text)
    const m = ruByHeading.get(h) ?? new Map<string, Set<boolean>>()
    ruByHeading.set(h, m)
    for (const w of wordsOf(line.text)) {
      if (!isCyrillic(w)) continue
      const s = stem(w)
      ruStems.add(s)
      const pos = m.get(s) ?? new Set<boolean>()
      m.set(s, pos)
      pos.add(isRussianAdjective(w))
    }
  } else {
    const en = enByHeading.get(h) ?? new Set<string>()
    enByHeading.set(h, en)
    for (const w of wordsOf(line.text)) {
      if (isCyrillic(w)) continue
      en.add(stem(w))
      enStems.add(stem(w))
    }
  }
}

/** The English head stems of a Russian word's first two dictionary senses. */
const senseStems = (word: string): string[] =>
  (dictionary[stem(word)] ?? [])
    .slice(0, 2)
    .map((p) => wordsOf(p).at(-1))
    .filter((w): w is string => w !== undefined)
    .map(stem)

const residualHeading = (h: string) => {
  const title = catalogue.hs.find((e) => e.code === h)?.title ?? ''
  return /not elsewhere specified|n\.e\.s\.|^other\b|; other\b/i.test(title)
}

/** Holds a word: its Russian stem in the heading's Russian lines, its Latin stem or sense in English. */
function holds(h: string, word: string): boolean {
  if (!isCyrillic(word)) return enByHeading.get(h)?.has(stem(word)) ?? false
  return ruByHeading.get(h)?.has(stem(word)) ?? false
}
const senseIn = (h: string, word: string) =>
  isCyrillic(word) && senseStems(word).some((s) => enByHeading.get(h)?.has(s))
const known = (word: string) =>
  isCyrillic(word)
    ? ruStems.has(stem(word)) || senseStems(word).length > 0
    : enStems.has(stem(word))

/** A closed compound of two words Russian lines hold ("кофемашина" → кофе + машина). */
function splitsInTwo(word: string): boolean {
  if (!isCyrillic(word)) return false
  for (let i = 3; i <= word.length - 3; i++) {
    const a = word.slice(0, i)
    const b = word.slice(i)
    const first = ruStems.has(stem(a)) || (/[оеи]$/.test(a) && ruStems.has(stem(a.slice(0, -1))))
    if (first && b.length >= 4 && ruStems.has(stem(b))) return true
  }
  return false
}

/** The quoted line text of an evidence string ('matched … in Russian tariff name "…"'). */
const evidenceLine = (evidence: string) => /in [^"]*"([^"]*)"\s*$/.exec(evidence)?.[1] ?? ''

for (const file of files) {
  const counts = new Map<string, number>()
  const flags = new Map<string, number>()
  const listed: string[] = []
  let rows = 0
  let misses = 0
  for (const row of readEvalRows(file).filter((r) => r.description)) {
    rows++
    const gold = goldHs4(row)
    const result = checkGoods(
      engine,
      parseCheckRequest({ description: row.description, destination: 'RU', regime: 'KZ' }),
    )
    const candidates = result.classification.candidates
    const headings = candidates.map((c) => c.hs6.slice(0, 4))
    if (headings[0] === gold) continue
    misses++
    const top = headings[0] ?? ''
    const words = wordsOf(row.description.replace(/\([^)]*\)/g, ' '))
    const lower = row.description.toLowerCase().replace(/\([^)]*\)/g, ' ')
    const all = lower.match(/[a-zа-яё]+/g) ?? []
    const end = all.findIndex((w, i) => i > 0 && BREAKERS.has(w))
    const phrase = wordsOf((end < 0 ? all : all.slice(0, end)).join(' '))
    // A combining form written with its hyphen ("солено-сушеная", "горно-шахтная", "мини-") is a
    // qualifier, never the head.
    const combining = new Set(
      [...lower.matchAll(/([a-zа-яё]+)-(?=[a-zа-яё])/g)]
        .map((m) => m[1]!)
        .filter((w) => /[оеи]$/.test(w) || w === 'мини'),
    )
    const headIndex = phrase.findIndex((w) => !isRussianAdjective(w) && !combining.has(w))
    const head = phrase[headIndex] ?? phrase.at(-1) ?? words[0] ?? ''
    const others = words.filter((w) => w !== head)
    const goodsQualifiers = phrase.filter((w) => w !== head)

    let cls: string
    const unknownQualifiers = goodsQualifiers.filter((w) => !known(w))
    if (!known(head)) cls = splitsInTwo(head) ? 'unknown head: closed compound' : 'unknown head'
    else if (unknownQualifiers.length)
      cls = unknownQualifiers.every(splitsInTwo)
        ? 'unknown qualifier: closed compound'
        : 'unknown qualifier'
    else if (!holds(gold, head)) {
      if (senseIn(gold, head)) cls = 'gold lacks the head: dictionary sense in its English lines'
      else if (residualHeading(gold)) cls = 'gold lacks the head: residual heading'
      else if (others.some((w) => holds(gold, w) || senseIn(gold, w)))
        cls = 'gold lacks the head: a qualifier only'
      else cls = 'gold lacks the head: no word reaches it'
    } else if (top && !holds(top, head) && !senseIn(top, head)) {
      const read = others.filter((w) => holds(top, w) || senseIn(top, w))
      cls = read.some(isRussianAdjective)
        ? 'engine read an adjective as the goods'
        : read.length
          ? 'engine read a qualifier (noun, purpose)'
          : 'engine read no word of the name'
    } else {
      const headIsAdjective = isRussianAdjective(head)
      const topPos = ruByHeading.get(top)?.get(stem(head))
      const collision = isCyrillic(head) && topPos !== undefined && !topPos.has(headIsAdjective)
      const topName = ruName6.get(candidates[0]?.hs6 ?? '') ?? ''
      const nameStems = new Set(words.map(stem))
      const firstLine = (candidates[0]?.evidence ?? [])
        .map(evidenceLine)
        .find((l) => wordsOf(l).some((w) => stem(w) === stem(head)))
      const restrictive =
        firstLine !== undefined &&
        wordsOf(firstLine).some(
          (w) =>
            isCyrillic(w) && isRussianAdjective(w) && !/^проч/.test(w) && !nameStems.has(stem(w)),
        )
      cls = collision
        ? 'stem collision'
        : /(^|\s)проч/.test(topName)
          ? '"X прочие" line wins'
          : restrictive
            ? 'restrictive adjective line wins'
            : residualHeading(gold)
              ? 'ranking: gold is a residual heading'
              : 'ranking: other'
    }
    counts.set(cls, (counts.get(cls) ?? 0) + 1)
    const extra: string[] = []
    if (words.length === 1) extra.push('one word')
    if (end >= 0) extra.push('purpose or material phrase')
    if (others.some((w) => !known(w))) extra.push('a word no line holds (any place)')
    if (!headings.includes(gold)) extra.push('gold among no candidate')
    const query = analyzeQuery(row.description, isKnownTerm)
    // A word the index lacks is no content word, so the query may have no head: its first goods word.
    const queryHead =
      query.terms.find((t) => t.role === 'head') ?? query.terms.find((t) => t.role === 'goods')
    const matched = (candidates[0]?.evidence ?? []).flatMap(matchedWords)
    const readAs = (t: { raw: string }, m: string) => m === t.raw || m.startsWith(`${t.raw} → `)
    if (
      matched.length > 0 &&
      !matched.some((m) => query.terms.some((t) => t.role !== 'qualifier' && readAs(t, m)))
    )
      extra.push('engine: first candidate matched qualifiers only')
    if (queryHead && adjectiveCompoundHalf(queryHead.raw).test(lower))
      extra.push('engine: head is the first half of an adjective compound')
    const corrections = engine.classifier.classify(row.description).corrections
    const headCorrection = corrections.find((c) => queryHead && c.from === queryHead.raw)?.to ?? ''
    if (headCorrection.endsWith('(compound)'))
      extra.push('engine: head read through a closed compound half')
    if (headCorrection.endsWith('(dictionary)'))
      extra.push('engine: head read through the dictionary')
    if (queryHead && namesNoKind(queryHead.term) && (query.purpose || query.basis))
      extra.push('engine: generic head with a purpose or basis')
    for (const f of extra) flags.set(f, (flags.get(f) ?? 0) + 1)
    if (values.list && (values.list === 'all' || values.list === cls))
      listed.push(
        `${cls} | unknown ${words.filter((w) => !known(w)).join(' ')} | ${gold} got ${headings.slice(0, 3).join(' ') || '-'} | head ${head} | ${row.description}`,
      )
  }
  console.log(`${file}: ${rows} rows, ${misses} HS-4 misses`)
  for (const [cls, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    console.log(`  ${cls.padEnd(62)} ${String(n).padStart(4)}`)
  for (const [f, n] of [...flags].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(`  flag ${f.padEnd(57)} ${String(n).padStart(4)}`)
  for (const l of listed) console.log(l)
}
