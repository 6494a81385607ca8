/**
 * @module classify/head-prior
 * How the trade files a head word: for a word, the headings whose trade-term lines (UK search terms,
 * UK classification examples, curated synonyms; for a Russian word, Russian declarants' texts) are
 * headed by it. Derived from the index (no data of its own), so it always matches the catalogue it
 * reads; each word's shares are computed on first use.
 *
 * A heading's count is divided by its own number of trade-term lines: the UK examples are written per
 * code, so a heading with hundreds of codes (clothing) files many terms under any head word, and raw
 * counts followed heading size more than the word (hsbench-names: first heading right on 217 rather
 * than 188 of 794 rows with a prior; BENCHMARKS.md).
 */
import type { VocabSource } from '../catalogue/types'
import { LINE_ROLE } from './line-roles'
import type { TextIndex } from './text-index'

/** Sources that say how the trade names goods (short terms filed under a code), not tariff law. */
const TRADE_TERM_SOURCES: ReadonlySet<VocabSource> = new Set<VocabSource>([
  'uk_search_reference',
  'uk_classification_example',
  'synonym',
  'ru_declaration',
])
/** Per heading, trade terms are counted apart per language: a Russian word is filed among Russian terms. */
const termGroup = (source: VocabSource) => (source === 'ru_declaration' ? 'ru:' : '')

export type HeadingShare = {
  heading: string
  /** The heading's share of the word's (size-normalised) trade terms, shrunk by total ÷ (total + α). */
  share: number
}

export type HeadPrior = {
  /** The headings of trade terms headed by `term`, largest share first; none below `minTerms` terms. */
  of(term: string): readonly HeadingShare[]
}

export function deriveHeadPrior(
  index: TextIndex,
  { minTerms, alpha }: { minTerms: number; alpha: number },
): HeadPrior {
  const termsOfHeading = new Map<string, number>()
  for (let line = 0; line < index.lineCode.length; line++) {
    if (!TRADE_TERM_SOURCES.has(index.lineSource[line]!)) continue
    const heading = termGroup(index.lineSource[line]!) + index.lineCode[line]!.slice(0, 4)
    termsOfHeading.set(heading, (termsOfHeading.get(heading) ?? 0) + 1)
  }
  // One entry per index term at most, so the cache is bounded by the vocabulary, whatever is queried.
  const cache = new Map<number, HeadingShare[]>()
  const NONE: HeadingShare[] = []

  function derive(id: number): HeadingShare[] {
    let total = 0
    const perHeading = new Map<string, number>()
    for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++) {
      if (index.postingRole[k] !== LINE_ROLE.head) continue
      const line = index.postingLine[k]!
      if (!TRADE_TERM_SOURCES.has(index.lineSource[line]!)) continue
      const heading = termGroup(index.lineSource[line]!) + index.lineCode[line]!.slice(0, 4)
      perHeading.set(heading, (perHeading.get(heading) ?? 0) + 1)
      total++
    }
    if (total < minTerms) return NONE
    const shares = [...perHeading].map(([heading, count]) => ({
      heading: heading.slice(-4),
      share: count / termsOfHeading.get(heading)!,
    }))
    const sum = shares.reduce((a, s) => a + s.share, 0)
    const shrink = total / (total + alpha)
    for (const s of shares) s.share = (s.share / sum) * shrink
    return shares.sort((a, b) => b.share - a.share || a.heading.localeCompare(b.heading))
  }

  return {
    of(term) {
      const id = index.termIds.get(term)
      if (id === undefined) return NONE
      let shares = cache.get(id)
      if (!shares) {
        shares = derive(id)
        cache.set(id, shares)
      }
      return shares
    },
  }
}
