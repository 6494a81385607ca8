/**
 * Global setup of the workers project: a real HTTP receiver for the Worker's webhook deliveries, in
 * Node on 127.0.0.1 (workerd's `fetch` reaches it like any endpoint). `POST /hook/<token>/<mode>`
 * records the request and answers: `ok` 204 always, `fail2` 500 to the first two attempts of each
 * `webhook-id`. `GET /log/<token>` returns what a token's hooks received. The URL is provided to the
 * tests as `webhookReceiver`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'

type Record_ = { headers: Record<string, string>; body: string; status: number }

export default async function setup(project: TestProject) {
  const log = new Map<string, Record_[]>()
  const server = createServer((req, res) => {
    const [, kind, token = '', mode = 'ok'] = (req.url ?? '').split('/')
    if (req.method === 'GET' && kind === 'log') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(log.get(token) ?? []))
      return
    }
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const entries = log.get(token) ?? []
      log.set(token, entries)
      const id = String(req.headers['webhook-id'])
      const before = entries.filter((e) => e.headers['webhook-id'] === id).length
      const status = mode === 'fail2' && before < 2 ? 500 : 204
      const headers: Record<string, string> = {}
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'])
        headers[name] = String(req.headers[name] ?? '')
      entries.push({ headers, body, status })
      res.writeHead(status)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  project.provide('webhookReceiver', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}

declare module 'vitest' {
  export interface ProvidedContext {
    webhookReceiver: string
  }
}
