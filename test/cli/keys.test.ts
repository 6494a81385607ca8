/**
 * `dualuse keys` as an operator runs it, on a throwaway SQLite file (DATABASE_PATH): create prints the
 * key alone on stdout, list shows each key's prefix and never the key, revoke marks it revoked.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-keys-'))
  // The child inherits this worker's environment (runCli passes no env of its own).
  process.env['DATABASE_PATH'] = join(dir, 'keys.db')
})
afterAll(() => {
  delete process.env['DATABASE_PATH']
  rmSync(dir, { recursive: true, force: true })
})

const KEY_RE = /^du_([0-9a-z]{16})_[A-Za-z0-9_-]{43}$/

describe('dualuse keys', () => {
  it('creates named keys, lists them by prefix without the key, and shows revocation', async () => {
    const a = await runCli(['keys', 'create', '--tenant', 'acme', '--name', 'erp'])
    expect(a.code).toBe(0)
    const keyA = a.stdout.trim()
    const idA = KEY_RE.exec(keyA)?.[1]
    expect(idA).toBeDefined()
    const b = await runCli(['keys', 'create', '--tenant', 'beta'])
    expect(b.code).toBe(0)
    const keyB = b.stdout.trim()

    const all = await runCli(['keys', 'list'])
    expect(all.code).toBe(0)
    const lines = all.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^TENANT\s+KEY ID\s+PREFIX\s+NAME\s+CREATED\s+LAST USED\s+REVOKED$/)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(new RegExp(`^acme\\s+${idA}\\s+du_${idA}_\\s+erp\\s+\\S+\\s+-\\s+-$`))
    expect(lines[2]).toMatch(/^beta\s+[0-9a-z]{16}\s+du_[0-9a-z]{16}_\s+-\s+\S+\s+-\s+-$/)
    for (const key of [keyA, keyB]) {
      expect(all.stdout).not.toContain(key)
      expect(all.stderr).not.toContain(key)
    }

    expect((await runCli(['keys', 'revoke', idA!])).code).toBe(0)
    const acme = await runCli(['keys', 'list', '--tenant', 'acme'])
    expect(acme.code).toBe(0)
    const acmeLines = acme.stdout.trim().split('\n')
    expect(acmeLines).toHaveLength(2)
    expect(acmeLines[1]).toMatch(/\s\d{4}-\d\d-\d\dT[\d:.]+Z$/)
  })

  it('exits 1 for an unknown tenant and 2 for bad arguments', async () => {
    const unknown = await runCli(['keys', 'list', '--tenant', 'nobody'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no tenant nobody')
    expect((await runCli(['keys', 'list', 'extra'])).code).toBe(2)
    expect((await runCli(['keys', 'revoke', '--name', 'x', 'abc'])).code).toBe(2)
    expect((await runCli(['keys', 'create', '--tenant', 'acme', '--name', ' '])).code).toBe(2)
  })
})
