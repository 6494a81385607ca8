/**
 * `npm run dev:worker` as a newcomer runs it (issue 9): the local D1 migrated by scripts/d1.ts, a key
 * made by `worker:keys`, then `wrangler dev --local` serving real checks and batches through the
 * Worker entry, its D1, R2 and Queue, with nothing but the repository and `npm ci`. Runs the bundle
 * wrangler builds (no nodejs_compat), which the workerd test pool does not: the pool provides Node
 * globals such as Buffer that a deployed Worker lacks.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  freePort,
  KEY_PATTERN,
  ROOT,
  type Started,
  startCommand,
  stopProcess,
} from './spawn-server'

const run = promisify(execFile)
const state = mkdtempSync(join(tmpdir(), 'dualuse-dev-worker-'))
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
let dev: Started | undefined
afterAll(async () => {
  if (dev) await stopProcess(dev)
  rmSync(state, { recursive: true, force: true })
})

describe('npm run dev:worker for a newcomer', () => {
  it('migrates the local D1, makes a key, and answers checks and batches for real', async () => {
    await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/d1.ts', '--persist-to', state, 'migrate'],
      {
        cwd: ROOT,
        env,
      },
    )
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/d1.ts',
        '--persist-to',
        state,
        'keys',
        'create',
        '--tenant',
        'newcomer',
      ],
      { cwd: ROOT, env },
    )
    const key = KEY_PATTERN.exec(stdout)![0]
    const port = await freePort()
    dev = startCommand(
      'npx',
      [
        'wrangler',
        'dev',
        '--local',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--persist-to',
        state,
      ],
      { WRANGLER_SEND_METRICS: 'false' },
    )
    await dev.until((out) => /Ready on/.test(out), 90_000)
    const base = `http://127.0.0.1:${port}`
    const auth = { authorization: `Bearer ${key}` }

    expect((await fetch(`${base}/healthz`)).status).toBe(200)

    const check = await fetch(`${base}/v1/checks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        description: 'SKF 6205-2RS deep groove ball bearing',
        destination: 'RU',
      }),
    })
    expect(check.status).toBe(201)
    const result = (await check.json()) as {
      verdict: string
      classification: { candidates: { hs6: string }[] }
    }
    expect(result.verdict).not.toBe('clear')
    expect(result.classification.candidates[0]!.hs6).toBe('848210')

    const upload = await fetch(`${base}/v1/batches`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: 'reference;description;destination\nA1;SKF 6205-2RS ball bearing;RU\nA2;Wooden chairs;DE\n',
    })
    expect(upload.status).toBe(202)
    const { id } = (await upload.json()) as { id: string }
    let status = ''
    for (let i = 0; i < 120 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 500))
      status = (
        (await (await fetch(`${base}/v1/batches/${id}`, { headers: auth })).json()) as {
          status: string
        }
      ).status
    }
    expect(status).toBe('completed')
    const lines = (
      await (await fetch(`${base}/v1/batches/${id}/results?format=jsonl`, { headers: auth })).text()
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reference: string; verdict: string })
    expect(lines.map((l) => l.reference)).toEqual(['A1', 'A2'])
    expect(lines[1]!.verdict).toBe('clear')
  }, 240_000)
})
