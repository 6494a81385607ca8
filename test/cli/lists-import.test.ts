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
import { openMigratedStore } from '../../src/runtime/node-store'
import { recheckRepo } from '../../src/storage/repos/recheck-repo'
import { screeningRepo } from '../../src/storage/repos/screening-repo'
import { ensureTenant } from '../../src/storage/repos/tenant-repo'
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

  it('starts one re-check per tenant for a new version of a built-in list, for the server to run', async () => {
    const store = await openMigratedStore(process.env['DATABASE_PATH']!)
    const tenants = [
      await ensureTenant(store.db, `cli-a-${crypto.randomUUID()}`, new Date()),
      await ensureTenant(store.db, `cli-b-${crypto.randomUUID()}`, new Date()),
    ]
    await store.close()
    const file = join(dir, 'chp-next.csv')
    writeFileSync(
      file,
      'code,title,category\n8482.10,Ball bearings,3.B\n8486.20,Wafer machines,1\n',
    )
    const run = await runCli(['lists', 'import', file, '--list', 'chp', '--version', '2027-03-01'])
    expect(run.code).toBe(0)
    const reopened = openSqliteStore(process.env['DATABASE_PATH']!)
    try {
      const version = await screeningRepo(reopened).versionByLabel(OPERATOR, 'chp', '2027-03-01')
      const jobs = await recheckRepo(reopened).forVersion(version!.id, null)
      // Every tenant of the database (the earlier tests' included), each its own job.
      for (const t of tenants) expect(jobs.filter((j) => j.tenantId === t.id)).toHaveLength(1)
      expect(jobs.every((j) => j.status === 'queued' && j.listOwner === OPERATOR)).toBe(true)
      expect(run.stdout).toContain(`re-checks: ${jobs.length} `)
    } finally {
      await reopened.close()
    }
  })
})
