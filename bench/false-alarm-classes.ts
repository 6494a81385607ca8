/**
 * Why a line that is not CHP goods is not `clear` to Russia (destination RU, regime KZ, as
 * `npm run eval`), by class, and the same classes for the CHP lines the rules catch (what clearing a
 * class would cost). A line's class is the first that applies:
 *
 *   strong …       a strong CHP reading (`chp.sanctioned_destination`): the first candidate is a CHP
 *                  code, split by whether its heading is the gold heading (a CHP sibling subheading
 *                  read for a non-CHP one) or not, and by the kind of its first evidence line;
 *   unreadable …   no candidate, a line that names no goods, or confidence below the threshold, split
 *                  by whether the gold heading is among the candidates;
 *   chance …       the CHP review chance (`chp.weak_match`), split by where the CHP candidates are
 *                  (the first candidate's heading or another one) and whether that heading is right;
 *   heading …      `chp.unsettled_subheading`; `reported …` the Kazakh "106 types" question.
 *
 * Sets: every eval/*.jsonl but dev.jsonl, the UK ATaR rulings (bench/atar-rulings.ts) and both halves
 * of the held-out trade terms (bench/pseudo-queries.ts, seed 7). `--rows` prints each false alarm of the sets
 * whose rows may be read (the `-tune` halves, ATaR, the pseudo-query tune half); the checking sets
 * (`-check`, hsbench-*, the pseudo-query check half) print class counts only (eval/README.md).
 *
 * `--rules` counts the flagged lines by the set of rules that raised them instead (every rule whose
 * outcome is not `clear` or `info`), to see which rule alone, or together with which, decides.
 *
 *   npx tsx bench/false-alarm-classes.ts [--rows [--caught]] [--bands] [--rules] [--sets dev-tune,dev-check,...]
 */
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import {
  checkAsEvaluated,
  chpGoodsOf,
  evalSetFiles,
  goldHs4,
  goldHs6,
  readEvalRows,
} from '../scripts/eval-rows'
import type { Engine } from '../src/core/engine'
import { createEngine } from '../src/core/engine'
import { chpChance, isStrong } from '../src/core/rules/rules'
import { readingIsWeak } from '../src/core/rules/unreadable'
import { readCatalogue } from '../src/runtime/catalogue-file'
import { samplePseudoQueries } from './pseudo-query-sample'

const { values } = parseArgs({
  options: {
    rows: { type: 'boolean', default: false },
    /** With --rows: the CHP rows caught too. */
    caught: { type: 'boolean', default: false },
    bands: { type: 'boolean', default: false },
    /** Count flagged lines by the set of rules whose outcomes are not clear or info, instead of by class. */
    rules: { type: 'boolean', default: false },
    sets: { type: 'string' },
  },
})
const root = join(fileURLToPath(import.meta.url), '..', '..')
const READABLE = (set: string) =>
  set.endsWith('-tune') || set === 'atar-rulings' || set === 'pseudo-tune'

type Row = { description: string; hs6: string; hs4: string; chp: boolean }
type NamedSet = { name: string; rows: Row[]; engine: Engine }

const catalogue = readCatalogue()
const chpCodes = catalogue.lists.find((l) => l.id === 'chp')!.entries.map((e) => e.code)
const chpHeadings = new Set(chpCodes.map((c) => c.slice(0, 4)))
const fullEngine = createEngine(catalogue)

function evalSets(): NamedSet[] {
  return evalSetFiles(join(root, 'eval')).map((file) => {
    const rows = readEvalRows(file)
    const chp = chpGoodsOf(catalogue, rows)
    return {
      name: basename(file, '.jsonl'),
      engine: fullEngine,
      rows: rows.map((r) => ({
        description: r.description,
        hs6: goldHs6(r),
        hs4: goldHs4(r),
        chp: chp.isChp(r),
      })),
    }
  })
}

function atarSet(): NamedSet {
  const rows = parse(
    readFileSync(join(root, 'data/vocab/uk_hmrc_atar_rulings_sample.csv'), 'utf8'),
    { columns: true, skip_empty_lines: true },
  ) as { hs6: string; description: string }[]
  const key = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase()
  const texts = new Set(rows.map((r) => key(r.description)))
  const vocab = catalogue.vocab.filter((l) => !texts.has(key(l.text)))
  return {
    name: 'atar-rulings',
    engine: createEngine({ ...catalogue, vocab }),
    rows: rows.map((r) => ({
      description: r.description.slice(0, 2000),
      hs6: r.hs6,
      hs4: r.hs6.slice(0, 4),
      chp: chpCodes.some((c) => r.hs6.startsWith(c)),
    })),
  }
}

function pseudoQuerySets(): NamedSet[] {
  const { held, vocab } = samplePseudoQueries({ size: 1500, seed: 7, loose: false })
  const engine = createEngine({ ...catalogue, vocab })
  return (['tune', 'check'] as const).map((half) => ({
    name: `pseudo-${half}`,
    engine,
    rows: held
      .filter((h) => h.half === half)
      .map((h) => ({
        description: h.text,
        hs6: '',
        hs4: h.heading,
        // As hsbench-names and the pseudo-query bench count CHP goods: by heading.
        chp: chpHeadings.has(h.heading),
      })),
  }))
}

const SOURCE_KIND: [RegExp, string][] = [
  [/^parts of/, 'parts-of'],
  [/part number|designation|maker/i, 'explicit'],
  [/US HTS/, 'us-hts'],
  [/LLM-written/, 'uk-example'],
  [/UK tariff search/, 'uk-search'],
  [/trade synonym|curated/i, 'synonym'],
  [/EU CN/, 'eu-cn'],
  [/HS 2022/, 'hs-text'],
  [/TN VED|Russian/, 'russian'],
]
const kindOf = (evidence: string | undefined) =>
  SOURCE_KIND.find(([re]) => re.test((evidence ?? '').replace(/"[^"]*"/g, '')))?.[1] ?? 'other'

const chanceGroups: { group: string; chance: number; chp: boolean }[] = []
type Verdict = { flagged: boolean; cls: string; detail: string }

function classify(engine: Engine, row: Row): Verdict {
  const { result, ctx } = checkAsEvaluated(engine, row.description)
  const { classification } = ctx
  const cands = classification.candidates
  const top = cands[0]
  const rules = new Set(
    result.reasons
      .filter((r) => r.effect !== 'info' && r.rule_id !== 'default.clear')
      .map((r) => r.rule_id),
  )
  const headingRight = !!top && top.hs6.startsWith(row.hs4)
  const goldAmong = cands.some((c) => c.hs6.startsWith(row.hs4))
  const words = row.description.split(/\s+/).filter(Boolean).length
  const length = words <= 4 ? '≤4w' : words <= 12 ? '5-12w' : words <= 30 ? '13-30w' : '>30w'
  const chance = chpChance(ctx)
  const chpMatches = ctx.matches.filter((m) => m.list_id === 'chp')
  const candidateList = cands
    .slice(0, 5)
    .map(
      (c) =>
        `${c.hs6}${chpCodes.some((x) => c.hs6.startsWith(x)) ? '*' : ''}${c.namesGoods ? '' : '~'} ${c.score.toFixed(2)}`,
    )
    .join(', ')
  const detail = `conf ${classification.confidence.toFixed(2)} chance ${chance.toFixed(2)} gold ${row.hs6 || row.hs4} | ${candidateList} | ${top?.evidence[0] ?? ''}`
  // Rows the chance rule weighs (a CHP match, none strong, no other CHP rule), flagged or not: where
  // the CHP codes are and whether the first reading is firm, to see how often each group is CHP goods.
  const named = chpMatches.filter((m) => m.namesGoods && !isStrong(m))
  if (top && named.length > 0 && !chpMatches.some(isStrong)) {
    const topHeading = top.hs6.slice(0, 4)
    const inTop = named.some((m) => m.entry_code.startsWith(topHeading))
    const elsewhere = named.some((m) => !m.entry_code.startsWith(topHeading))
    const topChp = chpCodes.some((x) => top.hs6.startsWith(x))
    const firm = !topChp && top.score >= 0.35 && top.namesGoods
    chanceGroups.push({
      group: `${inTop && elsewhere ? 'both' : inTop ? 'first heading' : 'other heading'}, first ${topChp ? 'CHP' : firm ? 'firm other' : 'weak other'}, conf ${classification.confidence >= 0.7 ? '≥0.7' : classification.confidence >= 0.4 ? '0.4-0.7' : '<0.4'}`,
      chance,
      chp: row.chp,
    })
  }
  let cls = 'clear'
  if (result.verdict !== 'clear') {
    if (rules.has('chp.sanctioned_destination')) {
      const strong = chpMatches.find(isStrong)!
      cls = `strong, ${headingRight ? 'right heading (CHP sibling)' : 'wrong heading'}, ${kindOf(top?.evidence[0])}`
      if (strong.entry_code.slice(0, 4) !== top?.hs6.slice(0, 4)) cls += ' (strong not top?)'
    } else if (rules.has('classification.unreadable')) {
      const weak = readingIsWeak(classification) ?? ''
      cls = !top
        ? classification.namesNoGoods
          ? 'unreadable, names no goods'
          : `unreadable, no candidate, ${length}${/[а-яё]/i.test(row.description) ? ', Russian' : ''}${/[^ -~]/.test(row.description) ? ', non-ASCII' : ''}`
        : `unreadable, gold heading ${headingRight ? 'first' : goldAmong ? 'among' : 'absent'}, ${length}`
      if (!weak) cls += ' (?)'
    } else if (rules.has('chp.weak_match')) {
      const named = chpMatches.filter((m) => m.namesGoods && !isStrong(m))
      const topHeading = top?.hs6.slice(0, 4) ?? ''
      const inTop = named.some((m) => m.entry_code.startsWith(topHeading))
      const elsewhere = named.some((m) => !m.entry_code.startsWith(topHeading))
      const where = inTop && elsewhere ? 'both' : inTop ? 'first heading' : 'other heading'
      const topChp = chpCodes.some((x) => top!.hs6.startsWith(x))
      const firm = !topChp && top!.score >= 0.35 && top!.namesGoods
      cls = `chance, CHP in ${where}, first heading ${headingRight ? 'right' : 'wrong'}, first ${topChp ? 'CHP' : firm ? 'firm other' : 'weak other'}${values.bands ? `, conf ${classification.confidence >= 0.7 ? '≥0.7' : classification.confidence >= 0.4 ? '0.4-0.7' : '<0.4'}` : ''}`
    } else if (rules.has('chp.unsettled_subheading')) {
      cls = `heading rule, first heading ${headingRight ? 'right' : 'wrong'}`
    } else if (rules.has('kz.106_reported')) {
      cls = 'reported 106 question'
    } else cls = `other: ${[...rules].join(' + ')}`
  }
  // --rules: every rule that raised the verdict above clear, not only the first class that applies.
  if (values.rules) cls = [...rules].sort().join(' + ')
  return { flagged: result.verdict !== 'clear', cls, detail }
}

const wanted = values.sets?.split(',')
const sets: NamedSet[] = [
  ...evalSets(),
  ...(!wanted || wanted.includes('atar-rulings') ? [atarSet()] : []),
  ...(!wanted || wanted.some((w) => w.startsWith('pseudo')) ? pseudoQuerySets() : []),
].filter((s) => !wanted || wanted.includes(s.name))

const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
const list = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `    ${String(n).padStart(3)}  ${k}`)
    .join('\n') || '    none'

for (const set of sets) {
  const alarms = new Map<string, number>()
  const caught = new Map<string, number>()
  const printed: string[] = []
  let other = 0
  let chp = 0
  for (const row of set.rows) {
    const v = classify(set.engine, row)
    if (row.chp) chp++
    else other++
    if (!v.flagged) continue
    tally(row.chp ? caught : alarms, v.cls)
    if (values.rows && READABLE(set.name) && (!row.chp || values.caught))
      printed.push(
        `  ${row.chp ? 'CHP ' : ''}[${v.cls}] ${row.description.slice(0, 160)}\n      ${v.detail}`,
      )
  }
  const fa = [...alarms.values()].reduce((a, b) => a + b, 0)
  console.log(
    `\n${set.name}: ${fa} false alarms of ${other} other rows (${((100 * fa) / Math.max(other, 1)).toFixed(1)} %); ${[...caught.values()].reduce((a, b) => a + b, 0)} of ${chp} CHP rows caught`,
  )
  const by = values.rules ? 'the rules that raised them' : 'class'
  console.log(`  false alarms by ${by}:\n${list(alarms)}`)
  console.log(`  CHP rows caught by ${by}:\n${list(caught)}`)
  for (const p of printed) console.log(p)
}

if (values.bands) {
  console.log(
    '\nrows the chance rule weighs, all sets pooled: group: CHP goods / rows (at chance ≥ 0.1: CHP / rows)',
  )
  const groups = [...new Set(chanceGroups.map((g) => g.group))].sort()
  for (const g of groups) {
    const all = chanceGroups.filter((x) => x.group === g)
    const hi = all.filter((x) => x.chance >= 0.1)
    console.log(
      `  ${g}: ${all.filter((x) => x.chp).length} / ${all.length}  (${hi.filter((x) => x.chp).length} / ${hi.length})`,
    )
  }
}
