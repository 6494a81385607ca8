/**
 * @module storage/repos/check-repo
 * Stored checks. Rows are inserted once and never updated; JSON columns are parsed back with the
 * core's zod schemas so a corrupt row surfaces as DATA_INVALID instead of a malformed response.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { z } from 'zod'
import { AppError } from '../../core/errors'
import type { CheckFilter, CheckPage, StoredCheck } from '../../core/ports'
import type { CheckLineage, StoredCheckWithLineage } from '../../core/rechecks/ports'
import { CheckRequestSchema, CheckResultSchema } from '../../core/schemas'
import type { OutboxEvent } from '../../core/webhooks/ports'
import type { Store } from '../atomic'
import type { CheckRow, Database, NewCheckRow } from '../schema'
import { newestFirstPage } from './newest-first'
import { outboxQueries } from './webhook-repo'

const StoredResultSchema = CheckResultSchema.extend({ id: z.string() })

function checkToRow(check: StoredCheck & CheckLineage): NewCheckRow {
  return {
    id: check.id,
    tenant_id: check.tenantId,
    reference: check.result.reference,
    verdict: check.result.verdict,
    risk_score: check.result.risk_score,
    request_json: JSON.stringify(check.request),
    result_json: check.resultJson,
    engine_version: check.result.versions.engine,
    list_versions_json: JSON.stringify(check.result.versions.lists),
    created_at: check.createdAt,
    supersedes: check.supersedes ?? null,
    recheck_id: check.recheckId ?? null,
  }
}

function rowToCheck(row: CheckRow & { superseded_by?: string | null }): StoredCheckWithLineage {
  const request = CheckRequestSchema.safeParse(JSON.parse(row.request_json))
  const result = StoredResultSchema.safeParse(JSON.parse(row.result_json))
  if (!request.success || !result.success) {
    throw new AppError('DATA_INVALID', `stored check ${row.id} does not match its schema`, {
      cause: request.error ?? result.error,
    })
  }
  return {
    id: row.id,
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    request: request.data,
    result: result.data,
    resultJson: row.result_json,
    supersedes: row.supersedes,
    recheckId: row.recheck_id,
    supersededBy: row.superseded_by ?? null,
  }
}

/**
 * The check that supersedes each row (a re-check re-issued it), looked up at read time because a
 * check row is never updated; the unique index on `supersedes` makes it one probe per row.
 */
function withSupersededBy(db: Kysely<Database>) {
  return db
    .selectFrom('check')
    .selectAll('check')
    .select((eb) =>
      eb
        .selectFrom('check as s')
        .select('s.id')
        .whereRef('s.supersedes', '=', 'check.id')
        .whereRef('s.tenant_id', '=', 'check.tenant_id')
        .as('superseded_by'),
    )
}

/**
 * The statements that store a check re-issued by a re-check: nothing when the check it supersedes
 * already has a successor (the unique index), so a page written twice adds nothing.
 */
export function reissueQueries(
  db: Kysely<Database>,
  check: StoredCheck & CheckLineage,
): CompiledQuery[] {
  return [
    db
      .insertInto('check')
      .values(checkToRow(check))
      .onConflict((oc) => oc.doNothing())
      .compile(),
  ]
}

/**
 * Kysely builds and compiles a query's syntax tree on every call, which cost as much as SQLite's insert
 * itself; the insert of a check is always the same statement, so it is compiled once per database
 * handle and then given each row's values, in the column order of that first compile.
 */
const compiledInserts = new WeakMap<Kysely<Database>, { sql: string; columns: string[] }>()

function compileInsert(db: Kysely<Database>, row: NewCheckRow): CompiledQuery {
  // Every column of the row literal, undefined as null: Kysely would leave an undefined one out.
  const values = row as Record<string, unknown>
  let compiled = compiledInserts.get(db)
  if (!compiled) {
    const columns = Object.keys(row)
    const complete = Object.fromEntries(columns.map((c) => [c, values[c] ?? null])) as NewCheckRow
    compiled = { sql: db.insertInto('check').values(complete).compile().sql, columns }
    compiledInserts.set(db, compiled)
  }
  return CompiledQuery.raw(
    compiled.sql,
    compiled.columns.map((c) => values[c] ?? null),
  )
}

/**
 * Inserts the check and, with an idempotency key, records it as that key's answer, and stores its
 * webhook `events` with their pending deliveries (the outbox), all in one atomic write.
 */
export async function insertCheck(
  store: Store,
  check: StoredCheck,
  idempotencyKey?: string,
  events: readonly OutboxEvent[] = [],
): Promise<void> {
  // Even a lone insert goes through `atomic`: on SQLite that is the group-commit writer.
  const queries = [compileInsert(store.db, checkToRow(check))]
  if (idempotencyKey !== undefined)
    queries.push(
      store.db
        .updateTable('idempotency_key')
        .set({ check_id: check.id })
        .where('tenant_id', '=', check.tenantId)
        .where('key', '=', idempotencyKey)
        .compile(),
    )
  for (const event of events) queries.push(...outboxQueries(event))
  await store.atomic(queries)
}

export async function getCheck(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<StoredCheckWithLineage | null> {
  const row = await withSupersededBy(db)
    .where('check.tenant_id', '=', tenantId)
    .where('check.id', '=', id)
    .executeTakeFirst()
  return row ? rowToCheck(row) : null
}

export async function listChecks(
  db: Kysely<Database>,
  tenantId: string,
  filter: CheckFilter,
): Promise<CheckPage & { items: StoredCheckWithLineage[] }> {
  let q = withSupersededBy(db).where('check.tenant_id', '=', tenantId)
  if (filter.verdict) q = q.where('check.verdict', '=', filter.verdict)
  if (filter.reference !== undefined) q = q.where('check.reference', '=', filter.reference)
  if (filter.createdFrom) q = q.where('check.created_at', '>=', filter.createdFrom)
  if (filter.createdTo) q = q.where('check.created_at', '<', filter.createdTo)
  const { page, next } = await newestFirstPage(q, filter, 'check')
  return {
    items: page.map(rowToCheck),
    next,
  }
}
