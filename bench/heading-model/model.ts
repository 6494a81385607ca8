/**
 * A learned model of the heading (HS-4) a short English name belongs to: multinomial naive Bayes over
 * the English catalogue lines (HS texts, US HTS, EU CN, UK search terms and classification examples,
 * curated synonyms), with three kinds of feature per line: word stems, adjacent stem pairs, and the
 * character 3–5-grams of each word ("^kin", "ndle", "les$"), which let a word the lines never wrote
 * ("kindles", "chromebooks") still lean towards the headings whose words look like it.
 *
 * Why a second reading beside the line index: the index scores a name by its best-matching lines, so
 * a name that no line holds whole is read from whichever line shares its most specific word, often in
 * another heading. The model pools every line of a heading, so it weighs all the evidence a heading's
 * vocabulary gives for every word of the name at once.
 *
 * MEASURED AND DROPPED (branch exp/en-model; BENCHMARKS.md, "English short names, held out of the trade
 * vocabulary"): interpolated with the line scores at weight 0.3 it lifted the pseudo-query bench by
 * 6–8 points of HS-4, nearly all on its machine-written half, and cost hsbench-names 2.8–7.8 points; at
 * weight 0.02 on names of ≤ 4 words it gained hsbench-names 4 rows and cost dev-tune a false alarm. Kept
 * here, outside the engine, so the measurement can be repeated (bench/heading-model/*.ts).
 *
 * Trained from the catalogue alone (no evaluation row): counts are gathered per distinct word and
 * heading first and only then spread over the word's character n-grams, so training touches each
 * (word, heading) pair once rather than every n-gram of every line.
 */
import type { VocabLine, VocabSource } from '../../src/core/catalogue/types'
import { tokenize } from '../../src/core/classify/text'

export type HeadingModelOptions = {
  /** Additive smoothing per feature (Lidstone). */
  alpha: number
  /** Character n-gram lengths of each word (padded "^word$"). */
  charGrams: readonly number[]
  /** Weight of a word-stem feature, a stem-pair feature and a character n-gram feature. */
  wordWeight: number
  pairWeight: number
  charWeight: number
  /**
   * Each line counts as this many feature units in all, shared among its features, so a long US HTS
   * line does not outweigh a two-word trade term ten times over.
   */
  lineMass: number
  /** Per-source line weight; a source absent here is not learned from (the Russian texts). */
  sources: Partial<Record<VocabSource, number>>
}

export const DEFAULT_HEADING_MODEL_OPTIONS: HeadingModelOptions = {
  alpha: 0.03,
  charGrams: [3, 4, 5],
  wordWeight: 1,
  pairWeight: 1,
  charWeight: 0.3,
  lineMass: 10,
  sources: {
    hs2022: 1,
    hs2022_heading: 1,
    htsus_2025: 1,
    eu_cn_2026: 1,
    uk_search_reference: 1,
    uk_classification_example: 1,
    synonym: 1,
  },
}

export type HeadingModel = {
  /** The headings the model knows, in the order of `scores`. */
  headings: readonly string[]
  /**
   * Log-likelihood of the text under every heading (no prior: each heading is equally likely before
   * the words), in `headings` order; null when the text has no English word.
   */
  scores(text: string): Float64Array | null
  /** Distinct features learned. */
  features: number
}

type Word = { raw: string; term: string }

const englishWords = (text: string): Word[] =>
  tokenize(text)
    .filter((t) => t.kind === 'word' && t.lang === 'en')
    .map((t) => ({ raw: t.raw.toLowerCase(), term: t.term }))

function charGramsOf(raw: string, lengths: readonly number[]): string[] {
  const padded = `^${raw}$`
  const out: string[] = []
  for (const n of lengths)
    for (let j = 0; j + n <= padded.length; j++) out.push(padded.slice(j, j + n))
  return out
}

export function trainHeadingModel(
  vocab: readonly VocabLine[],
  options: Partial<HeadingModelOptions> = {},
): HeadingModel {
  const o = { ...DEFAULT_HEADING_MODEL_OPTIONS, ...options }
  const headingIds = new Map<string, number>()
  const headings: string[] = []
  const headingOf = (code: string): number => {
    const heading = code.slice(0, 4)
    let h = headingIds.get(heading)
    if (h === undefined) {
      h = headings.length
      headingIds.set(heading, h)
      headings.push(heading)
    }
    return h
  }
  const featureIds = new Map<string, number>()
  const featureId = (key: string): number => {
    let id = featureIds.get(key)
    if (id === undefined) {
      id = featureIds.size
      featureIds.set(key, id)
    }
    return id
  }
  // Pass 1: mass per (raw word, heading) and per (stem pair, heading).
  const HEADING_SLOTS = 2048
  const wordIds = new Map<string, number>()
  const wordRaw: string[] = []
  const wordTerm: string[] = []
  const wordMass = new Map<number, number>()
  const featureMass = new Map<number, number>()
  const add = (target: Map<number, number>, key: number, value: number) =>
    target.set(key, (target.get(key) ?? 0) + value)
  const gramsPerWord = (raw: string) => {
    const padded = raw.length + 2
    let n = 0
    for (const len of o.charGrams) n += Math.max(0, padded - len + 1)
    return n
  }
  for (const line of vocab) {
    const sourceWeight = o.sources[line.source]
    if (!sourceWeight) continue
    const words = englishWords(line.text)
    if (words.length === 0) continue
    const h = headingOf(line.code)
    let mass = 0
    for (let i = 0; i < words.length; i++) {
      mass += o.wordWeight + o.charWeight * gramsPerWord(words[i]!.raw)
      if (i + 1 < words.length) mass += o.pairWeight
    }
    const scale = sourceWeight * (o.lineMass > 0 ? o.lineMass / mass : 1)
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!
      let id = wordIds.get(w.raw)
      if (id === undefined) {
        id = wordRaw.length
        wordIds.set(w.raw, id)
        wordRaw.push(w.raw)
        wordTerm.push(w.term)
      }
      add(wordMass, id * HEADING_SLOTS + h, scale)
      if (o.pairWeight > 0 && i + 1 < words.length)
        add(
          featureMass,
          featureId(`p:${w.term} ${words[i + 1]!.term}`) * HEADING_SLOTS + h,
          o.pairWeight * scale,
        )
    }
  }
  // Pass 2: spread each word's mass over its stem and its character n-grams.
  const wordFeatures = wordRaw.map((raw, i) => ({
    stem: featureId(`w:${wordTerm[i]}`),
    grams: o.charWeight > 0 ? charGramsOf(raw, o.charGrams).map((g) => featureId(`c:${g}`)) : [],
  }))
  for (const [key, value] of wordMass) {
    const h = key % HEADING_SLOTS
    const f = wordFeatures[Math.floor(key / HEADING_SLOTS)]!
    add(featureMass, f.stem * HEADING_SLOTS + h, o.wordWeight * value)
    for (const g of f.grams) add(featureMass, g * HEADING_SLOTS + h, o.charWeight * value)
  }
  // Compressed postings per feature: heading ids and log((count + α) / α).
  const keys = Float64Array.from(featureMass.keys()).sort()
  const features = featureIds.size
  const start = new Uint32Array(features + 1)
  const postingHeading = new Uint16Array(keys.length)
  const postingLift = new Float32Array(keys.length)
  const totals = new Float64Array(headings.length)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const f = Math.floor(key / HEADING_SLOTS)
    const h = key % HEADING_SLOTS
    const count = featureMass.get(key)!
    start[f + 1]!++
    postingHeading[i] = h
    postingLift[i] = Math.log((count + o.alpha) / o.alpha)
    totals[h]! += count
  }
  for (let f = 0; f < features; f++) start[f + 1]! += start[f]!
  const logAlpha = Math.log(o.alpha)
  const unseen = Float64Array.from(totals, (t) => logAlpha - Math.log(t + o.alpha * features))

  return {
    headings,
    features,
    scores(text: string): Float64Array | null {
      const words = englishWords(text)
      if (words.length === 0) return null
      const out = new Float64Array(headings.length)
      let mass = 0
      const feature = (key: string, weight: number) => {
        mass += weight
        const f = featureIds.get(key)
        if (f === undefined) return
        for (let i = start[f]!; i < start[f + 1]!; i++)
          out[postingHeading[i]!]! += weight * postingLift[i]!
      }
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!
        feature(`w:${w.term}`, o.wordWeight)
        if (o.pairWeight > 0 && i + 1 < words.length)
          feature(`p:${w.term} ${words[i + 1]!.term}`, o.pairWeight)
        if (o.charWeight > 0)
          for (const g of charGramsOf(w.raw, o.charGrams)) feature(`c:${g}`, o.charWeight)
      }
      for (let h = 0; h < out.length; h++) out[h]! += mass * unseen[h]!
      return out
    },
  }
}

/**
 * The heading the interpolation picks: log(engine share + eps) + w · (model log-likelihood − its
 * maximum). `share` holds the engine's heading shares (best subheading's share per heading).
 */
export function interpolatedHeading(
  model: HeadingModel,
  share: ReadonlyMap<string, number>,
  logLikelihoods: ArrayLike<number>,
  w: number,
  eps: number,
): string {
  let max = Number.NEGATIVE_INFINITY
  for (let k = 0; k < logLikelihoods.length; k++) max = Math.max(max, logLikelihoods[k]!)
  let best = ''
  let bestScore = Number.NEGATIVE_INFINITY
  for (let k = 0; k < logLikelihoods.length; k++) {
    const heading = model.headings[k]!
    const score = Math.log((share.get(heading) ?? 0) + eps) + w * (logLikelihoods[k]! - max)
    if (score > bestScore) {
      bestScore = score
      best = heading
    }
  }
  return best
}

/** Near ties: among the headings whose share is at least `ratio` × the first's, the model picks. */
export function tieBrokenHeading(
  model: HeadingModel,
  share: ReadonlyMap<string, number>,
  first: string | undefined,
  logLikelihoods: ArrayLike<number> | null | undefined,
  ratio: number,
): string | undefined {
  if (!logLikelihoods || !first) return first
  const top = share.get(first)!
  let best = first
  let bestScore = Number.NEGATIVE_INFINITY
  model.headings.forEach((heading, k) => {
    if ((share.get(heading) ?? 0) >= ratio * top && logLikelihoods[k]! > bestScore) {
      bestScore = logLikelihoods[k]!
      best = heading
    }
  })
  return best
}
