/**
 * @module catalogue/ru-en-wiktionary
 * A second Russian→English word source: the English Wiktionary's translation tables into Russian, as
 * Matthias Buchmeier's extraction ("English :: Russian dictionary extracted from en.wiktionary.org",
 * CC BY-SA 3.0 / GFDL) in the DSL format of `open-dsl-dict/wiktionary-dict` (data/vocab/SOURCES.md §11).
 *
 * The source runs English→Russian: one entry per English headword and sense,
 *
 *     vacuum cleaner
 *     \t[b][c darkblue]~[/c][/b] [p]<n>[/p] [i](machine for cleaning)[/i]
 *     \t[m1]пылесос [p]<m>[/p] [c gray]/pylesós/[/c], …[/m]
 *
 * so it is read backwards: each single Russian word of a noun or adjective sense gets the English
 * headword as a translation. A Russian word's translations are ordered by where it stood in the senses'
 * lists (a word named first is that sense's main Russian word), then by the source's order.
 */

import type { RuEnRow } from './ru-en-dictionary'

/** A headword we can look up: one or two English words, letters and hyphens only. */
const ENGLISH_PHRASE = /^[a-z][a-z-]*(?: [a-z][a-z-]*)?$/
const RUSSIAN_WORD = /^[а-яё]+(?:-[а-яё]+)?$/
/** The sense line's first tag is its part of speech. */
const SENSE_POS = /\[p\]<([^>]*)>\[\/p\]/

/** One English sense of the source, read: its headword, part of speech and Russian words in order. */
export type WiktionarySense = { en: string; pos: RuEnRow['pos']; ru: string[] }

/**
 * The senses of a DSL text (UTF-8): noun and adjective senses whose headword is one or two English
 * words, with their single-word Russian translations (phrases, transliterations, qualifiers and
 * grammatical tags dropped). Proper nouns, verbs and the other parts of speech are left out.
 */
export function parseWiktionaryDsl(text: string): WiktionarySense[] {
  const senses: WiktionarySense[] = []
  let headword = ''
  let pos: RuEnRow['pos'] | null = null
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue
    if (!line.startsWith('\t')) {
      headword = line.trim().toLowerCase().replace(/\s+/g, ' ')
      pos = null
      continue
    }
    if (line.startsWith('\t[b]')) {
      const tag = SENSE_POS.exec(line)?.[1]
      pos = tag === 'n' ? 'noun' : tag === 'adj' ? 'adjective' : null
      continue
    }
    if (!line.startsWith('\t[m1]') || !pos || !ENGLISH_PHRASE.test(headword)) continue
    const ru = russianWords(line)
    if (ru.length > 0) senses.push({ en: headword, pos, ru })
  }
  return senses
}

/** The single Russian words of one `[m1]` translation line, in order. */
function russianWords(line: string): string[] {
  const body = line
    .replace(/^\t\[m1\]/, '')
    .replace(/\[\/m\]$/, '')
    // transliterations, in gray or bare between slashes
    .replace(/\[c gray\][^[]*\[\/c\]/g, '')
    .replace(/\s\/[^/,]*\//g, '')
    // qualifiers such as \[camel or dromedary\], and gender/aspect tags
    .replace(/\\\[[^\]]*\\\]/g, '')
    .replace(/\[p\][^[]*\[\/p\]/g, '')
    .replace(/\[[^\]]*\]/g, '')
  const words: string[] = []
  for (const part of body.split(',')) {
    const word = part
      .trim()
      .toLowerCase()
      .replace(/\u0301/g, '')
    if (RUSSIAN_WORD.test(word) && !words.includes(word)) words.push(word)
  }
  return words
}

/**
 * The senses read backwards into rows `ru → English headwords`: per Russian word and part of speech,
 * the headwords of the senses that name it, those naming it first before the others, then in the
 * source's order. A Russian word's rows keep its noun row before its adjective row.
 */
export function invertWiktionarySenses(senses: readonly WiktionarySense[]): RuEnRow[] {
  const byWord = new Map<
    string,
    { pos: RuEnRow['pos']; ranked: { en: string; rank: number; order: number }[] }
  >()
  let order = 0
  for (const sense of senses) {
    sense.ru.forEach((ru, rank) => {
      const key = `${ru}\u0000${sense.pos}`
      const entry = byWord.get(key) ?? { pos: sense.pos, ranked: [] }
      byWord.set(key, entry)
      const seen = entry.ranked.find((r) => r.en === sense.en)
      if (seen) seen.rank = Math.min(seen.rank, rank)
      else entry.ranked.push({ en: sense.en, rank, order: order++ })
    })
  }
  const rows: RuEnRow[] = []
  for (const [key, { pos, ranked }] of byWord) {
    ranked.sort((a, b) => a.rank - b.rank || a.order - b.order)
    rows.push({ ru: key.split('\u0000')[0]!, pos, en: ranked.map((r) => r.en) })
  }
  rows.sort((a, b) => (a.ru < b.ru ? -1 : a.ru > b.ru ? 1 : a.pos < b.pos ? 1 : -1))
  return rows
}
