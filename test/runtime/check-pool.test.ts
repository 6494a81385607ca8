/**
 * The Node server's check threads: the same results as the engine in this thread, the catalogue's
 * summary read by the threads (the main thread never parses the catalogue), and a clear failure (not
 * a hang) when the threads cannot build their engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkGoods } from '../../src/core/check-goods'
import { createEngine, summarizeCatalogue } from '../../src/core/engine'
import { AppError } from '../../src/core/errors'
import { CheckRequestSchema } from '../../src/core/schemas'
import { DEFAULT_CATALOGUE_PATH, readCatalogue } from '../../src/runtime/catalogue-file'
import { type CheckPool, startCheckPool } from '../../src/runtime/check-pool'

const catalogue = readCatalogue()
let pool: CheckPool
beforeAll(async () => {
  pool = await startCheckPool({
    cataloguePath: DEFAULT_CATALOGUE_PATH,
    threads: 2,
  })
}, 60_000)
afterAll(async () => {
  await pool?.close()
})

describe('startCheckPool', () => {
  it('answers concurrent checks exactly as the engine does in this thread', async () => {
    const engine = createEngine(catalogue)
    const requests = [
      { description: 'SKF 6205-2RS bearings', destination: 'KZ', final_destination: 'RU' },
      { description: 'wooden dining chair', destination: 'DE' },
      { description: 'STM32F407 microcontroller', destination: 'AM', origin: 'US' },
      { description: 'подшипник шариковый 6305', destination: 'RU', origin: 'KZ' },
      { description: 'CNC milling machine', destination: 'KG', hs_code: '8459.61', regime: 'EU' },
    ].map((r) => CheckRequestSchema.parse(r))
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => pool.check(requests[i % requests.length]!)),
    )
    answers.forEach((answer, i) => {
      expect(answer).toEqual(checkGoods(engine, requests[i % requests.length]!))
    })
    expect(pool.versions).toEqual(engine.versions)
    // The summary the main thread serves lists and imports from comes from the threads' catalogue.
    expect(pool.summary).toEqual(summarizeCatalogue(catalogue))
    // The serialized result is byte for byte what this thread would have serialized.
    const { json } = await pool.checkAsJson!(requests[0]!)
    expect(json).toBe(JSON.stringify(checkGoods(engine, requests[0]!)))
  })

  it('fails the checks a dying thread held, says it is not ready, and checks again once replaced', async () => {
    const crashing = await startCheckPool({
      cataloguePath: DEFAULT_CATALOGUE_PATH,
      threads: 1,
      entry: new URL('./fixtures/crashing-check-thread.ts', import.meta.url),
      maxWaitMs: 200,
    })
    try {
      const chair = CheckRequestSchema.parse({ description: 'wooden chair', destination: 'DE' })
      expect((await crashing.check(chair)).verdict).toBe('clear')
      const crash = CheckRequestSchema.parse({
        description: 'crash this thread',
        destination: 'DE',
      })
      await expect(crashing.check(crash)).rejects.toThrow(/check thread stopped \(exit code 3\)/)
      // No thread until the replacement (1 s pause, then its engine build): /healthz says 503, and a
      // check waits at most maxWaitMs before a 503 of its own.
      expect(crashing.isReady?.()).toBe(false)
      await expect(crashing.check(chair)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' })
      const readyBy = Date.now() + 30_000
      while (!crashing.isReady?.() && Date.now() < readyBy) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect((await crashing.check(chair)).verdict).toBe('clear')
    } finally {
      await crashing.close()
    }
  }, 60_000)

  it('fails to start with the catalogue’s own fault when a thread cannot read it', async () => {
    const started = startCheckPool({
      cataloguePath: '/nonexistent/catalogue.json',
      threads: 1,
    })
    await expect(started).rejects.toBeInstanceOf(AppError)
    // As the main thread reported it when it read the file itself: the server's one start-up line.
    await expect(started).rejects.toMatchObject({
      code: 'DATA_INVALID',
      message: expect.stringMatching(
        /^cannot read the catalogue artifact \/nonexistent\/catalogue\.json: run npm run build:index$/,
      ),
    })
  }, 30_000)
})
