/**
 * Drives the real `npm start` entry point (`node --import tsx src/runtime/node.ts`) as a child
 * process, for the start-up, health and supervision drills: output collected line by line, waits
 * bounded in time, and a port that nothing listens on.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const KEY_PATTERN = /du_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/

export type Started = {
  proc: ChildProcess
  /** The process leads its own process group (started detached). */
  group?: boolean
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>
  /** Waits until `predicate(stdout, stderr)` holds; rejects after `ms` or if the process exits first. */
  until(predicate: (out: string, err: string) => boolean, ms: number): Promise<void>
}

/** A port free right now: bound by the OS, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Starts the server with `env` over a clean base (no inherited PORT, DATABASE_PATH, DEBUG…). */
export function startProcess(env: Record<string, string>): Started {
  return startCommand(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
    HOST: '127.0.0.1',
    REQUEST_LOG: 'off',
    ...env,
  })
}

/**
 * Starts any command from the repository root over the same clean base, in its own process group
 * so that `stopProcess` also stops what it starts (wrangler's workerd).
 */
export function startCommand(
  command: string,
  args: string[],
  env: Record<string, string>,
): Started {
  const base: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name]
    if (value !== undefined) base[name] = value
  }
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: command !== process.execPath,
  })
  let out = ''
  let err = ''
  const waiters = new Set<() => void>()
  const poke = () => {
    for (const w of waiters) w()
  }
  proc.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    poke()
  })
  proc.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString()
    poke()
  })
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1)
    }),
  )
  let done = false
  void exited.then(() => {
    done = true
    poke()
  })
  return {
    proc,
    group: command !== process.execPath,
    stdout: () => out,
    stderr: () => err,
    exited,
    until(predicate, ms) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(out, err)) {
            finish()
            resolve()
          } else if (done) {
            finish()
            reject(new Error(`server exited first.\nstdout: ${out}\nstderr: ${err}`))
          }
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`not within ${ms} ms.\nstdout: ${out}\nstderr: ${err}`))
        }, ms)
        const finish = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
  }
}

/** Runs a start that must fail: resolves with its exit code and output, killing it after `ms`. */
export async function runToExit(
  env: Record<string, string>,
  ms = 30_000,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const started = startProcess(env)
  const timer = setTimeout(() => started.proc.kill('SIGKILL'), ms)
  const code = await started.exited
  clearTimeout(timer)
  return { code, stdout: started.stdout(), stderr: started.stderr() }
}

/** Stops a server with SIGTERM and resolves with its exit code. */
export async function stopProcess(started: Started): Promise<number | string> {
  if (started.proc.exitCode === null && started.proc.signalCode === null) {
    // A detached command leads its own process group: signal the group, children included.
    if (started.group) process.kill(-started.proc.pid!, 'SIGTERM')
    else started.proc.kill('SIGTERM')
  }
  return started.exited
}

/** JSON log lines of an output stream, skipping anything else (the key banner). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      // A partial line still being written.
    }
  }
  return lines
}

/** Pids of the server processes that logged "listening", in order. */
export function listeningPids(stdout: string): number[] {
  return jsonLines(stdout)
    .filter((l) => l['msg'] === 'listening')
    .map((l) => Number(l['pid']))
}

/**
 * Whether this process can make a file unwritable even to its owner. As root, `chmod 0444` stops
 * nothing (root writes anyway); the immutable attribute (`chattr +i`, CAP_LINUX_IMMUTABLE) does,
 * where the file system supports it. Not root: a mode of 0444 is enough.
 */
export function unwritableSupport(dir: string): 'chmod' | 'chattr' | null {
  if (process.getuid?.() !== 0) return 'chmod'
  const probe = join(dir, 'chattr-probe')
  writeFileSync(probe, '')
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' })
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' })
    return 'chattr'
  } catch {
    return null
  }
}

/** Makes `path` (a file, or a directory: no new entries) unwritable, the way `unwritableSupport` said. */
export function makeUnwritable(path: string, how: 'chmod' | 'chattr', isDir = false): void {
  if (how === 'chattr') execFileSync('chattr', ['+i', path])
  else execFileSync('chmod', [isDir ? '0555' : '0444', path])
}

/** Undoes `makeUnwritable`, so the temp dir can be removed. */
export function makeWritable(path: string, how: 'chmod' | 'chattr', isDir = false): void {
  try {
    if (how === 'chattr') execFileSync('chattr', ['-i', path], { stdio: 'ignore' })
    else execFileSync('chmod', [isDir ? '0755' : '0644', path])
  } catch {
    // Already writable, or gone.
  }
}
