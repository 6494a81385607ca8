/**
 * HTTP service benchmark: POST /v1/checks vs GET /healthz on a real `npm start` server (Node,
 * SQLite file) on 127.0.0.1, autocannon at 50 connections, interleaved runs, median req/s and p99.
 * Then checks that every 201 left a stored row. Writes the "HTTP service" section of BENCHMARKS.md.
 *
 *   npx tsx bench/http-checks.ts [--runs 5] [--duration 10] [--processes 1] [--check-threads N] [--no-write]
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { CHECK_BODIES } from './check-bodies'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    processes: { type: 'string', default: '1' },
    /** The server's CHECK_THREADS; unset, the server's default (the CPUs the processes leave free). */
    'check-threads': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
})
const RUNS = Number(values.runs)
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const PROCESSES = Number(values.processes)
const CHECK_THREADS = values['check-threads']
const PORT = 18000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`

const BODIES = CHECK_BODIES

type Server = { proc: ChildProcess; key: string; checkThreads: string }

function startServer(dbPath: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_PATH: dbPath,
        REQUEST_LOG: 'off',
        // Fairness limits off: the bench is one tenant, and this measures what the server serves,
        // not the per-tenant cap (bench/fairness.ts measures that). Without them most POSTs were 429s.
        TENANT_MAX_IN_FLIGHT: '10000',
        TENANT_RATE_PER_SECOND: '1000000',
        TENANT_BURST: '1000000',
        WEB_CONCURRENCY: String(PROCESSES),
        ...(CHECK_THREADS === undefined ? {} : { CHECK_THREADS }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    let key = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      key ||= /(du_[0-9a-z]{16}_[A-Za-z0-9_-]{43})/.exec(out)?.[1] ?? ''
      if (out.split('"msg":"listening"').length - 1 === PROCESSES) {
        // As the server reports it: the default depends on the CPUs and the process count.
        const checkThreads = /"check_threads":(\d+)/.exec(out)?.[1] ?? '?'
        resolve({ proc, key, checkThreads })
      }
    })
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
}

type Run = { rps: number; p50: number; p99: number; ok: number; non2xx: number; errors: number }

async function cannon(opts: autocannon.Options): Promise<Run> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts })
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

const dir = mkdtempSync(join(tmpdir(), 'dualuse-bench-'))
const dbPath = join(dir, 'bench.db')
const { proc, key, checkThreads } = await startServer(dbPath)
try {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  // Every 201 body starts with {"id":"chk_…": keep the ids to prove afterwards that each one was stored.
  const ids = new Set<string>()
  let recording = false
  const requests = BODIES.map((b) => ({
    method: 'POST' as const,
    path: '/v1/checks',
    headers,
    body: JSON.stringify(b),
    onResponse: (status: number, body: string) => {
      if (recording && status === 201) ids.add(body.slice(7, 37))
    },
  }))
  // Warm-up: JIT and SQLite page cache, not counted.
  await autocannon({ url: BASE, connections: CONNECTIONS, duration: 2, requests })
  recording = true

  const checks: Run[] = []
  const health: Run[] = []
  for (let i = 0; i < RUNS; i++) {
    health.push(await cannon({ url: `${BASE}/healthz` }))
    checks.push(await cannon({ url: BASE, requests }))
    console.error(
      `run ${i + 1}/${RUNS}: checks ${checks.at(-1)!.rps.toFixed(0)} req/s, healthz ${health.at(-1)!.rps.toFixed(0)} req/s`,
    )
  }

  const db = new Database(dbPath, { readonly: true })
  const exists = db.prepare('select 1 from "check" where id = ?').pluck()
  let stored = 0
  for (const id of ids) if (exists.get(id)) stored++
  db.close()
  const created = ids.size
  const failures = checks.reduce((s, r) => s + r.non2xx + r.errors, 0)

  const c = {
    rps: median(checks.map((r) => r.rps)),
    p50: median(checks.map((r) => r.p50)),
    p99: median(checks.map((r) => r.p99)),
  }
  const h = {
    rps: median(health.map((r) => r.rps)),
    p50: median(health.map((r) => r.p50)),
    p99: median(health.map((r) => r.p99)),
  }
  // Each POST run follows its own health run: their ratio shares the machine's load at that moment,
  // which on a shared, noisy host moves both by tens of percent between runs.
  const runRatios = checks.map((r, i) => r.rps / health[i]!.rps)
  const ratio = median(runRatios)
  const cpu = cpus()[0]?.model ?? 'unknown CPU'

  const threads =
    CHECK_THREADS === undefined ? 'default check threads' : `CHECK_THREADS=${CHECK_THREADS}`
  const heading = `## HTTP service, ${PROCESSES} server process${PROCESSES > 1 ? 'es' : ''}, ${threads}`
  const flag = CHECK_THREADS === undefined ? '' : ` --check-threads ${CHECK_THREADS}`
  const section = `${heading}

Command: \`npx tsx bench/http-checks.ts --runs ${RUNS} --duration ${DURATION} --processes ${PROCESSES}${flag}\`${PROCESSES === 1 && !flag ? ' (also `npm run bench:http`)' : ''}.
A real \`npm start\` server (Node ${process.version}, @hono/node-server, SQLite file, request log off,
${CHECK_THREADS === undefined ? `check threads at the default (the CPUs the processes leave free): ${checkThreads} per process` : `CHECK_THREADS=${CHECK_THREADS}`}) on
127.0.0.1; autocannon, ${CONNECTIONS} connections, ${RUNS} interleaved runs of ${DURATION} s per endpoint after a 2 s
warm-up; figures are the median over runs. POST bodies cycle through ${BODIES.length} shipment lines (bearings to RU
via KZ, a chair, a US microcontroller to AM, a Russian-language bearing line, a CNC machine under the EU
regime, t-shirts). Machine: ${cpus().length} × ${cpu}.

| endpoint | req/s (median) | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
| \`POST /v1/checks\` | ${c.rps.toFixed(0)} | ${c.p50} | ${c.p99} |
| \`GET /healthz\` | ${h.rps.toFixed(0)} | ${h.p50} | ${h.p99} |

- POST throughput is ${(ratio * 100).toFixed(1)} % of /healthz: the median over runs of each POST run against the health
  run just before it (runs: ${runRatios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}). Targets: ≥ 20 %, ≥ 1,000 req/s, p99 ≤ 50 ms.
- Every check stored: ${created} distinct check ids returned with 201 in the measured runs, ${stored} of them
  found in \`check\` afterwards (${created === stored ? 'all' : 'MISSING SOME'}); ${failures} non-2xx responses or socket errors.
`
  console.log(section)
  if (!values['no-write']) {
    const path = 'BENCHMARKS.md'
    let text = ''
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      text = '# Benchmarks\n\nEach figure with the command that produced it (DESIGN §8).\n'
    }
    const re = new RegExp(`${heading}\\n[\\s\\S]*?(?=\\n## |$)`)
    text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`
    writeFileSync(path, text)
  }
  if (created !== stored || failures > 0) process.exitCode = 1
} finally {
  proc.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  rmSync(dir, { recursive: true, force: true })
}
