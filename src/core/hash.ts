/**
 * @module hash
 * SHA-256 as lowercase hex through Web Crypto, so the same code runs in Node and in Workers.
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  )
  let out = ''
  for (const b of digest) out += b.toString(16).padStart(2, '0')
  return out
}
