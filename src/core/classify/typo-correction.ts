/**
 * @module classify/typo-correction
 * Corrects a word the index does not know to the nearest vocabulary word ("bearng" → "bearing"), with
 * a cost that is bounded by design whatever the words (issue 8: a description of 2,000 characters of
 * random long words cost up to 2.3 s of CPU when every word was searched with fuse.js).
 *
 * The bound has three parts, each a constant below:
 * - at most `MAX_CORRECTED_WORDS` lookups per description, the goods words first (`pickWordsToCorrect`);
 * - a lookup compares the word only with the vocabulary words of its initial and of a length within the
 *   allowed distance (one bucket per initial and length, built once), at most
 *   `maxComparisonsPerLookup` words, the largest such group of buckets in the vocabulary;
 * - a comparison is a Levenshtein distance limited to a band of 2k+1 cells per row (k ≤ 2) over a word
 *   of at most `MAX_WORD_LENGTH` characters, abandoned as soon as a row exceeds k.
 * The work done is counted (`CorrectionWork`) so tests can assert the bound without timing anything.
 * A word with no correction may still be split as a closed compound (`splitCompound`): at most two set
 * lookups per split point of a word of at most `MAX_WORD_LENGTH`, for the same words only.
 */

/** Unknown words corrected per description; the goods words, the head first, come first. */
export const MAX_CORRECTED_WORDS = 8
/** Shorter words are not corrected: at one edit, too many short words are near each other. */
export const MIN_WORD_LENGTH = 5
/** Longer words are not corrected: no vocabulary word of a trade text is this long (the longest is 32). */
export const MAX_WORD_LENGTH = 34

/** Units of work spent on typo correction by one classification. */
export type CorrectionWork = {
  /** Words looked up (cached answers included): at most `MAX_CORRECTED_WORDS`. */
  lookups: number
  /** Vocabulary words a looked-up word was compared with: at most `maxComparisonsPerLookup` each. */
  comparisons: number
}

export type TypoCorrector = {
  /** The nearest vocabulary word within the allowed distance, or null. Counts its work in `work`. */
  correct(word: string, work: CorrectionWork): string | null
  /** The most comparisons one lookup can make with this vocabulary (the largest bucket group). */
  readonly maxComparisonsPerLookup: number
}

/**
 * Edits allowed: one for a word of 5–7 letters, two from 8 (the threshold fuse.js was filtered by).
 * A Russian word gets one at any length: its inflectional ending and its prefixes make words of one
 * root or one ending two edits apart ("приставка" / "поставка", "тепличные" / "топливные"), so at two
 * edits a real word the texts lack is read as another word, not as a typo of it.
 */
export function maxDistance(length: number, cyrillic = false): number {
  return length >= 8 && !cyrillic ? 2 : 1
}

const CYRILLIC_LETTER = /[а-яё]/

/** Whether a word may be corrected at all: letters only, of a length the corrector handles. */
export function correctable(word: string): boolean {
  return word.length >= MIN_WORD_LENGTH && word.length <= MAX_WORD_LENGTH && /^\p{L}+$/u.test(word)
}

/**
 * The words of a description that get a lookup: the correctable ones, the head first, then the other
 * goods words, then the qualifiers, each group in text order; at most `MAX_CORRECTED_WORDS`. The goods
 * words decide the heading, so a long tail of unknown qualifiers cannot crowd them out.
 */
export function pickWordsToCorrect(
  words: readonly { raw: string; role: 'head' | 'goods' | 'qualifier' }[],
): Set<string> {
  const rank = { head: 0, goods: 1, qualifier: 2 }
  return new Set(
    words
      .map((w, i) => ({ word: w.raw.toLowerCase(), rank: rank[w.role], i }))
      .filter((w) => correctable(w.word))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .slice(0, MAX_CORRECTED_WORDS)
      .map((w) => w.word),
  )
}

/** Answers kept per corrector (an isolate or a process); cleared whole when full. */
const CACHE_LIMIT = 50_000

export function createTypoCorrector(vocabularyWords: readonly string[]): TypoCorrector {
  // Initial → words by length, as indices into the vocabulary: a tie in distance goes to the earlier
  // word, as in the fuse.js search this replaces.
  const buckets = new Map<string, number[][]>()
  vocabularyWords.forEach((word, i) => {
    if (word.length > MAX_WORD_LENGTH + 2) return
    const byLength = buckets.get(word[0]!) ?? []
    const sameLength = byLength[word.length] ?? []
    sameLength.push(i)
    byLength[word.length] = sameLength
    buckets.set(word[0]!, byLength)
  })
  let maxComparisonsPerLookup = 0
  for (const byLength of buckets.values()) {
    for (let length = MIN_WORD_LENGTH; length <= MAX_WORD_LENGTH; length++) {
      const k = maxDistance(length)
      let n = 0
      for (let l = length - k; l <= length + k; l++) n += byLength[l]?.length ?? 0
      maxComparisonsPerLookup = Math.max(maxComparisonsPerLookup, n)
    }
  }
  const rows = [new Int32Array(MAX_WORD_LENGTH + 4), new Int32Array(MAX_WORD_LENGTH + 4)]
  const cache = new Map<string, string | null>()

  /** Levenshtein distance of a and b when it is at most k, else k + 1 (banded, with early exit). */
  function boundedDistance(a: string, b: string, k: number): number {
    if (Math.abs(a.length - b.length) > k) return k + 1
    let previous = rows[0]!
    let current = rows[1]!
    const big = k + 1
    for (let j = 0; j <= b.length; j++) previous[j] = j <= k ? j : big
    for (let i = 1; i <= a.length; i++) {
      const from = Math.max(1, i - k)
      const to = Math.min(b.length, i + k)
      current[0] = i <= k ? i : big
      if (from > 1) current[from - 1] = big
      let rowMin = current[0]!
      for (let j = from; j <= to; j++) {
        const substitution =
          previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1)
        const deletion = j <= i + k - 1 ? previous[j]! + 1 : big
        const insertion = current[j - 1]! + 1
        const d = Math.min(substitution, deletion, insertion, big)
        current[j] = d
        if (d < rowMin) rowMin = d
      }
      if (to < b.length) current[to + 1] = big
      if (rowMin > k) return big
      ;[previous, current] = [current, previous]
    }
    return Math.min(previous[b.length]!, big)
  }

  return {
    maxComparisonsPerLookup,
    correct(word, work) {
      work.lookups++
      const cached = cache.get(word)
      if (cached !== undefined) return cached
      let best: string | null = null
      if (correctable(word)) {
        const byLength = buckets.get(word[0]!) ?? []
        const k = maxDistance(word.length, CYRILLIC_LETTER.test(word))
        let bestDistance = k + 1
        let bestIndex = Number.MAX_SAFE_INTEGER
        for (let l = word.length - k; l <= word.length + k; l++) {
          for (const i of byLength[l] ?? []) {
            work.comparisons++
            const d = boundedDistance(word, vocabularyWords[i]!, Math.min(k, bestDistance))
            if (d < bestDistance || (d === bestDistance && d <= k && i < bestIndex)) {
              bestDistance = d
              bestIndex = i
            }
          }
        }
        best = bestDistance <= k ? vocabularyWords[bestIndex]! : null
      }
      if (cache.size >= CACHE_LIMIT) cache.clear()
      cache.set(word, best)
      return best
    },
  }
}

/**
 * Words written as a model name: capitalised ("Mavic", not "MAVIC" or "mavic") and standing beside
 * a model code, a token of letters and digits ("3T", "X200"). Such a word names a product line, and
 * its nearest vocabulary word is a coincidence ("DJI Mavic 3T" is not malic acid): it is not
 * corrected, so the line is read by its other words or not at all. A plain number beside it is no
 * such sign ("SKF Bearng 6205" is a bearing with a typo), nor is a text in all capitals or all lower
 * case.
 */
export function modelNameWords(description: string): Set<string> {
  const tokens = description.split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  const isModelCode = (t: string | undefined) => !!t && /\p{N}/u.test(t) && /\p{L}/u.test(t)
  const out = new Set<string>()
  tokens.forEach((t, i) => {
    if (/^\p{Lu}\p{Ll}+$/u.test(t) && (isModelCode(tokens[i - 1]) || isModelCode(tokens[i + 1])))
      out.add(t.toLowerCase())
  })
  return out
}

/** Shortest part of a closed compound ("sun" of "sunglasses"). */
const MIN_COMPOUND_PART = 3
/** Shortest head of a closed compound ("key chain"): a head of three letters is mostly a suffix ("link age"). */
const MIN_COMPOUND_HEAD = 4

/**
 * A closed compound the vocabulary lacks, read as two vocabulary words ("toothbrush" → tooth brush,
 * "smartwatch" → smart watch): English compounds put the head last. Of the splits into two
 * vocabulary words, the one with the longest head ("sun glasses", not "sung lasses"). At most two
 * lookups per split point (head, then first part), so the cost is bounded by the word's length.
 */
export function splitCompound(
  word: string,
  isVocabularyWord: (w: string) => boolean,
): [string, string] | null {
  if (!correctable(word)) return null
  for (let i = MIN_COMPOUND_PART; i <= word.length - MIN_COMPOUND_HEAD; i++) {
    const [first, head] = [word.slice(0, i), word.slice(i)]
    if (isVocabularyWord(head) && isVocabularyWord(first)) return [first, head]
  }
  return null
}
