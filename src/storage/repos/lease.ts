/**
 * @module storage/repos/lease
 * The claim of the job rows Node's runners work (`batch`, `recheck`): the oldest unfinished row that
 * no runner holds, or whose holder's lease has run out, leased in one compare-and-set statement
 * (SQLite and D1 run it alone), so two runners (two server processes) never lease the same row.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely'
import type { Database } from '../schema'

/** The job tables with lease columns. */
export type LeasedTable = 'batch' | 'recheck'

/** What the claim reads and writes: the same columns in each leased table. */
type LeaseColumns = {
  id: string
  status: string
  created_at: string
  lease_owner: string | null
  lease_until: string | null
}
type LeaseDb = Record<LeasedTable, LeaseColumns>

const UNFINISHED = ['queued', 'running']

/**
 * Leases the oldest `queued` or `running` row of `table` whose lease is free or expired at
 * `lease.now` to `lease.owner` until `lease.until` (also marking it `running` with `markRunning`),
 * and returns it; null when there is none.
 */
export async function claimOldestFree<T extends LeasedTable>(
  db: Kysely<Database>,
  table: T,
  lease: { owner: string; now: string; until: string },
  markRunning: boolean,
): Promise<Selectable<Database[T]> | null> {
  // Kysely cannot type one query over "either table"; it is built over the columns both share.
  const jobs = db as unknown as Kysely<LeaseDb>
  const free = (eb: ExpressionBuilder<LeaseDb, LeasedTable>) =>
    eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', lease.now)])
  const row = await jobs
    .updateTable(table as LeasedTable)
    .set({
      lease_owner: lease.owner,
      lease_until: lease.until,
      ...(markRunning ? { status: 'running' } : {}),
    })
    .where(
      'id',
      '=',
      jobs
        .selectFrom(table as LeasedTable)
        .select('id')
        .where('status', 'in', UNFINISHED)
        .where(free)
        .orderBy('created_at')
        .limit(1),
    )
    // Compare-and-set: another runner may have leased it between the inner and outer reads.
    .where('status', 'in', UNFINISHED)
    .where(free)
    .returningAll()
    .executeTakeFirst()
  return (row as Selectable<Database[T]> | undefined) ?? null
}
