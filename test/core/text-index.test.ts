import { describe, expect, it } from 'vitest'
import type { VocabLine } from '../../src/core/catalogue/types'
import {
  buildTextIndex,
  clearScores,
  deserializeTextIndex,
  newScratch,
  scoreLines,
  serializeTextIndex,
  type TextIndex,
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
  const out = Array.from(scratch.score)
  clearScores(scratch)
  return out
}

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

  it('loads from a buffer that does not start on an 8-byte boundary', () => {
    const bytes = serializeTextIndex(buildTextIndex(vocab), key)
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    expect(deserializeTextIndex(shifted.subarray(3), vocab, key)).not.toBeNull()
  })
})
