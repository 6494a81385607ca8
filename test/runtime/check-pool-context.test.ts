/**
 * Check threads with a tenant's screening context (issue 12): the same results as the in-process
 * checker, the context's data sent once per thread and key, and a context the thread has dropped
 * since (more tenants than it keeps) sent again instead of failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classificationCache } from '../../src/core/classify/classification-cache'
import { createEngine } from '../../src/core/engine'
import { defaultSettings } from '../../src/core/lists/manage-settings'
import type { ScreeningContextData } from '../../src/core/lists/types'
import type { CheckedChunk } from '../../src/core/ports'
import { CheckRequestSchema } from '../../src/core/schemas'
import { DEFAULT_CATALOGUE_PATH, readCatalogue } from '../../src/runtime/catalogue-file'
import { type CheckPool, startCheckPool } from '../../src/runtime/check-pool'
import { checkChunkOn, checkerOf } from '../../src/runtime/checker'

/** A checked chunk as its results text and outcomes, however it came (strings, or UTF-8 bytes). */
function asText(chunk: CheckedChunk) {
  const text = 'utf8' in chunk ? new TextDecoder().decode(chunk.utf8) : chunk.lines.join('')
  return { text, outcomes: chunk.outcomes }
}

const catalogue = readCatalogue()
let pool: CheckPool
beforeAll(async () => {
  pool = await startCheckPool({
    cataloguePath: DEFAULT_CATALOGUE_PATH,
    threads: 1,
  })
}, 60_000)
afterAll(async () => {
  await pool?.close()
})

function context(key: string, mode: 'blocking' | 'watch'): ScreeningContextData {
  return {
    key,
    operator: [],
    tenant: [
      {
        list: { owner: 't', id: 'own', name: 'Own', mode, destinations: [] },
        version: { version: key, legalStatus: 'in_force', source: 'test', contentHash: 'h' },
        entries: [
          {
            code: '848210',
            title: 'Ball bearings',
            category: null,
            patterns: [],
            partial: false,
            text: null,
            derivation: null,
          },
        ],
      },
    ],
    suppressions: [],
    settings: defaultSettings(),
    settingsDigest: 'sha256:test',
  }
}

const AT = '2027-01-01T00:00:00.000Z'
const bearing = CheckRequestSchema.parse({
  description: 'SKF 6205-2RS bearings',
  destination: 'DE',
})

describe('check threads with a screening context', () => {
  it('answer as the in-process checker, with and without a context', async () => {
    const local = checkerOf(createEngine(catalogue))
    const inputs = [
      undefined,
      { data: context('a', 'blocking'), at: AT },
      { data: context('b', 'watch'), at: AT },
    ]
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => pool.check(bearing, inputs[i % 3])),
    )
    answers.forEach((answer, i) => {
      expect(answer).toEqual(local.check(bearing, inputs[i % 3]))
    })
    expect(answers.map((a) => a.verdict).slice(0, 3)).toEqual(['clear', 'prohibited', 'clear'])
  })

  it('sends a context again when the thread has dropped it', async () => {
    // More distinct contexts than a thread keeps (64): the first is dropped, then asked for again.
    for (let i = 0; i < 70; i++)
      await pool.check(bearing, { data: context(`k${i}`, 'watch'), at: AT })
    const again = await pool.check(bearing, { data: context('k0', 'blocking'), at: AT })
    // Same key, so the thread compiles the data the pool resends (blocking): prohibited.
    expect(again.verdict).toBe('prohibited')
  })

  it('check batch chunks with the batch’s context, named by key after the first chunk', async () => {
    const engine = createEngine(catalogue)
    const rows = [
      {
        line: 2,
        reference: 'a',
        input: { description: 'SKF 6205-2RS bearings', destination: 'DE' },
      },
      { line: 3, reference: 'b', input: { description: 'wooden chair', destination: 'DE' } },
    ]
    const screening = { data: context('batch-1', 'blocking'), at: AT }
    const first = await pool.checkChunk(rows, screening)
    // The second chunk crosses by key only: the thread compiled the data with the first.
    const second = await pool.checkChunk(rows, screening)
    const local = asText(checkChunkOn(engine, rows, screening))
    // The results come back as UTF-8 bytes (the buffer transferred), the same documents.
    expect('utf8' in first && first.utf8).toBeInstanceOf(Uint8Array)
    expect(asText(first)).toEqual(local)
    expect(asText(second)).toEqual(local)
    expect(first.outcomes[0]).toBe('prohibited')
    expect(asText(await pool.checkChunk(rows))).toEqual(asText(checkChunkOn(engine, rows)))
  })

  it('check the chunks of one batch with its readings kept in the thread, to the same results', async () => {
    const engine = createEngine(catalogue)
    const rows = Array.from({ length: 6 }, (_, i) => ({
      line: i + 2,
      reference: `r${i}`,
      input: {
        description: i % 2 ? 'wooden chair' : 'SKF 6205-2RS bearings',
        destination: ['DE', 'RU', 'KZ'][i % 3],
      },
    }))
    const screening = { data: context('batch-2', 'blocking'), at: AT }
    const afresh = classificationCache(engine.classifier, 0)
    const local = asText(checkChunkOn(engine, rows, screening, afresh))
    // Three chunks of one batch (its readings kept from the first), then the batch ends and the
    // next batch's chunk starts afresh: the same lines every time.
    for (const batch of ['bat_1', 'bat_1', 'bat_1', 'bat_2'])
      expect(asText(await pool.checkChunk(rows, screening, batch))).toEqual(local)
    pool.endBatch('bat_2')
    expect(asText(await pool.checkChunk(rows, undefined, 'bat_3'))).toEqual(
      asText(checkChunkOn(engine, rows, undefined, afresh)),
    )
  })
})
