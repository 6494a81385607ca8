import type { Kysely } from 'kysely'

// Issue 12 item 7 (admin API): a key gets a name (who or what holds it) and the time it was last
// used. Both nullable, so the previous release keeps inserting keys without them during a rolling
// deploy, and keys created before this migration simply have neither.
// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').addColumn('name', 'text').execute()
  await db.schema.alterTable('api_key').addColumn('last_used_at', 'text').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').dropColumn('last_used_at').execute()
  await db.schema.alterTable('api_key').dropColumn('name').execute()
}
