/**
 * @module http/multipart
 * The `file` field of a `multipart/form-data` body, streamed: the web page uploads batch files this
 * way. Hono's `parseBody` would hold the whole body in memory; this yields the field's bytes as they
 * arrive, holding at most one network chunk plus a boundary's length.
 */
import { AppError } from '../core/errors'

/** The boundary of a multipart Content-Type, or null. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match ? (match[1] ?? match[2] ?? null) : null
}

export type FilePart = { filename: string | null; contentType: string | null }

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]
  outer: for (let i = hay.indexOf(first!, from); i !== -1; i = hay.indexOf(first!, i + 1)) {
    if (i + needle.length > hay.length) return -1
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

const MAX_HEADER_BYTES = 16 * 1024

/**
 * Finds the part named `field` and streams its content. `onPart` is told the part's filename and
 * Content-Type before the first byte (the format may depend on them).
 * @throws AppError INVALID_INPUT when the body is not well-formed multipart or has no such field.
 */
export async function* multipartField(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  field: string,
  onPart: (part: FilePart) => void,
): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder()
  const delimiter = enc.encode(`\r\n--${boundary}`)
  let buf: Uint8Array = enc.encode('\r\n') // so the first boundary matches like the others
  let state: 'preamble' | 'headers' | 'skip' | 'file' | 'done' = 'preamble'
  const bad = (why: string) =>
    new AppError(
      'INVALID_INPUT',
      `the multipart body ${why}; send the file in a field named "${field}"`,
    )
  for await (const chunk of body) {
    buf = concat(buf, chunk)
    for (;;) {
      if (state === 'done') break
      if (state === 'preamble' || state === 'skip') {
        const at = indexOf(buf, delimiter, 0)
        if (at === -1) {
          // Keep only what could be the start of a delimiter.
          buf = buf.slice(Math.max(0, buf.length - delimiter.length))
          break
        }
        buf = buf.slice(at + delimiter.length)
        state = 'headers'
      }
      if (state === 'headers') {
        const end = indexOf(buf, enc.encode('\r\n\r\n'), 0)
        if (end === -1) {
          if (buf.length > MAX_HEADER_BYTES) throw bad('has a part header over 16 KiB')
          break
        }
        const head = new TextDecoder().decode(buf.slice(0, end))
        buf = buf.slice(end + 4)
        if (head.startsWith('--')) {
          state = 'done'
          break
        }
        const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? ''
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1]
        if (name === field) {
          const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null
          const type = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim() ?? null
          onPart({ filename, contentType: type })
          state = 'file'
        } else state = 'skip'
        continue
      }
      if (state === 'file') {
        const at = indexOf(buf, delimiter, 0)
        if (at === -1) {
          const keep = delimiter.length
          if (buf.length > keep) {
            yield buf.slice(0, buf.length - keep)
            buf = buf.slice(buf.length - keep)
          }
          break
        }
        if (at > 0) yield buf.slice(0, at)
        buf = buf.slice(at)
        state = 'done'
        return
      }
    }
  }
  // The loop narrowed `state` for the compiler, but the body may end in any state.
  if ((state as string) === 'file') throw bad('ends before the file does (no closing boundary)')
  throw bad(`has no field named "${field}"`)
}
