import { describe, expect, it } from 'vitest'
import { RankedCandidate } from '../../src/core/classify/ranked-candidate'

const plain = {
  hs6: '848210',
  title: 'Ball bearings',
  score: 0.8,
  evidence: ['matched "bearing" in HS 2022 "Ball bearings"'],
  explicit: false,
  namesGoods: true,
}

function lazy(calls: { n: number }) {
  return new RankedCandidate(
    plain.hs6,
    plain.title,
    plain.score,
    () => {
      calls.n++
      return [...plain.evidence]
    },
    plain.explicit,
    plain.namesGoods,
  )
}

describe('RankedCandidate', () => {
  it('writes its evidence lines only when read, once', () => {
    const calls = { n: 0 }
    const c = lazy(calls)
    expect(c.score).toBe(0.8)
    expect(calls.n).toBe(0)
    const first = c.evidence
    expect(c.evidence).toBe(first)
    expect(first).toEqual(plain.evidence)
    expect(calls.n).toBe(1)
  })

  it('serialises and spreads as the plain candidate does, keys in the same order', () => {
    const c = lazy({ n: 0 })
    expect(JSON.stringify(c)).toBe(JSON.stringify(plain))
    expect(JSON.stringify([c])).toBe(JSON.stringify([plain]))
    expect({ ...c.toJSON() }).toEqual(plain)
  })

  it('still writes its lines once frozen, and hands them out frozen (the classification cache freezes what it keeps)', () => {
    const calls = { n: 0 }
    const c = Object.freeze(lazy(calls))
    expect(c.evidence).toEqual(plain.evidence)
    expect(calls.n).toBe(1)
    expect(() => c.evidence.push('x')).toThrow(TypeError)
    const readBefore = lazy(calls)
    const lines = readBefore.evidence
    Object.freeze(readBefore)
    expect(Object.isFrozen(readBefore.evidence)).toBe(true)
    expect(readBefore.evidence).toBe(lines)
  })

  it('keeps lines set on it, as a plain object would', () => {
    const calls = { n: 0 }
    const c = lazy(calls)
    c.evidence = ['set']
    expect(c.evidence).toEqual(['set'])
    expect(calls.n).toBe(0)
  })
})
