/**
 * Imports the second Russian→English word source, the English Wiktionary's translations into Russian
 * (Matthias Buchmeier's extraction of 2015-01-02, CC BY-SA 3.0 / GFDL; DSL edition of
 * `open-dsl-dict/wiktionary-dict`), from a bare git mirror into data/vocab/ru_en_wiktionary.csv
 * (data/vocab/SOURCES.md §11; parsing: src/core/catalogue/ru-en-wiktionary.ts).
 *
 * Kept: Russian single words translating an English noun or adjective headword of one or two words,
 * with at least one headword whose every word the catalogue's text index knows (data/build/catalogue.json
 * as built before the import), at most `MAX_TRANSLATIONS`. Each row passes the evaluation-row filter
 * (eval/exclude.sha256) before it is written, as the build does again.
 *
 * Usage: npx tsx scripts/import-ru-en-wiktionary.ts [--mirror DIR]
 * (default /work/.mirror/open-dsl-dict+wiktionary-dict/repo)
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { stringify } from 'csv-stringify/sync'
import {
  createExcludeFilter,
  ExclusionTally,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'
import { MAX_TRANSLATIONS } from '../src/core/catalogue/ru-en-dictionary'
import { invertWiktionarySenses, parseWiktionaryDsl } from '../src/core/catalogue/ru-en-wiktionary'
import type { VocabLine } from '../src/core/catalogue/types'
import { stem } from '../src/core/classify/text'
import { buildTextIndex, linesWithTerm } from '../src/core/classify/text-index'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const mirror = args.includes('--mirror')
  ? args[args.indexOf('--mirror') + 1]!
  : '/work/.mirror/open-dsl-dict+wiktionary-dict/repo'

export const SOURCE_REPO = 'open-dsl-dict/wiktionary-dict'
export const SOURCE_COMMIT = '74c2c11f3398606ef334dd6d0d3ecb9555a44faf'
const SOURCE_PATH = 'dsl/oneway/en-ru-enwiktionary.dsl.dz'
const OUT = 'data/vocab/ru_en_wiktionary.csv'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const tally = new ExclusionTally(
  createExcludeFilter(
    parseDigests(readFileSync(join(root, 'eval', 'exclude.sha256'), 'utf8')),
    sha256,
  ),
)

// dictzip is gzip with an index in the header; the DSL text inside is UTF-16 little-endian.
const compressed = execFileSync(
  'git',
  ['--git-dir', mirror, 'show', `${SOURCE_COMMIT}:${SOURCE_PATH}`],
  {
    maxBuffer: 64 * 1024 * 1024,
  },
)
const text = gunzipSync(compressed)
  .toString('utf16le')
  .replace(/^\uFEFF/, '')
const senses = parseWiktionaryDsl(text)
const inverted = invertWiktionarySenses(senses)

const { vocab } = JSON.parse(
  readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8'),
) as { vocab: VocabLine[] }
const index = buildTextIndex(vocab)
const known = (phrase: string) =>
  phrase.split(/[ -]/).every((w) => linesWithTerm(index, stem(w)) > 0)

let noKnown = 0
const rows: string[][] = []
for (const row of inverted) {
  const en = row.en.filter(known).slice(0, MAX_TRANSLATIONS)
  if (en.length === 0) {
    noKnown++
    continue
  }
  if (!tally.keep('ru_en_wiktionary', { text: `${row.ru} ${en.join(' ')}` })) continue
  rows.push([row.ru, row.pos, en.join('; ')])
}
writeFileSync(
  join(root, OUT),
  stringify([['ru', 'pos', 'en'], ...rows], { record_delimiter: '\n' }),
)
console.log(
  `${SOURCE_REPO}@${SOURCE_COMMIT.slice(0, 10)} ${SOURCE_PATH}: ${senses.length} English noun/adjective ` +
    `senses with a single-word Russian translation, ${inverted.length} Russian words read backwards, ` +
    `${noKnown} with no headword the index knows, ${rows.length} written → ${OUT}`,
)
for (const line of tally.report()) console.log(`  filter: ${line}`)
