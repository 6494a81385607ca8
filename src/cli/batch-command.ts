/**
 * @module cli/batch-command
 * `dualuse batch <file> …`: streams a CSV or JSONL file through the engine and writes one output row per
 * input row, in input order, as it goes. Memory stays flat: at most a window of chunks is in flight,
 * the input is read only as fast as the output drains.
 */
import { once } from 'node:events'
import { closeSync, createWriteStream, openSync, statSync } from 'node:fs'
import type { Writable } from 'node:stream'
import type { RowDefaults } from '../core/batch'
import { parseCheckRequest } from '../core/check-goods'
import { CLASSIFICATION_CACHE_ENTRIES } from '../core/classify/classification-cache'
import { AppError } from '../core/errors'
import { VERDICTS } from '../core/schemas'
import { readEngine, readSharedTextIndex } from '../runtime/catalogue-file'
import { parseCommandArgs } from './args'
import { countLines, type InputFormat, readRows } from './batch-input'
import { type ChunkRunner, inProcessRunner, workerRunner } from './batch-pool'
import {
  type BatchRowOptions,
  type ChunkResult,
  CSV_COLUMNS,
  emptyTally,
  type InputRow,
  type OutputFormat,
} from './batch-rows'
import type { CliIo } from './io'
import { createProgress, fmt } from './progress'
import { UsageError } from './usage-error'

export const BATCH_USAGE = `Usage: dualuse batch <file.csv|file.jsonl> [options]

Checks every row of a file and writes one result per row, in input order. A bad row gives an error
row and the batch goes on. A row's number is its line in the file (the CSV header is line 1), as in
the error pointers /rows/LINE/field.

CSV input (UTF-8, with or without BOM; "," ";" or tab, told from the header) has a header line with
the columns reference, description, destination, hs_code, origin, final_destination, regime (and
optionally transit, quantity, value, currency); other columns are ignored with a warning. Every row
has as many cells as the header. JSONL input has one JSON object per line with the same fields.
CSV output echoes the input columns beside the verdict, HS code, decisive list entry and first reason.

Exit codes: 0 every row checked; 3 some rows are error rows (the others are written);
1 the file cannot be read as a batch (empty, binary, no description column); 2 bad command line.

Options:
  --to CC               destination for rows that name none
  --regime R            regime for rows that name none: KZ (default), EU, US or UK
  --format jsonl|csv    output format (default: csv if --out ends in .csv, else jsonl)
  --out FILE            write to FILE instead of standard output
  --input-format F      csv or jsonl, when the file name does not tell
  --workers N           worker threads checking rows beside this thread (default: one
                        per extra CPU, up to 4, for files over ${'2,000'} rows; else 0)
  -h, --help            show this help`

const OPTIONS = {
  to: { type: 'string' },
  regime: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'input-format': { type: 'string' },
  workers: { type: 'string' },
} as const

/** Rows per chunk sent to a worker: large enough to amortise the message, small enough to keep order cheap. */
const CHUNK_ROWS = 256
/** Chunks queued per worker, so a worker never waits for the writer to hand it work. */
const CHUNKS_PER_WORKER = 4
/** Below this many rows a worker's own engine build (about 2 s) costs more than it saves. */
const WORKER_THRESHOLD_ROWS = 2000
const MAX_WORKERS = 4
/** Output chunks held while the oldest is still being checked (~1.5 MB of UTF-8 each as JSONL). */
const MAX_BUFFERED_CHUNKS = 8

export async function runBatchCommand(argv: string[], io: CliIo): Promise<number> {
  const startedAt = performance.now()
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, BATCH_USAGE)
  if (values.help) {
    io.stdout.write(`${BATCH_USAGE}\n`)
    return 0
  }
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'batch needs an input file, e.g. batch goods.csv --to RU'
        : `batch takes one input file, got ${positionals.length}`,
      BATCH_USAGE,
    )
  const inputPath = positionals[0]!
  const inputFormat = pickInputFormat(inputPath, values['input-format'])
  const format = pickOutputFormat(values.format, values.out)
  const workersWanted = parseWorkers(values.workers)
  const defaults = validateDefaults(values.to, values.regime)

  try {
    if (!statSync(inputPath).isFile()) throw new Error('not a file')
  } catch (err) {
    throw new AppError(
      'INVALID_INPUT',
      `cannot read ${inputPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    )
  }

  const lines = await countLines(inputPath)
  const estimatedRows = inputFormat === 'csv' ? Math.max(lines - 1, 0) : lines
  // Large files: this thread checks rows too, beside one worker per other CPU. Each engine is its own
  // isolate (~100 MB); this thread plus one worker keeps 100,000 rows under 400 MB on two cores.
  const workers =
    workersWanted ??
    (estimatedRows > WORKER_THRESHOLD_ROWS ? Math.min(MAX_WORKERS, Math.max(io.cpus - 1, 1)) : 0)

  const out = openOutput(values.out, io.stdout)
  const options: BatchRowOptions = { format }
  // One copy of the text index for this thread's engine and the workers' (shared memory).
  const textIndexBytes = workers > 0 ? readSharedTextIndex(io.cataloguePath) : undefined
  const workerRunners = Array.from({ length: workers }, () =>
    workerRunner(io.cataloguePath, options, textIndexBytes, io.cliBundle),
  )
  const local = inProcessRunner(
    readEngine(io.cataloguePath, textIndexBytes, CLASSIFICATION_CACHE_ENTRIES),
    options,
  )
  const runners: ChunkRunner[] = [local, ...workerRunners]
  const window = workers * CHUNKS_PER_WORKER + 1

  const tally = emptyTally()
  const progress = createProgress(io.stderr, io.stderrIsTty, estimatedRows, startedAt)
  // Chunks in input order; `done` once their result arrived, so the writer can tell a ready head.
  const queue: { result: Promise<ChunkResult>; done: boolean }[] = []
  let rowsWritten = 0

  const writeHead = async () => {
    const result = await queue.shift()!.result
    await write(out.stream, result.output)
    for (const key of Object.keys(tally) as (keyof typeof tally)[]) tally[key] += result.tally[key]
    rowsWritten = Object.values(tally).reduce((a, b) => a + b, 0)
    progress.update(rowsWritten)
  }
  const submit = async (rows: InputRow[]) => {
    // Write out what is ready; when the head is still in a worker, keep this thread checking rows
    // rather than waiting for it, up to a bound on buffered chunks.
    while (queue.length >= window && (queue[0]!.done || queue.length >= MAX_BUFFERED_CHUNKS))
      await writeHead()
    // A ready worker with room takes the chunk; otherwise this thread checks it at once (a worker
    // still building its engine gets none meanwhile).
    const worker = workerRunners
      .filter((r) => r.isReady() && r.inFlight() < CHUNKS_PER_WORKER)
      .sort((a, b) => a.inFlight() - b.inFlight())[0]
    const pending = (worker ?? local).run(rows)
    // Awaited later, in order; this keeps a failure meanwhile from counting as unhandled.
    pending.catch(() => {})
    const entry = { result: pending, done: false }
    pending.then(
      () => {
        entry.done = true
      },
      () => {
        entry.done = true
      },
    )
    queue.push(entry)
  }

  // Written with the first rows, not before: a file refused as a whole gives no output at all.
  let headerWritten = format !== 'csv'
  const writeHeader = async () => {
    if (headerWritten) return
    headerWritten = true
    await write(out.stream, `${CSV_COLUMNS.join(',')}\n`)
  }
  try {
    let chunk: InputRow[] = []
    for await (const row of readRows(inputPath, inputFormat, defaults, (m) =>
      io.stderr.write(`dualuse: ${inputPath}: ${m}\n`),
    )) {
      await writeHeader()
      chunk.push(row)
      if (chunk.length === CHUNK_ROWS) {
        await submit(chunk)
        chunk = []
      }
    }
    await writeHeader()
    if (chunk.length > 0) await submit(chunk)
    while (queue.length > 0) await writeHead()
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_INPUT')
      throw new AppError('INVALID_INPUT', `${inputPath}: ${err.message}`, { cause: err })
    throw err instanceof AppError || !(err instanceof Error)
      ? err
      : new AppError('INVALID_INPUT', `cannot read ${inputPath}: ${err.message}`, { cause: err })
  } finally {
    progress.finish()
    await Promise.all(runners.map((r) => r.close()))
    await out.close()
  }

  const seconds = (performance.now() - startedAt) / 1000
  const verdicts = VERDICTS.map((v) => `${v} ${fmt(tally[v])}`).join(', ')
  io.stderr.write(
    `dualuse batch: ${fmt(rowsWritten)} rows in ${seconds.toFixed(1)} s (${fmt(Math.round(rowsWritten / seconds))} rows/s, ${workers === 0 ? 'in-process' : `${workers} workers`}): ${verdicts}; ${fmt(tally.error)} errors\n`,
  )
  // Some rows failed while the others came out: a script must not take that for a clean run.
  return tally.error > 0 ? 3 : 0
}

function pickInputFormat(path: string, flag: string | undefined): InputFormat {
  if (flag !== undefined) {
    if (flag === 'csv' || flag === 'jsonl') return flag
    throw new UsageError(`--input-format must be csv or jsonl, got "${flag}"`, BATCH_USAGE)
  }
  if (/\.csv$/i.test(path)) return 'csv'
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl'
  throw new UsageError(
    `cannot tell the format of ${path}: name it .csv or .jsonl, or pass --input-format`,
    BATCH_USAGE,
  )
}

function pickOutputFormat(flag: string | undefined, out: string | undefined): OutputFormat {
  if (flag === undefined) return out && /\.csv$/i.test(out) ? 'csv' : 'jsonl'
  if (flag === 'csv' || flag === 'jsonl') return flag
  throw new UsageError(`--format must be jsonl or csv, got "${flag}"`, BATCH_USAGE)
}

function parseWorkers(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined
  if (!/^\d+$/.test(flag) || Number(flag) > 16)
    throw new UsageError(
      `--workers must be a whole number from 0 to 16, got "${flag}"`,
      BATCH_USAGE,
    )
  return Number(flag)
}

/** Checks --to and --regime once, so a typo fails the command instead of every row. */
function validateDefaults(to: string | undefined, regime: string | undefined) {
  const defaults: RowDefaults = {}
  if (to === undefined && regime === undefined) return defaults
  try {
    const parsed = parseCheckRequest({
      description: 'defaults',
      destination: to ?? 'KZ',
      ...(regime !== undefined ? { regime: regime.toUpperCase() } : {}),
    })
    if (to !== undefined) defaults.destination = parsed.destination
    if (regime !== undefined) defaults.regime = parsed.regime
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const flag = (pointer: string) => (pointer === '/regime' ? '--regime' : '--to')
    throw new AppError(
      'INVALID_INPUT',
      err.details.map((d) => `${flag(d.pointer)}: ${d.message}`).join('; ') || err.message,
    )
  }
  return defaults
}

function openOutput(path: string | undefined, stdout: Writable) {
  if (path === undefined) return { stream: stdout, close: async () => {} }
  let fd: number
  try {
    fd = openSync(path, 'w')
  } catch (err) {
    throw new AppError('INVALID_INPUT', `cannot write --out ${path}: ${(err as Error).message}`)
  }
  const stream = createWriteStream('', { fd })
  return {
    stream,
    close: async () => {
      if (stream.closed) return
      stream.end()
      try {
        await once(stream, 'close')
      } catch {
        closeSync(fd)
      }
    },
  }
}

/** Writes a chunk's output and waits for the stream to drain if it is full. */
async function write(stream: Writable, output: Uint8Array | string): Promise<void> {
  if (output.length === 0) return
  if (!stream.write(output)) await once(stream, 'drain')
}
