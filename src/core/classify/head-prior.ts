/**
 * @module classify/head-prior
 * How traders use a head word: for each indexed word, the headings whose trade-term lines (UK search
 * terms, UK classification examples, curated synonyms) are headed by it. "mules" heads footwear
 * terms far more often than animal ones; "chips" heads food terms and electronics terms. Derived from
 * the index at engine start (no data of its own), so it always matches the catalogue it reads.
 */
import type { VocabSource } from '../catalogue/types'
import { LINE_ROLE } from './line-roles'
import type { TextIndex } from './text-index'

/** Sources that say how the trade names goods (short terms filed under a code), not tariff law. */
const TRADE_TERM_SOURCES: ReadonlySet<VocabSource> = new Set<VocabSource>([
  'uk_search_reference',
  'uk_classification_example',
  'synonym',
])

export type HeadingShare = {
  heading: string
  /** Smoothed share: trade terms headed by the word under this heading ÷ (all of them + α). */
  share: number
  /** The subheading most of those terms are filed under, when they name one. */
  hs6?: string
}

export type HeadPrior = {
  /** The word's headings, largest share first; empty when the word has too little evidence. */
  of(term: string): readonly HeadingShare[]
}

export function deriveHeadPrior(
  index: TextIndex,
  {
    minTerms,
    alpha,
    sources = TRADE_TERM_SOURCES,
    headingNorm = 0,
  }: { minTerms: number; alpha: number; sources?: ReadonlySet<VocabSource>; headingNorm?: number },
): HeadPrior {
  const byTerm = new Map<string, HeadingShare[]>()
  // Trade terms per heading: a heading with hundreds of codes (clothing) files many terms under any head.
  const termsOfHeading = new Map<string, number>()
  for (let line = 0; line < index.lineCode.length; line++) {
    if (!sources.has(index.lineSource[line]!)) continue
    const heading = index.lineCode[line]!.slice(0, 4)
    termsOfHeading.set(heading, (termsOfHeading.get(heading) ?? 0) + 1)
  }
  for (const [term, id] of index.termIds) {
    const p = index.postings[id]!
    let total = 0
    const perHeading = new Map<string, Map<string, number>>()
    for (let k = 0; k < p.lines.length; k++) {
      if (p.role[k] !== LINE_ROLE.head) continue
      const line = p.lines[k]!
      if (!sources.has(index.lineSource[line]!)) continue
      const code = index.lineCode[line]!
      const heading = code.slice(0, 4)
      const codes = perHeading.get(heading) ?? new Map<string, number>()
      codes.set(code, (codes.get(code) ?? 0) + 1)
      perHeading.set(heading, codes)
      total++
    }
    if (total < minTerms) continue
    const shares: HeadingShare[] = []
    for (const [heading, codes] of perHeading) {
      let count = 0
      let hs6: string | undefined
      let best = 0
      for (const [code, c] of codes) {
        count += c
        if (code.length === 6 && c > best) {
          best = c
          hs6 = code
        }
      }
      const weight = count / (termsOfHeading.get(heading) ?? 1) ** headingNorm
      shares.push({ heading, share: weight, ...(hs6 ? { hs6 } : {}) })
    }
    const weights = shares.reduce((a, b) => a + b.share, 0)
    for (const s of shares) s.share = (s.share / weights) * (total / (total + alpha))
    shares.sort((a, b) => b.share - a.share || a.heading.localeCompare(b.heading))
    byTerm.set(term, shares)
  }
  return { of: (term) => byTerm.get(term) ?? [] }
}
