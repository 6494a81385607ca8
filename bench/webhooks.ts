/**
 * Webhooks benchmark (issue 10): POST /v1/checks on one real `npm start` server for two tenants, one
 * without webhook endpoints and one with an enabled endpoint subscribed to `check.flagged` (a real
 * HTTP receiver in its own process, bench/webhook-receiver.ts, answering 204), in interleaved runs of the same benchmark. Target: the
 * tenant with the endpoint keeps ≥ 80 % of the req/s of the tenant without. Then waits for the
 * deliverer to drain the outbox and reports how fast it delivered. Writes its section of BENCHMARKS.md.
 *
 *   npx tsx bench/webhooks.ts [--runs 5] [--duration 10] [--connections 50] [--no-write]
 */

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { createApiKey, ensureTenant } from '../src/storage/repos/tenant-repo'
import { openSqliteStore } from '../src/storage/sqlite'
import { CHECK_BODIES } from './check-bodies'
import { ROOT, startServer } from './server-process'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'no-write': { type: 'boolean', default: false },
  },
})
const RUNS = Number(values.runs)
const DURATION = Number(values.duration)
const CONNECTIONS = Number(values.connections)
const PORT = 19000 + Math.floor(Math.random() * 1000)
const BASE = `http://127.0.0.1:${PORT}`

const BODIES = CHECK_BODIES

// The receiver runs in its own process: in this one it would share a core with autocannon and slow
// the load it generates, which the ratio would then charge to the server.
const receiver = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-receiver.ts'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
})
const receiverPort = await new Promise<number>((resolve, reject) => {
  receiver.stdout!.once('data', (d: Buffer) =>
    resolve((JSON.parse(String(d)) as { port: number }).port),
  )
  receiver.once('exit', () => reject(new Error('the webhook receiver exited')))
})
const receiverUrl = `http://127.0.0.1:${receiverPort}/hook`
async function receivedSoFar(): Promise<{ requests: number; distinct: number }> {
  return (await (await fetch(`http://127.0.0.1:${receiverPort}/stats`)).json()) as {
    requests: number
    distinct: number
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dualuse-bench-webhooks-'))
const dbPath = join(dir, 'bench.db')
const { proc, key: plainKey } = await startServer(dbPath, PORT, {
  // Fairness limits off: this measures the check path, not the per-tenant cap.
  TENANT_MAX_IN_FLIGHT: '10000',
  TENANT_RATE_PER_SECOND: '1000000',
  TENANT_BURST: '1000000',
  WEBHOOK_ALLOW_PRIVATE: 'true',
})

type Run = { rps: number; p99: number; non2xx: number; errors: number }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

try {
  // The second tenant, written to the server's database as the `keys` CLI would.
  const store = openSqliteStore(dbPath)
  const tenant = await ensureTenant(store.db, 'hooked', new Date())
  const { key: hookedKey } = await createApiKey(store.db, tenant.id, new Date())
  await store.close()
  const created = await fetch(`${BASE}/v1/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hookedKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiverUrl, events: ['check.flagged'] }),
  })
  if (created.status !== 201) throw new Error(`endpoint not created: ${await created.text()}`)

  const flaggedIds = new Set<string>()
  let recording = false
  const requestsFor = (key: string, track: boolean) =>
    BODIES.map((b) => ({
      method: 'POST' as const,
      path: '/v1/checks',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(b),
      onResponse: (status: number, body: string) => {
        if (track && recording && status === 201 && !body.includes('"verdict":"clear"'))
          flaggedIds.add(body.slice(7, 37))
      },
    }))
  const plain = requestsFor(plainKey!, false)
  const hooked = requestsFor(hookedKey, true)
  const cannon = async (reqs: typeof plain): Promise<Run> => {
    const r = await autocannon({
      url: BASE,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: reqs,
    })
    return {
      rps: r.requests.average,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    }
  }
  // Warm-up of both paths, not counted.
  await autocannon({ url: BASE, connections: CONNECTIONS, duration: 2, requests: plain })
  await autocannon({ url: BASE, connections: CONNECTIONS, duration: 2, requests: hooked })
  recording = true

  const without: Run[] = []
  const withHook: Run[] = []
  const t0 = Date.now()
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so neither always inherits the other's backlog.
    if (i % 2 === 0) {
      without.push(await cannon(plain))
      withHook.push(await cannon(hooked))
    } else {
      withHook.push(await cannon(hooked))
      without.push(await cannon(plain))
    }
    console.error(
      `run ${i + 1}/${RUNS}: without ${without.at(-1)!.rps.toFixed(0)} req/s, with endpoint ${withHook.at(-1)!.rps.toFixed(0)} req/s, delivered so far ${(await receivedSoFar()).distinct}`,
    )
  }
  const measuredMs = Date.now() - t0
  const deliveredDuring = (await receivedSoFar()).distinct
  // Drain: wait until the outbox has no pending delivery (or nothing moves for 30 s).
  const db = new Database(dbPath, { readonly: true })
  const pendingNow = db
    .prepare(`select count(*) from webhook_delivery where status = 'pending'`)
    .pluck()
  const drainStart = Date.now()
  let pending = pendingNow.get() as number
  let stalledSince = Date.now()
  while (pending > 0 && Date.now() - stalledSince < 30_000) {
    await new Promise((r) => setTimeout(r, 200))
    const now = pendingNow.get() as number
    if (now !== pending) stalledSince = Date.now()
    pending = now
  }
  const drainMs = Date.now() - drainStart
  const events = db.prepare(`select count(*) from webhook_event`).pluck().get() as number
  const delivered = db
    .prepare(`select count(*) from webhook_delivery where status = 'delivered'`)
    .pluck()
    .get() as number
  db.close()

  const { requests, distinct } = await receivedSoFar()
  const ratios = withHook.map((r, i) => r.rps / without[i]!.rps)
  const ratio = median(ratios)
  const failures = [...without, ...withHook].reduce((s, r) => s + r.non2xx + r.errors, 0)
  const heading = '## Webhooks: POST /v1/checks with and without a subscribed endpoint'
  const section = `${heading}

Command: \`npx tsx bench/webhooks.ts --runs ${RUNS} --duration ${DURATION} --connections ${CONNECTIONS}\`${RUNS === 5 && DURATION === 10 && CONNECTIONS === 50 ? ' (also `npm run -s bench:webhooks`)' : ''}.
One real \`npm start\` server (Node ${process.version}, SQLite file, request log off, default check threads, tenant
limits lifted, \`WEBHOOK_ALLOW_PRIVATE=true\`); two tenants: one without webhook endpoints, one with an enabled
endpoint subscribed to \`check.flagged\` whose receiver (its own process, bench/webhook-receiver.ts) answers 204. autocannon,
${CONNECTIONS} connections, ${RUNS} interleaved pairs of ${DURATION} s runs (order alternating) after a 2 s warm-up of each;
the POST bodies of \`bench/http-checks.ts\` (about half flagged). Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}.

| tenant | req/s (median) | p99 ms (median) |
| --- | ---: | ---: |
| without endpoints | ${median(without.map((r) => r.rps)).toFixed(0)} | ${median(without.map((r) => r.p99))} |
| one endpoint on \`check.flagged\` | ${median(withHook.map((r) => r.rps)).toFixed(0)} | ${median(withHook.map((r) => r.p99))} |

- With the endpoint: **${(ratio * 100).toFixed(1)} %** of the req/s without (median of the per-pair ratios: ${ratios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}). Target ≥ 80 %.
  Single pairs swing with the machine's load (it is shared); the median over pairs is the figure.
- A flagged check of either tenant writes its \`check.flagged\` event in the check's own atomic write (every event is
  stored); for the tenant with the endpoint, one pending delivery too, found in SQL in that same write
  (${events} events stored in all, both tenants, warm-ups included).
- Deliveries: ${deliveredDuring} received during the ${(measuredMs / 1000).toFixed(0)} s of measured runs (the deliverer shares the server process with
  the checks); the rest drained ${(drainMs / 1000).toFixed(1)} s after the last run; ${delivered} deliveries delivered in all, ${distinct}
  distinct \`webhook-id\`s received (${requests} requests), ${pending} still pending at the end; ${failures} non-2xx responses or
  socket errors on POST /v1/checks.
`
  console.log(section)
  if (!values['no-write']) {
    const path = 'BENCHMARKS.md'
    let text = readFileSync(path, 'utf8')
    const re = new RegExp(`${heading.replace(/[/()]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`)
    text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`
    writeFileSync(path, text)
  }
  if (ratio < 0.8 || failures > 0 || pending > 0) process.exitCode = 1
} finally {
  proc.kill('SIGTERM')
  await new Promise((r) => proc.once('exit', r))
  receiver.kill('SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  rmSync(dir, { recursive: true, force: true })
}
