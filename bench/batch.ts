/**
 * Batch throughput bench: generates a 100,000-row CSV of realistic goods lines (the descriptions of
 * eval/dev.jsonl, cycled with varied references, routes, origins and declared codes, and one
 * bad row in a thousand), runs the real CLI `batch` on it end to end in a child process, and reports
 * rows/s and peak RSS (VmHWM of the whole process, all threads) over several runs.
 *
 * `--unique`: every row's description is distinct (its own lot number, bench/generate-goods.ts), so no
 * reading comes from the engine's cache of repeated descriptions: the floor for uploads without
 * repeated lines. Without it the 191 descriptions of eval/dev.jsonl repeat, as SKUs do on invoices.
 *
 *   npm run -s bench:batch [-- --rows 100000 --runs 3 --format csv,jsonl --unique]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse'
import { dualuseNodeArgs } from './dualuse-command'
import { generateGoodsCsv } from './generate-goods'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url))
const DEV_SET = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url))

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    format: { type: 'string', default: 'csv,jsonl' },
    workers: { type: 'string' },
    unique: { type: 'boolean', default: false },
  },
})
const ROWS = Number(values.rows)
const RUNS = Number(values.runs)
const FORMATS = values.format.split(',') as ('csv' | 'jsonl')[]

type Run = { format: string; seconds: number; rowsPerSecond: number; peakRssMb: number }

async function runOnce(input: string, format: 'csv' | 'jsonl'): Promise<Run> {
  const output = `${OUT_DIR}batch-result.${format}`
  // The same command line as the package.json `dualuse` script (heap caps included).
  const args = [...dualuseNodeArgs(ROOT), 'batch', input, '--format', format]
  args.push('--out', output)
  if (values.workers !== undefined) args.push('--workers', values.workers)
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let peakKb = 0
  // VmHWM is the process's own high-water mark; polling it only needs to catch the last value.
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
    } catch {
      // The process has ended between two polls.
    }
  }, 50)
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const [code] = (await once(child, 'exit')) as [number]
  clearInterval(poll)
  const seconds = (performance.now() - started) / 1000
  // Exit 3: some rows failed (the one bad row in a thousand), every other row still written.
  if (code !== 0 && code !== 3) throw new Error(`batch exited ${code}: ${stderr}`)
  await verifyOrder(output, format)
  process.stderr.write(stderr)
  return { format, seconds, rowsPerSecond: ROWS / seconds, peakRssMb: peakKb / 1024 }
}

/** The output must hold every row once, in input order, each echoing its reference. */
async function verifyOrder(path: string, format: 'csv' | 'jsonl'): Promise<void> {
  let expected = 0
  const check = (row: number, reference: string) => {
    // `row` is the line of the file (the header is line 1), so data row i is on line i + 2.
    if (row !== expected + 2 || reference !== `INV-${String(expected).padStart(6, '0')}`)
      throw new Error(`output row ${expected} is row ${row} (${reference})`)
    expected++
  }
  if (format === 'csv') {
    const parser = createReadStream(path).pipe(parse({ columns: true }))
    for await (const r of parser as AsyncIterable<{ row: string; reference: string }>)
      check(Number(r.row), r.reference)
  } else {
    const { createInterface } = await import('node:readline')
    for await (const line of createInterface({ input: createReadStream(path) })) {
      const r = JSON.parse(line) as { row: number; reference: string }
      check(r.row, r.reference)
    }
  }
  if (expected !== ROWS) throw new Error(`output has ${expected} rows, expected ${ROWS}`)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

mkdirSync(OUT_DIR, { recursive: true })
const input = `${OUT_DIR}batch-${values.unique ? 'unique-' : ''}${ROWS}.csv`
if (!existsSync(DEV_SET)) throw new Error(`bench needs ${DEV_SET}`)
await generateGoodsCsv(input, ROWS, { unique: values.unique })
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
// Other work on the machine shows in the figures; print the load so a reader can judge.
console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}, load average ${load()}`,
)
console.log(
  `input: ${input} (${ROWS} rows, ${values.unique ? 'every description distinct' : 'the 191 descriptions of eval/dev.jsonl repeated'})`,
)
const summary: Record<string, { medianRowsPerSecond: number; maxPeakRssMb: number; runs: Run[] }> =
  {}
for (const format of FORMATS) {
  const runs: Run[] = []
  for (let i = 0; i < RUNS; i++) {
    const run = await runOnce(input, format)
    runs.push(run)
    console.log(
      `  ${format} run ${i + 1}: ${run.seconds.toFixed(1)} s, ${Math.round(run.rowsPerSecond)} rows/s, peak RSS ${Math.round(run.peakRssMb)} MB`,
    )
  }
  summary[format] = {
    medianRowsPerSecond: Math.round(median(runs.map((r) => r.rowsPerSecond))),
    maxPeakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssMb))),
    runs,
  }
  console.log(
    `batch --format ${format}: median ${summary[format].medianRowsPerSecond} rows/s, max peak RSS ${summary[format].maxPeakRssMb} MB over ${RUNS} runs of ${ROWS} rows`,
  )
}
console.log(`load average at the end: ${load()}`)
