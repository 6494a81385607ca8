import type { Kysely } from 'kysely'

// Issue 9, "never a stuck batch", on Node: the in-process runners count the tries of a batch chunk
// (`batch_chunk.attempts`) and of a re-check's current page (`recheck.page_attempts`, back to 0 when
// the page commits) in the write that takes it up, before checking, so a try that crashes the server
// is counted too; after the Workers queue's number of tries the batch or re-check is `failed`.
// `batch.failure` says why (a re-check already has `last_error`). Defaults and a nullable column: the
// previous release keeps inserting rows without them during a rolling deploy.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('batch_chunk')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('batch').addColumn('failure', 'text').execute()
  await db.schema
    .alterTable('recheck')
    .addColumn('page_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('recheck').dropColumn('page_attempts').execute()
  await db.schema.alterTable('batch').dropColumn('failure').execute()
  await db.schema.alterTable('batch_chunk').dropColumn('attempts').execute()
}
