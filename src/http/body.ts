/**
 * @module http/body
 * Reads a request body as text within the size limit, before any route sees it, and hands it to Hono
 * through `c.req.bodyCache` (where `c.req.json()` and the validators look first). A runtime may supply
 * its own reader: Node reads its socket stream directly instead of through a web `Request`, which cost
 * a fifth of a check's time under load.
 *
 * Every string a route reads from a JSON body is well-formed Unicode: bytes are decoded as UTF-8 (an
 * invalid sequence becomes U+FFFD) and a JSON escape of a lone surrogate (`"\ud800"`) is rewritten to
 * `\ufffd` here, as `String.prototype.toWellFormed` would. SQLite stores text as UTF-8, where a lone
 * surrogate has no encoding: stored as is, a reference could never be found again.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { AppError } from '../core/errors'

/** Resolves to the body as text; rejects with PAYLOAD_TOO_LARGE past `maxBytes`. */
export type BodyReader = (c: Context, maxBytes: number) => Promise<string>

/**
 * The client closed the connection (or the server cut it off) before the body was complete. Not an
 * `AppError`: it is no fault of the service nor of the input, and nobody is left to read an answer.
 * `onError` logs it as an abort, without a stack.
 */
export class ClientAbortError extends Error {
  constructor(cause?: unknown) {
    super('the client closed the connection before the request body was complete', { cause })
    this.name = 'ClientAbortError'
  }
}

export function payloadTooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `request body is over ${maxBytes} bytes`)
}

/** A declared Content-Length over the limit fails before a byte is read. */
export function declaredTooLarge(contentLength: string | null | undefined, maxBytes: number) {
  return contentLength != null && Number(contentLength) > maxBytes
}

/** The reader for any runtime: the web `Request` body stream, counted as it arrives. */
export const readWebBody: BodyReader = async (c, maxBytes) => {
  if (declaredTooLarge(c.req.header('content-length'), maxBytes)) throw payloadTooLarge(maxBytes)
  const body = c.req.raw.body
  if (!body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>
    try {
      chunk = await reader.read()
    } catch (err) {
      // The body stream is the client's connection: when it fails, the client went away.
      throw new ClientAbortError(err)
    }
    const { done, value } = chunk
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw payloadTooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** `application/json` and `application/*+json`, parameters allowed (as the route validators read it). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i

/**
 * A `\` escape, consumed whole so that an escaped backslash (`\\ud800`) is never read as an escape:
 * a surrogate pair, a lone surrogate (group 1), or anything else.
 */
const JSON_ESCAPE =
  /\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(u[dD][89a-fA-F][0-9a-fA-F]{2})|[\s\S])/g

/** JSON text whose strings parse as well-formed Unicode: lone-surrogate escapes become `\ufffd`. */
export function wellFormedJsonText(text: string): string {
  if (!text.includes('\\u')) return text
  return text.replace(JSON_ESCAPE, (match, lone: string | undefined) => (lone ? '\\ufffd' : match))
}

/**
 * Middleware: reads the body of POST, PUT and PATCH requests once, within `maxBytes`. Such a request
 * must say what its body is: without a Content-Type it is refused with 415 before a byte is read (a
 * route then checks that the type is one it takes; each route here takes JSON).
 */
export function readBodyFirst(read: BodyReader, maxBytes: number) {
  return async (c: Context, next: () => Promise<void>) => {
    if (METHODS_WITH_BODY.has(c.req.method)) {
      const contentType = c.req.header('content-type')
      if (!contentType) {
        throw new HTTPException(415, {
          message: 'send the body as JSON with Content-Type: application/json',
        })
      }
      let text = await read(c, maxBytes)
      if (JSON_MEDIA_TYPE.test(contentType)) text = wellFormedJsonText(text)
      // Hono keeps promises in this cache (its type says values): `c.req.json()` awaits this one.
      c.req.bodyCache.text = Promise.resolve(text) as unknown as string
    }
    await next()
  }
}
