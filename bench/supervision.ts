/**
 * How soon a killed server process is replaced, and whether requests are answered meanwhile
 * (docs/http.md, "Start-up, health and supervision"). Starts the real `npm start` with
 * WEB_CONCURRENCY=2 under its supervising primary, then, `--kills` times (a minute apart, so the
 * back-off starts over), SIGKILLs one server process and
 * - asks `/healthz` 4 times at once, each on a new connection with 3 s to answer: the other process
 *   should answer every one;
 * - times the kill to its replacement's "listening" line.
 * The same command times the primary's first start (to two processes listening), the baseline a
 * replacement should beat: it forks and reads the catalogue but migrates nothing.
 *
 *   npx tsx bench/supervision.ts [--kills 3] [--threads 0]
 *
 * `--threads` is CHECK_THREADS (0, the drills' setting: the process checks on its own thread; the
 * product's default is one thread per extra CPU, each loading its own engine). With
 * NODE_CLUSTER_SCHED_POLICY=none in its environment, passed on to the server, the processes accept
 * from the shared port themselves; the server's default is round-robin (Node's on Linux), whose
 * hand-over to a process that just died loses requests (docs/http.md).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
// The supervision drills' own way of starting `npm start` (test/runtime/supervision.test.ts): a clean
// environment, the output kept line by line, bounded waits.
import { freePort, listeningPids, startProcess, stopProcess } from '../test/runtime/spawn-server'

const { values } = parseArgs({
  options: { kills: { type: 'string', default: '3' }, threads: { type: 'string', default: '0' } },
})
const KILLS = Number(values.kills)
const THREADS = values.threads!
/** Requests to /healthz right after each kill, each on its own connection, 3 s to answer. */
const PROBES = 4

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

const dir = mkdtempSync(join(tmpdir(), 'dualuse-bench-supervision-'))
const port = await freePort()
const startedAt = performance.now()
const server = startProcess({
  PORT: String(port),
  DATABASE_PATH: join(dir, 'bench.db'),
  WEB_CONCURRENCY: '2',
  CHECK_THREADS: THREADS,
  ...(process.env.NODE_CLUSTER_SCHED_POLICY
    ? { NODE_CLUSTER_SCHED_POLICY: process.env.NODE_CLUSTER_SCHED_POLICY }
    : {}),
})
const listening = () => listeningPids(server.stdout())

try {
  await server.until((out) => listeningPids(out).length === 2, 120_000)
  const firstStartMs = performance.now() - startedAt
  const toListening: number[] = []
  let probesLost = 0
  for (let k = 0; k < KILLS; k++) {
    const before = listening().length
    const victim = listening().at(-2)!
    const killedAt = performance.now()
    process.kill(victim, 'SIGKILL')
    // The other process should serve while the replacement starts: ask at once, on new connections.
    for (let r = 0; r < PROBES; r++) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(3_000),
      }).catch((e: Error) => e)
      if (health instanceof Error) probesLost++
      else if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`)
    }
    await server.until((out) => listeningPids(out).length === before + 1, 60_000)
    toListening.push(performance.now() - killedAt)
    // The back-off restarts after 60 s of uptime; between kills it grows (1 s, 2 s, 4 s …) unless
    // the replacement has been up that long, so each kill waits the minute out to time a first death.
    if (k < KILLS - 1) await new Promise((r) => setTimeout(r, 61_000))
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  console.log(`CHECK_THREADS=${THREADS}, WEB_CONCURRENCY=2, ${KILLS} kills (one a minute)`)
  console.log(`  first start, to two processes listening: ${s(firstStartMs)}`)
  console.log(
    `  SIGKILL → replacement listening: median ${s(median(toListening))} (${toListening.map(s).join(', ')})`,
  )
  console.log(
    `  /healthz right after a kill: ${KILLS * PROBES - probesLost} of ${KILLS * PROBES} answered 200 within 3 s`,
  )
  console.log(
    `  replacement / first start: ${(median(toListening) / firstStartMs).toFixed(2)}× (same command)`,
  )
} finally {
  await stopProcess(server)
  rmSync(dir, { recursive: true, force: true })
}
