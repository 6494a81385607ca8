/**
 * @module runtime/node-webhook-post
 * How the Node server sends a webhook: node:http(s) with keep-alive agents, which pool connections per
 * receiver host, instead of the global fetch. Measured on this project's bench machine, a POST through
 * undici's fetch cost about 250 µs of the event loop's CPU against about 55 µs here, and the deliverer
 * shares that loop with every check the server answers.
 *
 * It also closes the gap the core's URL check leaves on Node (docs/webhooks.md, "Safety"): the core
 * judges what a host resolves to before the attempt, and `fetch` would resolve it again to connect;
 * here the connection resolves the name itself and refuses any address the policy refuses, so a name
 * rebound between the check and the connection cannot reach a private network.
 */
import { createHmac } from 'node:crypto'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { classifyAddress } from '../core/webhooks/address'
import type { WebhookPost } from '../core/webhooks/ports'
import type { HmacSha256Base64 } from '../core/webhooks/signing'

export type NodeWebhookPost = WebhookPost & {
  /** Closes the pooled connections (at shutdown, after the last attempt). */
  close(): void
}

/** The core's HMAC-SHA256 on node:crypto: synchronous, without Web Crypto's thread-pool job. */
export const nodeHmacSha256Base64: HmacSha256Base64 = (key, message) =>
  createHmac('sha256', key).update(message, 'utf8').digest('base64')

/**
 * A pooled connection is closed after this long idle: before the 5 s that Node servers (and many
 * others) keep an idle connection, so a request is rarely written to a socket the receiver has just
 * closed. One that is anyway gets one more try on a new connection (`reusedSocket`, as Node's docs advise).
 */
const IDLE_SOCKET_MS = 4_000

export function nodeWebhookPost(opts: {
  /** Connections to one host at most (the deliverer's concurrency is the useful bound). */
  maxSocketsPerHost: number
  /** `WEBHOOK_ALLOW_PRIVATE=true`: connect wherever the name resolves. */
  allowPrivate: boolean
}): NodeWebhookPost {
  const agentOptions = {
    keepAlive: true,
    maxSockets: opts.maxSocketsPerHost,
    timeout: IDLE_SOCKET_MS,
    lookup: opts.allowPrivate ? undefined : guardedLookup,
  }
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) }

  const once = (
    url: URL,
    request: Parameters<WebhookPost>[0],
    deadline: number,
  ): Promise<{ status: number; body: string; retryable?: boolean }> =>
    new Promise((resolve, reject) => {
      const secure = url.protocol === 'https:'
      const req = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      })
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
        Math.max(deadline - Date.now(), 0),
      )
      let answered = false
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        // The receiver closed an idle pooled connection as we wrote to it: nothing reached it.
        if (!answered && req.reusedSocket && err.code === 'ECONNRESET')
          resolve({ status: 0, body: '', retryable: true })
        else reject(err)
      })
      req.on('response', (res) => {
        answered = true
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size >= request.readLimit) return
          chunks.push(chunk)
          size += chunk.length
          // Enough read: the rest is not ours to take, and the connection is not worth draining.
          if (size >= request.readLimit) res.destroy()
        })
        let finished = false
        const done = () => {
          if (finished) return
          finished = true
          clearTimeout(timer)
          const body = Buffer.concat(chunks).subarray(0, request.readLimit).toString('utf8')
          resolve({ status: res.statusCode ?? 0, body })
        }
        res.on('end', done)
        res.on('close', done)
        res.on('error', done)
      })
      req.end(request.body)
    })

  const post: WebhookPost = async (request) => {
    const url = new URL(request.url)
    const deadline = Date.now() + request.timeoutMs
    const first = await once(url, request, deadline)
    if (!first.retryable) return first
    const second = await once(url, request, deadline)
    if (second.retryable) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })
    return second
  }
  return Object.assign(post, {
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  })
}

/**
 * `dns.lookup` that fails when any address of the name is one webhooks may not reach (the same
 * classification as the core's URL check), so the socket only ever connects to an address judged here.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4)
    for (const a of addresses) {
      const refusal = classifyAddress(a.address)
      if (refusal)
        return callback(
          Object.assign(
            new Error(`host ${hostname} resolves to a ${refusal} address (${a.address})`),
            { code: undefined },
          ) as NodeJS.ErrnoException,
          '',
          4,
        )
    }
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    const first = addresses[0]
    if (!first)
      return callback(
        Object.assign(new Error(`host ${hostname} does not resolve`), { code: 'ENOTFOUND' }),
        '',
        4,
      )
    callback(null, first.address, first.family)
  })
}
