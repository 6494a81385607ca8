/**
 * @module runtime/node-body
 * The Node body reader: collects the request straight from @hono/node-server's IncomingMessage
 * (`c.env.incoming`), skipping the web `Request` and stream adapters built to read it otherwise.
 */
import type { IncomingMessage } from 'node:http'
import {
  type BodyReader,
  ClientAbortError,
  declaredTooLarge,
  payloadTooLarge,
  readWebBody,
} from '../http/body'

export const readNodeBody: BodyReader = (c, maxBytes) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  // Not served by @hono/node-server (app.request in a test, say): the web reader works everywhere.
  if (!incoming || incoming.readableEnded) return readWebBody(c, maxBytes)
  // Gone before we got here: its 'close' has fired already and would never reach the listeners below.
  if (incoming.destroyed) return Promise.reject(new ClientAbortError())
  if (declaredTooLarge(incoming.headers['content-length'], maxBytes)) {
    return Promise.reject(payloadTooLarge(maxBytes))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = () => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onAbort)
      incoming.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        // Stop keeping it; the rest of the body drains unread while the 413 is sent.
        stop()
        incoming.resume()
        reject(payloadTooLarge(maxBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks, size).toString('utf8'))
    }
    // A client that hangs up mid-body (or a body cut off by the server's request timeout) shows up
    // as 'error' ("aborted", ECONNRESET) and then 'close' without 'end'; either is an abort, not a fault.
    const onAbort = (err?: unknown) => {
      stop()
      reject(new ClientAbortError(err))
    }
    const onClose = () => onAbort()
    incoming.on('data', onData)
    incoming.once('end', onEnd)
    incoming.once('error', onAbort)
    incoming.once('close', onClose)
  })
}
