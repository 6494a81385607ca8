/**
 * The readings an HTTP batch keeps (core/batch/check-chunk.ts `batchReadings`): a batch's repeated
 * descriptions are read from its own cache, found by its id alone, so another batch (another tenant)
 * reads every line afresh, and a batch's readings go when it ends.
 */
import { describe, expect, it } from 'vitest'
import { batchReadings } from '../../src/core/batch/check-chunk'
import type { Classification } from '../../src/core/classify/classifier'
import type { Engine } from '../../src/core/engine'

/** An engine whose classifier counts its readings (nothing else of the engine is read). */
function countingEngine() {
  const read: string[] = []
  const classifier = {
    classify(description: string) {
      read.push(description)
      return { candidates: [], confidence: 0 } as unknown as Classification
    },
  }
  return { engine: { classifier } as unknown as Engine, read }
}

describe('batchReadings', () => {
  it('reads a line repeated in one batch at most twice, across its chunks', () => {
    const { engine, read } = countingEngine()
    const readings = batchReadings(engine)
    for (let chunk = 0; chunk < 3; chunk++)
      for (let i = 0; i < 4; i++) readings.of('bat_a').classify('needle roller bearing')
    expect(read).toEqual(['needle roller bearing', 'needle roller bearing'])
    expect(readings.of('bat_a').size).toBe(1)
  })

  it('never serves one batch’s readings to another batch', () => {
    const { engine, read } = countingEngine()
    const readings = batchReadings(engine, 2)
    for (let i = 0; i < 3; i++) readings.of('bat_a').classify('USB webcam')
    read.length = 0
    // The other batch reads the line afresh, as if the first had never been checked.
    readings.of('bat_b').classify('USB webcam')
    readings.of('bat_b').classify('USB webcam')
    expect(read).toHaveLength(2)
    expect(readings.of('bat_b')).not.toBe(readings.of('bat_a'))
  })

  it('drops a batch’s readings at its end, or when newer batches come', () => {
    const { engine } = countingEngine()
    const readings = batchReadings(engine, 1)
    const a = readings.of('bat_a')
    expect(readings.size).toBe(1)
    readings.end('bat_a')
    expect(readings.size).toBe(0)
    expect(readings.of('bat_a')).not.toBe(a)
    // Its end never announced (a lost lease): the next batch replaces it.
    readings.of('bat_b')
    expect(readings.size).toBe(1)
    expect(readings.of('bat_b')).toBe(readings.of('bat_b'))
  })

  it('gives rows without a batch id a cache of their own, each time', () => {
    const { engine } = countingEngine()
    const readings = batchReadings(engine)
    expect(readings.of()).not.toBe(readings.of())
    expect(readings.size).toBe(0)
  })
})
