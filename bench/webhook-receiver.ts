/**
 * A webhook receiver in its own process for bench/webhooks.ts, so that receiving deliveries is not
 * charged to the load generator's process: answers every POST with 204 and counts the requests and
 * distinct `webhook-id`s, which `GET /stats` returns as JSON. Prints its port on stdout once listening.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const received = new Set<string>()
let requests = 0
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ requests, distinct: received.size }))
    return
  }
  requests++
  received.add(String(req.headers['webhook-id']))
  req.resume()
  req.on('end', () => {
    res.writeHead(204)
    res.end()
  })
})
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
