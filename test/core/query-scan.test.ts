import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeQuery, wordsAndTokens } from '../../src/core/classify/query'
import { acronymsAsWritten, normalizeText, tokenize } from '../../src/core/classify/text'

const lines = [
  'SKF 6205-2RS bearings, 10 pcs.',
  'Item D423-113, Alison Hall, consists of a table (oak) and four chairs.',
  'Автомобили-самосвалы; запасные части [двигатель]: 8482.10',
  'lace-up boots.for men',
  'APC Smart-UPS 1500, Samsung SSDs',
  "men's piezo-electric lighters; a.b.c",
  '',
  ' ,;:()[]. ',
  ...readFileSync(join(__dirname, '../../eval/dev-tune.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { description: string }).description),
]

describe('wordsAndTokens: one scan of a line for analyzeQuery', () => {
  it("gives tokenize's tokens, positions and all", () => {
    for (const line of lines)
      expect(wordsAndTokens(normalizeText(line), acronymsAsWritten(line)).tokens).toEqual(
        tokenize(line),
      )
  })

  it('numbers the words as the tokens do, marks -1', () => {
    const { words } = wordsAndTokens(normalizeText('Item D423-113, consists of (a) table.'))
    expect(words).toEqual([
      { word: 'item', position: 1 },
      { word: 'd423-113', position: 2 },
      { word: ',', position: -1 },
      { word: 'consists', position: 3 },
      { word: 'of', position: 4 },
      { word: '(', position: -1 },
      { word: 'a', position: 5 },
      { word: ')', position: -1 },
      { word: 'table', position: 6 },
      { word: '.', position: -1 },
    ])
  })

  it('still reads the names after a marker however it is written (the scan runs only when one can be there)', () => {
    for (const marker of ['Models', 'MODEL', 'style', 'SKU', 'Items', 'designated', 'denoted']) {
      const q = analyzeQuery(`Ladies knit sweater, ${marker} FEEL and EFER`)
      expect(q.terms.map((t) => t.term)).not.toContain('feel')
    }
  })
})
