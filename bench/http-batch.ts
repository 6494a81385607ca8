/**
 * HTTP batch bench (issue 9): the same generated CSV (bench/generate-goods.ts) uploaded to a real
 * `npm start` server (`POST /v1/batches`) and run through the CLI batch, in the same run. Reports the
 * upload-to-completed rows/s beside the CLI's rows/s, the server's peak RSS (VmHWM of the one server
 * process, its check threads included), the disk bytes per row (database + WAL growth), and checks
 * that the HTTP results equal the CLI's row for row (reference, row, verdict, risk score, top hs6).
 *
 * With `--kill-at 0.4`, the crash drill of issue 9: the server is killed with SIGKILL once 40 % of the
 * rows are checked, started again on the same database, and the batch must finish with every row
 * exactly once and equal to the CLI's (the throughput figure then includes the restart).
 *
 * The file's 191 descriptions repeat, as SKUs do on invoices (the batch reads a repeated one from its
 * own readings, core/batch/check-chunk.ts `batchReadings`); `--unique` gives every row its own description
 * (bench/generate-goods.ts), every row read afresh. The server's CPU seconds (user + system, check
 * threads included) from upload to completed are the steadier figure on a shared machine.
 * `--skip-cli` leaves out the CLI run and its comparison (A/B rounds of the server alone);
 * `--results-out PATH` keeps the HTTP results (JSON Lines) there, to compare trees byte for byte.
 *
 *   npm run -s bench:http-batch [-- --rows 200000] [--kill-at 0.4] [--unique] [--skip-cli]
 *     [--results-out bench/out/http-results.jsonl]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { dualuseNodeArgs } from './dualuse-command'
import { generateGoodsCsv } from './generate-goods'
import { cpuSeconds, ROOT, startServer, vmKb } from './server-process'

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url))
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    port: { type: 'string', default: '18911' },
    'kill-at': { type: 'string' },
    unique: { type: 'boolean', default: false },
    'skip-cli': { type: 'boolean', default: false },
    'results-out': { type: 'string' },
  },
})
const ROWS = Number(values.rows)
const PORT = Number(values.port)
const BASE = `http://127.0.0.1:${PORT}`
const KILL_AT = values['kill-at'] === undefined ? null : Number(values['kill-at'])

function diskBytes(path: string): number {
  let total = 0
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(path + suffix).size
    } catch {
      // not there
    }
  }
  return total
}

type Row = [string, number, string, number, string]

async function* jsonlRows(lines: AsyncIterable<string>): AsyncGenerator<Row> {
  for await (const line of lines) {
    if (!line) continue
    const d = JSON.parse(line) as {
      reference: string
      row: number
      verdict?: string
      risk_score?: number
      classification?: { candidates: { hs6: string }[] }
    }
    yield [
      d.reference,
      d.row,
      d.verdict ?? 'error',
      d.risk_score ?? -1,
      d.classification?.candidates[0]?.hs6 ?? '',
    ]
  }
}

async function runCli(input: string, output: string) {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [...dualuseNodeArgs(ROOT), 'batch', input, '--format', 'jsonl', '--out', output],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let peakKb = 0
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, vmKb(child.pid!, 'VmHWM'))
  }, 50)
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  const [code] = (await once(child, 'exit')) as [number]
  clearInterval(poll)
  if (code !== 0 && code !== 3) throw new Error(`CLI batch exited ${code}: ${stderr}`)
  const seconds = (performance.now() - started) / 1000
  return { seconds, rowsPerSecond: ROWS / seconds, peakRssMb: peakKb / 1024, stderr: stderr.trim() }
}

mkdirSync(OUT_DIR, { recursive: true })
const input = `${OUT_DIR}batch-${values.unique ? 'unique-' : ''}${ROWS}.csv`
await generateGoodsCsv(input, ROWS, { unique: values.unique })
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, load average ${load()}`,
)
console.log(`input: ${input} (${ROWS} rows, ${(statSync(input).size / 1048576).toFixed(1)} MiB)`)

const dir = mkdtempSync(join(tmpdir(), 'dualuse-http-batch-'))
const dbPath = join(dir, 'bench.db')
let server = await startServer(dbPath, PORT)
if (!server.key) throw new Error('the server made no key on a fresh database')
const auth = { authorization: `Bearer ${server.key}` }
const diskBefore = diskBytes(dbPath)
let rssPeakKb = 0
const rssPoll = setInterval(() => {
  rssPeakKb = Math.max(rssPeakKb, vmKb(server.proc.pid!, 'VmHWM'))
}, 200)

try {
  const cpuBefore = cpuSeconds(server.proc.pid!)
  const started = performance.now()
  const res = await fetch(`${BASE}/v1/batches`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/csv' },
    body: Readable.toWeb(createReadStream(input)) as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`)
  const uploadSeconds = (performance.now() - started) / 1000
  const { id } = (await res.json()) as { id: string }
  let batch: { status: string; rows_checked: number; rows_total: number; counts: object }
  let killed = false
  for (;;) {
    batch = (await (
      await fetch(`${BASE}/v1/batches/${id}`, { headers: auth })
    ).json()) as typeof batch
    if (batch.status !== 'queued' && batch.status !== 'running') break
    if (KILL_AT !== null && !killed && batch.rows_checked >= KILL_AT * batch.rows_total) {
      killed = true
      server.proc.kill('SIGKILL')
      await once(server.proc, 'exit')
      console.log(
        `killed the server (SIGKILL) at ${batch.rows_checked} of ${batch.rows_total} rows checked; starting it again`,
      )
      server = await startServer(dbPath, PORT)
      continue
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  const httpSeconds = (performance.now() - started) / 1000
  // Over a restart the first process's seconds are lost: the figure is then the second one's alone.
  const serverCpu = cpuSeconds(server.proc.pid!) - (killed ? 0 : cpuBefore)
  if (batch.status !== 'completed') throw new Error(`batch ended ${batch.status}`)
  if (KILL_AT !== null && !killed) throw new Error('the batch completed before the kill point')
  const diskPerRow = (diskBytes(dbPath) - diskBefore) / ROWS
  const httpRate = ROWS / httpSeconds
  console.log(
    `HTTP batch: upload ${uploadSeconds.toFixed(1)} s, upload-to-completed ${httpSeconds.toFixed(1)} s, ${Math.round(httpRate)} rows/s; server CPU ${serverCpu.toFixed(1)} s; server peak RSS ${Math.round(rssPeakKb / 1024)} MB; disk ${Math.round(diskPerRow)} bytes/row (database + WAL growth)`,
  )
  console.log(`  counts: ${JSON.stringify(batch.counts)}`)
  // Saved whole first, as a broker would: a readline interface over the live response made earlier
  // would emit lines before anyone listened.
  const results = await fetch(`${BASE}/v1/batches/${id}/results?format=jsonl`, { headers: auth })
  const httpOut = values['results-out'] ?? join(dir, 'http.jsonl')
  await pipeline(
    Readable.fromWeb(results.body as import('node:stream/web').ReadableStream),
    createWriteStream(httpOut),
  )
  if (values['results-out']) console.log(`results saved: ${httpOut}`)

  if (!values['skip-cli']) {
    const cliOut = join(dir, 'cli.jsonl')
    const cli = await runCli(input, cliOut)
    console.log(
      `CLI batch (same file, same run): ${cli.seconds.toFixed(1)} s wall, ${Math.round(cli.rowsPerSecond)} rows/s, peak RSS ${Math.round(cli.peakRssMb)} MB`,
    )
    console.log(`  ${cli.stderr}`)
    console.log(`ratio HTTP / CLI rows/s: ${(httpRate / cli.rowsPerSecond).toFixed(2)}`)
    const httpLines = createInterface({ input: createReadStream(httpOut) })
    const cliRows = jsonlRows(createInterface({ input: createReadStream(cliOut) }))
    let compared = 0
    for await (const got of jsonlRows(httpLines)) {
      const want = (await cliRows.next()).value as Row | undefined
      if (JSON.stringify(got) !== JSON.stringify(want))
        throw new Error(
          `row ${compared}: HTTP ${JSON.stringify(got)} ≠ CLI ${JSON.stringify(want)}`,
        )
      compared++
    }
    if (compared !== ROWS || !(await cliRows.next()).done)
      throw new Error(`compared ${compared} rows, expected ${ROWS}`)
    console.log(`results: ${compared} rows, same order, verdict, risk score and top hs6 as the CLI`)
  }
  clearInterval(rssPoll)
  console.log(`server peak RSS, results streamed too: ${Math.round(rssPeakKb / 1024)} MB`)
  console.log(`load average at the end: ${load()}`)
} finally {
  clearInterval(rssPoll)
  server.proc.kill('SIGTERM')
  await once(server.proc, 'exit')
  rmSync(dir, { recursive: true, force: true })
}
