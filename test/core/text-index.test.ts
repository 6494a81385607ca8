import { describe, expect, it } from 'vitest'
import type { VocabLine } from '../../src/core/catalogue/types'
import { LINE_ROLE, lineTermRoles } from '../../src/core/classify/line-roles'
import {
  clearStemCache,
  stem,
  stemmedWords,
  stemmerFingerprint,
} from '../../src/core/classify/text'
import {
  buildTextIndex,
  clearScores,
  deserializeTextIndex,
  headingIdf,
  headMaskOf,
  maskOf,
  newScratch,
  scoreLines,
  scoreOf,
  serializeTextIndex,
  type TextIndex,
  withoutExclusions,
} from '../../src/core/classify/text-index'

const vocab: VocabLine[] = [
  { code: '848210', text: 'Ball bearings', source: 'hs2022' },
  { code: '848291', text: 'Bearings; parts, balls, needles and rollers', source: 'hs2022' },
  {
    code: '430110',
    text: 'Furskins; raw, of mink, whole, with or without head, tail or paws',
    source: 'hs2022',
  },
  { code: '880730', text: 'helicopter tail boom', source: 'uk_search_reference' },
]
const key = { dataVersion: 'abc', builtAt: '2026-12-06T00:00:00.000Z' }

function scores(index: TextIndex, query: { term: string; weight: number; role?: 'head' }[]) {
  const scratch = newScratch(index)
  scoreLines(index, query, scratch)
  const out = index.lineCode.map((_, line) => scoreOf(scratch, line))
  clearScores(scratch)
  return out
}

describe('which lines name their goods by a query word', () => {
  it('marks a line whose head the word is, not one where it only qualifies the goods', () => {
    const index = buildTextIndex(vocab)
    const scratch = newScratch(index)
    scoreLines(index, [{ term: 'ball', weight: 1, role: 'head' }], scratch)
    // "Ball bearings" names bearings; "Bearings; parts, balls, ..." names balls among its parts.
    expect(maskOf(scratch, 0)).toBe(1)
    expect(headMaskOf(scratch, 0)).toBe(0)
    expect(headMaskOf(scratch, 1)).toBe(1)
    clearScores(scratch)
    expect(index.lineCode.every((_, line) => headMaskOf(scratch, line) === 0)).toBe(true)
  })
})

describe('prebuilt text index', () => {
  it('scores exactly as the index it was serialized from', () => {
    const built = buildTextIndex(vocab)
    const loaded = deserializeTextIndex(serializeTextIndex(built, key), vocab, key)!
    const query = [
      { term: 'bear', weight: 2.5, role: 'head' as const },
      { term: 'ball', weight: 1.2 },
      { term: 'tail', weight: 1 },
    ]
    expect(scores(loaded, query)).toEqual(scores(built, query))
    expect([...loaded.termIds.keys()]).toEqual([...built.termIds.keys()])
    expect(Array.from(loaded.idf)).toEqual(Array.from(built.idf))
  })

  it('is refused when built from another catalogue, so the engine builds its own', () => {
    const bytes = serializeTextIndex(buildTextIndex(vocab), key)
    expect(deserializeTextIndex(bytes, vocab, { ...key, builtAt: 'later' })).toBeNull()
    expect(deserializeTextIndex(bytes, vocab.slice(1), key)).toBeNull()
    expect(deserializeTextIndex(new Uint8Array([1, 2]), vocab, key)).toBeNull()
  })

  it('seeds the stem cache with the stems it carries, so an engine loading it does not stem them again', () => {
    // A word no other test stems, carried with a stem the stemmer would never make: only the seed
    // can answer it.
    const table = { stemmer: stemmerFingerprint(), words: ['quuxwidgets'], stems: ['seeded-stem'] }
    const bytes = serializeTextIndex(buildTextIndex(vocab), key, table)
    expect(headerOf(bytes).stemmed).toEqual(table)
    expect(deserializeTextIndex(bytes, vocab, key)).not.toBeNull()
    expect(stem('quuxwidgets')).toBe('seeded-stem')
  })

  it('seeds no stems made by another stemmer (the index is still loaded)', () => {
    // Saved by a build whose stemmer differed (a changed exception, say): its stems are not trusted.
    const bytes = serializeTextIndex(buildTextIndex(vocab), key, {
      stemmer: 'another-stemmer',
      words: ['quuxgizmos'],
      stems: ['seeded-stem'],
    })
    expect(deserializeTextIndex(bytes, vocab, key)).not.toBeNull()
    expect(stem('quuxgizmos')).toBe('quuxgizmo')
  })

  it('takes its table from the words stemmed since the cache was cleared (npm run build:index)', () => {
    clearStemCache()
    const stems = ['bearings', 'valves'].map((w) => stem(w))
    expect(stemmedWords()).toEqual({
      stemmer: stemmerFingerprint(),
      words: ['bearings', 'valves'],
      stems,
    })
  })

  it('seeds nothing when refused (built from another catalogue)', () => {
    const bytes = serializeTextIndex(buildTextIndex(vocab), key, {
      stemmer: stemmerFingerprint(),
      words: ['quuxgadgets'],
      stems: ['seeded-stem'],
    })
    expect(deserializeTextIndex(bytes, vocab, { ...key, builtAt: 'later' })).toBeNull()
    expect(stem('quuxgadgets')).toBe('quuxgadget')
  })

  it('loads from a buffer that does not start on an 8-byte boundary', () => {
    const bytes = serializeTextIndex(buildTextIndex(vocab), key)
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    expect(deserializeTextIndex(shifted.subarray(3), vocab, key)).not.toBeNull()
  })
})

/** The JSON header of a serialized index. */
function headerOf(bytes: Uint8Array) {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)
  return JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)))
}

describe('heading idf', () => {
  it('weighs a word by how many headings hold it, not by how many lines repeat it', () => {
    // "seats" repeated by five lines of heading 9401; "chairs" once in each of three other headings.
    const lines: VocabLine[] = [
      ...['940161', '940169', '940171', '940179', '940180'].map((code) => ({
        code,
        text: 'Other seats, upholstered',
        source: 'htsus_2025' as const,
      })),
      { code: '940210', text: 'Barbers chairs', source: 'hs2022' },
      { code: '842860', text: 'Chair lifts', source: 'hs2022' },
      { code: '630499', text: 'Chair covers', source: 'hs2022' },
      { code: '870899', text: 'Vehicle parts', source: 'hs2022' },
    ]
    const index = buildTextIndex(lines)
    const seat = index.termIds.get('seat')!
    const chair = index.termIds.get('chair')!
    // Per line "seats" is the commoner word (5 lines against 3)...
    expect(index.idf[seat]!).toBeLessThan(index.idf[chair]!)
    // ... per heading the rarer (1 heading against 3): it tells more about the heading.
    const byHeading = headingIdf(index)
    expect(byHeading[seat]!).toBeGreaterThan(byHeading[chair]!)
    // A loaded index gives the same heading idf as the built one.
    const loaded = deserializeTextIndex(serializeTextIndex(index, key), lines, key)!
    expect(Array.from(headingIdf(loaded))).toEqual(Array.from(byHeading))
  })
})

describe('line roles', () => {
  it('reads the goods before a segment that names parts as what the parts belong to', () => {
    // Motorcycles, (including) mopeds; parts, accessories: the line names parts, not motorcycles.
    expect(lineTermRoles('Motorcycles (including mopeds); parts and accessories')).toEqual([
      LINE_ROLE.goods,
      LINE_ROLE.qualifier,
      LINE_ROLE.head,
      LINE_ROLE.head,
    ])
    // Without a parts segment the goods stay the head.
    expect(lineTermRoles('Motorcycles (including mopeds)')[0]).toBe(LINE_ROLE.head)
  })

  it('reads the first half of a hyphenated head as inside the compound, not as a free word', () => {
    // "Brakes and servo-brakes" names brakes; "servo" modifies them inside one word.
    expect(lineTermRoles('Brakes and servo-brakes')).toEqual([
      LINE_ROLE.head, // brake
      LINE_ROLE.inCompound, // servo
      LINE_ROLE.head, // brake
      LINE_ROLE.head, // servobrak
    ])
    // A hyphenated goods word keeps its role ("Entry-phone systems" names systems).
    expect(lineTermRoles('Entry-phone systems')[0]).toBe(LINE_ROLE.goods)
    // A Russian compound is headed by both its nouns.
    expect(lineTermRoles('автомобили-самосвалы')).not.toContain(LINE_ROLE.inCompound)
  })

  it('reads the goods after "and other" as goods of the kind, not as a qualifier', () => {
    // "Carpets and other textile floor coverings": the line names carpets (its head) and, as a
    // residual genus, textile floor coverings (goods words), not "floor coverings" as a purpose.
    expect(lineTermRoles('Carpets and other textile floor coverings; tufted')).toEqual([
      LINE_ROLE.head, // carpet
      LINE_ROLE.goods, // textil
      LINE_ROLE.goods, // floor
      LINE_ROLE.goods, // cover
      LINE_ROLE.head, // tuft
    ])
    expect(lineTermRoles('Yachts, rowing boats and other vessels')).toEqual([
      LINE_ROLE.head,
      LINE_ROLE.goods,
      LINE_ROLE.head,
      LINE_ROLE.goods,
    ])
  })

  it('keeps a segment that opens with "Other" as the residual, and "other than" as a breaker', () => {
    // "Other seats" is what the named sibling subheadings leave: its words do not head the line.
    expect(lineTermRoles('Other seats, with wooden frames')).toEqual([
      LINE_ROLE.qualifier,
      LINE_ROLE.qualifier,
      LINE_ROLE.qualifier,
    ])
    expect(lineTermRoles('Seats: Other seats')).toEqual([LINE_ROLE.head, LINE_ROLE.qualifier])
    // "other" after the goods but not opening a phrase of its own still qualifies.
    expect(lineTermRoles('Lasers and other than diodes')[1]).toBe(LINE_ROLE.qualifier)
    // Russian "прочие" reads as an adjective: the noun after it is the head.
    expect(lineTermRoles('Двигатели и прочие машины')).toEqual([LINE_ROLE.head, LINE_ROLE.head])
  })
})

describe('exclusions in tariff lines', () => {
  it('leaves out a Russian "кроме" / "за исключением" clause, as "other than" in English', () => {
    expect(withoutExclusions('Ткани, кроме тканей товарной позиции 5806; нетканые')).toBe(
      'Ткани,  ; нетканые',
    )
    expect(withoutExclusions('Кабели, за исключением оптических')).toBe('Кабели,  ')
    // Word edges: "кроме" inside another word is no exclusion.
    expect(withoutExclusions('накроме')).toBe('накроме')
  })

  it('leaves out a negated Russian property to the next comma, but not "или не" nor a bound', () => {
    expect(withoutExclusions('рыба соленая, но не сушеная или не копченая, и рыба в рассоле')).toBe(
      'рыба соленая, но  , и рыба в рассоле',
    )
    expect(withoutExclusions('содержащие или не содержащие сахар')).toBe(
      'содержащие или не содержащие сахар',
    )
    expect(withoutExclusions('с момента выпуска которых прошло не более 3 лет')).toBe(
      'с момента выпуска которых прошло не более 3 лет',
    )
  })
})
