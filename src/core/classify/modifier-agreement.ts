/**
 * @module classify/modifier-agreement
 * Which sense of a short English name's head its modifiers mean. "frequency converter": the head
 * "converter" names goods in 8454 (converters used in metallurgy) about as well as in 8504 (static
 * converters), and no line holds "frequency" beside it, so the words alone cannot choose. The tariff
 * still writes "frequency" in the lines of chapter 85 and never in those of chapter 84: the modifier
 * agrees with the electrical sense. "oscilloscope probe": "probe" meets a one-word example under
 * dental instruments (9018), "oscilloscope" is written in heading 9030 only.
 *
 * A modifier agrees with a candidate in its heading (a line the candidate was read from matched the
 * modifier, or some line of its heading holds it), in its chapter only, or nowhere. Among the candidates
 * that read the name about equally well, one that agrees less than the best of them keeps a share of
 * its score per level it lacks; a candidate well ahead is never touched (BENCHMARKS.md step 60).
 */
import type { TextIndex } from './text-index'

/** How far a modifier of the name agrees with a candidate: its heading, its chapter, neither. */
export const AGREES = { nowhere: 0, inChapter: 1, inHeading: 2 } as const
export type Agreement = (typeof AGREES)[keyof typeof AGREES]

/** The headings (HS-4) and chapters (HS-2) whose lines hold a term: where the tariff writes it. */
export type TermPlaces = { headings: ReadonlySet<string>; chapters: ReadonlySet<string> }

export function termPlaces(index: TextIndex, term: string): TermPlaces {
  const headings = new Set<string>()
  const id = index.termIds.get(term)
  if (id !== undefined)
    for (let k = index.postingStart[id]!; k < index.postingStart[id + 1]!; k++)
      headings.add(index.lineCode[index.postingLine[k]!]!.slice(0, 4))
  return { headings, chapters: new Set([...headings].map((h) => h.slice(0, 2))) }
}

/** A modifier's agreement with the candidate `hs6`; `matched`: the candidate's own lines hold it. */
export function agreementWith(places: TermPlaces, hs6: string, matched: boolean): Agreement {
  if (matched || places.headings.has(hs6.slice(0, 4))) return AGREES.inHeading
  return places.chapters.has(hs6.slice(0, 2)) ? AGREES.inChapter : AGREES.nowhere
}

/**
 * The factor each candidate's score is multiplied by: `share` to the power of the levels it lacks
 * against the best-agreeing candidate among them (1 for that one, and for all when they agree alike).
 */
export function agreementFactors(levels: readonly Agreement[], share: number): number[] {
  const best = Math.max(...levels)
  return levels.map((level) => share ** (best - level))
}
