/**
 * Imports the Russian→English word dictionary (OpenRussian nouns and adjectives, CC BY-SA 4.0) from a
 * bare git mirror of `renanlecaro/mywords-dictionnary-generator` into data/vocab/ru_en_openrussian.csv
 * (data/vocab/SOURCES.md §10; parsing: src/core/catalogue/ru-en-dictionary.ts).
 *
 * Kept: OpenRussian nouns and adjectives with at least one translation of one or two English words
 * whose every word the catalogue's text index knows (data/build/catalogue.json, as built before the
 * import), at most `MAX_TRANSLATIONS`, main sense first. Each row passes the evaluation-row filter
 * (eval/exclude.sha256) before it is written, as the build does again.
 *
 * Usage: npx tsx scripts/import-ru-en-dictionary.ts [--mirror DIR]
 * (default /work/.mirror/renanlecaro+mywords-dictionnary-generator/repo/.git)
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'csv-stringify/sync'
import {
  createExcludeFilter,
  ExclusionTally,
  parseDigests,
} from '../src/core/catalogue/exclude-filter'
import { MAX_TRANSLATIONS, parseDictionaryEntry } from '../src/core/catalogue/ru-en-dictionary'
import type { VocabLine } from '../src/core/catalogue/types'
import { stem } from '../src/core/classify/text'
import { buildTextIndex, linesWithTerm } from '../src/core/classify/text-index'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const mirror = args.includes('--mirror')
  ? args[args.indexOf('--mirror') + 1]!
  : '/work/.mirror/renanlecaro+mywords-dictionnary-generator/repo/.git'

export const SOURCE_REPO = 'renanlecaro/mywords-dictionnary-generator'
export const SOURCE_COMMIT = 'ba71867f45ba9be6fd7069e41c9f5cf469dded1c'
const SOURCE_PATH = 'dictionnary.json'
const OUT = 'data/vocab/ru_en_openrussian.csv'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const tally = new ExclusionTally(
  createExcludeFilter(
    parseDigests(readFileSync(join(root, 'eval', 'exclude.sha256'), 'utf8')),
    sha256,
  ),
)

const json = execFileSync('git', ['--git-dir', mirror, 'show', `${SOURCE_COMMIT}:${SOURCE_PATH}`], {
  maxBuffer: 64 * 1024 * 1024,
}).toString('utf8')
const entries = JSON.parse(json) as { to: string; from: string }[]

const { vocab } = JSON.parse(
  readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8'),
) as { vocab: VocabLine[] }
const index = buildTextIndex(vocab)
const known = (phrase: string) =>
  phrase.split(/[ -]/).every((w) => linesWithTerm(index, stem(w)) > 0)

let parsed = 0
let noKnown = 0
const rows: string[][] = []
for (const entry of entries) {
  const row = parseDictionaryEntry(entry)
  if (!row) continue
  parsed++
  const en = row.en.filter(known).slice(0, MAX_TRANSLATIONS)
  if (en.length === 0) {
    noKnown++
    continue
  }
  if (!tally.keep('ru_en_openrussian', { text: `${row.ru} ${en.join(' ')}` })) continue
  rows.push([row.ru, row.pos, en.join('; ')])
}
writeFileSync(
  join(root, OUT),
  stringify([['ru', 'pos', 'en'], ...rows], { record_delimiter: '\n' }),
)
console.log(
  `${SOURCE_REPO}@${SOURCE_COMMIT.slice(0, 10)} ${SOURCE_PATH}: ${entries.length} entries, ` +
    `${parsed} OpenRussian nouns/adjectives with a usable translation, ${noKnown} with none the index knows, ` +
    `${rows.length} written → ${OUT}`,
)
for (const line of tally.report()) console.log(`  filter: ${line}`)
