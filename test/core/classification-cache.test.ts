import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import {
  CLASSIFICATION_CACHE_ENTRIES,
  classificationCache,
} from '../../src/core/classify/classification-cache'
import type { Classification } from '../../src/core/classify/classifier'
import { createEngine, type Engine } from '../../src/core/engine'

// Two engines (seconds each): one with the cache of readings, one as made by default (no cache).
let cached: Engine
let fresh: Engine
beforeAll(() => {
  const json = readFileSync(join(import.meta.dirname, '../../data/build/catalogue.json'), 'utf8')
  cached = createEngine(JSON.parse(json), {
    classificationCacheEntries: CLASSIFICATION_CACHE_ENTRIES,
  })
  fresh = createEngine(JSON.parse(json)) // the default: no cache
}, 120_000)

const request = (input: Record<string, unknown>) => parseCheckRequest(input)

describe('the engine’s cache of readings: a repeated invoice line', () => {
  it('gets the same result on every row as from an engine that reads it afresh, route by route', () => {
    const description = 'SKF 6205-2RS deep groove ball bearing'
    // The same SKU on many rows, each with its own route and declared code: the reading is shared,
    // the verdict is not (Germany-made to Russia is prohibited, to Kazakhstan it is not).
    const rows = [
      { description, destination: 'RU', reference: 'r1' },
      { description, destination: 'RU', origin: 'DE', reference: 'r2' },
      { description, destination: 'KZ', hs_code: '8482.10', reference: 'r3' },
      { description, destination: 'AM', final_destination: 'RU', regime: 'EU', reference: 'r4' },
      { description, destination: 'RU', reference: 'r5' },
    ]
    const verdicts = new Set<string>()
    for (const row of rows) {
      const result = checkGoods(cached, request(row))
      expect(result).toEqual(checkGoods(fresh, request(row)))
      verdicts.add(result.verdict)
    }
    expect(verdicts.size).toBeGreaterThan(1)
    expect(cached.classifications.size).toBe(1)
  })

  it('keys on the description exactly as given: another spelling is read on its own', () => {
    for (const description of ['USB webcam', 'usb webcam', 'USB  webcam', 'USB webcam.']) {
      const row = { description, destination: 'RU' }
      expect(checkGoods(cached, request(row))).toEqual(checkGoods(fresh, request(row)))
    }
  })

  it('freezes a reading it keeps, so a caller cannot change what the next row with the line reads', () => {
    // The first time a line is only noted: that reading is the caller's alone, never handed out again.
    const first = cached.classifications.classify('needle roller bearing')
    const reading = cached.classifications.classify('needle roller bearing')
    expect(reading).not.toBe(first)
    expect(cached.classifications.classify('needle roller bearing')).toBe(reading)
    const before = JSON.stringify(reading)
    expect(() => {
      reading.candidates[0]!.hs6 = '010121'
    }).toThrow(TypeError)
    expect(() => reading.candidates.pop()).toThrow(TypeError)
    expect(() => reading.candidates[0]!.evidence.push('x')).toThrow(TypeError)
    expect(JSON.stringify(cached.classifications.classify('needle roller bearing'))).toBe(before)
  })
})

describe('classificationCache', () => {
  const counting = () => {
    const reads: string[] = []
    const classifier = {
      classify(description: string): Classification {
        reads.push(description)
        return {
          candidates: [],
          textStrength: 0,
          confidence: 0,
          explicit: [],
          manufacturers: [],
          corrections: [],
        }
      },
    }
    return { reads, classifier }
  }

  it('keeps a reading only when its line comes again, so an upload of distinct lines keeps none', () => {
    const { reads, classifier } = counting()
    const cache = classificationCache(classifier, 3)
    for (let i = 0; i < 100; i++) cache.classify(`line ${i}`)
    expect(cache.size).toBe(0)
    cache.classify('a')
    cache.classify('a')
    cache.classify('a')
    expect(reads.filter((d) => d === 'a')).toHaveLength(2)
    expect(cache.size).toBe(1)
  })

  it('stays within its cap and drops the least recently used reading first', () => {
    const { reads, classifier } = counting()
    const cache = classificationCache(classifier, 3)
    // Each line twice: read twice, then kept.
    for (const d of ['a', 'a', 'b', 'b', 'c', 'c']) cache.classify(d)
    expect(cache.size).toBe(3)
    cache.classify('a')
    for (const d of ['d', 'd']) cache.classify(d)
    // 'a' was used again before 'd' came, so 'b' went.
    expect(cache.size).toBe(3)
    reads.length = 0
    for (const d of ['a', 'c', 'd', 'b']) cache.classify(d)
    expect(reads).toEqual(['b'])
    for (let i = 0; i < 100; i++) for (const d of [`line ${i}`, `line ${i}`]) cache.classify(d)
    expect(cache.size).toBe(3)
    expect(cache.capacity).toBe(3)
  })

  it('with capacity 0 reads every line afresh and keeps nothing', () => {
    const { reads, classifier } = counting()
    const cache = classificationCache(classifier, 0)
    cache.classify('a')
    cache.classify('a')
    expect(reads).toEqual(['a', 'a'])
    expect(cache.size).toBe(0)
  })

  // A server's engine serves every tenant: a kept reading would answer faster, and that speed would
  // tell one tenant what another checked. Only the CLI batch (one operator's file) turns it on.
  it('is off unless asked for: an engine shared by tenants keeps no reading', () => {
    expect(fresh.classifications.capacity).toBe(0)
    expect(cached.classifications.capacity).toBe(CLASSIFICATION_CACHE_ENTRIES)
  })
})
