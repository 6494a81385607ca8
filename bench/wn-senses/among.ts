// Aggregate only: share of rows whose gold heading is among the returned candidates.
import { readFileSync } from 'node:fs'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'

const engine = createEngine(JSON.parse(readFileSync('data/build/catalogue.json', 'utf8')))
for (const set of process.argv.slice(2)) {
  const rows = readFileSync(`eval/${set}.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
  let among = 0
  let read = 0
  for (const row of rows) {
    const g4 = row.hs4 ?? String(row.hs6).slice(0, 4)
    const r = checkGoods(
      engine,
      parseCheckRequest({ description: row.description, destination: 'RU', regime: 'KZ' }),
    )
    if (JSON.stringify(r.classification.candidates).includes('(WordNet sense)')) read++
    if (r.classification.candidates.some((c) => c.hs6.slice(0, 4) === g4)) among++
  }
  console.log(
    `${set}: gold heading among candidates ${((100 * among) / rows.length).toFixed(1)} % of ${rows.length}; read through senses ${read}`,
  )
}
