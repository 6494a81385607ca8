/**
 * HTTP hygiene (issue 8, item 5) over a real socket: the real `npm start` entry point, where bodies
 * are read from Node's IncomingMessage and Node's own timeouts apply. Short timeouts through env
 * (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS) keep the stalled-request cases fast.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REQUEST_TIMEOUT_MS = 1500
const HEADERS_TIMEOUT_MS = 1000

type Server = { proc: ChildProcess; key: string; base: string; port: number; out: () => string }
type RawResponse = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let dir: string
let server: Server

function startServer(dbPath: string): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 1000)
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: dbPath,
        REQUEST_LOG: 'on',
        WEB_CONCURRENCY: '1',
        CHECK_THREADS: '0',
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const s: Server = { proc, key: '', base: `http://127.0.0.1:${port}`, port, out: () => out }
    const collect = (chunk: Buffer) => {
      out += chunk.toString()
      s.key ||= /(du_[0-9a-z]{16}_[A-Za-z0-9_-]{43})/.exec(out)?.[1] ?? ''
      if (out.includes('"msg":"listening"')) resolve(s)
    }
    proc.stdout!.on('data', collect)
    proc.stderr!.on('data', collect)
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
}

/** A request with exactly these headers (fetch would add a Content-Type to a string body). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.base), { method, headers }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => {
        text += c.toString()
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

const authed = (extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${server.key}`,
  ...extra,
})

/**
 * Writes `head` on a raw socket and leaves the request unfinished; resolves with what the server
 * wrote back and how long it took to close the connection.
 */
function stall(head: string): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = connect(server.port, '127.0.0.1', () => socket.write(head))
    let reply = ''
    socket.on('data', (c: Buffer) => {
      reply += c.toString()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') reject(err)
    })
    socket.on('close', () => resolve({ reply, closedAfterMs: performance.now() - started }))
    // Never longer than Node's own default, whatever happens.
    setTimeout(() => socket.destroy(), 20_000).unref()
  })
}

function requestHead(path: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
  return [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...lines, '', ''].join('\r\n')
}

/** The server's JSON log lines that mention this request id. */
async function logLinesFor(requestId: string): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 40; i++) {
    const lines = server
      .out()
      .split('\n')
      .filter((l) => l.includes(requestId))
    if (lines.some((l) => l.includes('"msg":"request"'))) {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return []
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-hygiene-'))
  server = await startServer(join(dir, 'test.db'))
}, 60_000)
afterAll(async () => {
  if (server) {
    server.proc.removeAllListeners('exit')
    const exited = new Promise((resolve) => server.proc.once('exit', resolve))
    server.proc.kill('SIGTERM')
    await exited
  }
  rmSync(dir, { recursive: true, force: true })
})

const BODY = JSON.stringify({ description: 'wooden chair', destination: 'DE' })

describe('HTTP hygiene over a real socket', () => {
  it('answers 415 problem for a JSON body sent without Content-Type', async () => {
    const res = await send('POST', '/v1/checks', authed(), BODY)
    expect(res.status).toBe(415)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect((JSON.parse(res.body) as { title: string }).title).toBe('Unsupported media type')

    const ok = await send(
      'POST',
      '/v1/checks',
      authed({ 'content-type': 'application/json; charset=utf-8' }),
      BODY,
    )
    expect(ok.status).toBe(201)
  })

  it('answers 405 problem with Allow for PUT, PATCH and DELETE on checks', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const one = await send(method, '/v1/checks/chk_01M8BT8SQYBERARFJXYX2H95R8', authed())
      expect(one.status).toBe(405)
      expect(one.headers['allow']).toBe('GET, HEAD')
      expect(one.headers['content-type']).toBe('application/problem+json')
      const all = await send(method, '/v1/checks', authed())
      expect(all.status).toBe(405)
      expect(all.headers['allow']).toBe('GET, HEAD, POST')
    }
  })

  it('answers 400 problem naming a repeated query parameter', async () => {
    const res = await send('GET', '/v1/checks?limit=100&limit=1', authed())
    expect(res.status).toBe(400)
    const problem = JSON.parse(res.body) as { detail: string; errors: { pointer: string }[] }
    expect(problem.errors).toEqual([
      { pointer: '/query/limit', message: 'is given more than once; send it once' },
    ])
    expect(problem.detail).not.toContain('NaN')
  })

  it('stores a reference with a lone surrogate well-formed and finds it by that reference', async () => {
    const reference = `INV-\ud800-${crypto.randomUUID()}`
    const body = JSON.stringify({ description: 'wooden chair', destination: 'DE', reference })
    expect(body).toContain('\\ud800')
    const res = await send(
      'POST',
      '/v1/checks',
      authed({ 'content-type': 'application/json' }),
      body,
    )
    expect(res.status).toBe(201)
    const created = JSON.parse(res.body) as { id: string; reference: string }
    expect(created.reference).toBe(reference.replace('\ud800', '\ufffd'))

    const list = await send('GET', `/v1/checks?${new URLSearchParams({ reference })}`, authed())
    expect(list.status).toBe(200)
    expect((JSON.parse(list.body) as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([
      created.id,
    ])
  })

  it('sends the security headers on JSON, problems, the 404, /docs and /openapi.json', async () => {
    const responses = [
      await send('GET', '/v1/checks', authed()),
      await send('GET', '/v1/checks'),
      await send('GET', '/nowhere'),
      await send('GET', '/docs'),
      await send('GET', '/openapi.json'),
      await send('GET', '/healthz'),
    ]
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    }
    // /docs is rendered on the server: its policy allows its one stylesheet by hash, and no script.
    const docsPolicy = responses[3]!.headers['content-security-policy'] as string
    expect(docsPolicy).toContain("default-src 'none'")
    expect(docsPolicy).toMatch(/style-src 'sha256-/)
    expect(docsPolicy).not.toContain('script-src')
  })

  it('logs a client that hangs up mid-body as an abort (499), without a stack or an error line', async () => {
    const requestId = `abort-${crypto.randomUUID()}`
    const socket = connect(server.port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(
      requestHead(
        '/v1/checks',
        authed({
          'content-type': 'application/json',
          'content-length': '200',
          'x-request-id': requestId,
        }),
      ),
    )
    socket.write('{"description":"wooden')
    await new Promise((r) => setTimeout(r, 100))
    socket.destroy()

    const lines = await logLinesFor(requestId)
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request', status: 499, aborted: true }),
    ])
    expect(server.out()).not.toMatch(/"stack"|unhandled error|ECONNRESET/)
    // And the server is fine.
    expect((await send('GET', '/healthz')).status).toBe(200)
  })

  it('cuts off a stalled body with 408 within the request timeout', async () => {
    const requestId = `stall-${crypto.randomUUID()}`
    const head = requestHead(
      '/v1/checks',
      authed({
        'content-type': 'application/json',
        'content-length': '200',
        'x-request-id': requestId,
      }),
    )
    const { reply, closedAfterMs } = await stall(`${head}{"description":"wooden`)
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
    // The timeout plus Node's checking interval (1 s at most), with room for a loaded machine.
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100)
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2500)
    const lines = await logLinesFor(requestId)
    expect(lines).toEqual([expect.objectContaining({ status: 499, aborted: true })])
  })

  it('cuts off stalled headers with 408 within the headers timeout', async () => {
    const { reply, closedAfterMs } = await stall('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
    expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2500)
  })
})
