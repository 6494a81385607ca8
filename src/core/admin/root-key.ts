/**
 * @module admin/root-key
 * The root key (`ROOT_API_KEY`) authorises the admin API. It is compared in constant time: both the
 * configured and the presented key are hashed with SHA-256 first, so the comparison always runs over
 * 32 bytes whatever was sent (its length leaks nothing) and then looks at every byte without an early
 * exit. Web Crypto only: the same code runs in Node and Workers.
 */

const encoder = new TextEncoder()

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

/**
 * True if `a` and `b` hold the same bytes. Visits every byte of equal-length inputs whatever they
 * hold; inputs of different lengths are unequal at once (callers compare digests, always 32 bytes).
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/**
 * A verifier holding the root key in a closure rather than on an object that might be logged or
 * serialised. Hashes the configured key once.
 */
export function rootKeyVerifier(rootKey: string): (presented: string) => Promise<boolean> {
  const expected = sha256(rootKey)
  return async (presented) => timingSafeEqualBytes(await sha256(presented), await expected)
}
