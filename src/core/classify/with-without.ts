/**
 * @module classify/with-without
 * The HS splits many headings into subheadings that differ only by "with X" / "without X"
 * ("Multimeters ..., without a recording device" 9030.31 against "... with a recording device"
 * 9030.32; 715 of the 5,612 HS 2022 subheading texts have such a clause). The text index drops "with"
 * and "without" as stopwords, so both sides of a pair match a description's X alike and split the
 * belief between them. A description that says which side it is on ("multimeter without recording
 * device") settles the pair: the subheading whose clause says the opposite is not a reading of it.
 */
import { tokenize } from './text'

/** A "with"/"without" clause: its polarity and the stems of its words, up to the clause's end. */
export type WithClause = { without: boolean; stems: string[] }

/**
 * A clause runs from "with"/"without" to the next punctuation or connective that starts another
 * attribute. Articles and other stopwords fall out in `tokenize`.
 */
const CLAUSE =
  /\b(with|without)\s+((?:(?!\b(?:with|without|and|or|for|of|in|on|but|whether|other than|excluding|not)\b)[^,;:.()])+)/giu

/** The "with"/"without" clauses of a text ("whether or not with X" says nothing, so it is skipped). */
export function withClauses(text: string): WithClause[] {
  const clauses: WithClause[] = []
  for (const match of text.matchAll(CLAUSE)) {
    const before = text.slice(Math.max(0, match.index - 16), match.index)
    if (/whether or not\s*$/i.test(before)) continue
    const stems = tokenize(match[2]!)
      .filter((t) => t.kind === 'word')
      .map((t) => t.term)
    if (stems.length === 0) continue
    clauses.push({ without: match[1]!.toLowerCase() === 'without', stems })
  }
  return clauses
}

/**
 * The description says the opposite of one of the subheading text's clauses: the description's clause
 * and the subheading's have opposite polarity and the subheading's clause words all appear in the
 * description's ("without recording device" against "with a recording device"). All, not any: "with
 * a recording device" is not contradicted by "without a device".
 */
export function contradictsClause(description: WithClause[], subheading: WithClause[]): boolean {
  return subheading.some((s) =>
    description.some(
      (d) => d.without !== s.without && s.stems.every((stem) => d.stems.includes(stem)),
    ),
  )
}
