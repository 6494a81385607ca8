import type { Kysely } from 'kysely'

// Issue 12: an HTTP batch records the tenant's screening context its rows are checked with (list
// versions, settings digest, seal time; `core/lists/batch-screening.ts`). Nullable: the previous
// release keeps sealing batches without it during a rolling deploy, and those batches, like the ones
// sealed before this migration, are checked with the catalogue alone.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('batch').addColumn('screening_json', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('batch').dropColumn('screening_json').execute()
}
