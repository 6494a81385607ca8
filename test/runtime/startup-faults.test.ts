/**
 * Start-up faults of the real `npm start` process, on real files and sockets: each ends with one line
 * on stderr naming what is wrong and where, a non-zero exit, no stack, and no tenant or key.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CATALOGUE_PATH } from '../../src/runtime/catalogue-file'
import {
  freePort,
  KEY_PATTERN,
  makeUnwritable,
  makeWritable,
  runToExit,
  startProcess,
  stopProcess,
  unwritableSupport,
} from './spawn-server'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-faults-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A fresh path in the temp dir. */
let seq = 0
function path(name: string): string {
  seq += 1
  return join(dir, `${seq}-${name}`)
}

/** The contract of every start-up fault. */
function expectOneLineFault(
  run: { code: number | string; stdout: string; stderr: string },
  pattern: RegExp,
): void {
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^dualuse: cannot start: /)
  expect(lines[0]).toMatch(pattern)
  expect(run.stderr).not.toContain('    at ')
  expect(run.code).toBe(1)
  expect(run.stdout).not.toMatch(KEY_PATTERN)
  expect(run.stdout).not.toContain('Created tenant')
}

/** True if the database at `file` holds a tenant (false if it has no tenant table or does not exist). */
function hasTenant(file: string): boolean {
  if (!existsSync(file)) return false
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) FROM tenant').pluck().get() as number) > 0
  } catch {
    return false
  } finally {
    db.close()
  }
}

/** A real database with enough pages, then garbage written over pages in the middle: the header stays valid. */
function corruptDatabase(file: string): void {
  const db = new Database(file)
  db.exec(
    'CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX filler_body ON filler (body)',
  )
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)')
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`)
  })()
  db.close()
  const bytes = readFileSync(file)
  const middle = Math.floor(bytes.length / 2 / 4096) * 4096
  bytes.fill(0xa5, middle, middle + 4 * 4096)
  writeFileSync(file, bytes)
}

describe('npm start refuses to start, with one line and no key', () => {
  it('refuses an empty PORT, naming the variable', async () => {
    const db = path('empty-port.db')
    const run = await runToExit({ PORT: '', DATABASE_PATH: db })
    expectOneLineFault(run, /PORT: is empty/)
    expect(existsSync(db)).toBe(false)
  })

  it('refuses a bad WEB_CONCURRENCY, naming the variable', async () => {
    const run = await runToExit({ PORT: '1', WEB_CONCURRENCY: 'many', DATABASE_PATH: path('x.db') })
    expectOneLineFault(run, /invalid environment: WEB_CONCURRENCY/)
  })

  it('refuses a missing catalogue on a fresh database, and the next good start prints the key', async () => {
    const db = path('fresh.db')
    const catalogue = path('missing-catalogue.json')
    const run = await runToExit({
      PORT: String(await freePort()),
      DATABASE_PATH: db,
      CATALOGUE_PATH: catalogue,
    })
    expectOneLineFault(run, new RegExp(`catalogue artifact ${catalogue}`))
    expect(hasTenant(db)).toBe(false)

    const good = startProcess({
      PORT: String(await freePort()),
      DATABASE_PATH: db,
      CHECK_THREADS: '0',
    })
    try {
      await good.until((out) => out.includes('"msg":"listening"'), 50_000)
      expect(good.stdout()).toMatch(KEY_PATTERN)
      expect(hasTenant(db)).toBe(true)
    } finally {
      await stopProcess(good)
    }
    expect(await good.exited).toBe(0)
  }, 60_000)

  it.each([1, 2])(
    'refuses a truncated catalogue with %i process(es), naming its path',
    async (processes) => {
      const catalogue = path('truncated.json')
      writeFileSync(catalogue, readFileSync(DEFAULT_CATALOGUE_PATH).subarray(0, 100_000))
      const db = path('fresh.db')
      const run = await runToExit({
        PORT: String(await freePort()),
        DATABASE_PATH: db,
        CATALOGUE_PATH: catalogue,
        WEB_CONCURRENCY: String(processes),
      })
      expectOneLineFault(run, new RegExp(`catalogue artifact ${catalogue} is not valid JSON`))
      expect(hasTenant(db)).toBe(false)
    },
  )

  it('refuses a database path that is a directory', async () => {
    const db = path('a-directory')
    mkdirSync(db)
    const run = await runToExit({ PORT: String(await freePort()), DATABASE_PATH: db })
    expectOneLineFault(run, new RegExp(`database ${db} is a directory`))
  })

  it('refuses a file that is not a database', async () => {
    const db = path('not-a-db.db')
    writeFileSync(db, Buffer.alloc(64 * 1024, 'not a database, just text\n'))
    const run = await runToExit({ PORT: String(await freePort()), DATABASE_PATH: db })
    expectOneLineFault(run, new RegExp(`database ${db} is not a SQLite database`))
  })

  it.each([1, 2])(
    'refuses a corrupt database (valid header, garbage pages) with %i process(es)',
    async (processes) => {
      const db = path('corrupt.db')
      corruptDatabase(db)
      const run = await runToExit({
        PORT: String(await freePort()),
        DATABASE_PATH: db,
        WEB_CONCURRENCY: String(processes),
      })
      expectOneLineFault(run, new RegExp(`database ${db} is corrupt`))
    },
  )

  it('refuses a read-only database file', async (ctx) => {
    const how = unwritableSupport(dir)
    // Root writes through any mode; without CAP_LINUX_IMMUTABLE (or on a file system without the
    // attribute) nothing short of a read-only mount stops it, and mounting is not available here.
    if (!how) ctx.skip()
    const db = path('read-only.db')
    const setup = new Database(db)
    setup.exec('CREATE TABLE t (x)')
    setup.close()
    makeUnwritable(db, how!)
    try {
      const run = await runToExit({ PORT: String(await freePort()), DATABASE_PATH: db })
      expectOneLineFault(run, new RegExp(`database ${db} is read-only`))
    } finally {
      makeWritable(db, how!)
    }
    expect(hasTenant(db)).toBe(false)
  })

  it('refuses a database in a read-only directory', async (ctx) => {
    const how = unwritableSupport(dir)
    if (!how) ctx.skip()
    const parent = path('read-only-dir')
    mkdirSync(parent)
    makeUnwritable(parent, how!, true)
    const db = join(parent, 'new.db')
    try {
      const run = await runToExit({ PORT: String(await freePort()), DATABASE_PATH: db })
      expectOneLineFault(run, new RegExp(`database ${db} cannot be opened`))
    } finally {
      makeWritable(parent, how!, true)
    }
  })

  describe('port in use', () => {
    let blocker: Server
    let port: number
    beforeAll(async () => {
      blocker = createServer()
      port = await freePort()
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    })
    afterAll(() => {
      blocker.close()
    })

    it.each([1, 2])(
      'names the port with %i process(es), and creates no tenant',
      async (processes) => {
        const db = path('port.db')
        const run = await runToExit({
          PORT: String(port),
          DATABASE_PATH: db,
          WEB_CONCURRENCY: String(processes),
          CHECK_THREADS: '0',
        })
        expectOneLineFault(run, new RegExp(`port ${port} is in use`))
        expect(hasTenant(db)).toBe(false)
      },
    )
  })

  it('prints the stack as well with DEBUG set', async () => {
    const run = await runToExit({
      PORT: String(await freePort()),
      DATABASE_PATH: path('debug.db'),
      CATALOGUE_PATH: path('missing.json'),
      DEBUG: '1',
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('    at ')
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^dualuse: cannot start: /)
  })
})
