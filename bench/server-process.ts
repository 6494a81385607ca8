/**
 * The real `npm start` server as the HTTP benches start it: its own process on a loopback port and a
 * SQLite file the bench chooses, request logging off. Also reads a process's memory and CPU time from
 * /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A process's resident memory (`VmRSS`) or its peak (`VmHWM`), in kB; 0 once it has gone. */
export function vmKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** CPU seconds (user + system) a process has used so far, all its threads; 0 once it has gone. */
export function cpuSeconds(pid: number): number {
  try {
    // After the command name (in parentheses, which may hold spaces): utime and stime are the 12th
    // and 13th fields, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/** Starts the server; on a fresh database it prints the key it made, on a restart none. */
export async function startServer(
  dbPath: string,
  port: number,
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; key: string | undefined }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      REQUEST_LOG: 'off',
      // A 200,000-row upload streams for longer than the default 30 s request timeout allows on a
      // loaded machine; the benches measure checking, not that limit.
      REQUEST_TIMEOUT_MS: '600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  for (let i = 0; i < 600 && !out.includes('"listening"'); i++)
    await new Promise((r) => setTimeout(r, 100))
  if (!out.includes('"listening"')) throw new Error(`server did not start: ${out}`)
  return { proc, key: /du_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(out)?.[0] }
}
