// Experiment helper: re-merge embedding neighbours into data/build/catalogue.json in place.
import { readFileSync, writeFileSync } from 'node:fs'
import { EMBEDDING_DISTANCE, EMBEDDING_SETTINGS, mergeEmbeddingNeighbours } from '/tmp/wt-en-embed/src/core/catalogue/derive-lexicon'
import { buildTextIndex } from '/tmp/wt-en-embed/src/core/classify/text-index'
const file = '/tmp/wt-en-embed/data/build/catalogue.json'
const cat = JSON.parse(readFileSync(file, 'utf8'))
for (const k of Object.keys(cat.lexicon)) {
  cat.lexicon[k] = cat.lexicon[k].filter(([, d]: [string, number]) => d !== EMBEDDING_DISTANCE)
  if (cat.lexicon[k].length === 0) delete cat.lexicon[k]
}
const index = buildTextIndex(cat.vocab)
const n = mergeEmbeddingNeighbours(cat.lexicon, readFileSync('/tmp/wt-en-embed/data/vocab/embedding-neighbours.tsv', 'utf8'), {
  lineCount: (t) => { const id = index.termIds.get(t); return id === undefined ? 0 : index.postings[id]!.lines.length },
  totalLines: cat.vocab.length,
})
writeFileSync(file, JSON.stringify(cat))
console.error(`merged ${n} entries`, JSON.stringify(EMBEDDING_SETTINGS))
