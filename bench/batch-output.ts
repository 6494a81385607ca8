/**
 * What the CLI batch's output format costs per row, apart from the check (which is the same for both
 * formats): a JSONL line (`jsonlResultLine`, the full result) and its UTF-8 bytes against a CSV row
 * (`csvResultCells` and csv-stringify), then writing those bytes to a file. Both formats measured in
 * one process, alternating, CPU time (user + system) per row, medians: a loaded machine slows both.
 *
 *   npx tsx bench/batch-output.ts [--rows 2000] [--reps 15]
 */
import { closeSync, createReadStream, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { stringify } from 'csv-stringify/sync'
import {
  type BatchRow,
  checkBatchRow,
  csvResultCells,
  jsonlResultLine,
  type RowOutcome,
  readBatchRows,
} from '../src/core/batch'
import { readEngine } from '../src/runtime/catalogue-file'
import { generateGoodsCsv } from './generate-goods'

const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url))
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '2000' }, reps: { type: 'string', default: '15' } },
})
const ROWS = Number(values.rows)
const REPS = Number(values.reps)
/** The CLI's chunk of rows: its output is written as one piece (cli/batch-command.ts). */
const CHUNK_ROWS = 256

mkdirSync(OUT_DIR, { recursive: true })
const input = `${OUT_DIR}batch-output-${ROWS}.csv`
await generateGoodsCsv(input, ROWS, { unique: true })
const rows: BatchRow[] = []
for await (const row of readBatchRows(createReadStream(input), { format: 'csv' })) rows.push(row)
const engine = readEngine(undefined, undefined, 0)
const outcomes: RowOutcome[] = rows.map((row) => checkBatchRow(engine, row))

const encoder = new TextEncoder()
const bytes = new Uint8Array(64 << 20)
/** Each format's output for all rows, chunk by chunk, as the CLI makes it (cli/batch-rows.ts). */
const formats = {
  jsonl: (from: number, to: number) => {
    let length = 0
    for (let i = from; i < to; i++)
      length += encoder.encodeInto(
        jsonlResultLine(rows[i]!, outcomes[i]!),
        bytes.subarray(length),
      ).written
    return bytes.subarray(0, length)
  },
  csv: (from: number, to: number) =>
    encoder.encode(
      stringify(rows.slice(from, to).map((row, i) => csvResultCells(row, outcomes[from + i]!))),
    ),
}
const file = `${OUT_DIR}batch-output.tmp`
const cpu = Object.fromEntries(
  Object.keys(formats).map((format) => [
    format,
    { make: [] as number[], write: [] as number[], bytes: 0 },
  ]),
)
for (let rep = 0; rep < REPS; rep++)
  for (const [format, make] of Object.entries(formats)) {
    const entry = cpu[format]!
    const fd = openSync(file, 'w')
    let makeMicros = 0
    let writeMicros = 0
    entry.bytes = 0
    for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
      let start = process.cpuUsage()
      const chunk = make(from, Math.min(from + CHUNK_ROWS, rows.length))
      let used = process.cpuUsage(start)
      makeMicros += used.user + used.system
      start = process.cpuUsage()
      writeSync(fd, chunk)
      used = process.cpuUsage(start)
      writeMicros += used.user + used.system
      entry.bytes += chunk.length
    }
    closeSync(fd)
    entry.make.push(makeMicros / rows.length)
    entry.write.push(writeMicros / rows.length)
  }
rmSync(file, { force: true })

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`${rows.length} rows (distinct descriptions), ${REPS} alternating runs per format`)
for (const [format, { make, write, bytes }] of Object.entries(cpu))
  console.log(
    `${format.padEnd(5)}  make ${median(make).toFixed(1)} µs/row, write ${median(write).toFixed(1)} µs/row CPU (medians); ${Math.round(bytes / rows.length)} bytes/row`,
  )
