import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import { D1_MIGRATIONS_DIR, migrationSql, migrationSqlFiles } from '../../src/storage/migration-sql'
import { migrateToLatest } from '../../src/storage/migrator'

const kysely = (db: Database.Database) =>
  // biome-ignore lint/suspicious/noExplicitAny: schema comparison over any tables
  new Kysely<any>({ dialect: new SqliteDialect({ database: db }) })
const schema = (db: Database.Database) =>
  db
    .prepare(
      "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name",
    )
    .all()

describe('the migrations as SQL (for a remote D1 through wrangler d1 execute)', () => {
  it('builds the same schema as the migrator, and the migrator then finds nothing to do', async () => {
    const exported = new Database(':memory:')
    exported.exec(await migrationSql())
    const migrated = new Database(':memory:')
    await migrateToLatest(kysely(migrated))
    expect(schema(exported)).toEqual(schema(migrated))
    expect(await migrateToLatest(kysely(exported))).toEqual([])
  })
})

describe('the migrations as wrangler d1 migration files (migrations/)', () => {
  it('are what the registry generates: regenerate with npm run -s d1:migrations', async () => {
    const generated = await migrationSqlFiles()
    const committed = readdirSync(D1_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))
    expect(committed.sort()).toEqual(generated.map((g) => g.file))
    for (const { file, sql } of generated)
      expect(readFileSync(join(D1_MIGRATIONS_DIR, file), 'utf8'), file).toBe(sql)
  })

  it('applied in order, one by one, build the migrator schema, and the migrator then finds nothing to do', async () => {
    const applied = new Database(':memory:')
    for (const { sql } of await migrationSqlFiles()) applied.exec(sql)
    const migrated = new Database(':memory:')
    await migrateToLatest(kysely(migrated))
    expect(schema(applied)).toEqual(schema(migrated))
    expect(await migrateToLatest(kysely(applied))).toEqual([])
  })
})
