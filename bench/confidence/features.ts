/**
 * Which evidence the confidence model (classify/confidence.ts) should weigh. Every labelled set is read
 * once; for each feature set a logistic model is fitted on the tuning sets only (as scripts/calibrate.ts
 * does) and judged on every set: expected calibration error (HS-4, the five bands of `npm run eval`),
 * log-loss, and the verdicts replayed at the thresholds in force (unreadable below
 * `MIN_READABLE_CONFIDENCE`, CHP review at `chpChance` ≥ `CHP_REVIEW_CHANCE`, as bench/verdict-tradeoff.ts
 * replays them): CHP rows not clear and false alarms. Aggregate figures only, so the checking sets may
 * be run (eval/README.md).
 *
 *   npx tsx bench/confidence/features.ts [--fit tune|tune4]
 *     tune  = eval/dev-tune + hsbench-descriptions (calibrate.ts); tune4 adds eec-*-tune.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import {
  CONFIDENCE_MODEL,
  type ConfidenceFeature,
  confidenceFeatures,
  headingConfidence,
} from '../../src/core/classify/confidence'
import { createEngine } from '../../src/core/engine'
import { matchLists } from '../../src/core/match-lists'
import type { RuleContext } from '../../src/core/rules/context'
import { viewDestination } from '../../src/core/rules/destination'
import { CHP_REVIEW_CHANCE, chpChance, isStrong } from '../../src/core/rules/rules'
import { MIN_READABLE_CONFIDENCE } from '../../src/core/rules/unreadable'
import { fitLogistic } from './fit'

const root = join(fileURLToPath(import.meta.url), '..', '..', '..')
const evalDir = join(root, 'eval')
const fitArg = process.argv.includes('--fit')
  ? process.argv[process.argv.indexOf('--fit') + 1]
  : 'tune'
const FIT_SETS =
  fitArg === 'tune4'
    ? ['dev-tune', 'hsbench-descriptions', 'eec-descriptions-tune', 'eec-products-tune']
    : ['dev-tune', 'hsbench-descriptions']
const CHECK_SETS = ['dev-check', 'eec-descriptions-check', 'eec-products-check', 'hsbench-names']

const engine = createEngine(
  JSON.parse(readFileSync(join(root, 'data/build/catalogue.json'), 'utf8')),
)
const chp = new Set(engine.catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code))
const chpHeadings = new Set([...chp].map((c) => c.slice(0, 4)))

type Row = {
  description: string
  hs6_hs2022?: string
  hs6?: string
  hs4?: string
  on_chp_list?: boolean
}
type Reading = {
  set: string
  x: Record<ConfidenceFeature, number> | null
  right: boolean
  /** Confidence floor from explicit evidence (its agreement), 0 when none. */
  floor: number
  onChp: boolean
  otherRule: boolean
  noCandidate: boolean
  confidenceDecides: boolean
  chanceDecides: boolean
  /** chpChance = c · inHeading + (1 − c) · elsewhere. */
  inHeading: number
  elsewhere: number
  flaggedNow: boolean
}

const readings: Reading[] = []
const files = readdirSync(evalDir)
  .filter((f) => f.endsWith('.jsonl') && f !== 'dev.jsonl')
  .sort()
for (const file of files) {
  const set = basename(file, '.jsonl')
  const rows: Row[] = readFileSync(join(evalDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
  const byHs6 = rows.every((r) => r.hs6_hs2022 ?? r.hs6)
  for (const row of rows) {
    const g6 = row.hs6_hs2022 ?? row.hs6 ?? ''
    const g4 = row.hs4 ?? g6.slice(0, 4)
    const request = parseCheckRequest({
      description: row.description,
      destination: 'RU',
      regime: 'KZ',
    })
    const result = checkGoods(engine, request)
    const c = engine.classifier.classify(request.description)
    const ctx: RuleContext = {
      request,
      classification: c,
      matches: matchLists(engine, request, c),
      destination: viewDestination(request, engine.groups),
      groups: engine.groups,
      catalogue: engine.catalogue,
    }
    const chpMatches = ctx.matches.filter((m) => m.list_id === 'chp')
    const deciding = result.reasons.filter(
      (r) => r.effect !== 'info' && r.rule_id !== 'default.clear',
    )
    const top = c.candidates[0]
    const text = top ? headingConfidence(top.score, c.textStrength, c.reading) : 0
    const at = (confidence: number) => chpChance({ ...ctx, classification: { ...c, confidence } })
    readings.push({
      set,
      x: top ? confidenceFeatures(top.score, c.textStrength, c.reading) : null,
      right: !!top && top.hs6.slice(0, 4) === g4,
      floor: c.confidence > text ? c.confidence : 0,
      onChp: byHs6 ? (row.on_chp_list ?? chp.has(g6)) : chpHeadings.has(g4),
      otherRule: deciding.some(
        (r) => r.rule_id !== 'classification.unreadable' && r.rule_id !== 'chp.weak_match',
      ),
      noCandidate: !top,
      confidenceDecides: !!top && !top.explicit && c.explicit.length === 0,
      chanceDecides: chpMatches.length > 0 && !chpMatches.some(isStrong),
      inHeading: at(1),
      elsewhere: at(0),
      flaggedNow: result.verdict !== 'clear',
    })
  }
}

const VARIANTS: ConfidenceFeature[][] = [
  ['score', 'logStrength'],
  ['score', 'logStrength', 'coveredShare'],
  ['score', 'logStrength', 'headCovered'],
  ['score', 'logStrength', 'headingMargin'],
  ['score', 'logStrength', 'contentWords'],
  ['score', 'logStrength', 'exampleLine'],
  ['score', 'logStrength', 'coveredShare', 'headCovered'],
  ['score', 'logStrength', 'coveredShare', 'contentWords'],
  ['score', 'logStrength', 'coveredShare', 'headingMargin'],
  [
    'score',
    'logStrength',
    'coveredShare',
    'headCovered',
    'headingMargin',
    'contentWords',
    'exampleLine',
  ],
  ['logStrength', 'headingMargin'],
  ['score', 'logStrength', 'allExplained'],
  ['score', 'logStrength', 'allExplained', 'russian'],
  ['score', 'logStrength', 'allOwnWords'],
  ['score', 'logStrength', 'allExplainedNoMaker'],
  ['logStrength', 'headingMargin', 'allExplained'],
  ['score', 'logStrength', 'unexplainedShort'],
  ['score', 'logStrength', 'russian'],
  ['logStrength', 'headingMargin', 'russian'],
  ['score', 'logStrength', 'headingMargin', 'russian'],
  ['score', 'logStrength', 'coveredShare', 'russian'],
  ['logStrength', 'headingMargin', 'coveredShare'],
  ['score', 'logStrength', 'headingMargin', 'exampleLine'],
]
const U_POINTS = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2]
const T_POINTS = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3]

const flaggedAt = (u: number, t: number) => (r: Reading & { p: number }) =>
  r.otherRule ||
  r.noCandidate ||
  (r.confidenceDecides && r.p < u) ||
  (r.chanceDecides && r.p * r.inHeading + (1 - r.p) * r.elsewhere >= t)
const pct = (n: number, d: number) => (d ? ((100 * n) / d).toFixed(1) : '–')
const BANDS = 5
function judge(list: (Reading & { p: number })[]) {
  const bands = Array.from({ length: BANDS }, () => ({ rows: 0, p: 0, right: 0 }))
  let loss = 0
  let read = 0
  for (const r of list) {
    const b = bands[Math.min(BANDS - 1, Math.floor(r.p * BANDS))]!
    b.rows++
    b.p += r.p
    if (r.right) b.right++
    if (r.x) {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, r.p))
      loss -= r.right ? Math.log(p) : Math.log(1 - p)
      read++
    }
  }
  const ece = bands.reduce((a, b) => a + Math.abs(b.p - b.right), 0) / Math.max(1, list.length)
  const chpRows = list.filter((r) => r.onChp)
  const others = list.filter((r) => !r.onChp)
  const flagged = flaggedAt(MIN_READABLE_CONFIDENCE, CHP_REVIEW_CHANCE)
  const curve = (u: number, t: number) =>
    `${chpRows.filter(flaggedAt(u, t)).length}/${others.filter(flaggedAt(u, t)).length}`
  return {
    meanP: list.reduce((a, r) => a + r.p, 0) / Math.max(1, list.length),
    hitRate: list.filter((r) => r.right).length / Math.max(1, list.length),
    uCurve: U_POINTS.map((u) => `${u}: ${curve(u, CHP_REVIEW_CHANCE)}`).join('  '),
    tCurve: T_POINTS.map((t) => `${t}: ${curve(MIN_READABLE_CONFIDENCE, t)}`).join('  '),
    ece,
    loss: loss / Math.max(1, read),
    caught: chpRows.filter(flagged).length,
    chp: chpRows.length,
    alarms: others.filter(flagged).length,
    other: others.length,
  }
}

console.log(
  `fit on ${FIT_SETS.join(', ')}; thresholds U ${MIN_READABLE_CONFIDENCE}, T ${CHP_REVIEW_CHANCE}`,
)
console.log(
  'set columns: ECE / log-loss / mean confidence vs HS-4 right / CHP not clear / false alarms',
)
const only = process.argv.indexOf('--variants')
const chosen =
  only >= 0
    ? (process.argv[only + 1] ?? '')
        .split(',')
        .filter(Boolean)
        .map((i) => VARIANTS[Number(i)]!)
    : VARIANTS
for (const features of chosen) {
  const fitRows = readings.filter((r) => r.x && FIT_SETS.includes(r.set))
  const w = fitLogistic(
    fitRows.map((r) => features.map((f) => r.x![f])),
    fitRows.map((r) => r.right),
  )
  const model = { bias: w[0]!, ...Object.fromEntries(features.map((f, i) => [f, w[i + 1]!])) }
  const scored = readings.map((r) => ({
    ...r,
    p: r.x ? Math.max(r.floor, headingConfidenceOf(model, r.x)) : 0,
  }))
  console.log(`\n${features.join(' + ')}  ${JSON.stringify(roundAll(model))}`)
  const show = (name: string, list: typeof scored) => {
    const j = judge(list)
    console.log(
      `  ${name.padEnd(24)} ${j.ece.toFixed(3)}  ${j.loss.toFixed(3)}  ${j.meanP.toFixed(2)}/${j.hitRate.toFixed(2)}  ${j.caught}/${j.chp}  ${j.alarms}/${j.other} (${pct(j.alarms, j.other)} %)`,
    )
  }
  for (const set of [...new Set(readings.map((r) => r.set))])
    show(
      set,
      scored.filter((r) => r.set === set),
    )
  show(
    'checking sets pooled',
    scored.filter((r) => CHECK_SETS.includes(r.set)),
  )
  show('all pooled', scored)
  const short = (r: Reading) => r.x !== null && r.x.contentWords <= 5
  console.log(
    `  short lines (≤ 5 content words) read, by set: ${[...new Set(readings.map((r) => r.set))].map((set) => `${set} ${readings.filter((r) => r.set === set && short(r)).length}`).join(', ')}`,
  )
  const pooled = judge(scored.filter((r) => CHECK_SETS.includes(r.set)))
  console.log(`  checking pooled, CHP not clear/false alarms by U: ${pooled.uCurve}`)
  console.log(`  checking pooled, CHP not clear/false alarms by T: ${pooled.tCurve}`)
}
console.log(`\nmodel in force: ${JSON.stringify(CONFIDENCE_MODEL)}`)
// The premise behind coveredShare: a reading that explains only part of a short line is less often
// right than its confidence says. Short lines (≤ 5 content words), fully explained or not, pooled.
const TUNE_SETS = ['dev-tune', 'hsbench-descriptions', 'eec-descriptions-tune', 'eec-products-tune']
for (const [name, sets] of [
  ['tuning sets', TUNE_SETS],
  ['checking sets', CHECK_SETS],
] as const) {
  for (const [part, test] of [
    ['all words explained', (x: number) => x >= 0.999],
    ['some unexplained', (x: number) => x < 0.999],
  ] as const) {
    const rows = readings.filter(
      (r) => r.x && sets.includes(r.set) && r.x.contentWords <= 5 && test(r.x.coveredShare),
    )
    const mean =
      rows.reduce(
        (a, r) =>
          a +
          Math.max(r.floor, headingConfidenceOf(CONFIDENCE_MODEL as Record<string, number>, r.x!)),
        0,
      ) / Math.max(1, rows.length)
    console.log(
      `short lines, ${name}, ${part}: ${rows.length} rows, mean confidence ${mean.toFixed(2)}, HS-4 right ${pct(rows.filter((r) => r.right).length, rows.length)} %`,
    )
  }
}

function headingConfidenceOf(model: Record<string, number>, x: Record<ConfidenceFeature, number>) {
  let z = model.bias!
  for (const [k, v] of Object.entries(model)) if (k !== 'bias') z += v * x[k as ConfidenceFeature]
  return Math.round(1000 / (1 + Math.exp(-z))) / 1000
}
function roundAll(m: Record<string, number>) {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v * 1000) / 1000]))
}
