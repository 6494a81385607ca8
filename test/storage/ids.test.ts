import { describe, expect, it } from 'vitest'
import { ulid } from '../../src/storage/ids'

describe('ulid', () => {
  it('counts up within one millisecond, so newest-first listings keep the order of creation', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0)
    const ids = Array.from({ length: 1000 }, () => ulid(now))
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
    expect(ids.every((id) => id.slice(0, 10) === ids[0]!.slice(0, 10))).toBe(true)
    // A later millisecond sorts after, whatever its random part.
    expect(ulid(now + 1) > ids.at(-1)!).toBe(true)
  })

  it('is 26 Crockford base-32 characters', () => {
    expect(ulid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
  })
})
