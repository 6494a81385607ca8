/**
 * @module storage/ids
 * ULID-style ids (48-bit millisecond time + 80 random bits, Crockford base32): unique, and sortable
 * by creation time, which keeps the newest-first index cheap.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function ulid(now: number = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  const bytes = randomBytes(16)
  let rand = ''
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32]
  return time + rand
}

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one `getRandomValues` call per id cost
 * more than the rest of making it. The view is valid until the next call.
 */
const pool = new Uint8Array(4096)
let poolOffset = pool.length

function randomBytes(n: number): Uint8Array {
  if (poolOffset + n > pool.length) {
    crypto.getRandomValues(pool)
    poolOffset = 0
  }
  const view = pool.subarray(poolOffset, poolOffset + n)
  poolOffset += n
  return view
}

export const newCheckId = (): string => `chk_${ulid()}`
export const newTenantId = (): string => `ten_${ulid()}`
