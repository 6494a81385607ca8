/**
 * In-process loop over rows of the unique batch file with the engine the CLI builds, for profiling
 * and A/B timing of the check's code (`node --cpu-prof --import tsx bench/profile-batch.ts ...`):
 *   bench/profile-batch.ts [rows=10000] [csv|jsonl] [passes=1] [file]
 * Each pass checks the same rows (more rows than the classification cache holds, so every row is read
 * afresh); prints user CPU per row of each pass and the output's SHA-256, which must not change.
 * With PROFILE=out.cpuprofile, a CPU profile of the warm passes (all but the first).
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { readRows } from '../src/cli/batch-input'
import { type InputRow, processChunk } from '../src/cli/batch-rows'
import { CLASSIFICATION_CACHE_ENTRIES } from '../src/core/classify/classification-cache'
import { readEngine } from '../src/runtime/catalogue-file'

const n = Number(process.argv[2] ?? 10000)
const format = (process.argv[3] ?? 'csv') as 'csv' | 'jsonl'
const passes = Number(process.argv[4] ?? 1)
const file = process.argv[5] ?? 'bench/out/batch-unique-100000.csv'
const engine = readEngine(undefined, undefined, CLASSIFICATION_CACHE_ENTRIES)
const rows: InputRow[] = []
for await (const row of readRows(file, 'csv', {}, () => {})) {
  rows.push(row)
  if (rows.length >= n) break
}
// PROFILE=file.cpuprofile: a CPU profile of the passes after the first (warm code only).
const profilePath = process.env.PROFILE
const session = profilePath ? new Session() : undefined
const perPass: number[] = []
let digest = ''
for (let pass = 0; pass < passes; pass++) {
  if (session && pass === Math.min(1, passes - 1)) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 250 })
    await session.post('Profiler.start')
  }
  const hash = createHash('sha256')
  const cpu0 = process.cpuUsage()
  let stepCpu = process.cpuUsage()
  const steps: number[] = []
  for (let i = 0; i < rows.length; i += 256) {
    hash.update(processChunk(engine, rows.slice(i, i + 256), { format }).output)
    // TRACE_STEPS=1: user CPU per row of every 2,048 rows (how long the code takes to warm up).
    if (process.env.TRACE_STEPS && (i / 256) % 8 === 7) {
      steps.push(process.cpuUsage(stepCpu).user / 2048)
      stepCpu = process.cpuUsage()
    }
  }
  if (steps.length) console.log(`per 2,048 rows: ${steps.map((u) => u.toFixed(0)).join(' ')}`)
  perPass.push(process.cpuUsage(cpu0).user / rows.length)
  digest = hash.digest('hex').slice(0, 16)
}
if (session && profilePath) {
  const { profile } = await session.post('Profiler.stop')
  writeFileSync(profilePath, JSON.stringify(profile))
}
console.log(
  `${rows.length} rows ${format}: user µs/row per pass ${perPass.map((u) => u.toFixed(0)).join(' ')}; min ${Math.min(...perPass).toFixed(0)}; sha256 ${digest}`,
)
// CPU of this thread and of the others (Linux): V8's compiler and GC helper threads count too.
try {
  const { readdirSync, readFileSync } = await import('node:fs')
  const byName = new Map<string, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const name = tid === String(process.pid) ? 'main' : 'other'
    const ticks = Number(fields[11]) + Number(fields[12])
    byName.set(name, (byName.get(name) ?? 0) + ticks * 10)
  }
  console.log(`thread CPU ms: ${[...byName].map(([k, v]) => `${k} ${v}`).join(', ')}`)
} catch {
  // Not Linux: no per-thread figures.
}
