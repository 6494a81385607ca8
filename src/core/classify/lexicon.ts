/**
 * @module classify/lexicon
 * Query side of the WordNet lexicon (derived at build time, see catalogue/derive-lexicon): a query
 * word the index does not know ("sofa", "walkie talkie") is searched by the WordNet synonyms and
 * hypernyms the index does know ("couch", "seat", "radio link"), weighted down with the distance, so
 * a near synonym counts almost as the word and a grandparent category only tips the balance. A word
 * it knows from one or two lines only ("wheelchair", once, among switchboards) keeps its own weight
 * and gets the same expansions besides.
 */
import type { Lexicon } from '../catalogue/derive-lexicon'
import { HEAD_WEIGHT, type WeightedTerm } from './query'
import type { Token } from './text'
import { tokenize } from './text'

/** Weight kept at distance 0 (synonym), 1, 2 and 3 hypernym levels up. */
export const DISTANCE_DECAY = [0.8, 0.5, 0.35, 0.25]

export type LexiconExpansion = {
  /** Terms to score instead of the unknown word (empty for the second word of a collocation). */
  terms: WeightedTerm[]
  /** What each expansion was taken for, for the user (`corrections` of the classification). */
  notes: { from: string; to: string }[]
  /** The word is known to the index and kept; the terms are added to it, not put in its place. */
  supplements?: boolean
}

const KIND = [
  'WordNet synonym',
  'WordNet hypernym',
  'WordNet hypernym, 2 levels up',
  'WordNet hypernym, 3 levels up',
]

/**
 * Unknown query term → its expansion; a term the index knows from one or two lines → the expansion
 * to add to it (`supplements`); well-known terms are never expanded. A pair of adjacent words is
 * looked up first as a collocation ("walkie talkie", "walkie-talkie" → `walki_talki`), then each
 * unknown word alone.
 */
export function expandTerms(
  query: { terms: WeightedTerm[]; tokens: Token[] },
  lexicon: Lexicon | undefined,
  isKnownTerm: (term: string) => boolean,
): Map<string, LexiconExpansion> {
  const out = new Map<string, LexiconExpansion>()
  if (!lexicon) return out
  const byTerm = new Map(query.terms.map((t) => [t.term, t]))
  const words = query.tokens.filter((t) => t.kind === 'word' && t.lang === 'en')
  const positionOf = new Map<string, number>()
  for (const w of words) if (!positionOf.has(w.term)) positionOf.set(w.term, w.position)
  // English heads come last: an unknown goods word with no goods word after it is where the head was.
  const lastGoodsPosition = Math.max(
    0,
    ...query.terms.filter((t) => t.role !== 'qualifier').map((t) => positionOf.get(t.term) ?? 0),
  )
  const taken = new Set(query.terms.map((t) => t.term))

  const expand = (
    key: string,
    from: string,
    source: WeightedTerm,
    position: number,
  ): LexiconExpansion | null => {
    const entries = lexicon[key]
    if (!Object.hasOwn(lexicon, key) || !entries) return null
    const isHead =
      source.role === 'head' || (source.role === 'goods' && position >= lastGoodsPosition)
    const base = isHead ? Math.max(source.weight, HEAD_WEIGHT) : source.weight
    const terms: WeightedTerm[] = []
    const notes: { from: string; to: string }[] = []
    for (const [lemma, distance] of entries) {
      const weight = base * (DISTANCE_DECAY[distance] ?? 0)
      const lemmaTerms = tokenize(lemma.replace(/_/g, ' ')).filter((t) => t.kind === 'word')
      lemmaTerms.forEach((t, i) => {
        if (taken.has(t.term) || !isKnownTerm(t.term)) return
        taken.add(t.term)
        // Of a collocation ("table linen"), the last word is the head; the others qualify it.
        const role = isHead && i === lemmaTerms.length - 1 ? 'head' : 'qualifier'
        // The evidence lines quote `raw`: the user sees what the word was read as.
        terms.push({ term: t.term, raw: `${from} → ${t.raw} (WordNet)`, weight, role })
      })
      notes.push({ from, to: `${lemma.replace(/_/g, ' ')} (${KIND[distance]})` })
    }
    return terms.length > 0 ? { terms, notes } : null
  }

  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const source = byTerm.get(word.term)
    if (!source || out.has(word.term)) continue
    if (isKnownTerm(word.term)) {
      // A word the index knows from one or two lines only has a lexicon entry too: its WordNet
      // reading is added to the word ("wheelchair", known from one line of switchboards, → chair,
      // seat), with the same weights as for an unknown word. (Half those weights gained half as much.)
      const rare = expand(word.term, word.raw, source, word.position)
      if (rare) out.set(word.term, { ...rare, supplements: true })
      continue
    }
    // Collocation with the next word (or, for the second word, the previous one).
    for (const other of [words[i + 1], words[i - 1]]) {
      if (!other || Math.abs(other.position - word.position) > 1 || other.term === word.term)
        continue
      const [first, second] = other === words[i + 1] ? [word, other] : [other, word]
      const pair = expand(
        `${first.term}_${second.term}`,
        `${first.raw} ${second.raw}`,
        byTerm.get(second.term) ?? source,
        Math.max(first.position, second.position),
      )
      if (!pair) continue
      out.set(word.term, pair)
      // The pair's other word, and the joined form the tokenizer adds for a hyphenated pair, are
      // covered by the pair.
      for (const w of words)
        if ((w.position === first.position || w.position === second.position) && !out.has(w.term))
          if (!isKnownTerm(w.term)) out.set(w.term, { terms: [], notes: [] })
      break
    }
    if (out.has(word.term)) continue
    const single = expand(word.term, word.raw, source, word.position)
    if (single) out.set(word.term, single)
  }
  return out
}
