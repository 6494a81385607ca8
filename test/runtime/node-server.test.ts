/**
 * The real `npm start` entry point over a real socket: first-start key, checks stored by one server
 * process and read by another (WEB_CONCURRENCY=2 shares the port and the SQLite file).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

type RawResponse = { status: number; contentType: string; body: string }

/** A POST written chunk by chunk (chunked transfer encoding unless a content-length is given). */
function postChunks(
  server: Server,
  chunks: Buffer[],
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const url = new URL('/v1/checks', server.base)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.key}`,
          'content-type': 'application/json',
          ...headers,
        },
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => {
          body += c.toString()
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            body,
          }),
        )
      },
    )
    // The server may answer 413 and stop reading before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err)
    })
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })
}

type Server = { proc: ChildProcess; key: string; base: string; listening: number }

function startServer(dbPath: string, processes: number): Promise<Server> {
  const port = 19000 + Math.floor(Math.random() * 1000)
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: dbPath,
        REQUEST_LOG: 'off',
        WEB_CONCURRENCY: String(processes),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const server: Server = { proc, key: '', base: `http://127.0.0.1:${port}`, listening: 0 }
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      server.key ||= /(du_[0-9a-z]{16}_[A-Za-z0-9_-]{43})/.exec(out)?.[1] ?? ''
      server.listening = out.split('"msg":"listening"').length - 1
      if (server.listening === processes) resolve(server)
    })
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.proc.once('exit', resolve))
  server.proc.kill('SIGTERM')
  await exited
}

describe.each([1, 2])('npm start with %i server process(es)', (processes) => {
  let dir: string
  let server: Server
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dualuse-server-'))
    server = await startServer(join(dir, 'test.db'), processes)
  }, 60_000)
  afterAll(async () => {
    server.proc.removeAllListeners('exit')
    await stop(server)
    rmSync(dir, { recursive: true, force: true })
  })

  it('prints the first tenant key once and answers health with the list versions', async () => {
    expect(server.key).toMatch(/^du_/)
    const health = await fetch(`${server.base}/healthz`)
    expect(health.status).toBe(200)
    expect(
      ((await health.json()) as { versions: { lists: Record<string, string> } }).versions.lists.chp,
    ).toBe('2024-02-23')
  })

  it('stores every check so that any process reads it back', async () => {
    const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' }
    const body = JSON.stringify({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
    })
    const created = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${server.base}/v1/checks`, { method: 'POST', headers, body }),
      ),
    )
    const ids: string[] = []
    for (const res of created) {
      expect(res.status).toBe(201)
      const check = (await res.json()) as { id: string; verdict: string }
      expect(check.verdict).toBe('high_risk')
      ids.push(check.id)
    }
    // Several reads per id, on fresh connections, so they land on different processes.
    for (const id of ids) {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.base}/v1/checks/${id}`, {
          headers: { ...headers, connection: 'close' },
        })
        expect(res.status).toBe(200)
        expect(((await res.json()) as { id: string }).id).toBe(id)
      }
    }
  })
  it('reads bodies from the socket: chunked, split inside a character, malformed, too large', async () => {
    const json = Buffer.from(
      JSON.stringify({ description: 'подшипник шариковый 6205', destination: 'RU' }),
    )
    // Chunked, and cut in the middle of a two-byte Cyrillic letter.
    const cut = json.indexOf(Buffer.from('ш')) + 1
    const split = await postChunks(server, [json.subarray(0, cut), json.subarray(cut)])
    expect(split.status).toBe(201)
    expect(
      (JSON.parse(split.body) as { classification: { candidates: { hs6: string }[] } })
        .classification.candidates[0]!.hs6,
    ).toBe('848210')

    const malformed = await postChunks(server, [Buffer.from('{"description": "bearing",')])
    expect(malformed.status).toBe(400)
    expect(malformed.contentType).toContain('application/problem+json')

    const big = Buffer.from(
      JSON.stringify({ description: 'x'.repeat(70 * 1024), destination: 'RU' }),
    )
    const declared = await postChunks(server, [big], { 'content-length': String(big.length) })
    expect(declared.status).toBe(413)
    expect(declared.contentType).toContain('application/problem+json')
    const streamed = await postChunks(
      server,
      Array.from({ length: 10 }, (_, i) => big.subarray(i * 8192, (i + 1) * 8192)),
    )
    expect(streamed.status).toBe(413)
    expect(streamed.contentType).toContain('application/problem+json')

    // The server still answers after those.
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200)
  })
})
