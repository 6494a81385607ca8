/**
 * @module webhooks/signing
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,<base64 HMAC-SHA256 of
 * "{webhook-id}.{webhook-timestamp}.{body}">` under a secret written `whsec_<base64 key>`. Web Crypto
 * only, so the Node server and the Worker sign alike. Verified in tests with the reference
 * `standardwebhooks` package, not with this code.
 */

const SECRET_PREFIX = 'whsec_'
/** 32 random bytes: the HMAC-SHA256 block's worth of key, more than Standard Webhooks' 24-byte minimum. */
const SECRET_BYTES = 32

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** A new signing secret, `whsec_…`: shown to the tenant once, stored sealed. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))
}

/** The HMAC key a `whsec_…` secret stands for. Throws on anything else. */
export function signingKey(secret: string): Uint8Array {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ signing secret')
  return base64ToBytes(secret.slice(SECRET_PREFIX.length))
}

/**
 * HMAC-SHA256 of `message` (UTF-8) under `key`, base64. The default is Web Crypto, which both runtimes
 * have; Node passes its native HMAC (`runtime/node-hash.ts`), which signs in microseconds where a Web
 * Crypto job costs tens of them on every attempt.
 */
export type HmacSha256Base64 = (key: Uint8Array, message: string) => string | Promise<string>

export const webCryptoHmacSha256Base64: HmacSha256Base64 = async (key, message) => {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(message))
  return bytesToBase64(new Uint8Array(mac))
}

/** One `v1,<base64>` signature of `body` for message `id` at `timestamp` (Unix seconds). */
export async function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
  hmac: HmacSha256Base64 = webCryptoHmacSha256Base64,
): Promise<string> {
  return `v1,${await hmac(signingKey(secret), `${id}.${timestamp}.${body}`)}`
}

/**
 * The three Standard Webhooks headers for one attempt. Several secrets (during a rotation) give
 * several signatures, space-separated; a receiver accepts the message if any one verifies.
 */
export async function webhookHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  return signedHeaders(secrets.map(signingKey), id, timestamp, body)
}

/** `webhookHeaders` from the secrets' keys (`signingKey`), with the HMAC of the caller's choice. */
export async function signedHeaders(
  keys: readonly Uint8Array[],
  id: string,
  timestamp: number,
  body: string,
  hmac: HmacSha256Base64 = webCryptoHmacSha256Base64,
): Promise<Record<string, string>> {
  const signed = `${id}.${timestamp}.${body}`
  const signatures = await Promise.all(keys.map(async (k) => `v1,${await hmac(k, signed)}`))
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  }
}
