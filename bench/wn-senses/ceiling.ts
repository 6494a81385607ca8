// Aggregate only: of the rows whose gold heading is among no candidate, how many have a last word
// with several WordNet goods senses (catalogue.lexiconSenses).
import { readFileSync } from 'node:fs'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { tokenize } from '../../src/core/classify/text'
import { createEngine } from '../../src/core/engine'

const cat = JSON.parse(readFileSync('data/build/catalogue.json', 'utf8'))
const senses = cat.lexiconSenses ?? {}
const engine = createEngine(cat)
for (const set of process.argv.slice(2)) {
  const rows = readFileSync(`eval/${set}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
  let notAmong = 0,
    withSenses = 0,
    allWithSenses = 0,
    short = 0
  for (const row of rows) {
    const g4 = row.hs4 ?? String(row.hs6).slice(0, 4)
    const words = tokenize(row.description).filter((t) => t.kind === 'word' && t.lang === 'en')
    const last = words[words.length - 1]?.term
    const has = !!last && Object.hasOwn(senses, last)
    if (words.length <= 4) short++
    if (has) allWithSenses++
    const r = checkGoods(
      engine,
      parseCheckRequest({ description: row.description, destination: 'RU', regime: 'KZ' }),
    )
    if (!r.classification.candidates.some((c) => c.hs6.slice(0, 4) === g4)) {
      notAmong++
      if (has) withSenses++
    }
  }
  console.log(
    `${set}: rows ${rows.length}, short ${short}, last word with several goods senses ${allWithSenses}; gold among no candidate ${notAmong}, of them with such a last word ${withSenses}`,
  )
}
