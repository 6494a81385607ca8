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
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let rand = ''
  for (const b of bytes) rand += ALPHABET[b % 32]
  return time + rand
}

export const newCheckId = (): string => `chk_${ulid()}`
export const newTenantId = (): string => `ten_${ulid()}`
