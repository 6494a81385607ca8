import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { createEngine } from '../../src/core/engine'
import { readCatalogue, readEngine } from '../../src/runtime/catalogue-file'

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
