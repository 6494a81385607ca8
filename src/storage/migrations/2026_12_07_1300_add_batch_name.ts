import type { Kysely } from 'kysely'

// A batch's name (the uploaded file's name, or one given with `?name=`): what a broker knows a batch
// by, and what `GET /v1/batches?name=` looks for. Nullable: batches uploaded before have none, and the
// previous release keeps opening batches without it during a rolling deploy. No index of its own: the
// name filter is a substring match within one tenant's batches, which `batch_tenant_created_idx`
// already narrows to.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('batch').addColumn('name', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('batch').dropColumn('name').execute()
}
