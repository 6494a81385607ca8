/**
 * The key that seals webhook signing secrets on Node, generated beside the database on first start:
 * on real files, and with real processes starting together (WEB_CONCURRENCY > 1).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSecretKey } from '../../src/core/webhooks/secret-box'
import { WEBHOOK_KEY_FILE, webhookKey } from '../../src/runtime/node-webhooks'

const ROOT = resolve(import.meta.dirname, '../..')
const dirs: string[] = []
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dualuse-webhook-key-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const base64 = (key: Uint8Array) => Buffer.from(key).toString('base64')

describe('webhookKey on Node', () => {
  it('creates one key file beside the database, readable by its owner only, and nothing else', () => {
    const dir = freshDir()
    const key = webhookKey({ DATABASE_PATH: join(dir, 'dualuse.db') })
    expect(key).toHaveLength(32)
    expect(readdirSync(dir)).toEqual([WEBHOOK_KEY_FILE])
    const file = join(dir, WEBHOOK_KEY_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(base64(parseSecretKey(readFileSync(file, 'utf8'))!)).toBe(base64(key))
  })

  it('gives the same key on the next start', () => {
    const dir = freshDir()
    const first = webhookKey({ DATABASE_PATH: join(dir, 'dualuse.db') })
    const second = webhookKey({ DATABASE_PATH: join(dir, 'dualuse.db') })
    expect(base64(second)).toBe(base64(first))
  })

  it('gives every process starting at the same moment the same key', async () => {
    const dir = freshDir()
    const database = join(dir, 'dualuse.db')
    // Each process waits for the same instant, so that they reach the file together.
    const startAt = Date.now() + 2_500
    const script = `
      import { webhookKey } from './src/runtime/node-webhooks.ts'
      while (Date.now() < ${startAt}) {}
      const key = webhookKey({ DATABASE_PATH: ${JSON.stringify(database)} })
      process.stdout.write(Buffer.from(key).toString('base64'))
    `
    const runs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((done) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', '--input-type=module', '-e', script],
              { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
            )
            let out = ''
            let err = ''
            child.stdout.on('data', (c: Buffer) => {
              out += c.toString()
            })
            child.stderr.on('data', (c: Buffer) => {
              err += c.toString()
            })
            child.on('exit', (code) => done({ code, out, err }))
          }),
      ),
    )
    for (const run of runs) expect(run.code, run.err).toBe(0)
    expect(new Set(runs.map((r) => r.out)).size).toBe(1)
    expect(readdirSync(dir)).toEqual([WEBHOOK_KEY_FILE])
  }, 30_000)
})
