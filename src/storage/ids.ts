/**
 * @module storage/ids
 * ULID-style ids (48-bit millisecond time + 80 random bits, Crockford base32): unique, and sortable
 * by creation time, which keeps the newest-first index cheap. Monotonic within a process: ids made in
 * the same millisecond count up from the first one's random part, so a listing ordered by
 * (created_at, id) keeps the order checks were made in, even several per millisecond.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

let lastTime = -1
let lastRandom: number[] = []

export function ulid(now: number = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  if (now !== lastTime || !increment(lastRandom)) {
    const bytes = randomBytes(16)
    lastRandom = Array.from({ length: 16 }, (_, i) => bytes[i]! % 32)
    lastTime = now
  }
  let rand = ''
  for (const digit of lastRandom) rand += ALPHABET[digit]
  return time + rand
}

/** Adds one to base-32 digits in place; false when they were all at the maximum. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]!++
      return true
    }
    digits[i] = 0
  }
  return false
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
export const newBatchId = (): string => `bat_${ulid()}`
export const newWebhookEventId = (): string => `evt_${ulid()}`
export const newWebhookEndpointId = (): string => `whe_${ulid()}`
export const newWebhookAttemptId = (): string => `wha_${ulid()}`
