/**
 * @module storage/migration-sql
 * The migration registry as plain SQL, for databases the project cannot migrate in-process (a remote
 * D1 through `wrangler d1 execute`). Web APIs only.
 */
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { migrateToLatest } from './migrator'

/**
 * The statements the migration registry runs on an empty database, bookkeeping included (so the
 * Worker's migrator later sees them as applied), with their parameters written as literals: run them
 * once on a new remote database with `wrangler d1 execute dualuse --remote --command`. Captured by
 * running the real migrator over a driver that executes nothing.
 */
export async function migrationSql(): Promise<string> {
  const statements: string[] = []
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
    log: (event) => {
      if (event.level !== 'query') return
      const { sql, parameters } = event.query
      // Reads (the migrator's look at what exists) are not part of the schema.
      if (/^\s*(select|with)\b/i.test(sql)) return
      let i = 0
      statements.push(
        `${sql.replace(/\?/g, () => {
          const value = parameters[i++]
          return typeof value === 'number' ? String(value) : literal(String(value))
        })};`,
      )
    },
  })
  await migrateToLatest(db)
  return statements.join('\n')
}

/** SQL string literal. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}
