/**
 * @module catalogue/ru-declarations
 * Russian goods descriptions as declarants write them in column 31 of a goods declaration, labelled
 * with the HS heading (4 digits) they were declared under (data/vocab/SOURCES.md §9). The official
 * TN VED texts name goods in tariff words ("машины вычислительные портативные"); declarants use the
 * trade word ("ноутбук", "пылесос", "подшипник"), and that word is what a short Russian trade name
 * carries. One row per distinct (heading, text).
 *
 * Cleaning keeps the words of the goods and drops what names one consignment: text inside <...> (the
 * declarants' mark for a trade mark or model), model and article numbers, words in Latin letters
 * (makers, brands, models), quantities ("- 1ШТ."), and everything after the first clause or past
 * RU_DECLARATION_MAX_WORDS words.
 *
 * A row whose normalised text equals or contains, word for word, the normalised text of any
 * evaluation row is dropped (the evaluation sets must not be answered by their own text).
 */

/**
 * Words kept from the start of a description's first clause: the goods come first, their use, packing
 * and makers after. Measured (data/vocab/SOURCES.md §9): whole descriptions of 24 or 12 words moved
 * Russian rulings' verdicts towards headings whose declarations share boilerplate ("для сервисного
 * обслуживания", "не для промышленной сборки"); the first clause, cut at 8 words, did not.
 */
export const RU_DECLARATION_MAX_WORDS = 8

export type RuDeclarationRow = { hs4: string; text: string }

/** Lower case, ё as е, every run of non-letters and non-digits as one space. */
export function normaliseForOverlap(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** One description cleaned; empty when nothing of the goods is left. */
export function cleanDeclarationText(text: string): string {
  const words = text
    .replace(/<[^>]*>/g, ' ')
    // "- 1ШТ.", "2 ШТ", "100 КГ": the quantity of one consignment.
    .replace(/[-–]?\s*\d+([.,]\d+)?\s*(шт|кг|компл|пар|уп|м2|м3)(?!\p{L})\.?/giu, ' ')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim()
    .split(' ')
    // A word with digits and letters mixed ("xz360e", "a4-100"): a model or article number.
    .filter((w) => !(/\d/.test(w) && /\p{L}/u.test(w)))
    // A word in Latin letters: a maker, brand or model ("changlin", "cursor", "xcmg"), the words of
    // one consignment, which would also pull English lines towards a Russian declaration.
    .filter((w) => !/[a-z]/.test(w))
  // The first clause: after ":" ";" or ". " a declarant goes on to details of the consignment.
  const clause = words.join(' ').split(/[:;]|\.\s/)[0] ?? ''
  const cut = clause.split(' ').slice(0, RU_DECLARATION_MAX_WORDS).join(' ')
  const trimmed = cut.replace(/^[\s,.;:()-]+|[\s,;:(-]+$/g, '').trim()
  return /\p{L}{3,}/u.test(trimmed) ? trimmed : ''
}

export type RuDeclarationsResult = {
  rows: RuDeclarationRow[]
  read: number
  badCode: number
  notHs2022: number
  empty: number
  duplicate: number
  evalOverlap: number
  /** Rows left out because their heading already had `perHeading` rows. */
  overCap: number
}

/**
 * The distinct cleaned descriptions per heading, without those that repeat an evaluation row, at
 * most `perHeading` per heading (in source order: the source lists declarations as lodged).
 */
export function ruDeclarationRows(
  raw: { code: string; text: string }[],
  isHeading: (hs4: string) => boolean,
  evalTexts: string[],
  perHeading = Number.POSITIVE_INFINITY,
): RuDeclarationsResult {
  const result: RuDeclarationsResult = {
    rows: [],
    read: raw.length,
    badCode: 0,
    notHs2022: 0,
    empty: 0,
    duplicate: 0,
    evalOverlap: 0,
    overCap: 0,
  }
  const evalNorm = [...new Set(evalTexts.map(normaliseForOverlap).filter(Boolean))]
  const seen = new Set<string>()
  const perCode = new Map<string, number>()
  for (const { code, text } of raw) {
    if (!/^\d{4}$/.test(code)) {
      result.badCode++
      continue
    }
    if (!isHeading(code)) {
      result.notHs2022++
      continue
    }
    const cleaned = cleanDeclarationText(text)
    if (!cleaned) {
      result.empty++
      continue
    }
    const key = `${code}|${cleaned}`
    if (seen.has(key)) {
      result.duplicate++
      continue
    }
    seen.add(key)
    // Checked on the whole source text as well as the cleaned one: a row is dropped if either holds
    // an evaluation text.
    const padded = [` ${normaliseForOverlap(cleaned)} `, ` ${normaliseForOverlap(text)} `]
    if (evalNorm.some((e) => padded.some((p) => p.includes(` ${e} `)))) {
      result.evalOverlap++
      continue
    }
    const n = perCode.get(code) ?? 0
    if (n >= perHeading) {
      result.overCap++
      continue
    }
    perCode.set(code, n + 1)
    result.rows.push({ hs4: code, text: cleaned })
  }
  return result
}
