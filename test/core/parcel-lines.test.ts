/**
 * Lines as senders write them on postal customs declarations (CN22/CN23), written by the team (none
 * from an evaluation set): everyday goods are read as a person reads them, and a line that names no
 * goods ("gift") is not read at all: to Russia it is reviewed with a reason that asks what the goods are.
 */
import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { analyzeQuery } from '../../src/core/classify/query'
import { testEngine } from './engine-fixture'

const reading = (description: string) =>
  testEngine().classifier.classify(description).candidates[0]?.hs6.slice(0, 4)

const check = (description: string, destination = 'RU') =>
  checkGoods(testEngine(), parseCheckRequest({ description, destination, regime: 'KZ' }))

describe('parcel lines that name no goods', () => {
  it.each([
    'gift',
    'Gift.',
    'personal effects',
    'Personal items',
    'free sample',
    'Mixed items',
    'Birthday present',
    'gift for mum',
    'подарок',
    'личные вещи',
  ])('"%s" is not read from its words', (description) => {
    const c = testEngine().classifier.classify(description)
    expect(c.candidates).toEqual([])
    expect(c.namesNoGoods).toBeTruthy()
  })

  it('is reviewed on the way to Russia, with a reason that says no goods were named and what to add', () => {
    const r = check('gift')
    expect(r.verdict).toBe('review')
    const reason = r.reasons.find((x) => x.rule_id === 'classification.unreadable')!
    expect(reason.effect).toBe('review')
    expect(reason.text).toContain('names no goods ("gift"')
    expect(reason.text).toContain('Describe what the goods are')
  })

  it('stays clear to an ordinary destination, saying the goods were not read', () => {
    const r = check('gift', 'DE')
    expect(r.verdict).toBe('clear')
    expect(r.reasons.some((x) => x.rule_id === 'classification.unreadable')).toBe(true)
  })

  it('reads the goods when the line names them beside the words that do not', () => {
    expect(analyzeQuery('birthday present - lego').namesNoGoods).toBeNull()
    expect(reading('Gift: chocolates')).toBe('1806')
    expect(reading('gift - chocolates')).toBe('1806')
    // "sample" is not the head: the perfume is the goods.
    expect(reading('perfume sample')).toBe('3303')
  })
})

describe('everyday parcel goods read as a person reads them', () => {
  it.each([
    // A count before "of" is not a goods word: not the "pair of briefs" of a brassière set.
    ['2 pairs of sneakers', '6404'],
    ['set of 6 wine glasses', '7013'],
    // A trailing "set" yields the head to the goods before it.
    ['kitchen knife set', '8211'],
    ['screwdriver set', '8205'],
    ['2x t-shirts', '6109'],
    ['used clothing', '6309'],
    ['socks 5 pairs', '6115'],
    // A size or an age label before a number says which size, not what goods ("EU" is no pasta).
    ['shoes EU 42', '6404'],
    ['kids t-shirt age 5-6', '6109'],
    // One word before a colon at the start names the category; the goods follow it.
    ['Clothing: 3 t-shirts, 1 jeans', '6109'],
    ['Cosmetics: lipstick, mascara', '3304'],
    // Several goods in one line: the first is read.
    ['books and toys', '4901'],
    // "bearings" keeps its own stem: a teddy bear is a toy, not a ball bearing.
    ['plush teddy bear', '9503'],
  ])('%s → heading %s', (description, heading) => {
    expect(reading(description)).toBe(heading)
  })

  it('reads what a part belongs to from lines that name it, not from "laptop adapter" lines', () => {
    // Laptop parts are not parts of static converters (8504, whose 8504.40 is on the CHP list).
    expect(reading('laptop parts')).not.toBe('8504')
  })

  it('does not read two goods as the one tariff line that happens to list both', () => {
    // 9605: "Travel sets; for personal toilet, sewing, shoe or clothes cleaning".
    expect(reading('clothes and shoes')).not.toBe('9605')
  })

  it('reads a coat as a garment, not as coated steel ("coated" keeps its own stem)', () => {
    expect(reading('coat')).toMatch(/^6[12]0[12]$/)
  })

  it('lets a teddy bear go clear to Russia (no ball-bearing reading to review)', () => {
    expect(check('plush teddy bear').verdict).toBe('clear')
  })
})
