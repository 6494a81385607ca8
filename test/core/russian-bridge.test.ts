import { describe, expect, it } from 'vitest'
import {
  consonantSkeleton,
  createRussianBridge,
  derivationalBase,
  fleetingVowelDropped,
  loanKeys,
  russianNounStems,
  spellingKey,
  splitRussianCompound,
  transliterate,
} from '../../src/core/classify/russian-bridge'
import { stem } from '../../src/core/classify/text'
import { testEngine } from './engine-fixture'

describe('Russian loanwords meet their English words', () => {
  it('transliterates by BGN/PCGN and meets the English spelling on one key', () => {
    expect(transliterate('смартфон')).toBe('smartfon')
    expect(spellingKey(transliterate('сканер'))).toBe(spellingKey('scanner'))
    expect(spellingKey(transliterate('миксер'))).toBe(spellingKey('mixer'))
    expect(spellingKey(transliterate('смартфон'))).toBe(spellingKey('smartphone').slice(0, -1))
  })

  it('meets English j and dg(e) on дж ("картридж" / cartridge)', () => {
    expect(spellingKey(transliterate('картридж'))).toBe(spellingKey('cartridg'))
    expect(consonantSkeleton(spellingKey(transliterate('джампер')))).toBe(
      consonantSkeleton(spellingKey('jumper')),
    )
  })

  it('reads an adjective formed on a loan as the English adjective ("акустический" / acoustic)', () => {
    expect(loanKeys('акустическ')).toEqual(['akustihesk', 'akustik'])
    expect(loanKeys('сканер')).toEqual([spellingKey('scanner')])
    const b = createRussianBridge(new Map([['acoust', 20]]), ['acoustic'])
    expect(b.read('акустическая')?.terms).toEqual(['acoust'])
  })

  it('keeps the consonants of a loan and respells only its vowels', () => {
    const ru = spellingKey(transliterate('ресайклер'))
    const en = spellingKey('recycler')
    expect(ru).not.toBe(en)
    expect(consonantSkeleton(ru)).toBe(consonantSkeleton(en))
  })

  const bridge = () =>
    createRussianBridge(
      new Map([
        ['blender', 12],
        ['blast', 30],
        ['телевизион', 5],
        ['холодильн', 9],
      ]),
      ['blender', 'blenders', 'blast', 'blasts'],
    )

  it('reads an unknown Russian loanword as the English word', () => {
    expect(bridge().read('блендеры')).toEqual({
      kind: 'loanword',
      terms: ['blender'],
      to: 'blender',
    })
  })

  it('reads a loan the stemmer cuts short by the word as written ("модем" / modem, stem "мод")', () => {
    const b = createRussianBridge(new Map([['modem', 12]]), ['modem', 'modems'])
    expect(b.read('модем')).toEqual({ kind: 'loanword', terms: ['modem'], to: 'modem' })
    // Cut as short by the stemmer ("модам" → "мод"), but written as no English key: left alone.
    // ("моден" would not do: the stemmer keeps it whole, so the written form is never tried.)
    expect(b.read('модам')).toBeNull()
  })

  it('reads no word as written as a loan the dictionary translates otherwise ("платье" is no plate)', () => {
    const dictionary = {
      sensesOf: (russianStem: string) =>
        russianStem === stem('платье')
          ? ['clothes', 'dress']
          : russianStem === stem('модем')
            ? ['fashion']
            : undefined,
      namesGoods: () => true,
    }
    const terms = new Map([
      ['plate', 40],
      ['modem', 12],
      ['cloth', 30],
      ['dress', 30],
    ])
    const b = createRussianBridge(
      terms,
      ['plate', 'modem', 'clothes', 'dress'],
      undefined,
      dictionary,
    )
    expect(b.read('платье')).toMatchObject({ kind: 'dictionary' })
    // Without the dictionary the written form reads as the English word, as before.
    const bare = createRussianBridge(terms, ['plate', 'modem'])
    expect(bare.read('платье')).toEqual({ kind: 'loanword', terms: ['plate'], to: 'plate' })
    // "мод" is also the stem of "мода" (fashion): too short a stem to say the loan is a false friend.
    expect(b.read('модем')).toEqual({ kind: 'loanword', terms: ['modem'], to: 'modem' })
  })

  it('reads no native word as an English one that only looks alike ("область" is no blast)', () => {
    expect(bridge().read('область')).toBeNull()
    expect(bridge().read('салазки')).toBeNull()
  })
})

describe('Russian derivational relatives', () => {
  it('gives the noun and its relational adjective one base', () => {
    expect(derivationalBase('телевизор')).toBe(derivationalBase('телевизион'))
    expect(derivationalBase('холодильник')).toBe(derivationalBase('холодильн'))
  })

  it('restores a fleeting vowel: an adjective\'s base meets the nominative\'s stem ("хлопк" → хлопок)', () => {
    expect(russianNounStems('хлопков')).toContain('хлопок')
    expect(russianNounStems('замк')).toContain('замок')
    // A base that ends in one consonant has no vowel to restore.
    expect(russianNounStems('резинов')).toEqual(['резинов', 'резин'])
  })

  it('drops a fleeting vowel to reach the stem of the noun\'s other forms ("платок" / платки)', () => {
    expect(fleetingVowelDropped('платок')).toEqual(['платк'])
    expect(fleetingVowelDropped('ремен')).toEqual(['ремн', 'ремьн'])
    expect(fleetingVowelDropped('кошелек')).toContain('кошельк')
    // Too short a rest ("лед") and a vowel not between consonants keep the word.
    expect(fleetingVowelDropped('лед')).toEqual([])
    expect(fleetingVowelDropped('сахар')).toEqual([])
  })

  it('reads a singular the texts lack as its plural they write ("шелковый платок" → 6214)', () => {
    const r = testEngine().classifier.classify('шелковый платок')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('6214')
  })

  it('does not join short bases ("воротник" is no gate)', () => {
    expect(derivationalBase('воротник')).not.toBe(derivationalBase('ворот'))
  })

  it('meets the adjective whose ц or к turned to ч ("тепличные" are of a greenhouse)', () => {
    expect(derivationalBase('тепличн')).toBe(derivationalBase('теплиц'))
    expect(derivationalBase('станочн')).toBe(derivationalBase('станок'))
    const b = createRussianBridge(new Map([['теплиц', 3]]), [])
    expect(b.read('тепличные')?.terms).toEqual(['теплиц'])
  })

  it('meets the adjective whose -ен(н)- or fleeting vowel stands before -н- ("лекарственные")', () => {
    expect(derivationalBase('лекарствен')).toBe(derivationalBase('лекарств'))
    expect(derivationalBase('пивоварен')).toBe(derivationalBase('пивоварн'))
    const b = createRussianBridge(new Map([['лекарствен', 5]]), [])
    expect(b.read('лекарства')?.terms).toEqual(['лекарствен'])
  })

  it('reads a noun the texts lack as the adjective they write', () => {
    const b = createRussianBridge(new Map([['телевизион', 5]]), [])
    expect(b.read('телевизоры')?.terms).toEqual(['телевизион'])
  })
})

describe('the engine reads Russian loanwords through the English texts', () => {
  it('classifies "блендер" with food grinders and mixers (8509), saying how it read the word', () => {
    const r = testEngine().classifier.classify('блендер')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('8509')
    expect(r.corrections).toContainEqual({ from: 'блендер', to: 'blender (loanword)' })
  })

  it('classifies "модем 4G" with communication apparatus (8517), not as an unread line', () => {
    const r = testEngine().classifier.classify('модем 4G')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('8517')
    expect(r.corrections).toContainEqual({ from: 'модем', to: 'modem (loanword)' })
  })

  it('classifies "сканер штрихкодов" with computer input units (8471)', () => {
    expect(
      testEngine().classifier.classify('сканер штрихкодов').candidates[0]?.hs6.slice(0, 4),
    ).toBe('8471')
  })
})

describe('Russian closed compounds', () => {
  const goodsHeads = new Set(['насос', 'дрель', 'печь'])
  const known = new Set(['масл', 'хлеб', 'электрическ'])
  const split = (word: string) =>
    splitRussianCompound(
      word,
      (rest) => goodsHeads.has(rest),
      (term) => known.has(term),
    )

  it('splits a combining form from the goods it qualifies ("электродрель" is a drill)', () => {
    expect(split('электродрель')).toEqual({
      first: 'электро',
      head: 'дрель',
      firstTerm: 'электрическ',
    })
  })

  it('splits two stems at the linking vowel, the last part the goods', () => {
    expect(split('маслонасос')).toEqual({ first: 'масл', head: 'насос', firstTerm: 'масл' })
    expect(split('хлебопечь')?.head).toBe('печь')
  })

  it('leaves a word alone when its rest names no goods or its first stem is unknown', () => {
    expect(split('кардиологический')).toBeNull()
    expect(split('сыронасос')).toBeNull()
  })
})

describe('the engine reads Russian compounds the texts do not write', () => {
  it('classifies "маслонасос" with pumps (8413), saying how it read the word', () => {
    const r = testEngine().classifier.classify('маслонасос')
    expect(r.candidates[0]?.hs6.slice(0, 4)).toBe('8413')
    expect(r.corrections).toContainEqual({ from: 'маслонасос', to: 'масл + насос (compound)' })
  })

  it('does not read "бензопила" as a typo of a chemical ("бензоила", benzoyl peroxide)', () => {
    const r = testEngine().classifier.classify('бензопила')
    expect(r.candidates[0]?.hs6.slice(0, 2)).not.toBe('29')
  })
})
