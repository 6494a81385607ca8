/**
 * What the team's smoke sets of short trade names share (bench/english-names.ts,
 * bench/russian-names.ts): the set read from its JSON Lines file (comment lines skipped), the engine
 * over the built catalogue, the headings that hold a CHP code, and a name checked as `npm run eval`
 * checks a row (destination RU, regime KZ).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CatalogueArtifact } from '../src/core/catalogue/types'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { createEngine, type Engine } from '../src/core/engine'
import type { Verdict } from '../src/core/schemas'

const CATALOGUE = fileURLToPath(new URL('../data/build/catalogue.json', import.meta.url))

/** The rows of a smoke set; a line holding `"_comment"` is a note, not a name. */
export function readSmokeNames<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.includes('"_comment"'))
    .map((l) => JSON.parse(l) as T)
}

/** The engine over data/build/catalogue.json, and the HS-4 headings of its CHP list's codes. */
export function smokeEngine(): { engine: Engine; chpHeadings: Set<string> } {
  const catalogue = JSON.parse(readFileSync(CATALOGUE, 'utf8')) as CatalogueArtifact
  const chp = catalogue.lists.find((l) => l.id === 'chp')
  return {
    engine: createEngine(catalogue),
    chpHeadings: new Set((chp?.entries ?? []).map((e) => e.code.slice(0, 4))),
  }
}

/** The top reading's HS-6 (`-` for none) and the verdict of `description` to RU, regime KZ. */
export function checkName(engine: Engine, description: string): { top: string; verdict: Verdict } {
  const result = checkGoods(
    engine,
    parseCheckRequest({ description, destination: 'RU', regime: 'KZ' }),
  )
  return { top: result.classification.candidates[0]?.hs6 ?? '-', verdict: result.verdict }
}
