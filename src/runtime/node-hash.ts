/**
 * @module runtime/node-hash
 * SHA-256 hex on Node's native hash: the same digest as the core's Web Crypto `sha256Hex`, computed
 * synchronously instead of through a thread-pool job (which cost more than the hash on every request).
 */
import { createHash } from 'node:crypto'

export async function nodeSha256Hex(text: string): Promise<string> {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
