/**
 * gzip of batch chunk bodies: text and the same text as UTF-8 bytes (what a Node check thread sends)
 * make the same stored bytes, read back as text or as bytes.
 */
import { describe, expect, it } from 'vitest'
import { gunzipBytes, gunzipText, gzipText } from '../../src/storage/compress'

const TEXT = '{"reference":"R1","evidence":"подшипник → 8482.10…"}\n'.repeat(200)

describe('gzipText', () => {
  it('gzips UTF-8 bytes exactly as it gzips their text', async () => {
    const bytes = new TextEncoder().encode(TEXT)
    const fromBytes = await gzipText(bytes)
    expect(fromBytes).toEqual(await gzipText(TEXT))
    expect(await gunzipText(fromBytes)).toBe(TEXT)
    expect(await gunzipBytes(fromBytes)).toEqual(bytes)
    // The bytes given are read, not taken: still whole afterwards.
    expect(new TextDecoder().decode(bytes)).toBe(TEXT)
  })
})
