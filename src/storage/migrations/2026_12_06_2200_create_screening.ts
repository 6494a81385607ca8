import { type Kysely, sql } from 'kysely'

/**
 * Lists as data (issue 12): lists and their immutable versions with entries, tenant suppressions and
 * settings, the append-only audit log, and a revision counter per scope that each change bumps in the
 * same atomic write, so a server can tell with one small read whether its cached screening context
 * for a tenant is still current.
 *
 * `owner` is the tenant id for a tenant's lists, and '' for the operator's (built-in lists and
 * lists imported with `dualuse lists import`), which apply to every tenant.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('control_list')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('legal_status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('destinations_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('control_list_pk', ['owner', 'id'])
    .execute()

  await db.schema
    .createTable('list_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('effective_date', 'text')
    .addColumn('legal_status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('diff_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  // A version label names one immutable content per list: replays look versions up by it.
  await db.schema
    .createIndex('list_version_label_idx')
    .on('list_version')
    .columns(['owner', 'list_id', 'version'])
    .unique()
    .execute()
  // The effective version of a list is its highest seq; two imports racing for one seq: one fails.
  await db.schema
    .createIndex('list_version_seq_idx')
    .on('list_version')
    .columns(['owner', 'list_id', 'seq'])
    .unique()
    .execute()
  // Versions are immutable: the database itself refuses to change or drop one.
  await sql`CREATE TRIGGER list_version_immutable BEFORE UPDATE ON list_version
    BEGIN SELECT RAISE(ABORT, 'list versions are immutable'); END`.execute(db)

  // Entries in chunks of a few hundred, JSON: a version is written in a handful of statements (D1
  // caps bound parameters per statement and statements per batch) and read whole by a check.
  await db.schema
    .createTable('list_entry_chunk')
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('chunk', 'integer', (c) => c.notNull())
    .addColumn('entries_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_entry_chunk_pk', ['version_id', 'chunk'])
    .execute()

  await db.schema
    .createTable('suppression')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    .addColumn('scope_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('accept_in_force', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    .execute()
  await db.schema
    .createIndex('suppression_tenant_created_idx')
    .on('suppression')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute()

  await db.schema
    .createTable('tenant_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenant.id'))
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // Every settings a tenant ever had, by digest: a check records the digest, a replay reads it here.
  await db.schema
    .createTable('settings_snapshot')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('settings_snapshot_pk', ['tenant_id', 'digest'])
    .execute()

  await db.schema
    .createTable('audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('audit_tenant_created_idx')
    .on('audit')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute()
  // Append-only: an audit record is never changed nor removed.
  await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END`.execute(db)
  await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END`.execute(db)

  await db.schema
    .createTable('screening_revision')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('screening_revision').execute()
  await sql`DROP TRIGGER IF EXISTS audit_no_delete`.execute(db)
  await sql`DROP TRIGGER IF EXISTS audit_no_update`.execute(db)
  await db.schema.dropTable('audit').execute()
  await db.schema.dropTable('settings_snapshot').execute()
  await db.schema.dropTable('tenant_settings').execute()
  await db.schema.dropTable('suppression').execute()
  await db.schema.dropTable('list_entry_chunk').execute()
  await sql`DROP TRIGGER IF EXISTS list_version_immutable`.execute(db)
  await db.schema.dropTable('list_version').execute()
  await db.schema.dropTable('control_list').execute()
}
