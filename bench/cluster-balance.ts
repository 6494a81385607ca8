/**
 * How the supervised server processes share the work (docs/http.md, "Supervision"): with
 * `NODE_CLUSTER_SCHED_POLICY=none` (not the server's default), each process accepts from the shared socket
 * itself and the kernel decides who wakes; Node's documentation warns that this can be uneven. Starts
 * the real `npm start` with WEB_CONCURRENCY=2, sends `--checks` single checks (`--in-flight` at a
 * time, each on a new connection unless `--keep-alive`), and prints each process's CPU time (user +
 * system, /proc) over the load, the larger share, and the wall time. Run it once with
 * NODE_CLUSTER_SCHED_POLICY=none or =rr in its environment (passed on); unset, the default round-robin.
 *
 *   npx tsx bench/cluster-balance.ts [--checks 400] [--in-flight 4] [--keep-alive] [--threads 0]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  freePort,
  KEY_PATTERN,
  listeningPids,
  startProcess,
  stopProcess,
} from '../test/runtime/spawn-server'
import { cpuSeconds } from './server-process'

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '400' },
    'in-flight': { type: 'string', default: '4' },
    'keep-alive': { type: 'boolean', default: false },
    threads: { type: 'string', default: '0' },
  },
})
const CHECKS = Number(values.checks)
const IN_FLIGHT = Number(values['in-flight'])
const LINES = [
  'needle roller bearing',
  'USB webcam',
  'rye flour',
  'PLC controller',
  'cotton t-shirt',
]

const policy = process.env.NODE_CLUSTER_SCHED_POLICY
const dir = mkdtempSync(join(tmpdir(), 'dualuse-bench-balance-'))
const port = await freePort()
const server = startProcess({
  PORT: String(port),
  DATABASE_PATH: join(dir, 'bench.db'),
  WEB_CONCURRENCY: '2',
  CHECK_THREADS: values.threads!,
  ...(policy ? { NODE_CLUSTER_SCHED_POLICY: policy } : {}),
})
try {
  await server.until((out) => listeningPids(out).length === 2 && KEY_PATTERN.test(out), 120_000)
  const key = KEY_PATTERN.exec(server.stdout())![0]
  const pids = listeningPids(server.stdout())
  const before = pids.map(cpuSeconds)
  let sent = 0
  const client = async () => {
    while (sent < CHECKS) {
      // A number makes each line new to the process, as distinct customers' lines are.
      const i = sent++
      const res = await fetch(`http://127.0.0.1:${port}/v1/checks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(values['keep-alive'] ? {} : { connection: 'close' }),
        },
        body: JSON.stringify({ description: `${LINES[i % LINES.length]} ${i}`, destination: 'RU' }),
      })
      if (res.status !== 201 && res.status !== 200) throw new Error(`check answered ${res.status}`)
      await res.text()
    }
  }
  const startedAt = performance.now()
  await Promise.all(Array.from({ length: IN_FLIGHT }, client))
  const wall = (performance.now() - startedAt) / 1000
  const seconds = pids.map((pid, i) => cpuSeconds(pid) - before[i]!)
  const total = seconds.reduce((a, b) => a + b, 0)
  console.log(
    `policy ${policy ?? 'rr (default)'}, ${CHECKS} checks, ${IN_FLIGHT} in flight, ${values['keep-alive'] ? 'keep-alive' : 'a connection each'}: CPU s ${seconds.map((t) => t.toFixed(2)).join(' / ')}, larger share ${(Math.max(...seconds) / (total || 1)).toFixed(2)}, wall ${wall.toFixed(1)} s`,
  )
} finally {
  await stopProcess(server)
  rmSync(dir, { recursive: true, force: true })
}
