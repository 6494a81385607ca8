/**
 * @module cli/main
 * The `dualuse` command (`npm run -s dualuse -- …`). The entry point: the only module of the CLI that
 * reads `process`. Exit codes: 0 done, 1 bad input or data, 2 bad command line, 3 a batch with failed rows.
 */
import { availableParallelism } from 'node:os'
import { isMainThread } from 'node:worker_threads'
import { AppError } from '../core/errors'
import { DEFAULT_CATALOGUE_PATH } from '../runtime/catalogue-file'
import { runBatchCommand } from './batch-command'
// In a batch worker thread started from this bundle, this module serves the batch's chunks.
import './batch-worker'
import { runCheckCommand } from './check-command'
import type { CliIo } from './io'
import { runListsCommand } from './lists-command'
import { UsageError } from './usage-error'

const USAGE = `Usage: dualuse <command> [options]

Commands:
  check "<description>" --to CC [...]   check one goods line
  batch <file.csv|file.jsonl> [...]     check a file of goods lines, streaming
  lists                                 show the controlled lists and their legal status
  keys create|list|revoke [...]         manage tenants' API keys for the HTTP service

Run dualuse <command> --help for the options of a command.`

/**
 * `keys` needs SQLite (a native module and the migrations): loaded only when asked for, so `check` and
 * `batch` start without it.
 */
async function runKeys(argv: string[]): Promise<number> {
  const { runKeysCommand } = await import('./keys')
  return runKeysCommand(argv)
}

/**
 * The file of the bundle this CLI runs from: bin/dualuse.js defines the name as the bundle's
 * `__filename`. Undefined when the CLI runs from the sources (tsx, the tests).
 */
declare const DUALUSE_CLI_BUNDLE: string | undefined

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    stderrColumns: process.stderr.columns,
    cataloguePath: DEFAULT_CATALOGUE_PATH,
    cpus: availableParallelism(),
    cliBundle: typeof DUALUSE_CLI_BUNDLE === 'string' ? DUALUSE_CLI_BUNDLE : undefined,
  }
  const [command, ...rest] = argv
  switch (command) {
    case 'check':
      return runCheckCommand(rest, io)
    case 'batch':
      return runBatchCommand(rest, io)
    case 'lists':
      return runListsCommand(rest, io)
    case 'keys':
      return runKeys(rest)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(`${USAGE}\n`)
      return command === undefined ? 2 : 0
    default:
      throw new UsageError(`unknown command "${command}"`, USAGE)
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`dualuse: ${err.message} (see --help)\n`)
    return 2
  }
  if (err instanceof AppError) {
    process.stderr.write(`dualuse: ${err.message}\n`)
    return 1
  }
  process.stderr.write(
    `dualuse: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  )
  return 1
}

// A batch worker thread started from this bundle only serves chunks (above): the command runs in
// the main thread.
if (isMainThread) {
  // Ignore a closed pipe (dualuse batch … | head): the reader has all it wants.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  })

  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (err) => {
      process.exitCode = exitCodeFor(err)
    },
  )
}
