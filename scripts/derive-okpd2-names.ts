/**
 * EXPERIMENT (branch exp/vocab; measured and dropped, data/vocab/LEXICON.md "OKPD2 product names"):
 * the 9-digit product names of the Russian classifier OKPD2 (OK 034-2014) filed under an HS heading
 * that the current engine derives for them, because no usable copy of the official OKPD2 ↔ TN VED key
 * could be fetched. Writes data/vocab/okpd2_names_hs4_derived.csv (hs4, text, okpd2, okpd2_class).
 *
 * Alignment: the 6-digit class name (CPA-like tariff wording) is classified; a child name takes the first
 * heading of its own reading that is among the class's first PARENT_TOP headings, else the class's first
 * heading when the class reading's confidence is at least MIN_PARENT_CONF; otherwise it is dropped.
 * STRICT=1 keeps only children whose own first heading equals the class's, both at confidence ≥ 0.5.
 *
 * Usage: npx tsx scripts/derive-okpd2-names.ts [--mirrors DIR]   (needs data/build from main's data)
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'csv-stringify/sync'
import { createEngine } from '../src/core/engine'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1]! : '/work/.mirror'
const OKPD2_REPO = 'Egor-Alpy/okpd2_classifier'
const OKPD2_COMMIT = '6e991db9df68573d338234af2298126c70d40595'
const OKPD2_FILE = 'src/data/okpd2_full_tree.json'
const PARENT_TOP = Number(process.env.PARENT_TOP ?? 5)
const MIN_PARENT_CONF = Number(process.env.MIN_PARENT_CONF ?? 0.5)
const STRICT = Boolean(process.env.STRICT)

type Tree = { [code: string]: string | Tree }
const tree: Tree = JSON.parse(
  execFileSync(
    'git',
    [
      '--git-dir',
      join(mirrors, OKPD2_REPO.replace('/', '+'), 'repo'),
      'show',
      `${OKPD2_COMMIT}:${OKPD2_FILE}`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString('utf8'),
)
const names = new Map<string, string>()
const walk = (node: Tree) => {
  for (const [code, value] of Object.entries(node))
    typeof value === 'string' ? names.set(code, value) : walk(value)
}
walk(tree)

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8')),
)
const read = (text: string) => {
  const c = engine.classifier.classify(text)
  return {
    heads: [...new Set(c.candidates.map((x) => x.hs6.slice(0, 4)))],
    confidence: c.confidence,
  }
}
const classReadings = new Map<string, ReturnType<typeof read>>()
const rows: Record<string, string>[] = []
const count = { products: 0, sameAsClass: 0, unaligned: 0, written: 0 }
for (const [code, name] of names) {
  // Goods only: sections A–C up to division 32 (33 is repair), no "Услуги ..." (services) entries.
  if (!/^\d\d\.\d\d\.\d\d\.\d{3}$/.test(code) || code.slice(0, 2) >= '33') continue
  const cls = code.slice(0, 8)
  const className = names.get(cls)
  if (!className || /^услуг/i.test(name) || /^услуг/i.test(className)) continue
  count.products++
  const text = name.replace(/\s+/g, ' ').trim()
  if (text.toLowerCase() === className.trim().toLowerCase()) {
    count.sameAsClass++
    continue
  }
  let parent = classReadings.get(cls)
  if (!parent) {
    parent = read(className)
    classReadings.set(cls, parent)
  }
  const top = parent.heads.slice(0, PARENT_TOP)
  const child = read(text)
  let hs4: string | undefined
  if (STRICT)
    hs4 =
      child.heads[0] === top[0] && child.confidence >= 0.5 && parent.confidence >= 0.5
        ? top[0]
        : undefined
  else
    hs4 =
      child.heads.find((h) => top.includes(h)) ??
      (parent.confidence >= MIN_PARENT_CONF ? top[0] : undefined)
  if (!hs4) {
    count.unaligned++
    continue
  }
  rows.push({ hs4, text, okpd2: code, okpd2_class: cls })
}
count.written = rows.length
writeFileSync(
  join(root, 'data', 'vocab', 'okpd2_names_hs4_derived.csv'),
  stringify(rows, { header: true, columns: ['hs4', 'text', 'okpd2', 'okpd2_class'] }),
)
console.log(`OKPD2 ${OKPD2_REPO}@${OKPD2_COMMIT.slice(0, 8)}: ${names.size} codes`, count)
