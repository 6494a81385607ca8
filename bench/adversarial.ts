/**
 * Adversarial bench (issue 8): engine time per check (`checkGoods`, classification, list matching and
 * rules, in process) for descriptions written to cost the most, beside ordinary ones, in one process.
 * The target is under 50 ms of engine time for each adversarial check of 2,000 characters.
 *
 * Kinds (seeded, so every run checks the same text):
 *   ordinary       the descriptions of eval/dev.jsonl
 *   s/c/p words    random long words starting with s, c or p (the probe: ~2.3 s before)
 *   part numbers   part-number-like tokens (AD7091RBRMZ, 6205-2RS, LM2596S-5.0 shapes), repeated
 *   cyrillic       random Cyrillic words
 *   known words    random distinct vocabulary words (every one scored against the text index)
 *   punctuation    one-letter words between commas (the goods-phrase scan)
 *   code spaces    "1234 hs" + 1,970 spaces + a word (the written-code pattern's backtracking: ~1 s before)
 *   one word       a single 2,000-letter word
 *
 *   npm run -s bench:adversarial [-- --rows 40 --runs 5]   (rows × runs distinct texts per kind)
 */
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { classificationCache } from '../src/core/classify/classification-cache'
import { MAX_CORRECTED_WORDS } from '../src/core/classify/typo-correction'
import { readEngine } from '../src/runtime/catalogue-file'

const DEV_SET = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url))
const LENGTH = 2000

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '40' },
    runs: { type: 'string', default: '5' },
  },
})
const ROWS = Number(values.rows)
const RUNS = Number(values.runs)

// Deterministic PRNG (mulberry32), so the adversarial texts are the same on every run.
let seed = 0x5eed
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
const letters = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => pick([...alphabet])).join('')
/** Words from `word()` joined by `sep` up to exactly LENGTH characters. */
const fill = (word: () => string, sep = ' ') => {
  let text = ''
  while (text.length < LENGTH) text += word() + sep
  return text.slice(0, LENGTH)
}

const LATIN = 'abcdefghijklmnopqrstuvwxyz'
const CYRILLIC = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'
const loaded = readEngine()
// Every check reads its line afresh: the ordinary rows run RUNS times, and a cached reading would time
// only the list matching and rules (classify/classification-cache.ts).
const engine = { ...loaded, classifications: classificationCache(loaded.classifier, 0) }
const vocabulary = (readFileSync(DEV_SET, 'utf8').match(/[a-z]{4,}/g) ?? []).filter(
  (w, i, all) => all.indexOf(w) === i,
)

const KINDS: Record<string, () => string> = {
  's/c/p words': () =>
    fill(() => pick(['s', 'c', 'p']) + letters(LATIN, 7 + Math.floor(random() * 12))),
  'part numbers': () =>
    fill(() =>
      pick([
        () =>
          `${letters('ABCDEFGHJKLMNPRSTUVWXYZ', 2)}${letters('0123456789', 4)}${letters('ABCDRZ', 4)}`,
        () => `6${letters('0123', 1)}${letters('0123456789', 2)}-2RS`,
        () =>
          `LM${letters('0123456789', 4)}S-${letters('0123456789', 1)}.${letters('0123456789', 1)}`,
        () => `${letters('0123456789', 4)}.${letters('0123456789', 2)}`,
      ])(),
    ),
  cyrillic: () => fill(() => letters(CYRILLIC, 5 + Math.floor(random() * 10))),
  'known words': () => fill(() => pick(vocabulary)),
  punctuation: () => fill(() => letters(LATIN, 1), ', '),
  'code spaces': () =>
    `1234 ${pick(['hs', 'hts code', 'tariff no.', 'customs'])}${' '.repeat(LENGTH - 30)}${letters(LATIN, 5)}`,
  'one word': () => letters(LATIN, LENGTH),
}

const ordinary = readFileSync(DEV_SET, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { description: string }).description)
// Ordinary rows run RUNS times (real traffic repeats its words); adversarial texts are all distinct, so
// no answer cached by an earlier run makes them cheaper.
const sets: [string, string[]][] = [
  ['ordinary (eval/dev.jsonl)', Array.from({ length: RUNS }, () => ordinary).flat()],
  ...Object.entries(KINDS).map(
    ([kind, make]) => [kind, Array.from({ length: ROWS * RUNS }, make)] as [string, string[]],
  ),
]

console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
// Warm the JIT on ordinary rows only: the adversarial texts meet the engine as a new request would
// (their words are not in the correction cache before their first run).
for (const d of ordinary) check(d)

console.log(
  `engine ms per check (checkGoods in process); ordinary rows ${RUNS} times, ${ROWS * RUNS} distinct texts of ${LENGTH} characters per adversarial kind`,
)
console.log('kind                       checks  median ms  p99 ms  max ms  lookups max')
for (const [kind, texts] of sets) {
  const times: number[] = []
  let lookupsMax = 0
  for (const text of texts) times.push(check(text))
  for (const text of texts)
    lookupsMax = Math.max(lookupsMax, engine.classifier.classify(text).work?.lookups ?? 0)
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
  console.log(
    `${kind.padEnd(25)} ${String(texts.length).padStart(7)}  ${at(0.5).toFixed(2).padStart(9)}  ${at(0.99).toFixed(2).padStart(6)}  ${times[times.length - 1]!.toFixed(2).padStart(6)}  ${String(lookupsMax).padStart(11)}`,
  )
}
console.log(
  `typo-correction bound: ${MAX_CORRECTED_WORDS} lookups per check, ≤ ${engine.classifier.corrector.maxComparisonsPerLookup} comparisons each`,
)
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)

/** Engine milliseconds of one check (the request is parsed outside the timing). */
function check(description: string): number {
  const request = parseCheckRequest({ description, destination: 'RU' })
  const start = performance.now()
  checkGoods(engine, request)
  return performance.now() - start
}
