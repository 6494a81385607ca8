/**
 * Runs the real `dualuse` CLI in a child process through its launcher, as `npm run dualuse` does (each
 * spawn costs about 1 s: the launcher's bundle check and, for commands that check, the engine build).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export type CliRun = { code: number; stdout: string; stderr: string }

export function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/dualuse.js', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr })
      },
    )
  })
}
