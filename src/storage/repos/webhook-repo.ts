/**
 * @module storage/repos/webhook-repo
 * Webhook endpoints, events, the outbox of deliveries and the attempt log (issue 10), on SQLite and
 * D1 alike. The outbox statements (`outboxQueries`) are constant SQL, compiled once: they join the
 * write of every flagged check, so they must cost no more than an insert each.
 */
import { CompiledQuery, sql } from 'kysely'
import { batchEvent } from '../../core/webhooks/events'
import {
  type AttemptRecord,
  type DeliveryAttempt,
  type DueDelivery,
  type OutboxEvent,
  type StoredEndpoint,
  type StoredEvent,
  type SubscribableEventType,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookRepo,
} from '../../core/webhooks/ports'
import type { Store } from '../atomic'
import { newWebhookEventId } from '../ids'
import type { WebhookAttemptRow, WebhookEndpointRow, WebhookEventRow } from '../schema'
import { batchProgress } from './batch-progress'
import { newestFirstPage } from './newest-first'

/** Space-delimited with a space at each end, so `instr(events, ' type ')` matches whole names only. */
function eventsColumn(events: readonly string[]): string {
  return ` ${events.join(' ')} `
}

function parseEvents(column: string): SubscribableEventType[] {
  return column
    .trim()
    .split(' ')
    .filter((e): e is SubscribableEventType =>
      (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e),
    )
}

function rowToEndpoint(row: WebhookEndpointRow): StoredEndpoint {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    description: row.description,
    events: parseEvents(row.events),
    status: row.status === 'disabled' ? 'disabled' : 'enabled',
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function rowToEvent(row: WebhookEventRow): StoredEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type as WebhookEventType,
    createdAt: row.created_at,
    payloadJson: row.payload_json,
  }
}

function rowToAttempt(row: WebhookAttemptRow): DeliveryAttempt {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookEventType,
    endpointId: row.endpoint_id,
    attempt: row.attempt,
    attemptedAt: row.created_at,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    error: row.error,
    nextAttemptAt: row.next_attempt_at,
  }
}

// The event, then a pending delivery for each enabled endpoint of its tenant subscribed to its type,
// found in SQL inside the same atomic write: no cache of subscriptions to go stale, and a tenant
// without endpoints pays one index probe. Conflicts add nothing (the same subject's event written
// twice, by a retried write or two runners completing one batch).
const INSERT_EVENT_SQL = `insert into "webhook_event" ("id", "tenant_id", "type", "subject_id", "payload_json", "created_at") values (?, ?, ?, ?, ?, ?) on conflict ("type", "subject_id") do nothing`
const INSERT_DELIVERIES_SQL = `insert into "webhook_delivery" ("event_id", "endpoint_id", "tenant_id", "status", "attempts", "next_attempt_at", "lease_until", "created_at", "updated_at")
select "e"."id", "p"."id", "p"."tenant_id", 'pending', 0, "e"."created_at", null, "e"."created_at", "e"."created_at"
from "webhook_event" as "e" join "webhook_endpoint" as "p" on "p"."tenant_id" = "e"."tenant_id"
where "e"."type" = ? and "e"."subject_id" = ? and "p"."status" = 'enabled' and instr("p"."events", ?) > 0
on conflict do nothing`

/**
 * The statements that store `event` with its pending deliveries: to run in the same `store.atomic`
 * as the state change the event announces (the outbox). Idempotent.
 */
export function outboxQueries(event: OutboxEvent): CompiledQuery[] {
  return [
    CompiledQuery.raw(INSERT_EVENT_SQL, [
      event.id,
      event.tenantId,
      event.type,
      event.subjectId,
      event.payloadJson,
      event.createdAt,
    ]),
    CompiledQuery.raw(INSERT_DELIVERIES_SQL, [event.type, event.subjectId, ` ${event.type} `]),
  ]
}

// A batch's final event is stored only if the batch is in that state once the statements before it in
// the same atomic write have run: the state change and its announcement commit together or not at all.
const INSERT_BATCH_EVENT_SQL = `insert into "webhook_event" ("id", "tenant_id", "type", "subject_id", "payload_json", "created_at")
select ?, "tenant_id", ?, "id", ?, ? from "batch" where "id" = ? and "status" = ?
on conflict ("type", "subject_id") do nothing`

/**
 * Runs `statusChange` (an update that may move batch `batchId` to `status`) atomically with the
 * `batch.completed` / `batch.failed` event it announces and the event's pending deliveries: the
 * batch's outbox write. The counts are read first: the batch's chunks are all checked (completed) or
 * will check no more (failed) by then. Returns whether the batch is in `status` at `at` afterwards.
 */
export async function changeBatchStatusWithEvent(
  store: Store,
  batchId: string,
  status: 'completed' | 'failed',
  at: string,
  statusChange: CompiledQuery,
): Promise<boolean> {
  const { db } = store
  const batch = await db
    .selectFrom('batch')
    .select('tenant_id')
    .where('id', '=', batchId)
    .executeTakeFirst()
  if (!batch) return false
  const progress = await batchProgress(db, batchId)
  const event = batchEvent(
    { id: batchId, tenantId: batch.tenant_id, status, counts: progress.tally, at },
    newWebhookEventId(),
  )
  await store.atomic([
    statusChange,
    CompiledQuery.raw(INSERT_BATCH_EVENT_SQL, [
      event.id,
      event.type,
      event.payloadJson,
      event.createdAt,
      batchId,
      status,
    ]),
    outboxQueries(event)[1]!,
  ])
  const after = await db
    .selectFrom('batch')
    .select(['status', 'completed_at'])
    .where('id', '=', batchId)
    .executeTakeFirst()
  return after?.status === status && after.completed_at === at
}

// Compare-and-set in one statement: SQLite and D1 run it alone, so two deliverers (two server
// processes) never lease the same row; the outer conditions repeat the inner ones because the lease
// may have been taken between the inner read and the update. Constant SQL: the deliverer runs it
// many times a second under load.
//
// Each endpoint gets at most its room: the share's JSON object {endpoint id: slots left}, or the whole
// share for an endpoint it does not name. An endpoint with no room left is skipped in the scan itself,
// so a slow receiver's backlog (the oldest rows while it times out) does not fill the scanned rows;
// the rest are counted per endpoint over the oldest `limit × 8` due rows only, not every due row.
const CLAIM_DUE_SQL = `update "webhook_delivery" set "lease_until" = ?
where ("event_id", "endpoint_id") in (
  select "event_id", "endpoint_id" from (
    select "event_id", "endpoint_id", "next_attempt_at",
      row_number() over (partition by "endpoint_id" order by "next_attempt_at", "event_id") as "n"
    from (
      select "d"."event_id", "d"."endpoint_id", "d"."next_attempt_at" from "webhook_delivery" as "d"
      join "webhook_endpoint" as "p" on "p"."id" = "d"."endpoint_id"
      where "d"."status" = 'pending' and "d"."next_attempt_at" <= ?
        and ("d"."lease_until" is null or "d"."lease_until" < ?) and "p"."status" = 'enabled'
        and "d"."endpoint_id" not in (select "key" from json_each(?) where "value" <= 0)
      order by "d"."next_attempt_at" limit ?
    )
  ) as "c"
  where "c"."n" <= coalesce((select "value" from json_each(?) where "key" = "c"."endpoint_id"), ?)
  order by "c"."next_attempt_at" limit ?
) and "status" = 'pending' and ("lease_until" is null or "lease_until" < ?)
returning "event_id", "endpoint_id"`

// The leased keys come as one JSON array of [event_id, endpoint_id] pairs: one statement text however
// many were leased (each distinct text is a prepared statement on SQLite), and one bound parameter.
// Oldest due first, as leased (RETURNING promises no order).
const DUE_DETAILS_SQL = `select "d"."event_id", "d"."endpoint_id", "d"."tenant_id", "d"."attempts", "e"."type", "e"."payload_json",
"p"."url", "p"."secret_sealed", "p"."previous_secret_sealed", "p"."previous_secret_expires_at", "p"."failing_since"
from json_each(?) as "k"
join "webhook_delivery" as "d" on "d"."event_id" = json_extract("k"."value", '$[0]') and "d"."endpoint_id" = json_extract("k"."value", '$[1]')
join "webhook_event" as "e" on "e"."id" = "d"."event_id"
join "webhook_endpoint" as "p" on "p"."id" = "d"."endpoint_id"
order by "d"."next_attempt_at", "d"."event_id"`

const ATTEMPT_COLUMNS = `"id", "tenant_id", "event_id", "event_type", "endpoint_id", "attempt", "status_code", "duration_ms", "error", "next_attempt_at", "created_at"`
/** D1 binds at most 100 parameters per statement: 9 attempts of 11 columns. */
const ATTEMPTS_PER_INSERT = 9
const UPDATE_DELIVERY_SQL = `update "webhook_delivery" set "status" = ?, "attempts" = ?, "next_attempt_at" = ?, "lease_until" = null, "updated_at" = ? where "event_id" = ? and "endpoint_id" = ?`
// A success clears the streak; the row is written only if there was one (most successes follow one).
const ENDPOINT_SUCCEEDED_SQL = `update "webhook_endpoint" set "failing_since" = null where "id" = ? and "failing_since" is not null`
const ENDPOINT_FAILING_SINCE_SQL = `update "webhook_endpoint" set "failing_since" = ? where "id" = ?`
const ENDPOINT_STILL_FAILING_SQL = `update "webhook_endpoint" set "failing_since" = coalesce("failing_since", ?) where "id" = ?`
const ENDPOINT_DISABLE_SQL = `update "webhook_endpoint" set "status" = 'disabled', "disabled_reason" = ? where "id" = ?`

/**
 * The statements that record `records` (in the order they were made): each attempt in the log, each
 * delivery's new state with its lease dropped, and each endpoint's failure streak as the last of its
 * attempts leaves it (a success clears it; failures after the last success start it at the first of
 * them, or keep an older start), disabled if any attempt says so. Constant SQL, as the outbox's.
 */
function attemptQueries(records: readonly AttemptRecord[]): CompiledQuery[] {
  const queries: CompiledQuery[] = []
  for (let i = 0; i < records.length; i += ATTEMPTS_PER_INSERT) {
    const chunk = records.slice(i, i + ATTEMPTS_PER_INSERT)
    queries.push(
      CompiledQuery.raw(
        `insert into "webhook_attempt" (${ATTEMPT_COLUMNS}) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [
          r.id,
          r.tenantId,
          r.eventId,
          r.eventType,
          r.endpointId,
          r.attempt,
          r.statusCode,
          r.durationMs,
          r.error,
          r.nextAttemptAt,
          r.attemptedAt,
        ]),
      ),
    )
  }
  const endpoints = new Map<
    string,
    { succeeded: boolean; failingSince: string | null; disable: string | null }
  >()
  for (const r of records) {
    queries.push(
      CompiledQuery.raw(UPDATE_DELIVERY_SQL, [
        r.outcome === 'retry' ? 'pending' : r.outcome,
        r.attempt,
        r.nextAttemptAt ?? r.attemptedAt,
        r.attemptedAt,
        r.eventId,
        r.endpointId,
      ]),
    )
    const e = endpoints.get(r.endpointId) ?? { succeeded: false, failingSince: null, disable: null }
    endpoints.set(r.endpointId, e)
    if (r.outcome === 'delivered') {
      e.succeeded = true
      e.failingSince = null
    } else {
      e.failingSince ??= r.attemptedAt
      e.disable ??= r.disableEndpoint
    }
  }
  for (const [id, e] of endpoints) {
    if (e.failingSince === null) queries.push(CompiledQuery.raw(ENDPOINT_SUCCEEDED_SQL, [id]))
    else
      queries.push(
        CompiledQuery.raw(e.succeeded ? ENDPOINT_FAILING_SINCE_SQL : ENDPOINT_STILL_FAILING_SQL, [
          e.failingSince,
          id,
        ]),
      )
    if (e.disable !== null) queries.push(CompiledQuery.raw(ENDPOINT_DISABLE_SQL, [e.disable, id]))
  }
  return queries
}

type DueRow = {
  event_id: string
  endpoint_id: string
  tenant_id: string
  attempts: number
  type: string
  payload_json: string
  url: string
  secret_sealed: string
  previous_secret_sealed: string | null
  previous_secret_expires_at: string | null
  failing_since: string | null
}

function rowToDue(row: DueRow): DueDelivery {
  return {
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    tenantId: row.tenant_id,
    attempts: Number(row.attempts),
    eventType: row.type as WebhookEventType,
    payloadJson: row.payload_json,
    url: row.url,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    failingSince: row.failing_since,
  }
}

export function webhookRepo(store: Store): WebhookRepo {
  const { db } = store

  /** What an attempt needs for the deliveries just leased (this deliverer's). */
  async function dueDetails(
    keys: { event_id: string; endpoint_id: string }[],
  ): Promise<DueDelivery[]> {
    if (keys.length === 0) return []
    const { rows } = await db.executeQuery<DueRow>(
      CompiledQuery.raw(DUE_DETAILS_SQL, [
        JSON.stringify(keys.map((k) => [k.event_id, k.endpoint_id])),
      ]),
    )
    return rows.map(rowToDue)
  }

  return {
    async createEndpoint(endpoint, secretSealed) {
      await db
        .insertInto('webhook_endpoint')
        .values({
          id: endpoint.id,
          tenant_id: endpoint.tenantId,
          url: endpoint.url,
          description: endpoint.description,
          events: eventsColumn(endpoint.events),
          status: endpoint.status,
          disabled_reason: endpoint.disabledReason,
          secret_sealed: secretSealed,
          previous_secret_sealed: null,
          previous_secret_expires_at: null,
          failing_since: null,
          created_at: endpoint.createdAt,
          updated_at: endpoint.updatedAt,
        })
        .execute()
    },
    async getEndpoint(tenantId, id) {
      const row = await db
        .selectFrom('webhook_endpoint')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? rowToEndpoint(row) : null
    },
    async listEndpoints(tenantId, filter) {
      const q = db.selectFrom('webhook_endpoint').selectAll().where('tenant_id', '=', tenantId)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToEndpoint), next }
    },
    async updateEndpoint(tenantId, id, patch) {
      const result = await db
        .updateTable('webhook_endpoint')
        .set({
          updated_at: patch.updatedAt,
          ...(patch.url !== undefined && { url: patch.url }),
          ...(patch.events !== undefined && { events: eventsColumn(patch.events) }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.status === 'enabled' && {
            status: 'enabled',
            disabled_reason: null,
            failing_since: null,
          }),
          ...(patch.status === 'disabled' && {
            status: 'disabled',
            disabled_reason: `disabled through the API at ${patch.updatedAt}`,
          }),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows ?? 0) === 0) return null
      return this.getEndpoint(tenantId, id)
    },
    async deleteEndpoint(tenantId, id) {
      const found = await this.getEndpoint(tenantId, id)
      if (!found) return false
      await store.atomic([
        db.deleteFrom('webhook_attempt').where('endpoint_id', '=', id).compile(),
        db.deleteFrom('webhook_delivery').where('endpoint_id', '=', id).compile(),
        db
          .deleteFrom('webhook_endpoint')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .compile(),
      ])
      return true
    },
    async rotateSecret(tenantId, id, secretSealed, previousExpiresAt, now) {
      const result = await db
        .updateTable('webhook_endpoint')
        .set((eb) => ({
          previous_secret_sealed: eb.ref('secret_sealed'),
          previous_secret_expires_at: previousExpiresAt,
          secret_sealed: secretSealed,
          updated_at: now,
        }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      return Number(result.numUpdatedRows ?? 0) > 0
    },

    async getEvent(tenantId, id) {
      const row = await db
        .selectFrom('webhook_event')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? rowToEvent(row) : null
    },
    async listEvents(tenantId, filter) {
      let q = db.selectFrom('webhook_event').selectAll().where('tenant_id', '=', tenantId)
      if (filter.type) q = q.where('type', '=', filter.type)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToEvent), next }
    },
    async recordTestEvent(event, endpointId) {
      await store.atomic([
        db
          .insertInto('webhook_event')
          .values({
            id: event.id,
            tenant_id: event.tenantId,
            type: event.type,
            subject_id: null,
            payload_json: event.payloadJson,
            created_at: event.createdAt,
          })
          .compile(),
        db
          .insertInto('webhook_delivery')
          .values({
            event_id: event.id,
            endpoint_id: endpointId,
            tenant_id: event.tenantId,
            status: 'pending',
            attempts: 0,
            next_attempt_at: event.createdAt,
            lease_until: null,
            created_at: event.createdAt,
            updated_at: event.createdAt,
          })
          .compile(),
      ])
    },
    async redeliver(tenantId, eventId, endpointId, now) {
      const event = await this.getEvent(tenantId, eventId)
      if (!event) return []
      let q = db
        .selectFrom('webhook_endpoint')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'enabled')
      q = endpointId
        ? q.where('id', '=', endpointId)
        : q.where(sql<boolean>`instr(events, ${` ${event.type} `}) > 0`)
      const targets = (await q.execute()).map((r) => r.id)
      if (targets.length === 0) return []
      // A delivery already there (delivered, given up or pending) starts over; the attempt log stays.
      await store.atomic(
        targets.map((id) =>
          db
            .insertInto('webhook_delivery')
            .values({
              event_id: eventId,
              endpoint_id: id,
              tenant_id: tenantId,
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
              lease_until: null,
              created_at: now,
              updated_at: now,
            })
            .onConflict((oc) =>
              oc.columns(['event_id', 'endpoint_id']).doUpdateSet({
                status: 'pending',
                attempts: 0,
                next_attempt_at: now,
                lease_until: null,
                updated_at: now,
              }),
            )
            .compile(),
        ),
      )
      return targets
    },
    async listAttempts(tenantId, endpointId, filter) {
      const q = db
        .selectFrom('webhook_attempt')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('endpoint_id', '=', endpointId)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToAttempt), next }
    },

    async claimDue(now, leaseUntil, limit, share) {
      const perEndpoint = share?.perEndpoint ?? limit
      const room = JSON.stringify(
        Object.fromEntries(
          [...(share?.inFlight ?? [])].map(([endpoint, busy]) => [endpoint, perEndpoint - busy]),
        ),
      )
      const { rows } = await db.executeQuery<{ event_id: string; endpoint_id: string }>(
        CompiledQuery.raw(CLAIM_DUE_SQL, [
          leaseUntil,
          now,
          now,
          room,
          limit * 8,
          room,
          perEndpoint,
          limit,
          now,
        ]),
      )
      return dueDetails(rows)
    },
    async claimOne(eventId, endpointId, now, dueBy, leaseUntil) {
      const keys = await db
        .updateTable('webhook_delivery')
        .set({ lease_until: leaseUntil })
        .where('event_id', '=', eventId)
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', dueBy)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('webhook_endpoint as p')
              .select('p.id')
              .where('p.id', '=', endpointId)
              .where('p.status', '=', 'enabled'),
          ),
        )
        .returning(['event_id', 'endpoint_id'])
        .execute()
      return (await dueDetails(keys))[0] ?? null
    },
    async recordAttempt(r) {
      await store.atomic(attemptQueries([r]))
    },
    async recordAttempts(records) {
      if (records.length > 0) await store.atomic(attemptQueries(records))
    },
    async overdue(before, limit) {
      const rows = await db
        .selectFrom('webhook_delivery as d')
        .innerJoin('webhook_endpoint as p', 'p.id', 'd.endpoint_id')
        .select(['d.event_id', 'd.endpoint_id'])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<', before)
        .where((w) => w.or([w('d.lease_until', 'is', null), w('d.lease_until', '<', before)]))
        .where('p.status', '=', 'enabled')
        .orderBy('d.next_attempt_at')
        .limit(limit)
        .execute()
      return rows.map((r) => ({ eventId: r.event_id, endpointId: r.endpoint_id }))
    },
    async pendingFor(eventId) {
      const rows = await db
        .selectFrom('webhook_delivery')
        .select(['event_id', 'endpoint_id'])
        .where('event_id', '=', eventId)
        .where('status', '=', 'pending')
        .execute()
      return rows.map((r) => ({ eventId: r.event_id, endpointId: r.endpoint_id }))
    },
  }
}
