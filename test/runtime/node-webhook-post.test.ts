/**
 * The Node server's webhook POST (`runtime/node-webhook-post.ts`): what the core expects of any
 * `WebhookPost` (no redirects, a bounded read, a timeout), pooled connections, and addresses judged
 * at connection time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeWebhookPost } from '../../src/runtime/node-webhook-post'

const closers: (() => void)[] = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

async function receiver(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const sockets = new Set<unknown>()
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => handle(req, res))
  })
  server.on('connection', (s) => sockets.add(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return { port: (server.address() as AddressInfo).port, connections: () => sockets.size }
}

function poster(allowPrivate = true) {
  const post = nodeWebhookPost({ maxSocketsPerHost: 4, allowPrivate })
  closers.push(() => post.close())
  return post
}

const request = (url: string, extra: { timeoutMs?: number; readLimit?: number } = {}) => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1' },
  body: '{"type":"webhook.test"}',
  timeoutMs: extra.timeoutMs ?? 2_000,
  readLimit: extra.readLimit ?? 4096,
})

describe('nodeWebhookPost', () => {
  it('sends the body and headers and reuses one connection for consecutive posts', async () => {
    const seen: { id: unknown }[] = []
    const r = await receiver((req, res) => {
      seen.push({ id: req.headers['webhook-id'] })
      res.writeHead(204).end()
    })
    const post = poster()
    for (let i = 0; i < 3; i++)
      expect(await post(request(`http://127.0.0.1:${r.port}/hook`))).toEqual({
        status: 204,
        body: '',
      })
    expect(seen.map((s) => s.id)).toEqual(['evt_1', 'evt_1', 'evt_1'])
    expect(r.connections()).toBe(1)
  })

  it('does not follow a redirect', async () => {
    const r = await receiver((_req, res) =>
      res.writeHead(307, { location: 'http://169.254.169.254/' }).end('moved'),
    )
    expect(await poster()(request(`http://127.0.0.1:${r.port}/hook`))).toEqual({
      status: 307,
      body: 'moved',
    })
  })

  it('reads no more of the answer than the limit', async () => {
    const r = await receiver((_req, res) => res.writeHead(500).end('x'.repeat(100_000)))
    const answer = await poster()(request(`http://127.0.0.1:${r.port}/hook`, { readLimit: 10 }))
    expect(answer).toEqual({ status: 500, body: 'x'.repeat(10) })
  })

  it('gives up after the timeout with a TimeoutError', async () => {
    const r = await receiver(() => {})
    await expect(
      poster()(request(`http://127.0.0.1:${r.port}/hook`, { timeoutMs: 100 })),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('refuses to connect where the name resolves to a private address unless allowed', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end())
    await expect(poster(false)(request(`http://localhost:${r.port}/hook`))).rejects.toThrow(
      /host localhost resolves to a loopback address/,
    )
    expect(r.connections()).toBe(0)
  })
})
