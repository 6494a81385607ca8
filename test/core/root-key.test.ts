import { describe, expect, it } from 'vitest'
import { rootKeyVerifier, timingSafeEqualBytes } from '../../src/core/admin/root-key'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('timingSafeEqualBytes', () => {
  it('is true for equal bytes, empty ones included', () => {
    expect(timingSafeEqualBytes(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true)
    expect(timingSafeEqualBytes(bytes(), bytes())).toBe(true)
  })

  it('is false when any byte differs, first, middle or last', () => {
    expect(timingSafeEqualBytes(bytes(9, 2, 3), bytes(1, 2, 3))).toBe(false)
    expect(timingSafeEqualBytes(bytes(1, 9, 3), bytes(1, 2, 3))).toBe(false)
    expect(timingSafeEqualBytes(bytes(1, 2, 9), bytes(1, 2, 3))).toBe(false)
  })

  it('is false for different lengths, a prefix included', () => {
    expect(timingSafeEqualBytes(bytes(1, 2), bytes(1, 2, 3))).toBe(false)
    expect(timingSafeEqualBytes(bytes(1, 2, 3), bytes())).toBe(false)
  })
})

describe('rootKeyVerifier', () => {
  const root = `root-${'k'.repeat(40)}`
  const verify = rootKeyVerifier(root)

  it('accepts the root key, as often as asked', async () => {
    expect(await verify(root)).toBe(true)
    expect(await verify(root)).toBe(true)
  })

  it.each([
    ['a different key of the same length', 'x'.repeat(root.length)],
    ['the key with its last character changed', `${root.slice(0, -1)}x`],
    ['a prefix of the key', root.slice(0, -1)],
    ['the key with more after it', `${root}k`],
    ['an empty string', ''],
    ['the key in another case', root.toUpperCase()],
  ])('refuses %s', async (_label, presented) => {
    expect(await verify(presented)).toBe(false)
  })

  it('does not keep the key on the verifier', () => {
    expect(JSON.stringify(verify)).toBeUndefined()
    expect(Object.values(verify)).toEqual([])
  })
})
