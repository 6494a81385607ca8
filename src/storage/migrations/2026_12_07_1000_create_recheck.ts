import { type Kysely, sql } from 'kysely'

// Issue 12 item 5 (re-checks). A re-check is a job: one per list version and tenant, re-checking that
// tenant's stored checks of a window a page at a time, with its keyset position (`cursor_*`) committed
// with each page's new checks. A check re-issued by a re-check is a new immutable row that names the
// check it supersedes; the old row is never touched (the `check_immutable` trigger would refuse it),
// so "superseded by" is found through the unique index on `supersedes`, which also makes a check
// superseded at most once: a page written twice (a runner that lost its lease, a redelivered queue
// message) adds nothing the second time. Both new columns are nullable: the previous release keeps
// inserting checks without them during a rolling deploy.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('check').addColumn('supersedes', 'text').execute()
  await db.schema.alterTable('check').addColumn('recheck_id', 'text').execute()
  await db.schema
    .createIndex('check_supersedes_idx')
    .on('check')
    .column('supersedes')
    .unique()
    .where(sql.ref('supersedes'), 'is not', null)
    .execute()

  await db.schema
    .createTable('recheck')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenant.id'))
    // The list version that caused it: '' owner for the operator's lists.
    .addColumn('list_owner', 'text', (c) => c.notNull())
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('previous_version', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addColumn('checks_total', 'integer', (c) => c.notNull())
    .addColumn('checks_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor_created_at', 'text')
    .addColumn('cursor_id', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  // One re-check per version and tenant, however often its creation is retried.
  await db.schema
    .createIndex('recheck_version_tenant_idx')
    .on('recheck')
    .columns(['version_id', 'tenant_id'])
    .unique()
    .execute()
  // The tenant's listing, newest first with a (created_at, id) cursor.
  await db.schema
    .createIndex('recheck_tenant_created_idx')
    .on('recheck')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute()
  // Runners and the sweep look for unfinished jobs only.
  await db.schema
    .createIndex('recheck_status_idx')
    .on('recheck')
    .columns(['status', 'updated_at'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recheck').execute()
  await db.schema.dropIndex('check_supersedes_idx').execute()
  await db.schema.alterTable('check').dropColumn('recheck_id').execute()
  await db.schema.alterTable('check').dropColumn('supersedes').execute()
}
