/**
 * The labelled rows of `eval/*.jsonl` and what a row's gold says, shared by `npm run eval`
 * (scripts/eval.ts), the confidence fit (scripts/calibrate.ts) and the verdict benches, so they all
 * count CHP goods and right readings the same way (eval/README.md describes the files).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CatalogueArtifact } from '../src/core/catalogue/types'
import { checkGoods, parseCheckRequest, ruleContextFor } from '../src/core/check-goods'
import type { Engine } from '../src/core/engine'

export type EvalRow = {
  id?: string
  description: string
  hs6_hs2022?: string
  hs6?: string
  hs4?: string
  on_chp_list?: boolean
}

export function readEvalRows(file: string): EvalRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalRow)
}

/** The gold HS-6, or '' on a heading-only row. */
export function goldHs6(row: EvalRow): string {
  // hs6_hs2022 first: dev rows also carry `hs6` as the ruling gave it, in an older HS edition.
  return row.hs6_hs2022 ?? row.hs6 ?? ''
}

export function goldHs4(row: EvalRow): string {
  return row.hs4 ?? goldHs6(row).slice(0, 4)
}

/** Every set in `dir` but the unsplit dev.jsonl: dev halves first, then the rest by name. */
export function evalSetFiles(dir: string): string[] {
  const rank = (f: string) => ['dev-tune.jsonl', 'dev-check.jsonl'].indexOf(f) >>> 0
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && f !== 'dev.jsonl')
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((f) => join(dir, f))
}

/**
 * Which rows of a set are CHP goods: by the gold HS-6 (or the row's own `on_chp_list`) when every row
 * has one, else by heading ("(h)": the gold heading holds a CHP code, a looser measure).
 */
export function chpGoodsOf(
  catalogue: CatalogueArtifact,
  rows: readonly EvalRow[],
): { basis: 'hs6' | 'heading'; isChp: (row: EvalRow) => boolean } {
  const chp = new Set(catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code))
  const chpHeadings = new Set([...chp].map((c) => c.slice(0, 4)))
  const basis = rows.every((r) => goldHs6(r)) ? 'hs6' : 'heading'
  return {
    basis,
    isChp: (row) =>
      basis === 'hs6' ? (row.on_chp_list ?? chp.has(goldHs6(row))) : chpHeadings.has(goldHs4(row)),
  }
}

/**
 * A line checked as `npm run eval` checks it (destination RU, regime KZ), with the context the rules
 * saw, for the benches that explain verdicts (bench/verdict-tradeoff.ts, bench/false-alarm-classes.ts).
 * The line is read twice (once by `checkGoods`): a bench's cost, not the service's.
 */
export function checkAsEvaluated(engine: Engine, description: string) {
  const request = parseCheckRequest({ description, destination: 'RU', regime: 'KZ' })
  return { result: checkGoods(engine, request), ctx: ruleContextFor(engine, request) }
}
