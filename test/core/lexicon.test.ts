import { describe, expect, it } from 'vitest'
import { deriveLexicon } from '../../src/core/catalogue/derive-lexicon'
import { expandTerms } from '../../src/core/classify/lexicon'
import { analyzeQuery, HEAD_WEIGHT } from '../../src/core/classify/query'
import { stem } from '../../src/core/classify/text'

// A few synsets in WordNet's data.noun syntax: offset, lexicographer file, pos, word count (hex),
// words with lex ids, pointer count, pointers (symbol, offset, pos, source/target), gloss.
const DATA_NOUN = [
  '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
  '00000001 03 n 01 entity 0 000 | that which is perceived',
  '00000010 06 n 01 furniture 0 001 @ 00000001 n 0000 | furnishings that make a room ready for use',
  '00000020 06 n 01 seat 1 001 @ 00000010 n 0000 | furniture that is designed for sitting on',
  '00000030 06 n 03 sofa 0 couch 0 lounge 1 001 @ 00000020 n 0000 | an upholstered seat for more than one person',
  '00000040 06 n 02 walkie-talkie 0 walky-talky 0 001 @ 00000050 n 0000 | small portable radio link',
  '00000050 06 n 01 radiotelephone 0 001 @ 00000060 n 0000 | a telephone that communicates by radio',
  '00000060 06 n 01 telephone 0 001 @ 00000001 n 0000 | electronic equipment that converts sound',
  '00000070 18 n 01 tiger 0 001 @ 00000001 n 0000 | a fierce or audacious person',
  '00000080 05 n 01 tiger 0 001 @ 00000090 n 0000 | large feline of forests',
  '00000090 05 n 01 cat 0 001 @ 00000001 n 0000 | feline mammal',
  '',
].join('\n')

// index.noun: lemma, pos, synset count, pointer count, pointer symbols, sense count, tagged sense
// count, synset offsets most frequent first.
const INDEX_NOUN = [
  '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
  'cat n 1 1 @ 1 0 00000090  ',
  'couch n 1 1 @ 1 0 00000030  ',
  'entity n 1 1 ~ 1 0 00000001  ',
  'furniture n 1 1 @ 1 0 00000010  ',
  'lounge n 1 1 @ 1 0 00000030  ',
  'radiotelephone n 1 1 @ 1 0 00000050  ',
  'seat n 1 1 @ 1 0 00000020  ',
  'sofa n 1 1 @ 1 0 00000030  ',
  'telephone n 1 1 @ 1 0 00000060  ',
  'tiger n 2 1 @ 2 0 00000070 00000080  ',
  'walkie-talkie n 1 1 @ 1 0 00000040  ',
  'walky-talky n 1 1 @ 1 0 00000040  ',
  '',
].join('\n')

/** Lines per index term in a pretend 1000-line index (generic above 20); "entity" is abstract. */
const LINES: Record<string, number> = {
  [stem('seat')]: 15,
  [stem('furniture')]: 8,
  [stem('telephone')]: 12,
  [stem('radiotelephone')]: 2,
  [stem('cat')]: 10,
  [stem('entity')]: 5,
}
const vocabulary = { lineCount: (t: string) => LINES[t] ?? 0, totalLines: 1000 }
const lexicon = deriveLexicon({ indexNoun: INDEX_NOUN, dataNoun: DATA_NOUN }, vocabulary)
const isKnownTerm = (t: string) => (LINES[t] ?? 0) > 0

describe('deriveLexicon', () => {
  it('climbs hypernyms to the words the index knows, with their distance', () => {
    // couch and lounge are synonyms the index does not know; entity is abstract.
    expect(lexicon.sofa).toEqual([
      ['seat', 1],
      ['furniture', 2],
    ])
  })

  it('keys collocations by the stems of their words', () => {
    expect(lexicon.walki_talki).toEqual([
      ['radiotelephone', 1],
      ['telephone', 2],
    ])
  })

  it('expands words the index knows from fewer than three lines, not the others', () => {
    expect(lexicon[stem('radiotelephone')]).toEqual([['telephone', 1]])
    expect(lexicon[stem('seat')]).toBeUndefined()
  })

  it('skips words whose most frequent sense is no goods (a tiger is first a person)', () => {
    expect(lexicon.tiger).toBeUndefined()
  })
})

describe('deriveLexicon: acronyms WordNet writes in capitals', () => {
  const data = [
    '00000100 27 n 02 polyvinyl_chloride 0 PVC 0 000 | a polymer of vinyl chloride',
    '00000110 26 n 02 premature_ventricular_contraction 0 PVC 0 000 | irregular cardiac rhythm',
    '00000120 05 n 02 ram 0 tup 0 000 | uncastrated adult male sheep',
    '00000130 06 n 02 random-access_memory 0 RAM 0 000 | computer memory',
    '00000140 06 n 02 light-emitting_diode 0 LED 0 000 | diode that emits light',
    '',
  ].join('\n')
  const index = [
    'pvc n 2 1 @ 2 0 00000100 00000110  ',
    'polyvinyl_chloride n 1 1 @ 1 0 00000100  ',
    'ram n 2 1 @ 2 0 00000120 00000130  ',
    'random-access_memory n 1 1 @ 1 0 00000130  ',
    'led n 1 1 @ 1 0 00000140  ',
    'light-emitting_diode n 1 1 @ 1 0 00000140  ',
    '',
  ].join('\n')
  const lines: Record<string, number> = {
    pvc: 9,
    polyvinyl: 10,
    [stem('chloride')]: 200,
    [stem('random')]: 5,
    [stem('memory')]: 30,
    led: 219,
    [stem('light')]: 500,
    [stem('emitting')]: 100,
    [stem('diode')]: 140,
  }
  const acronyms = deriveLexicon(
    { indexNoun: index, dataNoun: data },
    { lineCount: (t: string) => lines[t] ?? 0, totalLines: 100000 },
  )

  it('reads a rare acronym as its full name, keyed by its letters (a heart rhythm is no goods)', () => {
    expect(acronyms.pvc).toEqual([['polyvinyl_chloride', 0]])
  })

  it('skips an acronym whose first goods sense is another thing, and one the index knows well', () => {
    expect(acronyms.ram).toBeUndefined()
    expect(acronyms.led).toBeUndefined()
  })
})

describe('expandTerms', () => {
  const expand = (text: string) =>
    expandTerms(analyzeQuery(text, isKnownTerm), lexicon, isKnownTerm)

  it('reads an unknown head word as its hypernyms, the head kept with a decayed weight', () => {
    const sofa = expand('sofa').get('sofa')!
    expect(sofa.terms.map((t) => [t.term, t.role, t.weight])).toEqual([
      [stem('seat'), 'head', HEAD_WEIGHT * 0.5],
      [stem('furniture'), 'head', HEAD_WEIGHT * 0.35],
    ])
    expect(sofa.notes[0]).toEqual({ from: 'sofa', to: 'seat (WordNet hypernym)' })
  })

  it('finds a collocation written with a space or a hyphen', () => {
    for (const text of ['walkie talkie', 'walkie-talkie']) {
      const found = expand(text)
      expect(found.get('walki')!.terms.map((t) => t.term)).toEqual([
        stem('radiotelephone'),
        stem('telephone'),
      ])
      // The other word of the pair is covered by the pair, so it is not expanded again.
      expect(found.get('talki')!.terms).toEqual([])
    }
  })

  it('adds the reading of a word the index knows from fewer than three lines to the word', () => {
    // "radiotelephone" is in 2 lines: kept as written (the classifier scores it), telephone added.
    const found = expand('radiotelephone').get(stem('radiotelephone'))!
    expect(found.supplements).toBe(true)
    expect(found.terms.map((t) => [t.term, t.role])).toEqual([[stem('telephone'), 'head']])
  })

  it('skips words the index knows, and does nothing without a lexicon', () => {
    const found = expand('seat sofa')
    expect(found.has(stem('seat'))).toBe(false)
    expect(found.has('sofa')).toBe(true)
    expect(expandTerms(analyzeQuery('sofa', isKnownTerm), undefined, isKnownTerm).size).toBe(0)
  })
})
