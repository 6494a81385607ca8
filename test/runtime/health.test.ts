/**
 * Honest health on real SQLite files: `/healthz` answers 503 with the reason when the schema is
 * missing or behind (the probe both runtimes share) or the file stops taking writes (Node's probe),
 * recovers when the fault goes, and reuses its verdict for a second.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/app'
import { sqliteHealthProbe } from '../../src/runtime/node-store'
import { storagePorts } from '../../src/storage'
import { newCheckId } from '../../src/storage/ids'
import { migrations } from '../../src/storage/migrations'
import { migrateToLatest } from '../../src/storage/migrator'
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite'
import { expectProblem, fakeChecker } from '../http/harness'
import {
  freePort,
  jsonLines,
  makeUnwritable,
  makeWritable,
  type Started,
  startProcess,
  stopProcess,
  unwritableSupport,
} from './spawn-server'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-health-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const [FIRST_MIGRATION, LATEST_MIGRATION] = [
  Object.keys(migrations)[0]!,
  Object.keys(migrations).at(-1)!,
]
const LATEST = Object.keys(migrations).length

/** The app over a real file, with the health probe of the shared storage ports (as on D1). */
function sharedProbeApp(store: SqliteStore) {
  return createApp(() => ({
    ...storagePorts(store),
    checker: fakeChecker,
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger: { info: () => {}, error: () => {} },
  }))
}

describe('the shared health probe (Node and Workers alike)', () => {
  it('answers 503 with the reason on a database without the schema, and 200 once migrated', async () => {
    const store = openSqliteStore(join(dir, 'no-schema.db'))
    try {
      const app = sharedProbeApp(store)
      const missing = await expectProblem(
        await app.request('/healthz'),
        503,
        'UPSTREAM_UNAVAILABLE',
      )
      expect(missing.detail).toBe('database schema is missing: migrations not applied')
      await migrateToLatest(store.db)
      const res = await app.request('/healthz')
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' })
    } finally {
      await store.close()
    }
  })

  it('answers 503 when the schema is behind the migrations this code knows', async () => {
    const store = openSqliteStore(join(dir, 'behind.db'))
    try {
      await migrateToLatest(store.db)
      const app = sharedProbeApp(store)
      const other = new Database(join(dir, 'behind.db'))
      other.prepare('DELETE FROM kysely_migration WHERE name = ?').run(LATEST_MIGRATION)
      other.close()
      const behind = await expectProblem(await app.request('/healthz'), 503)
      expect(behind.detail).toBe(
        `database schema is behind: ${LATEST - 1} of ${LATEST} migrations applied`,
      )
    } finally {
      await store.close()
    }
  })
})

describe('the Node probe', () => {
  it('reuses a verdict for its time to live, then probes again', async () => {
    const file = join(dir, 'ttl.db')
    const store = openSqliteStore(file)
    await migrateToLatest(store.db)
    const logs: Record<string, unknown>[] = []
    const probe = sqliteHealthProbe(store, {
      ttlMs: 300,
      logger: { info: (f) => logs.push(f), error: (f) => logs.push(f) },
    })
    try {
      await probe.ping()
      const other = new Database(file)
      other.prepare('DELETE FROM kysely_migration WHERE name = ?').run(FIRST_MIGRATION)
      // Within the time to live: the cached good verdict.
      await expect(probe.ping()).resolves.toBeUndefined()
      await new Promise((r) => setTimeout(r, 350))
      await expect(probe.ping()).rejects.toThrow(/schema is behind/)
      await expect(probe.ping()).rejects.toThrow(/schema is behind/)
      other
        .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
        .run(FIRST_MIGRATION, new Date().toISOString())
      other.close()
      await new Promise((r) => setTimeout(r, 350))
      await expect(probe.ping()).resolves.toBeUndefined()
      // One line when it turned bad, one when it recovered: not one per probe.
      expect(logs.map((l) => l['msg'])).toEqual(['database unhealthy', 'database healthy again'])
    } finally {
      await store.close()
    }
  })
})

describe('/healthz of the real server', () => {
  let server: Started
  let base: string
  let file: string
  beforeAll(async () => {
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    file = join(dir, 'server.db')
    server = startProcess({ PORT: String(port), DATABASE_PATH: file, CHECK_THREADS: '0' })
    await server.until((out) => out.includes('"msg":"listening"'), 60_000)
  }, 90_000)
  afterAll(async () => {
    await stopProcess(server)
  })

  /** Polls /healthz until it answers `status` (the verdict is cached for 1 s). */
  async function healthBecomes(status: number): Promise<{ status: number; body: unknown }> {
    const deadline = performance.now() + 5_000
    for (;;) {
      const res = await fetch(`${base}/healthz`)
      const body: unknown = await res.json()
      if (res.status === status || performance.now() > deadline) return { status: res.status, body }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  it('is 503 with the reason while the schema is behind, and 200 again once it is not', async () => {
    expect((await healthBecomes(200)).status).toBe(200)
    const other = new Database(file)
    try {
      const row = other
        .prepare('SELECT name, timestamp FROM kysely_migration WHERE name = ?')
        .get(LATEST_MIGRATION) as { name: string; timestamp: string }
      other.prepare('DELETE FROM kysely_migration WHERE name = ?').run(LATEST_MIGRATION)
      const bad = await healthBecomes(503)
      expect(bad.status).toBe(503)
      expect(bad.body).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        detail: `database schema is behind: ${LATEST - 1} of ${LATEST} migrations applied`,
      })
      other
        .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
        .run(row.name, row.timestamp)
      expect((await healthBecomes(200)).status).toBe(200)
    } finally {
      other.close()
    }
  })

  it('is 503 while the database file and its WAL cannot be written, and 200 again after', async (ctx) => {
    const how = unwritableSupport(dir)
    // The server holds the file open read-write: a mode change does not stop its writes, only the
    // immutable attribute does (root with CAP_LINUX_IMMUTABLE). The shared-memory index stays
    // writable: an immutable mapped file would kill the process with SIGBUS.
    if (how !== 'chattr') ctx.skip()
    const targets = [file, `${file}-wal`]
    try {
      for (const target of targets) makeUnwritable(target, 'chattr')
      const bad = await healthBecomes(503)
      expect(bad.status).toBe(503)
      expect(bad.body).toMatchObject({
        detail: expect.stringMatching(/^database cannot be written/),
      })
    } finally {
      for (const target of targets) makeWritable(target, 'chattr')
    }
    expect((await healthBecomes(200)).status).toBe(200)
    const events = jsonLines(server.stderr()).map((l) => l['msg'])
    expect(events).toContain('database unhealthy')
  })
})
