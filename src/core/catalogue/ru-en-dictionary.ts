/**
 * @module catalogue/ru-en-dictionary
 * The Russian→English word dictionary (OpenRussian data, CC BY-SA 4.0; data/vocab/SOURCES.md §10):
 * parsing the source's entries into rows, and compiling the rows into the catalogue's table.
 *
 * The source is `dictionnary.json` of `renanlecaro/mywords-dictionnary-generator`: OpenRussian's
 * nouns.csv and adjectives.csv (and its own word lists) reshaped as `{ to: russian, from: english }`.
 * Only the entries its generator marked as OpenRussian nouns or adjectives are read: the marks are the
 * " (sg - pl)/" it appends to a noun with a plural, " (sg)", " (pl)", " (indeclinable)" for the other
 * nouns and " (ajd)" for an adjective. Rows of its other lists carry none and are left out (their
 * licence is not stated).
 */

export type RuEnRow = { ru: string; pos: 'noun' | 'adjective'; en: string[] }

const NOUN_MARKS = / \(sg - pl\)\/$| \((?:sg|pl|indeclinable)\)/
const ADJECTIVE_MARK = / \(ajd\)$/
/** A translation we can look up: one or two English words, letters and hyphens only. */
const ENGLISH_PHRASE = /^[a-z][a-z-]*(?: [a-z][a-z-]*)?$/
const RUSSIAN_WORD = /^[а-яё]+(?:-[а-яё]+)?$/

/**
 * One source entry as a row, or null when it is not an OpenRussian noun or adjective or has no usable
 * translation. The translations keep the source's order (main sense first); notes in parentheses,
 * an infinitive "to …" and phrases of three words or more are dropped.
 */
export function parseDictionaryEntry(entry: { to: string; from: string }): RuEnRow | null {
  const ru = entry.to.trim().toLowerCase()
  if (!RUSSIAN_WORD.test(ru)) return null
  const pos = ADJECTIVE_MARK.test(entry.from)
    ? 'adjective'
    : NOUN_MARKS.test(entry.from)
      ? 'noun'
      : null
  if (!pos) return null
  const text = entry.from
    .replace(ADJECTIVE_MARK, '')
    .replace(/ \(sg - pl\)\/$/, '')
    // The generator's grammatical notes: "(sg)", "(indeclinable)", "(m)" after a soft sign.
    .replace(/\s*\((?:sg|pl|indeclinable|m|f|n)\)/g, '')
    .replace(/\([^)]*\)/g, ' ')
  const en: string[] = []
  for (const part of text.split(/[;,/]/)) {
    const phrase = part.trim().toLowerCase().replace(/\s+/g, ' ')
    if (!ENGLISH_PHRASE.test(phrase) || phrase.startsWith('to ')) continue
    if (!en.includes(phrase)) en.push(phrase)
  }
  return en.length > 0 ? { ru, pos, en } : null
}

/** Translations kept per Russian word in the catalogue: the main senses. */
export const MAX_TRANSLATIONS = 4

/**
 * The catalogue's table: Russian stem → English translations the index knows (every word of the
 * phrase an index term), main sense first, at most `MAX_TRANSLATIONS`; a word the index lacks whose
 * senses it does not know maps to no translation, so it is still known to be a word. Two headwords on one stem
 * (ё and е spellings, a noun and its adjective) pool their translations, the first row's first.
 * `maxRussianLines`: a Russian word the index knows from more lines gets no entry. The build passes no
 * limit: the bridge reads only rare words' entries, but a short name whose words no line holds together
 * is read through every word's (classifier.ts `readInEnglish`).
 */
export function compileRuEnDictionary(
  rows: readonly RuEnRow[],
  stem: (word: string) => string,
  isKnownTerm: (term: string) => boolean,
  linesOf: (term: string) => number,
  maxRussianLines: number,
): Record<string, string[]> {
  const table: Record<string, string[]> = {}
  for (const row of rows) {
    const key = stem(row.ru.replace(/ё/g, 'е'))
    if (linesOf(key) > maxRussianLines) continue
    const known = row.en.filter((phrase) => phrase.split(/[ -]/).every((w) => isKnownTerm(stem(w))))
    // A word the index lacks and no sense of which it knows is still a real word, not a typo of a
    // word the index has (classifier.ts): it is kept with no senses.
    if (known.length === 0) {
      if (linesOf(key) === 0) table[key] ??= []
      continue
    }
    const list = table[key] ?? []
    table[key] = list
    for (const phrase of known)
      if (list.length < MAX_TRANSLATIONS && !list.includes(phrase)) list.push(phrase)
  }
  // In the stems' order: neighbouring stems share their letters, which the Worker bundle's gzip
  // finds (130 KB against 145 KB in the source's order).
  const sorted: Record<string, string[]> = {}
  for (const key of Object.keys(table).sort()) sorted[key] = table[key]!
  return sorted
}

/**
 * The senses of the stems two parts of speech share, apart: stem → [noun senses, adjective senses]
 * (each the index knows, main sense first, at most `MAX_TRANSLATIONS`). The goods stemmer gives one
 * stem to "золотой" and "золото", "часть" and "частый", "сера" and "серый" (496 stems of the source's
 * 12,898): pooled, a noun's senses are read for its adjective ("частые" → part) and, worse, an
 * adjective's crowd out a noun's ("части" → frequent, close, thick, quick; "часть" → part is the fifth
 * sense). The classifier reads the part of speech the query word's ending gives (classify/classifier.ts
 * `dictionarySenses`). Only the shared stems, and the adjectives' own stems with more than one sense
 * (noun senses empty): an adjective's senses are read in the dictionary's order, and its oblique forms
 * ("медной") end as a noun's do ("рукояткой"), so the stem tells the part, not the ending.
 */
export function compileRuEnSensesByPart(
  rows: readonly RuEnRow[],
  stem: (word: string) => string,
  isKnownTerm: (term: string) => boolean,
): Record<string, [noun: string[], adjective: string[]]> {
  const parts = new Map<string, { noun: string[]; adjective: string[]; pos: Set<string> }>()
  for (const row of rows) {
    const key = stem(row.ru.replace(/ё/g, 'е'))
    const entry = parts.get(key) ?? { noun: [], adjective: [], pos: new Set<string>() }
    parts.set(key, entry)
    entry.pos.add(row.pos)
    const list = entry[row.pos]
    for (const phrase of row.en)
      if (
        list.length < MAX_TRANSLATIONS &&
        !list.includes(phrase) &&
        phrase.split(/[ -]/).every((w) => isKnownTerm(stem(w)))
      )
        list.push(phrase)
  }
  const table: Record<string, [string[], string[]]> = {}
  for (const key of [...parts.keys()].sort()) {
    const entry = parts.get(key)!
    if (entry.pos.size > 1 || (entry.pos.has('adjective') && entry.adjective.length > 1))
      table[key] = [entry.noun, entry.adjective]
  }
  return table
}
