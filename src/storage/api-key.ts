/**
 * @module storage/api-key
 * API key format and hashing. A key is `du_<id>_<secret>`: the id finds the row, the whole key is
 * hashed with SHA-256 and only the hash is stored. 32 random bytes make a dictionary or brute-force
 * attack on the hash pointless, so a slow KDF buys nothing here. Web Crypto only: runs in Node and Workers.
 */
const KEY_RE = /^du_([0-9a-z]{16})_([A-Za-z0-9_-]{43})$/

function base64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function hex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** A new key and its id; show `key` once, store only `sha256Hex(key)`. */
export function generateApiKey(): { id: string; key: string } {
  const idBytes = crypto.getRandomValues(new Uint8Array(8))
  const id = hex(idBytes)
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)))
  return { id, key: `du_${id}_${secret}` }
}

/** The key id of a well-formed key, or null. */
export function parseApiKey(key: string): string | null {
  const m = KEY_RE.exec(key)
  return m ? m[1]! : null
}

/**
 * Compares two equal-length hex digests without an early exit, so the time taken does not reveal
 * how many leading characters matched.
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
