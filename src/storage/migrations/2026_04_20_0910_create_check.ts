import { type Kysely, sql } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('reference', 'text')
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('risk_score', 'integer', (c) => c.notNull())
    .addColumn('request_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('engine_version', 'text', (c) => c.notNull())
    .addColumn('list_versions_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  // Listing is always per tenant, newest first, with a (created_at, id) cursor.
  await db.schema
    .createIndex('check_tenant_created_idx')
    .on('check')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute()
  await db.schema
    .createIndex('check_tenant_reference_idx')
    .on('check')
    .columns(['tenant_id', 'reference'])
    .execute()
  // A check is an audit record: the database itself refuses to change one in place.
  await sql`CREATE TRIGGER check_immutable BEFORE UPDATE ON "check"
    BEGIN SELECT RAISE(ABORT, 'checks are immutable'); END`.execute(db)

  await db.schema
    .createTable('idempotency_key')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_key_pk', ['tenant_id', 'key'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_key').execute()
  await sql`DROP TRIGGER IF EXISTS check_immutable`.execute(db)
  await db.schema.dropTable('check').execute()
}
