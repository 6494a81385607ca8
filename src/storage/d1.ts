/**
 * @module storage/d1
 * The edge store: Cloudflare D1 through kysely-d1. Cheap to build per request.
 */
import type { D1Database } from '@cloudflare/workers-types'
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  Kysely,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely'
import { D1Dialect } from 'kysely-d1'
import { d1Atomic, type Store } from './atomic'
import type { Database } from './schema'

/**
 * Kysely's SqliteIntrospector joins `pragma_table_info()`, which D1 refuses with SQLITE_AUTH, and the
 * Migrator needs the introspector to see whether its own tables exist. This one reads table names
 * from `sqlite_master` only (no columns), which is all the Migrator uses.
 */
class D1Introspector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: the introspector must see tables outside our Database type
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return []
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; type: string }>`
      SELECT name, type FROM sqlite_master
      WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'
      ORDER BY name`.execute(this.db)
    return rows.map((r) => ({ name: r.name, isView: r.type === 'view', columns: [] }))
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() }
  }
}

class SafeD1Dialect extends D1Dialect {
  // biome-ignore lint/suspicious/noExplicitAny: matches Dialect.createIntrospector's signature
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new D1Introspector(db)
  }
}

export function d1Store(d1: D1Database): Store {
  return {
    db: new Kysely<Database>({ dialect: new SafeD1Dialect({ database: d1 }) }),
    atomic: d1Atomic(d1),
  }
}
