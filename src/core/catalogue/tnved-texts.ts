/**
 * @module catalogue/tnved-texts
 * Turns the Russian texts of the EAEU TN VED (one row per 10-digit code, its name written as the path
 * of its lines: "модули светодиодные (LED): 🠺 прочие: 🠺 для ламп субпозиции 8539 52 000") into
 * compact vocabulary rows attached to HS-6. The first 6 digits of a TN VED code are the HS 2022
 * subheading; codes whose first 6 digits are no HS 2022 subheading are dropped and counted.
 *
 * Each distinct line text of a subheading becomes one row: the text a national line adds beyond its
 * parents, not the whole path, so that a word of a shared parent is not repeated once per child and
 * a child's own words ("телевизионное проекционное оборудование") stand as their own line. Left out:
 * pure "прочие" lines (they name nothing), the chapter's and heading's own names (the catalogue has
 * them already; the source starts some paths there), and a text that recurs under many subheadings
 * ("для гражданских воздушных судов", "из синтетических нитей", section names): it says how a national
 * line is split, not what any one subheading holds, and as a line of its own it would pull a query
 * that shares one word with it ("судовой") towards hundreds of subheadings.
 */

export type TnvedPathRow = { code10: string; path: string }
export type TnvedTextRow = { hs6: string; text: string; code10: string; codes: number }

/** The separator the source puts between the lines of a path. */
const PATH_SEPARATOR = '🠺'

// "(с 01.01.2022)": the date a line came into force, "4)": a footnote mark (its opening parenthesis is
// missing), trailing colons: layout of the tariff, not text of the goods.
const IN_FORCE_MARK = /\((?:с|введено с|вводится с)\s+\d{2}\.\d{2}\.\d{4}\)/gi
const TRAILING_FOOTNOTE = /\s+\d{1,2}\)$/
const OTHER_ONLY = /^(?:прочие|прочий|прочая|прочее|прочих)$/i

// Letters that look alike in both scripts. The source has typed some of one script inside words of the
// other ("пpочие" with a Latin p, "Cluрea" with a Cyrillic р): such a word would be indexed as a word
// nobody types, and "пpочие" would not be seen as "прочие".
const LATIN_LOOKALIKE = 'aceopxyABCEHKMOPTX'
const CYRILLIC_LOOKALIKE = 'асеорхуАВСЕНКМОРТХ'
const toCyrillic = new Map([...LATIN_LOOKALIKE].map((c, i) => [c, CYRILLIC_LOOKALIKE[i]!]))
const toLatin = new Map([...CYRILLIC_LOOKALIKE].map((c, i) => [c, LATIN_LOOKALIKE[i]!]))

/** A word written in two scripts, put in the script most of its letters are in. */
function oneScript(word: string): string {
  const cyrillic = (word.match(/[а-яё]/gi) ?? []).length
  const latin = (word.match(/[a-z]/gi) ?? []).length
  if (!cyrillic || !latin) return word
  const map = cyrillic >= latin ? toCyrillic : toLatin
  return [...word].map((c) => map.get(c) ?? c).join('')
}

/** One line of a path, cleaned; empty when it is only layout. */
export function cleanTnvedLine(line: string): string {
  let text = line
    .replace(/[\p{L}]+/gu, oneScript)
    .replace(IN_FORCE_MARK, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  text = text.replace(/:+$/, '').trim()
  // A footnote mark only when its ")" has no "(" partner: "(LED) 4)" loses "4)", "(LED)" stays.
  while (TRAILING_FOOTNOTE.test(text)) {
    const opens = (text.match(/\(/g) ?? []).length
    const closes = (text.match(/\)/g) ?? []).length
    if (closes <= opens) break
    text = text.replace(TRAILING_FOOTNOTE, '').trim()
  }
  return text.replace(/:+$/, '').trim()
}

const comparable = (text: string): string =>
  text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim()

export type TnvedTextsResult = {
  rows: TnvedTextRow[]
  /** Codes read, codes dropped for a malformed code or an HS-6 that is no HS 2022 subheading. */
  codes: number
  badCode: number
  notHs2022: number
  /** Line texts left out as "прочие" only, as an ancestor's own name, or as recurring too widely. */
  otherOnly: number
  ancestorName: number
  /** Distinct texts (and their rows) left out for recurring under too many subheadings. */
  recurringTexts: number
  recurringRows: number
}

/** A text under this many subheadings or more is a way of splitting, not vocabulary (see above). */
export const TNVED_RECURRING_SUBHEADINGS = 10

/**
 * @param isSubheading whether a 6-digit code is an HS 2022 subheading
 * @param ancestorNames Russian names of a code's chapter and heading, any case
 */
export function tnvedTextRows(
  source: TnvedPathRow[],
  isSubheading: (hs6: string) => boolean,
  ancestorNames: (code10: string) => string[],
  recurringSubheadings = TNVED_RECURRING_SUBHEADINGS,
): TnvedTextsResult {
  const out = new Map<string, TnvedTextRow>()
  const result: TnvedTextsResult = {
    rows: [],
    codes: 0,
    badCode: 0,
    notHs2022: 0,
    otherOnly: 0,
    ancestorName: 0,
    recurringTexts: 0,
    recurringRows: 0,
  }
  for (const { code10, path } of source) {
    result.codes++
    if (!/^\d{10}$/.test(code10)) {
      result.badCode++
      continue
    }
    const hs6 = code10.slice(0, 6)
    if (!isSubheading(hs6)) {
      result.notHs2022++
      continue
    }
    const ancestors = new Set(ancestorNames(code10).map(comparable))
    for (const part of path.split(PATH_SEPARATOR)) {
      const text = cleanTnvedLine(part)
      if (!text) continue
      if (OTHER_ONLY.test(text)) {
        result.otherOnly++
        continue
      }
      if (ancestors.has(comparable(text))) {
        result.ancestorName++
        continue
      }
      const key = `${hs6}|${comparable(text)}`
      const seen = out.get(key)
      if (seen) seen.codes++
      else out.set(key, { hs6, text, code10, codes: 1 })
    }
  }
  const subheadingsOf = new Map<string, number>()
  for (const key of out.keys()) {
    const text = key.slice(7)
    subheadingsOf.set(text, (subheadingsOf.get(text) ?? 0) + 1)
  }
  for (const key of [...out.keys()]) {
    if (subheadingsOf.get(key.slice(7))! < recurringSubheadings) continue
    out.delete(key)
    result.recurringRows++
  }
  result.recurringTexts = [...subheadingsOf.values()].filter(
    (n) => n >= recurringSubheadings,
  ).length
  result.rows = [...out.values()].sort(
    (a, b) => a.hs6.localeCompare(b.hs6) || a.code10.localeCompare(b.code10),
  )
  return result
}
