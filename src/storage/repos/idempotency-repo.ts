/**
 * @module storage/repos/idempotency-repo
 * Idempotency-Key claims, per tenant. The claim is one INSERT … ON CONFLICT DO NOTHING RETURNING, so
 * two concurrent requests cannot both win it, on SQLite or on D1, without a transaction.
 */
import type { Kysely } from 'kysely'
import type { IdempotencyClaim } from '../../core/ports'
import type { Database } from '../schema'

export async function claimIdempotencyKey(
  db: Kysely<Database>,
  tenantId: string,
  key: string,
  requestHash: string,
  now: string,
  staleBefore: string,
): Promise<IdempotencyClaim> {
  const inserted = await db
    .insertInto('idempotency_key')
    .values({
      tenant_id: tenantId,
      key,
      request_hash: requestHash,
      check_id: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  if (inserted) return { state: 'claimed' }

  const row = await db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'check_id', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst()
  if (!row) {
    // Released between our insert and select: the caller may simply retry.
    return { state: 'in_flight' }
  }
  if (row.request_hash !== requestHash) return { state: 'mismatch' }
  if (row.check_id !== null) return { state: 'done', checkId: row.check_id }
  if (row.created_at < staleBefore) {
    // The first request died without storing a check or releasing its claim: take the claim over,
    // unless someone else just did (the WHERE on the old created_at makes this a compare-and-set).
    const taken = await db
      .updateTable('idempotency_key')
      .set({ created_at: now })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('check_id', 'is', null)
      .where('created_at', '=', row.created_at)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows ?? 0) > 0) return { state: 'claimed' }
  }
  return { state: 'in_flight' }
}

export async function releaseIdempotencyKey(
  db: Kysely<Database>,
  tenantId: string,
  key: string,
): Promise<void> {
  await db
    .deleteFrom('idempotency_key')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .where('check_id', 'is', null)
    .execute()
}
