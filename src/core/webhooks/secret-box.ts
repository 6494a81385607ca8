/**
 * @module webhooks/secret-box
 * Signing secrets at rest: AES-256-GCM under a key the database does not hold (env
 * `WEBHOOK_SECRET_KEY`, see docs/webhooks.md), so a dump of the database alone does not reveal them.
 * The endpoint id is the additional authenticated data: a sealed secret copied onto another
 * endpoint's row does not open. Web Crypto, for Node and Workers alike.
 */
import { AppError } from '../errors'
import { base64ToBytes, bytesToBase64 } from './signing'

export interface SecretBox {
  /** `v1.<iv>.<ciphertext>` (base64): `plain` encrypted and bound to `context`. */
  seal(plain: string, context: string): Promise<string>
  /** The plain text of `seal(plain, context)`; throws DATA_INVALID on a wrong key or context. */
  open(sealed: string, context: string): Promise<string>
}

/** The key as configured: 32 bytes, base64. */
export function parseSecretKey(text: string): Uint8Array | null {
  try {
    const bytes = base64ToBytes(text.trim())
    return bytes.length === 32 ? bytes : null
  } catch {
    return null
  }
}

export function secretBox(rawKey: Uint8Array): SecretBox {
  // Imported once per box: the runtime builds one box per process (Node) or isolate (Worker).
  const key = crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt'])
  const encoder = new TextEncoder()
  return {
    async seal(plain, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        await key,
        encoder.encode(plain),
      )
      return `v1.${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(cipher))}`
    },
    async open(sealed, context) {
      const [version, iv, cipher] = sealed.split('.')
      try {
        if (version !== 'v1' || !iv || !cipher) throw new Error('unknown format')
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: base64ToBytes(iv), additionalData: encoder.encode(context) },
          await key,
          base64ToBytes(cipher),
        )
        return new TextDecoder().decode(plain)
      } catch (cause) {
        // Never the sealed text or the key in the message: it may be logged.
        throw new AppError(
          'DATA_INVALID',
          `the signing secret of ${context} cannot be opened (WEBHOOK_SECRET_KEY changed?)`,
          { cause },
        )
      }
    },
  }
}
