/**
 * Everyday lines a new user typed (issue "Engine v2"), none taken from an evaluation set: each must read
 * as a person reads it, and its verdict must follow from what it reads.
 */
import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { testEngine } from './engine-fixture'

const reading = (description: string) =>
  testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)

const verdictToRussia = (description: string) =>
  checkGoods(testEngine(), parseCheckRequest({ description, destination: 'RU', regime: 'KZ' }))
    .verdict

describe('everyday lines read as a person reads them', () => {
  it.each([
    // "4 channels" counts the oscilloscope's inputs; it is not centrifugal pumps' channels.
    ['Keysight DSOX1204G digital oscilloscope 4 channels', '9030'],
    // A tail boom is part of the helicopter, not the tail of a mink.
    ['helicopter tail boom', '8807'],
    ['cargo door for aeroplane', '8807'],
    // The rotor is itself a part: the blade belongs to the helicopter, not to a steam turbine.
    ['helicopter rotor blade', '8807'],
    // A robot's arm is machinery, not a sword.
    ['industrial robot arm', '8479'],
    ['ball bearing', '8482'],
    ['roller bearing', '8482'],
    ['needle roller bearing', '8482'],
    // Parts of a diesel engine go where the HS places engine parts.
    ['diesel engine parts', '8409'],
    // A laser module is a laser, not a flat panel display module.
    ['green laser module 532nm', '9013'],
    ['USB webcam', '8525'],
    ['rye flour', '1102'],
    // "ржаная" is rye; the meslin flour of 1101 is "пшенично-ржаная", a compound of both grains.
    ['ржаная мука', '1102'],
    ['laptop', '8471'],
    // "LED packages" are LEDs in their component package, not goods put up in retail packages.
    ['LED packages', '8541'],
    // Russian adjectives usually come before the noun: the toys are the goods, "children's" qualifies.
    ['детские игрушки', '9503'],
    ['шариковый подшипник', '8482'],
    // "станок" is known from few lines, "станки" (станк-: the nominative's fleeting vowel dropped) from
    // many: the machine tool is read in the lines that write it, not through the dictionary's "lathe".
    ['сверлильный станок', '8459'],
    ['фрезерный станок с ЧПУ', '8459'],
    // A compound after a combining form: an "электродвигатель" is an electric motor, not a concrete
    // mixer "оснащенный электродвигателем".
    ['электродвигатель асинхронный', '8501'],
    // "SSD" meets the tariff terms' "SSDs" (an acronym's plural keeps its "s" in the stemmer).
    ['Samsung 980 PRO 1TB NVMe SSD', '8471'],
    // A cordless vacuum has its motor on board: 8508, never the tariff's "other than with a
    // self-contained electric motor" counted as a match.
    ['cordless stick vacuum', '8508'],
    // Tyres are new unless the line says otherwise: 4012 names retreaded or used ones.
    ['tyres for passenger cars', '4011'],
    ['used tyres', '4012'],
    ['second hand clothes', '6309'],
    // "de" is a French article here, not the wine of "Vins de ..." terms.
    ['eau de parfum 100ml', '3303'],
    // An active GPS aerial is an aerial (8529.10), not an active yeast.
    ['Антенна GPS активная', '8529'],
    // "knife" meets the tariff's "Knives" (the stemmer alone leaves "knive"), not the switches' "Knife".
    ['kitchen knife', '8211'],
    // A closed compound the tariff texts never write is read by its two words, the head last.
    ['powerbank', '8507'],
    ['bedsheet', '6302'],
    // A servo motor is an electric motor: the tariff writes "servo" only inside "servo-brakes" (8708.30),
    // which names brakes, and "motor" there only in "Motor vehicles".
    ['servo motor', '8501'],
  ])('%s → heading %s', (description, heading) => {
    expect(reading(description)).toBe(heading)
  })

  it("puts parts of a machine into its heading's parts subheading, not the machine's own", () => {
    // 8413 holds its own parts (8413.91 "Pumps; parts thereof"); a centrifugal pump is 8413.70.
    expect(testEngine().classifier.classify('parts for centrifugal pump').candidates[0]!.hs6).toBe(
      '841391',
    )
    expect(testEngine().classifier.classify('детали для насоса').candidates[0]!.hs6).toBe('841391')
  })

  it('reads a plain "ball bearing" as ball bearings (8482.10), the CHP tier 3.B code', () => {
    expect(testEngine().classifier.classify('ball bearing').candidates[0]!.hs6).toBe('848210')
  })

  it('flags controlled goods it reads from everyday words on the way to Russia', () => {
    expect(verdictToRussia('Keysight DSOX1204G digital oscilloscope 4 channels')).not.toBe('clear')
    expect(verdictToRussia('helicopter tail boom')).not.toBe('clear')
    expect(verdictToRussia('ball bearing')).not.toBe('clear')
  })

  it('reads a Russian power supply for a laptop as a static converter, a CHP code, and flags it', () => {
    // "блок питания" names the goods (a power supply unit): the generic "блок" is named by its
    // genitive, so "для ноутбука" stays what it is for, not the goods a reading must name.
    expect(reading('блок питания для ноутбука')).toBe('8504')
    expect(verdictToRussia('блок питания для ноутбука')).not.toBe('clear')
  })

  it('lets everyday goods it reads clearly go clear', () => {
    expect(verdictToRussia('rye flour')).toBe('clear')
  })

  it('reads a one-word "phone" as a telephone set, not the entry-phone systems of 8517.69', () => {
    // The tariff writes "phone" only inside "Entry-phone systems" (8517.69, on the CHP list) and in
    // trade phrases; the phrases that name phones by it ("mobile phone") are telephone sets.
    expect(testEngine().classifier.classify('phone').candidates[0]!.hs6).toMatch(/^85171[34]$/)
    expect(verdictToRussia('phone')).toBe('clear')
  })

  it('reads "автозапчасти" as parts of motor cars (8708), not as drone parts', () => {
    // "авто" names the owner of the parts; "запчасти для дронов" is not met by its "запчасти" alone.
    expect(reading('автозапчасти')).toBe('8708')
    expect(verdictToRussia('автозапчасти')).toBe('clear')
    expect(reading('мотозапчасти')).toBe('8714')
    // Parts of nothing named are not the parts of drones a trade phrase names.
    expect(reading('запчасти')).not.toBe('8807')
    expect(verdictToRussia('запчасти')).not.toBe('high_risk')
    // The phrase still reads when the description names the owner.
    expect(reading('запчасти для дронов')).toBe('8807')
  })
})

// Two lines of the table that BENCHMARKS.md step 34 reads right by method, not by a row of data.
describe('a short name read by the material and the owner it gives its goods', () => {
  // The name gives its goods a material: the chapter of that material (48, paper) over 9619's
  // napkins (diapers), "of any material".
  it('"paper napkins" → heading 4818', () => {
    expect(reading('paper napkins')).toBe('4818')
  })
  // 9402 names dentists', barbers' or similar chairs; a name without an owner is chairs in general,
  // which 9401 files as seats.
  it('"plastic garden chairs" → heading 9401', () => {
    expect(reading('plastic garden chairs')).toBe('9401')
  })
  it('"garden chairs" → heading 9401', () => {
    expect(reading('garden chairs')).toBe('9401')
  })
  // Named by the owner, the goods are 9402's still.
  it.each(["barbers' chairs", 'dentist chair'])('"%s" → heading 9402', (line) => {
    expect(reading(line)).toBe('9402')
  })
  // The goods 9619 names, with no material given: still 9619.
  it('"baby diapers" → heading 9619', () => {
    expect(reading('baby diapers')).toBe('9619')
  })
})

// Lines of the table the engine still misreads (BENCHMARKS.md, step 26 and the list after it):
// each asserts what a person reads, marked `fails` so that a change that fixes one turns it red and
// the mark is removed. Every general fix measured for them cost hsbench-names rows.
describe('lines still misread, with what a person reads', () => {
  // A hand-held transceiver (8525.60); no text names walkie-talkies, WordNet reads "radio". Its
  // definition's "receiver and transmitter" (or "reception", "transmission") do not reach 8525.60 first:
  // 8517.69's own text holds both (BENCHMARKS.md step 39).
  it.fails('"walkie talkie" → heading 8525', () => {
    expect(reading('walkie talkie')).toBe('8525')
  })
  // No shipped line names an electric interference-suppression filter: the honest outcome is a
  // reading too weak to clear, reviewed to Russia; today it reads oil filters (8421.23) and clears.
  // Calibrated, such readings (2 words of 3 unexplained) are right about 1 time in 5, above the
  // unreadable threshold; the rules that reviewed it cost false alarms (BENCHMARKS.md step 39).
  it.fails('"EMI suppression filter" is not cleared to Russia on a reading of oil filters', () => {
    expect(verdictToRussia('EMI suppression filter')).not.toBe('clear')
  })
})

describe('product names beside a model code', () => {
  it('does not read "DJI Mavic 3T" (a drone) as malic acid: unread, so reviewed on the way to Russia', () => {
    const c = testEngine().classifier.classify('DJI Mavic 3T')
    expect(c.corrections).toEqual([])
    expect(c.candidates[0]?.hs6.slice(0, 2)).not.toBe('29')
    expect(verdictToRussia('DJI Mavic 3T')).toBe('review')
  })
})

describe('words the tariff texts name once or twice', () => {
  // The reading is a seat (9401), still not 8713 "carriages for disabled persons": WordNet's chair →
  // seat chain does not reach the HS wording. It is no longer a switchboard.
  it('reads "wheelchair" (one line, among switchboards) by its WordNet hypernyms, not as a switchboard', () => {
    const c = testEngine().classifier.classify('wheelchair')
    expect(c.candidates[0]?.hs6.slice(0, 4)).not.toBe('8537')
    expect(c.corrections).toContainEqual({ from: 'wheelchair', to: 'chair (WordNet hypernym)' })
  })
})

describe('words that are also names of JavaScript object members', () => {
  it('reads "constructor" and "toString" as words, not crash', () => {
    expect(() => testEngine().classifier.classify('constructor toString kit')).not.toThrow()
  })
})

describe('electronic components named by part number and maker', () => {
  it.each([
    ['ADUM1401ARWZ Analog Devices', '8542'],
    ['TPS54331 Texas Instruments', '8542'],
    ['AD9361BBCZ Analog Devices RF transceiver', '8542'],
  ])('%s → heading %s, the maker read as evidence, not as goods words', (description, heading) => {
    const c = testEngine().classifier.classify(description)
    expect(c.candidates[0]!.hs6.slice(0, 4)).toBe(heading)
    expect(c.candidates[0]!.explicit).toBe(true)
  })

  it('reads a part of a maker whose parts spread over CHP headings as a CHP component, not clear', () => {
    // Diodes Inc.: diodes and ICs, no heading at 80 % of its listed parts, almost all on CHP codes.
    expect(verdictToRussia('QXZ5521 Diodes Incorporated')).not.toBe('clear')
    const c = testEngine().classifier.classify('QXZ5521 Diodes Incorporated')
    expect(c.candidates[0]!.evidence[0]).toMatch(/under codes on the CHP list/)
  })

  it('gives a curated part-number family a confidence from the parts it matches in a parts list', () => {
    const c = testEngine().classifier.classify('STM32F405RGT6 STMicroelectronics')
    expect(c.candidates[0]!.hs6).toBe('854231')
    expect(c.confidence).toBeGreaterThan(0.9)
  })

  it('keeps ordinary goods with model numbers reading as the goods', () => {
    expect(reading('Samsung 980 PRO 1TB NVMe SSD')).toBe('8471')
    expect(reading('Keysight DSOX1204G digital oscilloscope')).toBe('9030')
    // "Silicon" is also a maker's first word (Silicon Labs); without a part number it is the goods.
    expect(reading('silicon wafers')).toBe('3818')
  })

  it('does not read a conglomerate name beside a model number as a component class', () => {
    const c = testEngine().classifier.classify('ZX-2000 Samsung')
    expect(c.candidates[0]?.hs6.slice(0, 4)).not.toBe('8532')
  })
})
