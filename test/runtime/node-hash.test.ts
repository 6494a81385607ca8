import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/core/hash'
import { nodeSha256Hex } from '../../src/runtime/node-hash'

describe('nodeSha256Hex', () => {
  // Keys are hashed by the CLI with Web Crypto and checked by the Node server with node:crypto.
  it('gives the Web Crypto digest, for ASCII keys and for non-ASCII text', async () => {
    for (const text of [
      '',
      'du_0123456789abcdef_secret',
      'подшипник 6205 – ½"',
      '😀'.repeat(100),
    ]) {
      expect(await nodeSha256Hex(text)).toBe(await sha256Hex(text))
    }
  })
})
