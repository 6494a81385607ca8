import { describe, expect, it } from 'vitest'
import {
  isRussianAdjective,
  isRussianFragment,
  lineTermRoles,
  russianHeadIndex,
} from '../../src/core/classify/line-roles'
import { analyzeQuery, readsAsRussian } from '../../src/core/classify/query'
import { stemRussianGoodsWord, tokenize } from '../../src/core/classify/text'
import { testEngine } from './engine-fixture'

describe('the head of a Russian goods phrase is its first noun', () => {
  it.each([
    [['подшипник', 'шариковый'], 0],
    [['шариковый', 'подшипник'], 1],
    [['детские', 'игрушки'], 1],
    [['передние', 'фары'], 1],
    [['режущий', 'инструмент'], 1],
    [['зимние', 'шины'], 1],
    // Nouns that end as some adjectives do.
    [['оборудование', 'сварочное'], 0],
    [['алюминий', 'необработанный'], 0],
    [['изделие', 'медицинское'], 0],
    // Nothing but adjectives: the first word, as before.
    [['прочие'], 0],
  ] as const)('%j → word %i', (phrase, head) => {
    expect(russianHeadIndex(phrase)).toBe(head)
  })

  it('knows short nouns in "-ой" are nouns', () => {
    expect(isRussianAdjective('слой')).toBe(false)
    expect(isRussianAdjective('стальной')).toBe(true)
  })

  it('reads tariff lines with the same rule: "детские сиденья" names seats', () => {
    // roles per indexed term: 0 head, 1 goods, 2 qualifier
    expect(lineTermRoles('детские сиденья (кресла) безопасности')).toEqual([1, 0, 0, 0])
  })
})

describe('Russian compounds and names', () => {
  it('meets a hyphenated compound in every case: both halves inflect', () => {
    const joined = (text: string) => tokenize(text).at(-1)!.term
    expect(joined('бетономешалка-смеситель')).toBe(joined('бетономешалки-смесители'))
    expect(joined('кран-манипулятор')).toBe(joined('краны-манипуляторы'))
  })

  it('reads both nouns of a hyphenated compound as the head, in a tariff line and in a query', () => {
    // "кран-манипулятор": кран, манипулятор, the joined term; "гидравлический" qualifies them.
    expect(lineTermRoles('краны-манипуляторы гидравлические')).toEqual([0, 0, 0, 1])
    const heads = analyzeQuery('Кран-манипулятор гидравлический')
      .terms.filter((t) => t.role === 'head')
      .map((t) => t.raw)
    expect(heads).toEqual(['кран', 'манипулятор', 'кранманипулятор'])
  })

  it('reads the halves of an adjective compound as inside it, its joined word as the adjective', () => {
    // "пшенично-ржаная" (meslin) is not "ржаная" (rye): the halves are inCompound (3), the joined
    // word keeps the role; a noun compound ("краны-манипуляторы", above) keeps both nouns as heads.
    expect(lineTermRoles('мука пшенично-ржаная')).toEqual([0, 3, 3, 1])
    expect(lineTermRoles('кабели волоконно-оптические')).toEqual([0, 3, 3, 1])
  })

  it('reads "ржаная мука" as rye flour (1102.90), not the meslin flour of "пшенично-ржаная" (1101)', () => {
    expect(testEngine().classifier.classify('ржаная мука').candidates[0]!.hs6).toBe('110290')
    expect(testEngine().classifier.classify('мука ржаная').candidates[0]!.hs6).toBe('110290')
    // Written with the compound, it is meslin flour.
    expect(testEngine().classifier.classify('пшенично-ржаная мука').candidates[0]!.hs6).toBe(
      '110100',
    )
  })

  it('still reads a compound of the description met inside the same compound in a line', () => {
    // The halves of "древесно-стружечная" are the description's own: particle board (4410), not the
    // presses for making it (8479.30).
    expect(
      testEngine().classifier.classify('древесно-стружечная плита').candidates[0]!.hs6.slice(0, 4),
    ).toBe('4410')
  })

  it('reads a Russian line with a Latin name in quotes as Russian, the name not its head', () => {
    expect(readsAsRussian('наушники "soundmax" беспроводные')).toBe(true)
    expect(readsAsRussian('ноутбук (lenovo thinkpad)')).toBe(true)
    expect(readsAsRussian('wireless headphones "наушники"')).toBe(false)
    expect(readsAsRussian('steel bolts')).toBe(false)
    const head = analyzeQuery('Наушники «SOUNDMAX» беспроводные').terms.find(
      (t) => t.role === 'head',
    )
    expect(head?.raw).toBe('наушники')
    // A Latin word outside quotes is no head of a Russian phrase either.
    const pickup = analyzeQuery('Автомобиль типа Pickup').terms.find((t) => t.role === 'head')
    expect(pickup?.raw).toBe('автомобиль')
  })
})

describe('Russian stems: the singular a trader writes meets the plural of the tariff', () => {
  it.each([
    ['самосвал', 'самосвалы'],
    ['автомобиль', 'автомобили'],
    ['смесь', 'смеси'],
    ['материал', 'материалов'],
    ['клапан', 'клапаны'],
    ['локомотив', 'локомотивы'],
    ['профиль', 'профили'],
    ['пена', 'пену'],
    ['монтажная', 'монтажную'],
    ['шариковый', 'шариковые'],
  ])('%s ~ %s', (a, b) => {
    expect(stemRussianGoodsWord(a)).toBe(stemRussianGoodsWord(b))
  })

  it('still strips participle suffixes and keeps unrelated words apart', () => {
    expect(stemRussianGoodsWord('вращающийся')).toBe(stemRussianGoodsWord('вращающиеся'))
    expect(stemRussianGoodsWord('подшипники')).toBe('подшипник')
    expect(stemRussianGoodsWord('сталь')).not.toBe(stemRussianGoodsWord('стальной'))
  })

  it('keeps a participle in -т- apart from the noun in -т ("молотый" is no hammer)', () => {
    const s = stemRussianGoodsWord
    expect(s('молотый')).toBe(s('молотые'))
    expect(s('молотый')).not.toBe(s('молот'))
    expect(s('молот')).toBe(s('молотом'))
    // The verb's own noun still meets its participle; nouns of the -ь declension stay nouns.
    expect(s('покрытие')).toBe(s('покрытый'))
    expect(s('покрытием')).toBe(s('покрытые'))
    expect(s('нитью')).toBe(s('нить'))
    expect(s('платой')).toBe(s('плата'))
  })

  it('reads "молот" as a hammer and "молотый кофе" as coffee', () => {
    const heading = (d: string) =>
      testEngine().classifier.classify(d).candidates[0]!.hs6.slice(0, 4)
    expect(heading('молот пневматический')).not.toBe('0910')
    expect(['8467', '8462', '8205', '8430']).toContain(heading('молот пневматический'))
    expect(heading('кофе молотый')).toBe('0901')
  })
})

describe('Russian parts lines name their owner, as "parts for X" does', () => {
  it('reads the owner after "для" and in the genitive', () => {
    expect(analyzeQuery('запчасти для автомобиля', () => true).purpose).toBe('автомобиля')
    expect(analyzeQuery('части двигателя', () => true).partOf).toBe('двигателя')
  })

  it.each([
    // Car spare parts are vehicle parts (8708), not the aircraft parts of the team's "запчасти для
    // дронов" synonym, which was the only line holding the word.
    ['запчасти для автомобиля', '8708'],
    ['запасные части для трактора', '8708'],
    ['части двигателя', '8409'],
  ])('%s → heading %s', (description, heading) => {
    const reading = testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)
    expect(reading).toBe(heading)
  })
})

describe('a Russian word that names only the purpose or owner in the tariff is not the goods', () => {
  it('reads a genitive after the head as the owner, a qualifier, as "for" opens one', () => {
    // част:head, телевизор:qualifier, сервисн/обслуживан after "для": qualifiers.
    expect(lineTermRoles('части телевизоров для сервисного обслуживания')).toEqual([0, 2, 2, 2])
    // The owner's own adjective qualifies it too; an adjective after the head stays a goods word.
    expect(lineTermRoles('части двигателей внутреннего сгорания')).toEqual([0, 2, 2, 2])
    expect(lineTermRoles('подшипники шариковые')).toEqual([0, 1])
  })

  it.each(['телевизор', 'телевизоры', 'жидкокристаллический телевизор'])(
    '"%s" reads as a television receiver (8528), not the transformers "для телевизоров" (8504)',
    (description) => {
      const heading = testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)
      expect(heading).not.toBe('8504')
      expect(heading).toBe('8528')
    },
  )
})

describe('a bracket in a Russian goods phrase does not end it', () => {
  const roles = (description: string) =>
    Object.fromEntries(analyzeQuery(description).terms.map((t) => [t.raw, t.role]))

  it('reads the noun after a glossed adjective as the head, the gloss as a qualifier', () => {
    expect(roles('Кухонный (столовый) нож')).toEqual({
      кухонный: 'goods',
      столовый: 'qualifier',
      нож: 'head',
    })
  })

  it('reads a bracket that closes the phrase as the goods named in other words', () => {
    expect(roles('Верхняя одежда (куртки, пальто)')).toEqual({
      верхняя: 'goods',
      одежда: 'head',
      куртки: 'goods',
      пальто: 'goods',
    })
  })

  it('keeps a Latin name in brackets a qualifier', () => {
    expect(roles('Кроссовки беговые (Nike)')).toMatchObject({
      кроссовки: 'head',
      nike: 'qualifier',
    })
  })

  it('classifies the lines by their goods: a kitchen knife, coats and jackets', () => {
    const heading = (description: string) =>
      testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)
    // Read before as "кухонный" alone: ceramic kitchenware (6912).
    expect(heading('Кухонный (столовый) нож')).toBe('8211')
    // Read before with the bracket as qualifiers: "other garments" (6211).
    expect(['6201', '6202']).toContain(heading('Верхняя одежда (куртки, пальто)'))
  })
})

describe('a head that names no kind of goods is named by what it is for', () => {
  it.each([
    // Read before by "аппарат" alone: copying and facsimile machines (8443), gas welding (8468).
    ['Аппарат для мойки бутылок', '8422'],
    ['Аппарат для сварки пластмасс', '8515'],
  ])('%s → heading %s', (description, heading) => {
    expect(testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)).toBe(
      heading,
    )
  })
})

describe('a Russian exclusion or negation is no evidence for a reading', () => {
  const terms = (line: string) => analyzeQuery(line).terms.map((t) => t.raw)

  it('drops the words after "без", "кроме", "за исключением" to the end of the clause', () => {
    const words = terms('Кресло офисное, без колесиков и подлокотников, с обивкой из ткани')
    expect(words).toContain('кресло')
    expect(words).toContain('обивкой')
    expect(words).not.toContain('колесиков')
    expect(words).not.toContain('подлокотников')
    expect(terms('Набор посуды, кроме ножей, в картонной коробке')).not.toContain('ножей')
    expect(terms('Набор посуды, за исключением ножей, в коробке')).not.toContain('ножей')
  })

  it('drops a negated clause ("не являющийся", "не содержащий") but keeps bounds and "или не"', () => {
    const negated = terms('Приставка для телевизора, не содержащая тюнера, с пультом управления')
    expect(negated).not.toContain('тюнера')
    expect(negated).toContain('пультом')
    // "не более 3 лет" is a bound, "оснащенный или не оснащенный" excludes nothing.
    expect(terms('Погрузчик, с момента выпуска которого прошло не более 3 лет')).toContain('лет')
    expect(terms('Фонарь, оснащенный или не оснащенный аккумулятором')).toContain('аккумулятором')
    expect(terms('Фонарь, с аккумулятором или без')).toContain('аккумулятором')
  })
})

describe('Russian subheading names are dash fragments of their heading', () => {
  it.each([
    ['для легковых автомобилей (включая грузопассажирские автомобили-фургоны)', true],
    ['прочие', true],
    ['неотбеленные', true],
    ['с посадочным диаметром не более 16 дюймов', true],
    ['полотняного переплетения', true],
    ['автоматические или полуавтоматические', true],
    ['ослы', false],
    ['шины и покрышки восстановленные', false],
    ['части', false],
    ['тракторы гусеничные', false],
  ] as const)('%s → %s', (text, fragment) => {
    expect(isRussianFragment(text)).toBe(fragment)
  })

  const readHeading = (description: string) =>
    testEngine().classifier.classify(description).candidates[0]!.hs6.slice(0, 4)

  it('reads "шины" and "шины новые" as new tyres (4011), not retreaded or used ones (4012)', () => {
    // 4011's subheadings are named "для легковых автомобилей", "прочие": only its heading's lines
    // (its name, declarants' "шины") hold the word, while 4012's subheading lines do.
    expect(readHeading('шины')).toBe('4011')
    expect(readHeading('шины новые')).toBe('4011')
  })

  it('reads "шины для легковых автомобилей" as new car tyres (4011.10), not retreaded ones', () => {
    // 4012's lines name a marked condition ("восстановленные", "бывшие в употреблении") the line does
    // not state: goods are read as made unless the description says otherwise.
    expect(
      testEngine().classifier.classify('шины для легковых автомобилей').candidates[0]!.hs6,
    ).toBe('401110')
    expect(readHeading('шины восстановленные')).toBe('4012')
    expect(readHeading('шины бывшие в употреблении')).toBe('4012')
  })

  it('reads "диски колесные литые" as road wheels (8708.70), not magnetic discs', () => {
    // No Russian line holds the three words together ("диски" are magnetic discs in the tariff's
    // Russian): the name is read in English too (disc, wheel, cast), whose texts name cast wheels.
    expect(testEngine().classifier.classify('диски колесные литые').candidates[0]!.hs6).toBe(
      '870870',
    )
  })

  it('reads a short Russian noun the texts lack through the dictionary: "стеклянная ваза" is a vase', () => {
    // "ваза" (4 letters) is too short for typo correction; the dictionary reads it as vase, and the
    // name's other word, "стеклянная", in English too (glass): 7013 glassware, not glass beads.
    const r = testEngine().classifier.classify('стеклянная ваза')
    expect(r.candidates[0]!.hs6.slice(0, 4)).toBe('7013')
    expect(r.corrections).toContainEqual({ from: 'ваза', to: 'vase, bowl (dictionary)' })
  })

  it('keeps a material adjective a qualifier when the noun beside it is a word the texts lack', () => {
    // "сковорода" is in no Russian line; "чугунная" meets "чугун" (pig iron, 7201) and was the head.
    const r = testEngine().classifier.classify('чугунная сковорода')
    expect(r.candidates[0]!.hs6.slice(0, 2)).not.toBe('72')
    expect(r.candidates[0]!.evidence.join(' ')).toContain('сковорода → pan')
  })

  it('reads a Russian adjective by its adjective senses: "золотые серьги" are jewellery (7113)', () => {
    // The adjective's main sense is gold, not "gold coin" (a sense whose head names goods).
    expect(readHeading('золотые серьги')).toBe('7113')
    const r = testEngine().classifier.classify('золотые серьги')
    expect(r.candidates.some((c) => c.evidence.join(' ').includes('→ coin'))).toBe(false)
  })

  it('reads a noun and an adjective of one stem apart: "сыр твердый" is cheese (0406)', () => {
    // "твердый" (hard) shares no senses with a noun of its stem once the table is kept by part of
    // speech; pooled, its senses read pasta (1902.19).
    expect(readHeading('сыр твердый')).toBe('0406')
  })

  it('reads "мёд" as honey (0409), not copper, whose "медь" shares the stem "мед"', () => {
    // A word with no ending is a hard noun: lines that write the stem only as "медь", "меди" name
    // another word.
    expect(readHeading('мёд')).toBe('0409')
    expect(readHeading('мед натуральный')).toBe('0409')
    expect(readHeading('медь рафинированная')).toBe('7403')
  })
})

describe('"X на основе Y": what a generic head is based on names the goods, as its purpose does', () => {
  it('reads the basis where "на основе" ends the goods phrase, and only there', () => {
    expect(analyzeQuery('Смесь на основе поливинилхлорида', () => true).basis).toBe(
      'поливинилхлорида',
    )
    expect(analyzeQuery('Смесь на основе эпоксидной смолы, для полов', () => true).basis).toBe(
      'эпоксидной смолы',
    )
    // The basis of a later noun, not of the goods phrase.
    expect(
      analyzeQuery('Паста проводниковая, представляющая собой смесь на основе серебра', () => true)
        .basis,
    ).toBeNull()
    expect(analyzeQuery('Смесь для приготовления соусов', () => true).basis).toBeNull()
  })

  it.each([
    // "смесь" names no kind of goods (heading idf below GENERIC_WORD_IDF); its lines are fruit,
    // nut and juice mixtures (0813, 2009), which read every mixture before this rule.
    ['Смесь на основе полиэтилена', '39'],
    ['Смесь на основе эпоксидной смолы', '3907'],
    ['Смесь на основе гипса', '2520'],
  ])('%s → %s', (description, code) => {
    const reading = testEngine().classifier.classify(description).candidates[0]!.hs6
    expect(reading.slice(0, code.length)).toBe(code)
  })
})
