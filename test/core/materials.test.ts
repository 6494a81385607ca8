/**
 * The material a short name gives its goods (BENCHMARKS.md steps 34, 42, 50 and 51): the WordNet materials
 * and material-adjective tables, and the readings a person notices.
 */
import { describe, expect, it } from 'vitest'
import {
  deriveHeadClasses,
  deriveMaterialAdjectives,
  deriveMaterials,
} from '../../src/core/catalogue/derive-materials'
import { stem } from '../../src/core/classify/text'
import { testEngine } from './engine-fixture'

// WordNet's data.noun syntax (see lexicon.test.ts): offset, lexicographer file, pos, word count,
// words, pointer count, pointers, gloss. 21 possession, 07 attribute, 27 substance, 20 plant, 06 artifact.
const DATA_NOUN = [
  '00000001 03 n 01 substance 0 000 | matter',
  '00000010 27 n 02 metallic_element 0 metal 0 001 @ 00000001 n 0000 | a metal',
  '00000020 27 n 01 noble_metal 0 001 @ 00000010 n 0000 | resists corrosion',
  '00000030 27 n 02 gold 0 Au 0 001 @ 00000020 n 0000 | the element',
  '00000040 21 n 01 precious_metal 0 001 @ 00000050 n 0000 | used for coins or jewelry',
  '00000050 21 n 01 valuable 0 000 | a possession of value',
  '00000060 21 n 01 gold 0 001 @ 00000040 n 0000 | coins made of gold',
  '00000070 07 n 02 amber 0 gold 0 001 @ 00000080 n 0000 | a deep yellow colour',
  '00000080 07 n 01 yellow 0 000 | a colour',
  '00000090 27 n 01 wood 0 001 @ 00000001 n 0000 | the hard material of trees',
  '00000100 20 n 01 oak 0 001 @ 00000090 n 0000 | the wood of an oak',
  '00000110 06 n 01 tablet 0 001 @ 00000120 n 0000 | a slab',
  '00000120 06 n 01 slab 0 000 | a block',
  '00000130 27 n 02 pad 0 tablet 0 001 @ 00000140 n 0000 | a pad of paper',
  '00000140 27 n 01 paper 0 001 @ 00000001 n 0000 | a material made of pulp',
  '',
].join('\n')
const INDEX_NOUN = [
  'gold n 3 1 @ 3 0 00000060 00000070 00000030  ',
  'metal n 1 1 @ 1 0 00000010  ',
  'oak n 1 1 @ 1 0 00000100  ',
  'paper n 1 1 @ 1 0 00000140  ',
  'tablet n 2 1 @ 2 0 00000110 00000130  ',
  'wood n 1 1 @ 1 0 00000090  ',
  '',
].join('\n')
const KNOWN = new Set(
  'gold metal metallic element noble precious valuable yellow oak wood tablet paper'
    .split(' ')
    .map(stem),
)
const table = deriveMaterials({ indexNoun: INDEX_NOUN, dataNoun: DATA_NOUN }, (t) => KNOWN.has(t), [
  'metal',
  'wood',
  'paper',
])

describe('deriveMaterials', () => {
  it('reads gold as a material, by its classes up to the root material, and the class of its coins', () => {
    // Not "valuable" (the coins' class two levels up) nor "yellow" (the colour sense).
    expect(table[stem('gold')]).toEqual([
      'noble metal',
      'metallic element',
      'metal',
      'precious metal',
    ])
  })
  it('reads oak as wood', () => {
    expect(table.oak).toEqual(['wood'])
  })
  it('leaves out a word whose most frequent sense is no material ("tablet" is first a slab)', () => {
    expect(table.tablet).toBeUndefined()
  })
})

// WordNet's data.adj syntax: "&" similar-to (a satellite's head adjective), "\\" pertainym and "+"
// derivation to a noun synset, whose word (source/target 0101) is the target's first.
const DATA_ADJ = [
  '00000200 00 a 01 woody 0 001 + 00000090 n 0101 | made of or containing or resembling wood',
  '00000210 00 s 01 wooden 0 001 & 00000200 a 0000 | made or consisting of (entirely or in part) or employing wood; "a wooden box"',
  '00000220 01 a 02 woolen 0 woollen 0 001 \\ 00000300 n 0101 | of or related to or made of wool',
  '00000230 00 a 01 glassy 0 001 + 00000310 n 0101 | resembling glass in smoothness',
  '00000240 00 s 02 gold 0 golden 0 002 & 00000250 a 0000 + 00000030 n 0101 | made from or covered with gold',
  '00000250 00 a 01 metallic 0 001 + 00000010 n 0101 | made of a metal',
  '',
].join('\n')
const NOUNS = new Map(
  [
    ['00000010', ['metal']],
    ['00000030', ['gold']],
    ['00000090', ['wood']],
    ['00000300', ['wool']],
    ['00000310', ['glass']],
  ].map(([offset, lemmas]) => [offset as string, { lemmas: lemmas as string[] }]),
)

describe('deriveMaterialAdjectives', () => {
  const adjectives = deriveMaterialAdjectives(
    DATA_ADJ,
    NOUNS,
    (noun) => ['metal', 'gold', 'wood', 'wool', 'glass'].includes(noun),
    (word) => word === 'gold',
  )
  it('reads "wooden" as wood through its head adjective, "woollen" through its pertainym', () => {
    expect(adjectives.wooden).toEqual(['wood'])
    expect(adjectives[stem('woollen')]).toEqual(['wool'])
    expect(adjectives.woodi).toEqual(['wood'])
  })
  it('reads "golden" by its own noun (gold), not its head adjective\'s (metal); "gold" stays a noun', () => {
    expect(adjectives.golden).toEqual(['gold'])
    expect(adjectives.gold).toBeUndefined()
  })
  it('leaves out an adjective whose gloss says no "made of" ("glassy": resembling glass)', () => {
    expect(adjectives[stem('glassy')]).toBeUndefined()
  })
})

describe('deriveHeadClasses', () => {
  // "table": 1st sense the array (10 communication), 2nd the furniture (06 artifact) → furniture →
  // furnishing; "spoon" → cutlery → tableware.
  const data = [
    '00000200 10 n 01 array 0 000 | an arrangement',
    '00000210 10 n 02 table 0 tabular_array 0 001 @ 00000200 n 0000 | a set of data',
    '00000220 06 n 01 furnishing 0 000 | the furniture and fittings',
    '00000230 06 n 02 furniture 0 piece_of_furniture 0 001 @ 00000220 n 0000 | furnishings',
    '00000240 06 n 01 table 0 001 @ 00000230 n 0000 | a piece of furniture',
    '00000250 06 n 01 tableware 0 000 | articles for the table',
    '00000260 06 n 02 cutlery 0 eating_utensil 0 001 @ 00000250 n 0000 | implements for eating',
    '00000270 06 n 01 spoon 0 001 @ 00000260 n 0000 | a piece of cutlery',
    '',
  ].join('\n')
  const index = ['spoon n 1 1 @ 1 0 00000270  ', 'table n 2 1 @ 2 0 00000210 00000240  ', ''].join(
    '\n',
  )
  const titles = new Set(['furniture', 'furnishing', 'tableware', 'cutlery'].map(stem))
  const derive = (senses: number, holds: (cls: string, head: string) => boolean = () => true) =>
    deriveHeadClasses(
      { indexNoun: index, dataNoun: data },
      () => true,
      (t) => titles.has(t),
      { senses, maxDistance: 3 },
      holds,
    )
  it('reads a head by the classes of its artifact senses that heading titles name', () => {
    expect(derive(2)[stem('table')]).toEqual([[], [stem('furniture'), stem('furnishing')]])
    expect(derive(2)[stem('spoon')]).toEqual([[stem('cutlery'), stem('tableware')]])
  })
  it('reads no class of a head whose first senses are no artifact', () => {
    expect(derive(1)[stem('table')]).toBeUndefined()
  })
  it('keeps only the classes whose headings file the head too', () => {
    // 9403 "Other furniture" has dining tables; the textile headings naming "furnishing" have none.
    const holds = (cls: string) => cls !== stem('furnishing')
    expect(derive(2, holds)[stem('table')]).toEqual([[], [stem('furniture')]])
  })
})

const reading = (description: string) =>
  testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)

describe('a short name read by the material it gives its goods', () => {
  // Gold is not in chapter 71's title; its class, precious metal, is. 7315 names chains of iron or steel.
  it('"gold chain" → heading 7113, not 7315', () => {
    expect(reading('gold chain')).toBe('7113')
  })
  // 7415 (chapter 74, copper) names "iron or steel" only in passing: a heading title counts only in a
  // chapter whose title names no material.
  it('"steel bolts" → heading 7318', () => {
    expect(reading('steel bolts')).toBe('7318')
  })
  // An adjective of material is read as its noun ("wooden" → wood: 4418 "Doors … of wood"); a material's
  // class of two words as words of the name ("gold" → precious metal: 7113 "Jewellery … of precious
  // metal"; "silver" → 7114 "Articles of goldsmiths' or silversmiths' wares … of precious metal").
  it.each([
    ['wooden door', '4418'],
    ['gold ring', '7113'],
    ['silver spoon', '7114'],
  ])('"%s" → heading %s', (line, heading) => {
    expect(reading(line)).toBe(heading)
  })
  // The tariff names tables only by their class (9403 "Other furniture …"): the plain reading finds
  // rough oak (4403) or drafting tables (9017); the head's WordNet class, read as a second reading,
  // finds the furniture. "wooden spoon" still reads 8215.99 (4419 "Tableware …, of wood" second).
  it.each([
    ['oak table', '9403'],
    ['pine table', '9403'],
  ])('"%s" → heading %s, through the class of its head', (line, heading) => {
    expect(reading(line)).toBe(heading)
  })
  // A Russian name's material against a chapter that files goods by another: 7318's "кольца ввертные"
  // are of iron or steel (chapter 73), 8215's spoons of base metal (82); gold's class, precious metal,
  // and wood are named by 71 and 44.
  it.each([
    ['кольцо золотое', '7113'],
    ['ложка деревянная', '4419'],
  ])('"%s" → heading %s, not a heading of another material', (line, heading) => {
    expect(reading(line)).toBe(heading)
  })
  // Chapter 42 files goods by leather, but heading 4202 names plastic among its materials ("… covered
  // by leather, composition leather, plastic sheeting, textile materials …"): a plastic handbag stays
  // there, not halved for a chapter of another material and overtaken by 3923's packing articles.
  it('"пластиковая сумка" → heading 4202, whose title names the material its chapter does not', () => {
    expect(reading('пластиковая сумка')).toBe('4202')
  })
  // "хлопковая" is formed on "хлопок", whose other forms drop the о (хлопка): the dictionary, keyed
  // by the nominative's stem, is read with the vowel restored.
  it('"хлопковая футболка" reads "хлопковая" as cotton (6109.10)', () => {
    const r = testEngine().classifier.classify('хлопковая футболка')
    expect(r.candidates[0]?.hs6).toBe('610910')
    expect(r.candidates[0]?.evidence.join(' ')).toContain('хлопковая → cotton')
  })
  // "титановый" is no dictionary word; the noun it is formed from, "титан", is titanium (chapter 81).
  it.each(['титановый винт', 'титановые пластины'])('"%s" → heading 8108', (line) => {
    expect(reading(line)).toBe('8108')
  })
  // An adjective of material in -en is read as its noun at every length (a description longer than a
  // short name, which `formsOf` does not read): the tariff writes "of wood", and a door of wood is
  // joinery (4418), not the wooden furniture of 9403.
  it('"wooden doors for interior rooms" → heading 4418, read as wood', () => {
    const r = testEngine().classifier.classify('wooden doors for interior rooms')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('4418')
    expect(r.candidates[0]?.evidence.join(' ')).toContain('wooden → wood')
  })
})
