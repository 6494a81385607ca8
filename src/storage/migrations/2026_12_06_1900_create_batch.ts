import type { Kysely } from 'kysely'

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('batch')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .execute()
  // Listing is per tenant, newest first, with a (created_at, id) cursor; the runner looks by status.
  await db.schema
    .createIndex('batch_tenant_created_idx')
    .on('batch')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute()
  await db.schema
    .createIndex('batch_status_idx')
    .on('batch')
    .columns(['status', 'created_at'])
    .execute()
  await db.schema
    .createTable('batch_chunk')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('batch.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('rows_gz', 'blob', (c) => c.notNull())
    .addColumn('result_gz', 'blob')
    .addColumn('summary_json', 'text')
    .addPrimaryKeyConstraint('batch_chunk_pk', ['batch_id', 'seq'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('batch_chunk').execute()
  await db.schema.dropTable('batch').execute()
}
