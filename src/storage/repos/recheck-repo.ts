/**
 * @module storage/repos/recheck-repo
 * Re-check jobs (issue 12 item 5) on SQLite and D1. A job is created in the same atomic write as the
 * list version that causes it (`recheckOrderQueries`, one insert…select over the affected tenants,
 * each with its own window from its `recheck_days` setting); each page's re-issued checks, their
 * events and the job's progress are one atomic write (`commitPage`).
 */
import { CompiledQuery, sql } from 'kysely'
import { AppError } from '../../core/errors'
import {
  DEFAULT_RECHECK_DAYS,
  type Recheck,
  type RecheckOrder,
  type RecheckRepo,
  type RecheckStatus,
} from '../../core/rechecks/ports'
import type { Verdict } from '../../core/schemas'
import type { Store } from '../atomic'
import { ulid } from '../ids'
import type { RecheckRow } from '../schema/recheck'
import { reissueQueries } from './check-repo'
import { claimOldestFree } from './lease'
import { newestFirstPage } from './newest-first'
import { outboxQueries } from './webhook-repo'

function rowToRecheck(row: RecheckRow): Recheck {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    listOwner: row.list_owner,
    listId: row.list_id,
    versionId: row.version_id,
    version: row.version,
    previousVersion: row.previous_version,
    status: row.status as RecheckStatus,
    windowDays: Number(row.window_days),
    windowFrom: row.window_from,
    windowTo: row.window_to,
    checksTotal: Number(row.checks_total),
    checksDone: Number(row.checks_done),
    changed: Number(row.changed),
    cursor:
      row.cursor_id !== null && row.cursor_created_at !== null
        ? { createdAt: row.cursor_created_at, id: row.cursor_id }
        : null,
    lastError: row.last_error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  }
}

// One job per affected tenant (every tenant when the tenant parameter is null), inside the version's
// atomic write. The window is the tenant's `recheck_days` (settings JSON; the default when unset)
// back from the version's time, in the same ISO-8601 text checks are stored with; `checks_total`
// counts the window's checks no other check supersedes (the ones the job will walk). A tenant with
// `recheck_days` 0 gets no job. Ids: `rck_` + the time part of a ULID + random hex, so they sort by
// creation like the other ids. A retried write adds nothing (unique version and tenant).
const INSERT_RECHECKS_SQL = `insert into "recheck" ("id", "tenant_id", "list_owner", "list_id", "version_id", "version", "previous_version", "status", "window_days", "window_from", "window_to", "checks_total", "checks_done", "changed", "created_at", "updated_at")
select 'rck_' || ? || upper(hex(randomblob(8))), "w"."tenant_id", ?, ?, ?, ?, ?, 'queued', "w"."days", "w"."window_from", ?,
  (select count(*) from "check" as "c" where "c"."tenant_id" = "w"."tenant_id" and "c"."created_at" >= "w"."window_from" and "c"."created_at" < ?
    and not exists (select 1 from "check" as "s" where "s"."supersedes" = "c"."id")),
  0, 0, ?, ?
from (
  select "d"."tenant_id", "d"."days", strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || "d"."days" || ' days') as "window_from"
  from (
    select "t"."id" as "tenant_id",
      coalesce((select cast(json_extract("ts"."settings_json", '$.recheck_days') as integer) from "tenant_settings" as "ts" where "ts"."tenant_id" = "t"."id"), ?) as "days"
    from "tenant" as "t" where (? is null or "t"."id" = ?)
  ) as "d"
) as "w"
where "w"."days" > 0
on conflict do nothing`

/** The statement that creates the re-check jobs `order` asks for: to run in the version's atomic write. */
export function recheckOrderQueries(order: RecheckOrder): CompiledQuery[] {
  return [
    CompiledQuery.raw(INSERT_RECHECKS_SQL, [
      ulid(Date.parse(order.at)).slice(0, 10),
      order.listOwner,
      order.listId,
      order.versionId,
      order.version,
      order.previousVersion,
      order.at,
      order.at,
      order.at,
      order.at,
      order.at,
      DEFAULT_RECHECK_DAYS,
      order.tenantId,
      order.tenantId,
    ]),
  ]
}

const UNFINISHED = ['queued', 'running'] as const

export function recheckRepo(store: Store): RecheckRepo {
  const { db } = store
  const byId = async (id: string) => {
    const row = await db.selectFrom('recheck').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? rowToRecheck(row) : null
  }

  return {
    async get(tenantId, id) {
      const row = await db
        .selectFrom('recheck')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? rowToRecheck(row) : null
    },

    async list(tenantId, filter) {
      const q = db.selectFrom('recheck').selectAll().where('tenant_id', '=', tenantId)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToRecheck), next }
    },

    async forVersion(versionId, tenantId) {
      let q = db.selectFrom('recheck').selectAll().where('version_id', '=', versionId)
      if (tenantId !== null) q = q.where('tenant_id', '=', tenantId)
      return (await q.orderBy('id').execute()).map(rowToRecheck)
    },

    byId,

    async candidates(job, after, limit) {
      let q = db
        .selectFrom('check as c')
        .select(['c.id', 'c.created_at', 'c.verdict', 'c.request_json', 'c.result_json'])
        .where('c.tenant_id', '=', job.tenantId)
        .where('c.created_at', '>=', job.windowFrom)
        .where('c.created_at', '<', job.windowTo)
        // Checks another re-check superseded are walked as their successors. Checks this job
        // superseded stay in the walk: a stale copy of a page (a runner that lost its lease, a
        // redelivered message) must see the page the job saw, or it would move on to checks the job
        // has not reached, re-issue them, and leave the job's counts short when it gets there.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('check as s')
                .select('s.id')
                .whereRef('s.supersedes', '=', 'c.id')
                .where('s.recheck_id', '<>', job.id),
            ),
          ),
        )
      if (after)
        q = q.where(
          sql<boolean>`("c"."created_at" > ${after.createdAt} or ("c"."created_at" = ${after.createdAt} and "c"."id" > ${after.id}))`,
        )
      const rows = await q.orderBy('c.created_at').orderBy('c.id').limit(limit).execute()
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        verdict: r.verdict as Verdict,
        requestJson: r.request_json,
        resultJson: r.result_json,
      }))
    },

    async commitPage(job, reissued, progress) {
      const queries: CompiledQuery[] = []
      for (const { check, event } of reissued) {
        if (check.tenantId !== job.tenantId)
          throw new AppError('INTERNAL', `recheck ${job.id} re-issued another tenant's check`)
        queries.push(...reissueQueries(db, check))
        if (event) queries.push(...outboxQueries(event))
      }
      let update = db
        .updateTable('recheck')
        .set({
          cursor_created_at: progress.to?.createdAt ?? null,
          cursor_id: progress.to?.id ?? null,
          checks_done: sql`checks_done + ${progress.done}`,
          // The page's changed checks that this job superseded, whichever of its runs stored the
          // successor: one another re-check of the tenant superseded first (two list versions
          // re-checked at once) is not counted, and one a stale copy of this job stored (its page
          // reached checks the job had not; its progress failed the compare-and-set) still is.
          // Ids go in as one JSON array (D1 binds at most 100 values per statement).
          changed: sql`changed + (select count(*) from "check" where "recheck_id" = ${job.id} and "supersedes" in (select "value" from json_each(${JSON.stringify(reissued.map((r) => r.check.supersedes))})))`,
          updated_at: progress.at,
          // The next page starts with no tries counted (Node's runner counts them in `startPage`).
          page_attempts: 0,
          ...(progress.last
            ? {
                status: 'completed',
                completed_at: progress.at,
                lease_owner: null,
                lease_until: null,
              }
            : { status: 'running' }),
        })
        .where('id', '=', job.id)
        .where('status', 'in', [...UNFINISHED])
        // Compare-and-set on the cursor: a page computed from a stale position changes nothing.
        .where(sql<boolean>`coalesce("cursor_id", '') = ${progress.from?.id ?? ''}`)
      if (progress.owner !== undefined) update = update.where('lease_owner', '=', progress.owner)
      queries.push(update.compile())
      await store.atomic(queries)
      const after = await byId(job.id)
      if (!after) throw new AppError('NOT_FOUND', `recheck ${job.id} is gone`)
      return after
    },

    async markStarted(id, at) {
      await db
        .updateTable('recheck')
        .set({ status: 'running', started_at: at })
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .execute()
    },

    async fail(id, reason, at) {
      await db
        .updateTable('recheck')
        .set({
          status: 'failed',
          last_error: reason.slice(0, 500),
          completed_at: at,
          updated_at: at,
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', id)
        .where('status', 'in', [...UNFINISHED])
        .execute()
    },

    async claim(owner, now, leaseUntil) {
      // Not marked `running` here: `markStarted` does, with the first page's start time.
      const row = await claimOldestFree(db, 'recheck', { owner, now, until: leaseUntil }, false)
      return row ? rowToRecheck(row) : null
    },

    async startPage(id, owner, leaseUntil) {
      // One statement, committed before the page runs: a try that kills the process is counted.
      const row = await db
        .updateTable('recheck')
        .set((eb) => ({ lease_until: leaseUntil, page_attempts: eb('page_attempts', '+', 1) }))
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('status', 'in', [...UNFINISHED])
        .returning('page_attempts')
        .executeTakeFirst()
      return row ? Number(row.page_attempts) : null
    },

    async stalled(before, limit) {
      const rows = await db
        .selectFrom('recheck')
        .selectAll()
        .where('status', 'in', [...UNFINISHED])
        .where('updated_at', '<', before)
        .orderBy('updated_at')
        .limit(limit)
        .execute()
      return rows.map(rowToRecheck)
    },

    async touch(id, at) {
      await db
        .updateTable('recheck')
        .set({ updated_at: at })
        .where('id', '=', id)
        .where('status', 'in', [...UNFINISHED])
        .execute()
    },
  }
}
