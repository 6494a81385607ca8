/**
 * Regenerates the evaluation sets in eval/ (see eval/README.md). The committed .jsonl files are what
 * `npm run eval` and the tests read; this script only exists so that they can be rebuilt and audited.
 *
 * - dev-tune / dev-check: eval/dev.jsonl split by the first byte of SHA-256(id), even → tune, odd →
 *   check. A hash of the id, not a shuffle, so a row never changes side when rows are added.
 *   `--dev FILE` first replaces eval/dev.jsonl with a fresh copy of FILE.
 * - hsbench-names / hsbench-descriptions: from a bare git snapshot of the HSBench repository
 *   (`--hsbench GITDIR`, default the local mirror); skipped with a note when it is not there.
 * - eec-products-{tune,check} / eec-descriptions-{tune,check}: Russian EEC classification decisions,
 *   from a copy of `eval_sets/eec/eec_decisions.jsonl` of github.com/xanderkag/tnved (`--eec FILE`,
 *   default var/eec/eec_decisions.jsonl, which git ignores); skipped with a note when it is not there.
 *   Split by the same id hash as dev.
 *
 * Usage: npx tsx scripts/import-eval-sets.ts [--dev FILE] [--hsbench GITDIR] [--eec FILE]
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createExcludeFilter, parseDigests } from '../src/core/catalogue/exclude-filter'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const evalDir = join(root, 'eval')
const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

/** The side of the dev split a row id falls on; the unit test recomputes it the same way. */
export function devSide(id: string): 'tune' | 'check' {
  return createHash('sha256').update(id, 'utf8').digest()[0]! % 2 === 0 ? 'tune' : 'check'
}

function splitDev(devSource: string | undefined): void {
  const devFile = join(evalDir, 'dev.jsonl')
  if (devSource) copyFileSync(devSource, devFile)
  const lines = readFileSync(devFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
  const out = { tune: [] as string[], check: [] as string[] }
  const chp = { tune: 0, check: 0 }
  for (const line of lines) {
    const row = JSON.parse(line) as { id: string; on_chp_list?: boolean }
    const side = devSide(row.id)
    // The original line, byte for byte: the halves must stay comparable with dev.jsonl.
    out[side].push(line)
    if (row.on_chp_list) chp[side]++
  }
  writeFileSync(join(evalDir, 'dev-tune.jsonl'), out.tune.map((l) => `${l}\n`).join(''))
  writeFileSync(join(evalDir, 'dev-check.jsonl'), out.check.map((l) => `${l}\n`).join(''))
  console.log(
    `dev ${lines.length} rows → dev-tune ${out.tune.length} (${chp.tune} CHP), dev-check ${out.check.length} (${chp.check} CHP)`,
  )
}

type HsBenchRow = {
  id: string
  input: { text: string }
  label: { hs2: string; hs4: string; hs6?: string }
}

function importHsBench(gitDir: string): void {
  const git = (...a: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...a], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).trim()
  const commit = git('rev-parse', 'HEAD')
  const read = (path: string) => JSON.parse(git('show', `${commit}:${path}`)) as HsBenchRow[]
  const source = (path: string, id: string) =>
    `HSBench github.com/VoldeMordddddd/HSBench@${commit.slice(0, 12)} ${path} ${id}`

  // HSBench labels come from China's 2025 tariff, which adds national chapter 98; the engine speaks
  // HS 2022 only, so a label outside the HS 2022 nomenclature could never be scored right.
  const catalogue = JSON.parse(
    readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8'),
  ) as { hs: { code: string }[] }
  const hsCodes = new Set(catalogue.hs.map((h) => h.code))
  const dropped: string[] = []

  const namesPath = 'datasets/en/hsbench_4digit.json'
  const names = read(namesPath)
  const nameLines: string[] = []
  for (const r of names) {
    if (!hsCodes.has(r.label.hs4)) {
      dropped.push(`${r.id} ${r.label.hs4}`)
      continue
    }
    nameLines.push(
      JSON.stringify({
        id: r.id,
        description: r.input.text.trim(),
        hs4: r.label.hs4,
        source: source(namesPath, r.id),
      }),
    )
  }

  // The English 6-digit file carries hs2/hs4 only (and ids prefixed "4d_"); the Chinese file has the
  // same rows in the same order with hs6. Pair them by position and refuse to write unless the id
  // numbers and the hs4 labels agree on every row.
  const enPath = 'datasets/en/hsbench_6digit.json'
  const cnPath = 'datasets/cn/hsbench_6digit.json'
  const en = read(enPath)
  const cn = read(cnPath)
  if (en.length !== cn.length)
    throw new Error(`HSBench: ${en.length} English vs ${cn.length} Chinese rows`)
  const idNumber = (id: string) => Number(id.split('_')[1])
  const descLines: string[] = []
  en.forEach((e, i) => {
    const c = cn[i]!
    const hs6 = c.label.hs6 ?? ''
    if (
      idNumber(e.id) !== idNumber(c.id) ||
      e.label.hs4 !== c.label.hs4 ||
      !hs6.startsWith(e.label.hs4)
    )
      throw new Error(`HSBench: row ${i} not parallel: ${e.id}/${e.label.hs4} vs ${c.id}/${hs6}`)
    if (!hsCodes.has(hs6)) {
      dropped.push(`${c.id} ${hs6}`)
      return
    }
    descLines.push(
      JSON.stringify({
        // The Chinese file's id: the English one reuses the "4d_" prefix of the 4-digit set.
        id: c.id,
        description: e.input.text.trim(),
        hs4: e.label.hs4,
        hs6,
        source: `${source(enPath, e.id)}; hs6 from ${cnPath} ${c.id}`,
      }),
    )
  })

  writeFileSync(join(evalDir, 'hsbench-names.jsonl'), nameLines.map((l) => `${l}\n`).join(''))
  writeFileSync(
    join(evalDir, 'hsbench-descriptions.jsonl'),
    descLines.map((l) => `${l}\n`).join(''),
  )
  console.log(`HSBench @ ${commit}`)
  console.log(`  hsbench-names ${nameLines.length} of ${names.length} rows`)
  console.log(
    `  hsbench-descriptions ${descLines.length} of ${en.length} rows (ids and hs4 parallel)`,
  )
  console.log(`  dropped, not HS 2022: ${dropped.join(', ') || 'none'}`)
}

/** The commit of github.com/xanderkag/tnved whose eval_sets/eec/eec_decisions.jsonl was copied. */
const EEC_COMMIT = 'b6ed6c24065d34f7c0fd6879c3836b1dec15ae1d'
const EEC_PATH = 'eval_sets/eec/eec_decisions.jsonl'

type EecRow = {
  id: string
  decision: string
  product: string
  description: string
  gold: string
  gold_digits: number
  gold_in_current_tree: boolean
  year: number
  ocr: boolean
}

/**
 * The goods name of an EEC decision as a trader would write it. The `product` cell of the EEC's list
 * carries the history of the decision in parentheses ("( внесены изменения Решением Коллегии … № 155 )",
 * "( отменено Решением … )"): that is not goods text, so it goes. Where one decision covers variants,
 * the cell runs their names together ("Стерилизатор паровой Стерилизатор низкотемпературный …"); the
 * decision's description and code are those of the first variant, so only the first name is kept. A
 * new name starts where a capitalised word follows a lower-case word (not after a comma, a quote or
 * a bracket, and not an acronym such as "ВИЧ").
 */
export function eecProductName(product: string): string {
  const withoutHistory = product
    .replace(/\(\s*(?:внесены изменения|отменено)[^()]*\)/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const nextName = withoutHistory.search(/(?<=[а-яё)] )[А-ЯЁ][а-яё]/u)
  return (nextName > 0 ? withoutHistory.slice(0, nextName) : withoutHistory)
    .replace(/[\s,;]+$/, '')
    .trim()
}

function importEec(file: string): void {
  const catalogue = JSON.parse(
    readFileSync(join(root, 'data', 'build', 'catalogue.json'), 'utf8'),
  ) as { hs: { code: string }[] }
  const hsCodes = new Set(catalogue.hs.map((h) => h.code))
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EecRow)
  // These rows are evaluation rows themselves: none may be vocabulary, so none should already be
  // listed as one either way. Count how many the build's outside-data filter would catch.
  const digests = parseDigests(readFileSync(join(evalDir, 'exclude.sha256'), 'utf8'))
  const excluded = createExcludeFilter(digests, (t) =>
    createHash('sha256').update(t, 'utf8').digest('hex'),
  )
  const out = {
    products: { tune: [] as string[], check: [] as string[] },
    descriptions: { tune: [] as string[], check: [] as string[] },
  }
  const notHs2022: string[] = []
  const digestHits: string[] = []
  let hs6Kept = 0
  let namesCut = 0
  for (const r of rows) {
    const hs4 = r.gold.slice(0, 4)
    if (!/^\d{4,10}$/.test(r.gold) || !hsCodes.has(hs4)) {
      notHs2022.push(`${r.id} ${r.gold}`)
      continue
    }
    // A 6-digit label only when the decision gave 6 digits or more and its code is still in the
    // TN VED tree of today (HS 2022): an older subheading could have been split or moved since.
    const hs6 =
      r.gold.length >= 6 && r.gold_in_current_tree && hsCodes.has(r.gold.slice(0, 6))
        ? r.gold.slice(0, 6)
        : undefined
    if (hs6) hs6Kept++
    const name = eecProductName(r.product)
    if (name !== r.product.trim()) namesCut++
    const decision = r.decision.replace(/^№\s*/, '').trim()
    for (const text of [name, r.description]) {
      const hit = excluded({ text, rulings: [r.decision, decision, decision.split(/\s+/)[0]!] })
      if (hit) digestHits.push(`${r.id} ${hit}`)
    }
    const side = devSide(r.id)
    const row = (kind: string, description: string) =>
      JSON.stringify({
        id: `${r.id}.${kind}`,
        description,
        hs4,
        ...(hs6 ? { hs6 } : {}),
        tnved: r.gold,
        year: r.year,
        ...(r.ocr ? { ocr: true } : {}),
        source: `EEC decision ${r.decision}; github.com/xanderkag/tnved@${EEC_COMMIT.slice(0, 12)} ${EEC_PATH} ${r.id} (${kind === 'product' ? 'product, history notes cut' : 'description'})`,
      })
    out.products[side].push(row('product', name))
    out.descriptions[side].push(row('description', r.description.trim()))
  }
  for (const kind of ['products', 'descriptions'] as const)
    for (const side of ['tune', 'check'] as const)
      writeFileSync(
        join(evalDir, `eec-${kind}-${side}.jsonl`),
        out[kind][side].map((l) => `${l}\n`).join(''),
      )
  const kept = rows.length - notHs2022.length
  console.log(`EEC decisions ${file} (xanderkag/tnved@${EEC_COMMIT.slice(0, 12)})`)
  console.log(
    `  ${kept} of ${rows.length} rows → tune ${out.products.tune.length}, check ${out.products.check.length} (each as a product name and a description); ${hs6Kept} with hs6`,
  )
  console.log(`  product names cut (history notes or variants): ${namesCut}`)
  console.log(`  dropped, heading not in HS 2022: ${notHs2022.join(', ') || 'none'}`)
  console.log(
    `  rows matching eval/exclude.sha256: ${digestHits.length} of ${kept * 2} texts${digestHits.length ? ` (${digestHits.join(', ')})` : ''}`,
  )
}

function main(): void {
  splitDev(option('--dev'))
  const gitDir =
    option('--hsbench') ??
    process.env.HSBENCH_GIT_DIR ??
    '/work/.mirror/VoldeMordddddd+HSBench/repo'
  if (existsSync(gitDir)) importHsBench(gitDir)
  else console.log(`HSBench: no git snapshot at ${gitDir}; hsbench-*.jsonl left as committed`)
  const eecFile = option('--eec') ?? join(root, 'var', 'eec', 'eec_decisions.jsonl')
  if (existsSync(eecFile)) importEec(eecFile)
  else console.log(`EEC: no copy of ${EEC_PATH} at ${eecFile}; eec-*.jsonl left as committed`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
