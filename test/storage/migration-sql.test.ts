import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import { migrationSql } from '../../src/storage/migration-sql'
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
