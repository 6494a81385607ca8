/**
 * @module cli/io
 * What a command touches outside itself, passed in by `main.ts` so that nothing below the entry point
 * reads `process` (STYLE §2).
 */
import type { Writable } from 'node:stream'

export type CliIo = {
  stdout: Writable
  stderr: Writable
  /** Draw the batch progress bar only on a terminal. */
  stderrIsTty: boolean
  /** Width of the terminal for the progress bar, if known. */
  stderrColumns: number | undefined
  cataloguePath: string
  /** CPUs available to this process; the batch uses one worker per CPU up to 2. */
  cpus: number
  /** The bundle file this CLI runs from (bin/dualuse.js), which batch workers start from; else undefined. */
  cliBundle?: string
}
