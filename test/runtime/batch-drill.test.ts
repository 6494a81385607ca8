/**
 * The crash drill of issue 9 on the real server: a batch whose server is killed with SIGKILL part way
 * finishes after a plain restart on the same database, with every row exactly once and each result
 * what the CLI batch gives for that row.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  freePort,
  KEY_PATTERN,
  ROOT,
  type Started,
  startProcess,
  stopProcess,
} from './spawn-server'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'dualuse-batch-drill-'))
const started: Started[] = []
afterAll(async () => {
  for (const s of started) await stopProcess(s)
  rmSync(dir, { recursive: true, force: true })
})

const ROWS = 3000
const DESTINATIONS = ['RU', 'KZ', 'DE', 'AM', 'CN', 'BY']

function makeFile(path: string): void {
  const dev = readFileSync(join(ROOT, 'eval/dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { description: string }).description)
  const lines = ['reference;description;destination']
  for (let i = 0; i < ROWS; i++) {
    const text = dev[i % dev.length]!.replace(/[\r\n]+/g, ' ').replace(/"/g, '""')
    lines.push(`D${i};"${text}";${DESTINATIONS[i % DESTINATIONS.length]}`)
  }
  writeFileSync(path, `\ufeff${lines.join('\r\n')}\r\n`)
}

type Batch = { id: string; status: string; rows_total: number; rows_checked: number }

describe('a batch whose server is killed mid-run', () => {
  it('resumes after a restart: every row exactly once, each as the CLI checks it', async () => {
    const file = join(dir, 'goods.csv')
    makeFile(file)
    const port = await freePort()
    const env = { PORT: String(port), DATABASE_PATH: join(dir, 'db.sqlite') }
    const base = `http://127.0.0.1:${port}`
    const first = startProcess(env)
    started.push(first)
    await first.until((out) => out.includes('"listening"'), 60_000)
    const key = KEY_PATTERN.exec(first.stdout())![0]
    const auth = { authorization: `Bearer ${key}` }

    const created = await fetch(`${base}/v1/batches`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: readFileSync(file),
    })
    expect(created.status).toBe(202)
    const { id } = (await created.json()) as Batch
    let seen: Batch | undefined
    for (let i = 0; i < 3000; i++) {
      seen = (await (await fetch(`${base}/v1/batches/${id}`, { headers: auth })).json()) as Batch
      if (seen.rows_checked > 0) break
      await new Promise((r) => setTimeout(r, 5))
    }
    first.proc.kill('SIGKILL')
    await first.exited
    expect(seen!.rows_checked).toBeGreaterThan(0)
    expect(seen!.rows_checked).toBeLessThan(ROWS)

    const second = startProcess(env)
    started.push(second)
    await second.until((out) => out.includes('"listening"'), 60_000)
    let done: Batch | undefined
    for (let i = 0; i < 600; i++) {
      done = (await (await fetch(`${base}/v1/batches/${id}`, { headers: auth })).json()) as Batch
      if (done.status === 'completed') break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(done).toMatchObject({ status: 'completed', rows_total: ROWS, rows_checked: ROWS })
    const results = await (
      await fetch(`${base}/v1/batches/${id}/results?format=jsonl`, { headers: auth })
    ).text()

    const cli = await run(
      process.execPath,
      ['bin/dualuse.js', 'batch', file, '--format', 'jsonl'],
      { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
    )
    type Doc = {
      reference: string
      row: number
      verdict: string
      risk_score: number
      classification: { candidates: { hs6: string }[] }
    }
    const parse = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Doc)
        .map((d) => [
          d.reference,
          d.row,
          d.verdict,
          d.risk_score,
          d.classification.candidates[0]?.hs6,
        ])
    const got = parse(results)
    expect(new Set(got.map((g) => g[0])).size).toBe(ROWS)
    expect(got).toEqual(parse(cli.stdout))
    // The whole documents, byte for byte, but for the tenant's settings digest: HTTP rows are checked
    // with the tenant's screening context (no lists of its own here), the CLI's local file with none.
    const lines = results.trimEnd().split('\n')
    // Error rows have no versions.
    const settings = new Set(
      lines
        .map((l) => (JSON.parse(l) as { versions?: { settings?: string } }).versions?.settings)
        .filter((d) => d !== undefined),
    )
    expect(settings.size).toBe(1)
    const [digest] = [...settings]
    expect(digest).toMatch(/^sha256:/)
    expect(results.replaceAll(`,"settings":"${digest}"}`, '}')).toBe(cli.stdout)
  }, 180_000)
})
