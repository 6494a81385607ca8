/**
 * @module classify/confidence
 * How often a reading like this one names the right heading. A candidate's share of belief is relative
 * (it says how the candidates compare); the confidence is absolute (0.3 means about three readings in
 * ten like this one had the right HS-4), so rules can set thresholds that mean something. It also
 * weighs how much of the description the tariff texts know: a line that shares few words with any
 * tariff line is read less reliably, however its candidates compare.
 */
import type { VocabSource } from '../catalogue/types'
import type { WeightedTerm } from './query'

/** What a reading says about itself beyond its score: how much of the line the first reading explains. */
export type ReadingEvidence = {
  /** Share, idf-weighted, of the query's words that a line of the first candidate (or its heading) matched. */
  coveredShare: number
  /** 1 when the query's head word (or a word read for it) is among them, 0 when not; 1 with no head. */
  headCovered: number
  /** The first heading's share of belief minus the second heading's (candidates pooled per HS-4). */
  headingMargin: number
  /** How many content words the line has. */
  contentWords: number
  /** 1 when the first candidate's best line is a machine-written classification example. */
  exampleLine: number
  /** Share of the query's words written in Cyrillic. */
  russian: number
  /** 1 − coveredShare on a line of at most five content words (a short name), 0 on longer lines. */
  unexplainedShort: number
  /** 1 when the first reading explains every word of the line, 0 when not. */
  allExplained: number
  /** allExplained, but 0 on a line that names a maker or a part number (its words' roles do not tell). */
  allExplainedNoMaker: number
  /** 1 when the first reading matched every word of the line as written (no synonym, translation or correction). */
  allOwnWords: number
}

export type ConfidenceFeature = 'score' | 'logStrength' | keyof ReadingEvidence

/**
 * Logistic model of "the first candidate's HS-4 is right" on the first candidate's score and
 * ln(1 + best text match in BM25 units). Fitted by `npx tsx scripts/calibrate.ts` on the tuning sets
 * eval/dev-tune.jsonl and eval/hsbench-descriptions.jsonl (537 readings, 332 right) once idf counted
 * headings (text strengths are lower in those units), judged on the other sets by `npm run eval`
 * (reliability table in BENCHMARKS.md). Refit whenever the classifier's scoring changes.
 */
export const CONFIDENCE_MODEL: { bias: number } & Partial<Record<ConfidenceFeature, number>> = {
  bias: -7.577,
  score: 2.209,
  logStrength: 2.506,
}

/** A reading's feature values, by the names the model's weights use. */
export function confidenceFeatures(
  topScore: number,
  textStrength: number,
  reading: ReadingEvidence | undefined,
): Record<ConfidenceFeature, number> {
  return {
    score: topScore,
    logStrength: Math.log1p(textStrength),
    coveredShare: reading?.coveredShare ?? 1,
    headCovered: reading?.headCovered ?? 1,
    headingMargin: reading?.headingMargin ?? topScore,
    contentWords: reading?.contentWords ?? 1,
    exampleLine: reading?.exampleLine ?? 0,
    russian: reading?.russian ?? 0,
    unexplainedShort: reading?.unexplainedShort ?? 0,
    allExplained: reading?.allExplained ?? 1,
    allExplainedNoMaker: reading?.allExplainedNoMaker ?? 1,
    allOwnWords: reading?.allOwnWords ?? 1,
  }
}

/** The calibrated chance that the first candidate's heading is right; 0 when nothing was read. */
export function headingConfidence(
  topScore: number | undefined,
  textStrength: number,
  reading?: ReadingEvidence,
  model: typeof CONFIDENCE_MODEL = CONFIDENCE_MODEL,
): number {
  if (topScore === undefined) return 0
  const x = confidenceFeatures(topScore, textStrength, reading)
  let z = model.bias
  for (const [name, weight] of Object.entries(model))
    if (name !== 'bias') z += (weight ?? 0) * x[name as ConfidenceFeature]
  return Math.round(1000 / (1 + Math.exp(-z))) / 1000
}

type RankedReading = { hs6: string; score: number; words: number; hits: { line: number }[] }

/**
 * The evidence of the first of the ranked candidates (best first). `terms` are the scored terms (bit i
 * of a candidate's `words` = terms[i]); `origin[i]` is the query word terms[i] reads, so a word read
 * through a synonym, a correction or a translation counts as explained when that reading matched. A
 * word the index does not know weighs as the rarest word: "EMI suppression filter" read from "filter"
 * alone leaves most of the line unexplained.
 */
export function readingEvidence(
  ranked: RankedReading[],
  terms: WeightedTerm[],
  origin: number[],
  queryTerms: WeightedTerm[],
  index: {
    idfOf: (term: string) => number | undefined
    maxIdf: number
    sourceOf: (line: number) => VocabSource
  },
  namesMaker = false,
): ReadingEvidence {
  const top = ranked[0]
  const covered = new Array<boolean>(queryTerms.length).fill(false)
  const ownWord = new Array<boolean>(queryTerms.length).fill(false)
  if (top)
    for (let i = 0; i < terms.length && i < 31; i++)
      if (top.words & (1 << i) && origin[i]! >= 0) {
        covered[origin[i]!] = true
        if (terms[i]!.term === queryTerms[origin[i]!]!.term) ownWord[origin[i]!] = true
      }
  let total = 0
  let explained = 0
  for (const [j, q] of queryTerms.entries()) {
    const value = q.weight * (index.idfOf(q.term) ?? index.maxIdf)
    total += value
    if (covered[j]) explained += value
  }
  const head = queryTerms.findIndex((q) => q.role === 'head')
  const byHeading = new Map<string, number>()
  const sum = ranked.reduce((a, r) => a + Math.max(0, r.score), 0) || 1
  for (const r of ranked)
    byHeading.set(
      r.hs6.slice(0, 4),
      (byHeading.get(r.hs6.slice(0, 4)) ?? 0) + Math.max(0, r.score) / sum,
    )
  const shares = [...byHeading.values()].sort((a, b) => b - a)
  const line = top?.hits[0]?.line
  return {
    coveredShare: total > 0 ? explained / total : 0,
    headCovered: head < 0 || covered[head] ? 1 : 0,
    headingMargin: (shares[0] ?? 0) - (shares[1] ?? 0),
    contentWords: queryTerms.length,
    allOwnWords: queryTerms.length > 0 && !namesMaker && ownWord.every(Boolean) ? 1 : 0,
    allExplained: total > 0 && explained >= total * 0.999 ? 1 : 0,
    allExplainedNoMaker: !namesMaker && total > 0 && explained >= total * 0.999 ? 1 : 0,
    unexplainedShort: queryTerms.length <= 5 && total > 0 ? 1 - explained / total : 0,
    russian: queryTerms.length
      ? queryTerms.filter((q) => /[а-яё]/i.test(q.raw)).length / queryTerms.length
      : 0,
    exampleLine: line !== undefined && index.sourceOf(line) === 'uk_classification_example' ? 1 : 0,
  }
}
