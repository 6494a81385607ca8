/**
 * Regenerates the evaluation sets in eval/ (see eval/README.md). The committed .jsonl files are what
 * `npm run eval` and the tests read; this script only exists so that they can be rebuilt and audited.
 *
 * - dev-tune / dev-check: eval/dev.jsonl split by the first byte of SHA-256(id), even → tune, odd →
 *   check. A hash of the id, not a shuffle, so a row never changes side when rows are added.
 *   `--dev FILE` first replaces eval/dev.jsonl with a fresh copy of FILE.
 * - hsbench-names / hsbench-descriptions: from a bare git snapshot of the HSBench repository
 *   (`--hsbench GITDIR`, default the local mirror); skipped with a note when it is not there.
 *
 * Usage: npx tsx scripts/import-eval-sets.ts [--dev FILE] [--hsbench GITDIR]
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

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

function main(): void {
  splitDev(option('--dev'))
  const gitDir =
    option('--hsbench') ??
    process.env.HSBENCH_GIT_DIR ??
    '/work/.mirror/VoldeMordddddd+HSBench/repo'
  if (existsSync(gitDir)) importHsBench(gitDir)
  else console.log(`HSBench: no git snapshot at ${gitDir}; hsbench-*.jsonl left as committed`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
