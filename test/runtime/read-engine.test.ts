import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'
import { DEFAULT_CATALOGUE_PATH, readCatalogue, readEngine } from '../../src/runtime/catalogue-file'

describe('readEngine with the prebuilt text index of npm run build:index', () => {
  it('checks goods exactly as an engine that builds its own index', () => {
    const loaded = readEngine()
    const built = createEngine(readCatalogue())
    for (const description of [
      'SKF 6205-2RS deep groove ball bearing',
      'helicopter tail boom',
      'plastic garden chairs',
      'Антенна GPS активная',
    ]) {
      const request = parseCheckRequest({ description, destination: 'RU' })
      expect(checkGoods(loaded, request)).toEqual(checkGoods(built, request))
    }
  })
})

describe('readCatalogue (read in 64 KiB pieces to spare the batch threads memory)', () => {
  it('reads the built catalogue exactly as one whole read does', () => {
    expect(readCatalogue()).toEqual(JSON.parse(readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8')))
  })

  it('keeps Cyrillic and other multi-byte characters that a piece boundary splits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'))
    try {
      const path = join(dir, 'catalogue.json')
      // 11 bytes of prefix and a 24-byte unit: the boundary at byte 65,536 falls inside a two-byte
      // letter, the one at 131,072 inside the four-byte emoji.
      const text = `xx${'подшипник 🔩 '.repeat(20_000)}`
      writeFileSync(path, JSON.stringify({ text }))
      expect(readCatalogue(path)).toEqual({ text })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
