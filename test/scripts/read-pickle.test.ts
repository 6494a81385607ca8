import { describe, expect, it } from 'vitest'
import { readStringListPickle } from '../../scripts/read-pickle'

// pickle.dumps([['8504', 'ТРАНСФОРМАТОРЫ'], ['8481', 'КЛАПАНЫ']], protocol=4), without the FRAME opcode.
const PICKLE = Buffer.concat([
  Buffer.from([0x80, 0x04, 0x5d, 0x94, 0x28]),
  ...[
    ['8504', 'ТРАНСФОРМАТОРЫ'],
    ['8481', 'КЛАПАНЫ'],
  ].map(([code, text]) => {
    const c = Buffer.from(code!, 'utf8')
    const t = Buffer.from(text!, 'utf8')
    return Buffer.concat([
      Buffer.from([0x5d, 0x94, 0x28, 0x8c, c.length]),
      c,
      Buffer.from([0x94, 0x8c, t.length]),
      t,
      Buffer.from([0x94, 0x65]),
    ])
  }),
  Buffer.from([0x65, 0x2e]),
])

describe('readStringListPickle', () => {
  it('reads a pickled list of [code, text] lists', () => {
    expect(readStringListPickle(PICKLE)).toEqual([
      ['8504', 'ТРАНСФОРМАТОРЫ'],
      ['8481', 'КЛАПАНЫ'],
    ])
  })

  it('refuses an opcode it does not know instead of guessing', () => {
    expect(() => readStringListPickle(Buffer.from([0x80, 0x04, 0x4b, 0x01, 0x2e]))).toThrow(
      /unsupported opcode 0x4b/,
    )
  })
})
