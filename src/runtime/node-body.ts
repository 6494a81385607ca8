/**
 * @module runtime/node-body
 * The Node body reader: collects the request straight from @hono/node-server's IncomingMessage
 * (`c.env.incoming`), skipping the web `Request` and stream adapters built to read it otherwise.
 */
import type { IncomingMessage } from 'node:http'
import { type BodyReader, declaredTooLarge, payloadTooLarge, readWebBody } from '../http/body'

export const readNodeBody: BodyReader = (c, maxBytes) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  // Not served by @hono/node-server (app.request in a test, say): the web reader works everywhere.
  if (!incoming || incoming.readableEnded) return readWebBody(c, maxBytes)
  if (declaredTooLarge(incoming.headers['content-length'], maxBytes)) {
    return Promise.reject(payloadTooLarge(maxBytes))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        // Stop keeping it; the rest of the body drains unread while the 413 is sent.
        incoming.off('data', onData)
        incoming.resume()
        reject(payloadTooLarge(maxBytes))
        return
      }
      chunks.push(chunk)
    }
    incoming.on('data', onData)
    incoming.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')))
    incoming.once('error', reject)
  })
}
