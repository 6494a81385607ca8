/**
 * Fairness drill (issue 8 acceptance) on a real `npm start` server (Node, SQLite file, default check
 * threads) on 127.0.0.1: tenant A keeps 8 checks of 2,000-character adversarial descriptions in flight
 * while tenant B sends ordinary checks one after another; reports B's latency (median, p99, max) beside
 * B's latency with A idle, in the same run, and what A gets when it sends 12 at once (past its limit of
 * 8 in flight: 429 with Retry-After). A's lanes wait as Retry-After tells them, so A runs at its rate
 * limit (default 50/s) with 8 in flight.
 *
 *   npx tsx bench/fairness.ts [--seconds 10]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } })
const SECONDS = Number(values.seconds)
const PORT = 19000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`

/** 2,000 characters of random long words starting with s, c or p (the stalling input). */
function adversarial(seed: number): string {
  let x = seed
  const random = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return x / 2 ** 31
  }
  const words: string[] = []
  let length = 0
  while (length < 1990) {
    const n = 8 + Math.floor(random() * 10)
    let w = 'scp'[Math.floor(random() * 3)]!
    for (let i = 1; i < n; i++) w += String.fromCharCode(97 + Math.floor(random() * 26))
    words.push(w)
    length += w.length + 1
  }
  return words.join(' ').slice(0, 2000)
}

async function post(
  key: string,
  body: unknown,
): Promise<{ status: number; ms: number; retry: string | null }> {
  const started = performance.now()
  const res = await fetch(`${BASE}/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return {
    status: res.status,
    ms: performance.now() - started,
    retry: res.headers.get('retry-after'),
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

/** B's ordinary checks, one after another at about 20/s (under its own rate limit): every one must pass. */
async function ordinaryLatencies(key: string, until: number): Promise<number[]> {
  const ms: number[] = []
  while (performance.now() < until) {
    const r = await post(key, { description: 'wooden dining chair', destination: 'RU' })
    if (r.status !== 201) throw new Error(`tenant B got ${r.status}`)
    ms.push(r.ms)
    await sleep(50)
  }
  return ms.sort((a, b) => a - b)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dualuse-fairness-'))
  const env = {
    ...process.env,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATABASE_PATH: join(dir, 'db.sqlite'),
    REQUEST_LOG: 'off',
  }
  const keyFor = (tenant: string) =>
    execFileSync(process.execPath, ['bin/dualuse.js', 'keys', 'create', '--tenant', tenant], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  const keyA = keyFor('tenant-a')
  const keyB = keyFor('tenant-b')
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('"msg":"listening"')) resolve()
    })
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  try {
    // Warm-up, then B alone.
    await ordinaryLatencies(keyB, performance.now() + 2000)
    const alone = await ordinaryLatencies(keyB, performance.now() + SECONDS * 1000)

    // A keeps 8 adversarial checks in flight while B checks.
    let stop = false
    const aTimes: number[] = []
    const aStatuses = new Map<number, number>()
    const keepInFlight = async (lane: number, seedBase: number) => {
      let i = 0
      while (!stop) {
        const r = await post(keyA, {
          description: adversarial(seedBase + lane * 100_000 + i++),
          destination: 'RU',
        })
        aStatuses.set(r.status, (aStatuses.get(r.status) ?? 0) + 1)
        if (r.status === 201) aTimes.push(r.ms)
        // A well-behaved client waits as told; A then runs at its rate limit with 8 in flight.
        if (r.status === 429) await sleep(Number(r.retry ?? 1) * 1000)
      }
    }
    const lanes = Array.from({ length: 8 }, (_, lane) => keepInFlight(lane, 1))
    const loaded = await ordinaryLatencies(keyB, performance.now() + SECONDS * 1000)
    stop = true
    await Promise.all(lanes)

    // A past its in-flight limit: 12 at once, several rounds, after its rate bucket has refilled.
    await sleep(3000)
    const over = new Map<number, number>()
    const retryAfter = new Set<string>()
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          post(keyA, { description: adversarial(900_000 + round * 100 + i), destination: 'RU' }),
        ),
      )
      for (const r of results) {
        over.set(r.status, (over.get(r.status) ?? 0) + 1)
        if (r.status === 429 && r.retry) retryAfter.add(r.retry)
      }
    }

    aTimes.sort((a, b) => a - b)
    const fmt = (s: number[]) =>
      `median ${quantile(s, 0.5).toFixed(1)} ms, p99 ${quantile(s, 0.99).toFixed(1)} ms, max ${s[s.length - 1]?.toFixed(1)} ms over ${s.length}`
    console.log(`tenant B ordinary checks, A idle:            ${fmt(alone)}`)
    console.log(`tenant B ordinary checks, A 8 adversarial:  ${fmt(loaded)}`)
    console.log(
      `tenant A adversarial checks (round trip):   ${fmt(aTimes)}; statuses ${JSON.stringify(Object.fromEntries(aStatuses))}`,
    )
    console.log(
      `tenant A, 12 in flight x 5 rounds:          statuses ${JSON.stringify(Object.fromEntries(over))}, Retry-After ${[...retryAfter].join(', ') || '-'}`,
    )
  } finally {
    server.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
