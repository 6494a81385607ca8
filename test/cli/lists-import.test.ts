/**
 * `dualuse lists import` as an operator runs it, on a throwaway SQLite file (DATABASE_PATH): a bad
 * file is refused with file, row and column; an official list becomes an operator list in force for
 * every tenant; the same file again changes nothing; and the server's store sees the version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPERATOR } from '../../src/core/lists/types'
import { screeningRepo } from '../../src/storage/repos/screening-repo'
import { openSqliteStore } from '../../src/storage/sqlite'
import { runCli } from './run-cli'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-lists-'))
  // The child inherits this worker's environment (runCli passes no env of its own).
  process.env['DATABASE_PATH'] = join(dir, 'lists.db')
})
afterAll(() => {
  delete process.env['DATABASE_PATH']
  rmSync(dir, { recursive: true, force: true })
})

describe('dualuse lists import', () => {
  it('refuses a bad file naming file, row and column, and stores nothing', async () => {
    const file = join(dir, 'bad.csv')
    writeFileSync(file, 'code,title,category\n8482.10,Ball bearings,b\n9999.99,Nothing,x\n')
    const run = await runCli(['lists', 'import', file, '--list', 'chp'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`${file}: /rows/3/code: "9999.99" does not exist in HS 2022`)
  })

  it('imports an official list as an operator list in force, once', async () => {
    const file = join(dir, 'kz.csv')
    writeFileSync(file, 'code,title,category\n8482.10,Ball bearings,bearings\n')
    const args = [
      'lists',
      'import',
      file,
      '--list',
      'kz_export_ban',
      '--name',
      'Kazakhstan export ban (official)',
      '--mode',
      'blocking',
      '--legal-status',
      'in_force',
      '--source',
      'Order of the Ministry (test)',
      '--destinations',
      'RU,BY',
      '--version',
      '2027-01-01',
    ]
    const first = await runCli(args)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^stored kz_export_ban version 2027-01-01 \(in_force, 1 entries/)
    expect(first.stdout).toContain('+ 848210 Ball bearings')
    const again = await runCli(['lists', 'import', file, '--list', 'kz_export_ban'])
    expect(again.stdout).toMatch(/^unchanged: kz_export_ban version 2027-01-01/)

    const store = openSqliteStore(process.env['DATABASE_PATH']!)
    try {
      const repo = screeningRepo(store)
      expect(await repo.getList(OPERATOR, 'kz_export_ban')).toMatchObject({
        mode: 'blocking',
        destinations: ['RU', 'BY'],
      })
      expect((await repo.listVersions(OPERATOR, 'kz_export_ban')).map((v) => v.version)).toEqual([
        '2027-01-01',
      ])
      // The built-in lists were registered on the way.
      expect((await repo.latestVersion(OPERATOR, 'chp'))?.version).toBe('2024-02-23')
    } finally {
      await store.close()
    }
  })
})
