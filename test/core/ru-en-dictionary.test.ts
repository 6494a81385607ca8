import { describe, expect, it } from 'vitest'
import {
  compileRuEnDictionary,
  compileRuEnSensesByPart,
  parseDictionaryEntry,
} from '../../src/core/catalogue/ru-en-dictionary'
import { createRussianBridge, dictionaryTerms } from '../../src/core/classify/russian-bridge'
import { stem } from '../../src/core/classify/text'
import { testEngine } from './engine-fixture'

describe('the OpenRussian dictionary import', () => {
  it('reads a noun and an adjective by the marks the generator left, main sense first', () => {
    expect(parseDictionaryEntry({ to: 'молоток', from: 'hammer, mallet (sg - pl)/' })).toEqual({
      ru: 'молоток',
      pos: 'noun',
      en: ['hammer', 'mallet'],
    })
    expect(parseDictionaryEntry({ to: 'медный', from: 'copper, brazen (ajd)' })).toEqual({
      ru: 'медный',
      pos: 'adjective',
      en: ['copper', 'brazen'],
    })
    expect(parseDictionaryEntry({ to: 'сахар', from: 'sugar (sg)' })?.en).toEqual(['sugar'])
  })

  it('leaves out rows of lists that are not OpenRussian nouns or adjectives', () => {
    expect(parseDictionaryEntry({ to: 'лёд', from: 'ice' })).toBeNull()
    expect(parseDictionaryEntry({ to: 'делать', from: 'to do, to make (нсв - св)' })).toBeNull()
  })

  it('drops notes, infinitives and phrases of three words or more', () => {
    expect(
      parseDictionaryEntry({
        to: 'ручка',
        from: 'pen (writing), handle; knob of a door, to hold (sg - pl)/',
      })?.en,
    ).toEqual(['pen', 'handle'])
  })

  it('keys the table by the Russian stem, ё as е, and keeps only phrases the index knows', () => {
    const known = new Set(['screwdriv', 'hammer'])
    const table = compileRuEnDictionary(
      [
        { ru: 'отвёртка', pos: 'noun', en: ['screwdriver', 'turnscrew'] },
        { ru: 'молоток', pos: 'noun', en: ['gavel'] },
      ],
      stem,
      (t) => known.has(t),
      () => 0,
      5,
    )
    // "молоток" has no sense the index knows: kept as a real word, with none.
    expect(table).toEqual({ [stem('отвертка')]: ['screwdriver'], [stem('молоток')]: [] })
  })

  it('keeps the senses of a stem a noun and an adjective share apart, by part of speech', () => {
    // "часть" (part) and "частый" (frequent) share the stem "част"; pooled, the adjective's four
    // senses came first and "part" was lost beyond the fourth.
    const table = compileRuEnSensesByPart(
      [
        { ru: 'частый', pos: 'adjective', en: ['frequent', 'close'] },
        { ru: 'часть', pos: 'noun', en: ['part', 'share'] },
        { ru: 'насос', pos: 'noun', en: ['pump'] },
        { ru: 'золотой', pos: 'adjective', en: ['gold', 'golden', 'gold coin'] },
        { ru: 'медный', pos: 'adjective', en: ['copper'] },
      ],
      stem,
      () => true,
    )
    expect(table[stem('часть')]).toEqual([
      ['part', 'share'],
      ['frequent', 'close'],
    ])
    // An adjective's own stem with several senses: noun senses empty, so it reads as an adjective
    // in any case form ("золотой", "золотым").
    expect(table[stem('золотой')]).toEqual([[], ['gold', 'golden', 'gold coin']])
    // One part and one sense: the pooled table says all.
    expect(table[stem('насос')]).toBeUndefined()
    expect(table[stem('медный')]).toBeUndefined()
  })

  it('holds no entry for a Russian word the index knows from many lines', () => {
    const table = compileRuEnDictionary(
      [{ ru: 'насос', pos: 'noun', en: ['pump'] }],
      stem,
      () => true,
      () => 40,
      5,
    )
    expect(table).toEqual({})
  })
})

describe('reading a Russian word through the dictionary', () => {
  const goods = new Set(['cleaner', 'pump'])
  it('takes the goods senses first and an English phrase by its head', () => {
    expect(dictionaryTerms(['lampas', 'pump'], (t) => goods.has(t))).toEqual({
      terms: ['pump', 'lampa'],
      to: 'pump, lampas',
    })
    expect(dictionaryTerms(['vacuum cleaner'], (t) => goods.has(t))?.terms).toEqual([
      'cleaner',
      'vacuum',
    ])
    expect(dictionaryTerms(['lampas', 'pump'], (t) => goods.has(t), 1)?.terms).toEqual(['pump'])
  })

  it('reads an adjective by its main sense, not a later sense whose head names goods', () => {
    const names = (t: string) => t === 'coin'
    // As a noun would be read: "gold coin" first, its head a goods word.
    expect(dictionaryTerms(['gold', 'golden', 'gold coin'], names, 1)?.terms).toEqual([
      'coin',
      'gold',
    ])
    // As an adjective: "золотое кольцо" is a ring of gold.
    expect(dictionaryTerms(['gold', 'golden', 'gold coin'], names, 1, false)?.terms).toEqual([
      'gold',
    ])
  })

  it('orders senses by the support the tariff texts give them, the dictionary order among equals', () => {
    const support = (t: string) => ({ fodder: 0.44, feed: 0.29 })[t] ?? 0
    const all = () => true
    expect(dictionaryTerms(['forage', 'feed', 'fodder'], all, 3, true, support)?.to).toBe(
      'fodder, feed, forage',
    )
    // Nothing supported: the dictionary's order.
    expect(dictionaryTerms(['trial', 'test'], all, 2, true, () => 0)?.to).toBe('trial, test')
  })

  it('reads first the goods sense the texts support, never a supported sense before the goods ones', () => {
    // "колодка": boot-tree, last, shoe; the tariff writes it beside brake shoes.
    const names = (t: string) => t !== 'last'
    const support = (t: string) => (t === 'shoe' ? 0.21 : 0)
    expect(dictionaryTerms(['boot-tree', 'last', 'shoe'], names, 1)?.terms).toEqual([
      'tree',
      'boot',
    ])
    expect(dictionaryTerms(['boot-tree', 'last', 'shoe'], names, 1, true, support)?.terms).toEqual([
      'shoe',
    ])
    // A sense that names no goods stays behind the goods senses, however supported.
    expect(
      dictionaryTerms(
        ['pulley', 'block'],
        (t) => t === 'pulley',
        1,
        true,
        (t) => (t === 'block' ? 0.9 : 0),
      )?.terms,
    ).toEqual(['pulley'])
  })

  it('the bridge ranks a rare word by the support its dictionary gives', () => {
    const dictionary = {
      sensesOf: (russianStem: string) =>
        russianStem === stem('колодка') ? ['boot-tree', 'last', 'shoe'] : undefined,
      namesGoods: () => true,
    }
    const terms = new Map([
      ['shoe', 40],
      ['tree', 40],
    ])
    const plain = createRussianBridge(terms, ['shoe', 'tree'], undefined, dictionary)
    expect(plain.read('колодка')?.terms[0]).toBe('tree')
    const ranked = createRussianBridge(terms, ['shoe', 'tree'], undefined, {
      ...dictionary,
      support: (russianStem, english) =>
        russianStem === stem('колодка') && english === 'shoe' ? 0.2 : 0,
    })
    expect(ranked.read('колодка')).toEqual({
      kind: 'dictionary',
      terms: ['shoe', 'tree', 'boot'],
      to: 'shoe, boot-tree',
    })
  })

  it('reads a native word only after its loanword and derivational readings', () => {
    const b = createRussianBridge(new Map([['drill', 30]]), ['drill'], undefined, {
      sensesOf: (russianStem) => (russianStem === stem('дрель') ? ['drill'] : undefined),
      namesGoods: () => true,
    })
    expect(b.read('дрели')).toEqual({ kind: 'dictionary', terms: ['drill'], to: 'drill' })
    expect(b.read('область')).toBeNull()
  })
})

describe('the engine reads everyday Russian words through their English translations', () => {
  it('classifies "дрель" with hand tools with a motor (8467), saying how it read the word', () => {
    const r = testEngine().classifier.classify('дрель')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('8467')
    expect(r.corrections).toContainEqual({ from: 'дрель', to: 'drill (dictionary)' })
  })

  it('classifies "отвёртка" with hand tools (8205)', () => {
    expect(testEngine().classifier.classify('отвёртка').candidates[0]?.hs6.slice(0, 4)).toBe('8205')
  })

  it('reads "кроссовки" by the sense the tariff texts support (shoe, 6404), not "sneaker" first', () => {
    const r = testEngine().classifier.classify('кроссовки мужские')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('6404')
    expect(r.corrections).toContainEqual({ from: 'кроссовки', to: 'tennis shoe (dictionary)' })
  })

  it('adds the main sense of a word the texts know from a few lines ("палатка", 6–8 lines): tent, 6306', () => {
    const r = testEngine().classifier.classify('палатка')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('6306')
    expect(r.corrections).toContainEqual({ from: 'палатка', to: 'tent (dictionary)' })
  })
})
