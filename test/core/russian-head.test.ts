import { describe, expect, it } from 'vitest'
import {
  isRussianAdjective,
  lineTermRoles,
  russianHeadIndex,
} from '../../src/core/classify/line-roles'

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
