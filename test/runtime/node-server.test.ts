/**
 * The real `npm start` entry point over a real socket: first-start key, checks stored by one server
 * process and read by another (WEB_CONCURRENCY=2 shares the port and the SQLite file).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

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
})
