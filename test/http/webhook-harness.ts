/**
 * Webhook harness: the HTTP app (test/http/harness.ts) with webhooks wired as on Node — SQLite outbox,
 * sealed secrets, the in-process deliverer with a fast retry schedule — plus a real HTTP receiver on
 * 127.0.0.1 whose answers a test chooses, and a host resolver the test controls.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Deps } from '../../src/core/deps'
import type { HostResolver, WebhookRepo } from '../../src/core/webhooks/ports'
import { secretBox } from '../../src/core/webhooks/secret-box'
import { startWebhookDeliverer } from '../../src/runtime/webhook-deliverer'
import { newWebhookAttemptId, newWebhookEndpointId, newWebhookEventId } from '../../src/storage/ids'
import { makeHarness } from './harness'

export type Received = { headers: IncomingHttpHeaders; body: string; status: number }

/**
 * A real HTTP server collecting every request. `answer(req, n)` picks the status, with `n` the number of
 * earlier requests carrying the same `webhook-id`. `port` 0 picks a free one.
 */
export async function startReceiver(
  answer: (r: { headers: IncomingHttpHeaders; body: string }, n: number) => number = () => 200,
  port = 0,
) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const id = req.headers['webhook-id']
      const n = received.filter((r) => r.headers['webhook-id'] === id).length
      const status = answer({ headers: req.headers, body }, n)
      received.push({ headers: req.headers, body, status })
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(status >= 300 ? `no thanks (${status})` : 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    /** The requests answered 2xx. */
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Polls `predicate` every 20 ms until it holds; fails after `ms`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function makeWebhookHarness(
  opts: {
    allowPrivate?: boolean
    schedule?: number[]
    resolver?: HostResolver
    /** The deliverer's slots, and its slots per endpoint (the Node defaults when absent). */
    concurrency?: number
    perEndpoint?: number
  } = {},
) {
  const logs: Record<string, unknown>[] = []
  const logger = {
    info: (f: Record<string, unknown>) => logs.push(f),
    error: (f: Record<string, unknown>) => logs.push({ ...f, level: 'error' }),
  }
  const h = await makeHarness({ logger })
  const repo = (h.deps as unknown as { webhookRepo: WebhookRepo }).webhookRepo
  const secrets = secretBox(crypto.getRandomValues(new Uint8Array(32)))
  const policy = { allowPrivate: opts.allowPrivate ?? true, resolver: opts.resolver }
  const deliverer = startWebhookDeliverer({
    deliverer: {
      repo,
      secrets,
      policy,
      schedule: opts.schedule ?? [0.2, 0.2, 0.4],
      now: () => new Date(),
      random: Math.random,
      newAttemptId: newWebhookAttemptId,
      timeoutMs: 2_000,
    },
    logger,
    pollMs: 25,
    concurrency: opts.concurrency,
    perEndpoint: opts.perEndpoint,
  })
  const webhooks: NonNullable<Deps['webhooks']> = {
    repo,
    secrets,
    policy,
    dispatch: deliverer,
    newEndpointId: newWebhookEndpointId,
    newEventId: newWebhookEventId,
  }
  Object.assign(h.deps, { webhooks, logger })
  const call = (key: string, method: string, path: string, body?: unknown) =>
    h.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return {
    ...h,
    logs,
    repo,
    call,
    close: async () => {
      await deliverer.stop()
      await h.close()
    },
  }
}
