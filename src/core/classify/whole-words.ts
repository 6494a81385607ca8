/**
 * @module classify/whole-words
 * Names found in a line as whole words, in any case: "Murata" in "GRM188 murata capacitor", not in
 * "Muratani". Three forms with one meaning: `wholeWords`, one regular expression for many names,
 * `wholeWordTest`, a plain string search for a few names, for the many per-maker tests that run only
 * on the rare lines that name a maker, and `anyWholeWordTest`, one pass over a line for hundreds of
 * names (whether a line names any maker: most name none).
 *
 * Why not the pattern: V8 compiles a case-insensitive Unicode pattern on its first use and discards the compiled
 * code of a pattern that has not run for a while, so each of ~500 per-maker patterns, used once in a
 * hundred batch rows, was compiled again nearly every time it ran (3 ms a row that names a maker, 4 %
 * of a batch's CPU time over the bench's rows). The string search gives the same answer (tested
 * against the pattern in test/core/whole-words.test.ts) at no compile cost.
 */

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Any of `names` as a whole word (not inside a longer word), any case; with no names, nothing. */
export function wholeWords(names: readonly string[]): RegExp {
  return names.length
    ? new RegExp(`(?:^|[^\\p{L}])(?:${names.map(escapeRegex).join('|')})(?:$|[^\\p{L}])`, 'iu')
    : /(?!)/
}

export type NameTest = { test(text: string): boolean }

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/
const LETTER = /\p{L}/u
/**
 * The characters a case-insensitive Unicode pattern (flags `iu`, simple case folding) matches to a
 * printable ASCII character other than itself: the other case of a letter, the Kelvin sign (k) and the
 * long s (s). Checked over every code point (BENCHMARKS.md, "Batch CPU per row"); folding them to the
 * lower-case letter keeps every index, so positions in the folded text are positions in the text.
 */
const FOLDS_TO_ASCII = /[A-Z\u212A\u017F]/g
const foldToAscii = (ch: string): string =>
  ch === '\u212A' ? 'k' : ch === '\u017F' ? 's' : ch.toLowerCase()

/** The last text folded: the tests of one line run one after another on the same text. */
let lastText = ''
let lastFolded = ''
function folded(text: string): string {
  if (text !== lastText) {
    lastFolded = text.replace(FOLDS_TO_ASCII, foldToAscii)
    lastText = text
  }
  return lastFolded
}

/** An ASCII code unit is a letter (`\p{L}`) exactly when it is one of A–Z, a–z. */
function asciiLetter(unit: number): boolean {
  const lower = unit | 0x20
  return lower >= 0x61 && lower <= 0x7a
}

/** Whether the code point that ends just before `at` is a letter (a pattern's `[^\p{L}]` before a name). */
function letterBefore(text: string, at: number): boolean {
  const unit = text.charCodeAt(at - 1)
  if (unit < 0x80) return asciiLetter(unit)
  const paired =
    unit >= 0xdc00 && unit <= 0xdfff && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800
  const codePoint = paired ? text.codePointAt(at - 2)! : unit
  return LETTER.test(String.fromCodePoint(codePoint))
}

/** Whether the code point that starts at `at` is a letter (a pattern's `[^\p{L}]` after a name). */
function letterAt(text: string, at: number): boolean {
  const unit = text.charCodeAt(at)
  if (unit < 0x80) return asciiLetter(unit)
  return LETTER.test(String.fromCodePoint(text.codePointAt(at)!))
}

/** Whether `text` holds the printable-ASCII `name` (lower case) as a whole word, in any case. */
function holdsAsciiName(text: string, name: string): boolean {
  const haystack = folded(text)
  for (let at = haystack.indexOf(name); at >= 0; at = haystack.indexOf(name, at + 1)) {
    const end = at + name.length
    if ((at === 0 || !letterBefore(text, at)) && (end === text.length || !letterAt(text, end)))
      return true
  }
  return false
}

/** Printable-ASCII names (lower case), searched as strings, and the others, left to a pattern. */
function splitNames(names: readonly string[]): { ascii: string[]; pattern: RegExp | null } {
  const ascii = names
    .filter((n) => n.length > 0 && PRINTABLE_ASCII.test(n))
    .map((n) => n.toLowerCase())
  const others = names.filter((n) => n.length === 0 || !PRINTABLE_ASCII.test(n))
  return { ascii, pattern: others.length > 0 ? wholeWords(others) : null }
}

/**
 * The same test as `wholeWords(names)`: printable-ASCII names by string search, any other name by
 * the pattern (none of the maker tables' names but one).
 */
export function wholeWordTest(names: readonly string[]): NameTest {
  const { ascii, pattern } = splitNames(names)
  return {
    test: (text) => ascii.some((name) => holdsAsciiName(text, name)) || !!pattern?.test(text),
  }
}

/**
 * The same test as `wholeWords(names)` for hundreds of names (whether a line names any maker at
 * all): one pass over the line, trying at each place only the names that start with its character.
 * The pattern tried every name at every place a word starts, ~10 µs a line once compiled, and
 * compiling it (again in each thread) cost a batch's first thousand rows ~0.1 ms each.
 */
export function anyWholeWordTest(names: readonly string[]): NameTest {
  const { ascii, pattern } = splitNames(names)
  /** ASCII character code → the names that start with it. */
  const byFirst: (string[] | undefined)[] = Array.from({ length: 0x80 }, () => undefined)
  for (const name of new Set(ascii)) {
    const first = name.charCodeAt(0)
    byFirst[first] = [...(byFirst[first] ?? []), name]
  }
  const holdsAny = (text: string): boolean => {
    const haystack = folded(text)
    for (let at = 0; at < haystack.length; at++) {
      const unit = haystack.charCodeAt(at)
      const starting = unit < 0x80 ? byFirst[unit] : undefined
      if (!starting || (at > 0 && letterBefore(text, at))) continue
      for (const name of starting) {
        const end = at + name.length
        if (haystack.startsWith(name, at) && (end === text.length || !letterAt(text, end)))
          return true
      }
    }
    return false
  }
  return { test: (text) => (ascii.length > 0 && holdsAny(text)) || !!pattern?.test(text) }
}
