/**
 * @module classify/proper-names
 * Brand and model names in a short English trade name, told by how the name is written: "Cisco
 * Catalyst 2960 switch", "Raspberry Pi 4 computer", "Mean Well power supply". The goods are the
 * lower-case words after the capitalised run; the run names who made them and which model, and its
 * words, read as goods words, pull the reading elsewhere ("Catalyst" → 3815 reaction catalysts,
 * "Raspberry" → 0810 raspberries). The maker tables (part-numbers.ts) know component makers only,
 * so the shape of the run is the evidence here, not a list of brands.
 */

/** Names longer than this are descriptions, where capitals follow sentence rules, not brands. */
export const MAX_PROPER_NAME_WORDS = 6

/** "Catalyst", "Pi", "Levi": a capital then lower-case letters. */
const TITLE_CASE = /^\p{Lu}\p{Ll}+$/u
/** "EOS", "IP", "II": an abbreviation or a numeral; part of a run, but not dropped (may be a goods word: "IP camera"). */
const ALL_CAPS = /^\p{Lu}{2,}$/u
/** "2960", "4", "DS1054Z", "3T": a number or a model code. */
const MODEL_CODE = /^(?=.*\p{N})[\p{L}\p{N}]+$/u
/** A goods word as a trader types it after the brand: lower case, three letters or more. */
const LOWER_CASE_WORD = /^\p{Ll}{3,}$/u
const CYRILLIC = /[а-яё]/i

/**
 * The words (lower-cased) of a short English name that stand in a capitalised run of two or more
 * tokens (title-case words, abbreviations, model codes; at least one title-case word) followed later
 * by a lower-case word: the title-case words of such a run are a brand or a model name ("Cisco
 * Catalyst 2960", "Raspberry Pi 4", "Texas Instruments"), not goods words. A lone capitalised word is
 * left alone: it may be the name's first word in sentence case ("Frozen beef") or a proper adjective
 * that names the goods ("frozen Atlantic salmon"). A name with no lower-case word after the run
 * ("Fresh Apples", "APC Smart-UPS 1500") is left alone too: its case says nothing.
 */
export function properNameWords(
  description: string,
  isKnownWord: (word: string) => boolean,
): Set<string> {
  const out = new Set<string>()
  if (CYRILLIC.test(description) || /[,;:()[\]]/.test(description)) return out
  const tokens = description.split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  if (tokens.length > MAX_PROPER_NAME_WORDS) return out
  const inRun = (t: string) => TITLE_CASE.test(t) || ALL_CAPS.test(t) || MODEL_CODE.test(t)
  let end = 0
  while (end < tokens.length && inRun(tokens[end]!)) end++
  const run = tokens.slice(0, end)
  const titled = run.filter((t) => TITLE_CASE.test(t))
  // The goods words follow the brand, in lower case, to the end of the name.
  const goodsAfter = end < tokens.length && tokens.slice(end).every((t) => !/\p{Lu}/u.test(t))
  // A word no text knows or a model code marks the run as a name; "Stainless Steel bolts" has neither.
  const named = run.some((t) => MODEL_CODE.test(t) || !isKnownWord(t.toLowerCase()))
  if (
    run.length >= 2 &&
    titled.length > 0 &&
    named &&
    goodsAfter &&
    LOWER_CASE_WORD.test(tokens.at(-1)!)
  )
    for (const t of titled) out.add(t.toLowerCase())
  return out
}
