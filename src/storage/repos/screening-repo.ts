/**
 * @module storage/repos/screening-repo
 * Lists as data (issue 12) on SQLite and D1: lists, immutable versions with their entries (JSON in
 * chunks), suppressions, settings, the append-only audit log and the revision counters. Every write
 * that changes what a check sees goes through `store.atomic` with its audit record and a bump of its
 * scope's revision, so a cached screening context keyed by revision is never stale.
 */
import { type CompiledQuery, sql } from 'kysely'
import { AppError } from '../../core/errors'
import type { AuditRecord, Change, ScreeningRepo } from '../../core/lists/ports'
import {
  type ImportedEntry,
  type ListDiff,
  type ListMeta,
  type ListMode,
  type ListVersionMeta,
  type Suppression,
  SuppressionScopeSchema,
  type TenantSettings,
  TenantSettingsSchema,
} from '../../core/lists/types'
import type { LegalStatus } from '../../core/schemas'
import type { Store } from '../atomic'
import type { AuditRow, ControlListRow, ListVersionRow, SuppressionRow } from '../schema/screening'
import { newestFirstPage } from './newest-first'
import { recheckOrderQueries } from './recheck-repo'

/** Entries per stored chunk: about 50 KB of JSON, well under D1's row and statement limits. */
const ENTRIES_PER_CHUNK = 500

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T
  } catch (cause) {
    throw new AppError('DATA_INVALID', `stored ${what} is not valid JSON`, { cause })
  }
}

function rowToList(row: ControlListRow): ListMeta {
  return {
    owner: row.owner,
    id: row.id,
    name: row.name,
    mode: row.mode as ListMode,
    legalStatus: row.legal_status as LegalStatus,
    source: row.source,
    destinations: parseJson<string[]>(row.destinations_json, `list ${row.id}`),
    createdAt: row.created_at,
    createdBy: row.created_by,
  }
}

function rowToVersion(row: ListVersionRow): ListVersionMeta {
  return {
    id: row.id,
    owner: row.owner,
    listId: row.list_id,
    seq: Number(row.seq),
    version: row.version,
    effectiveDate: row.effective_date,
    legalStatus: row.legal_status as LegalStatus,
    source: row.source,
    entryCount: Number(row.entry_count),
    contentHash: row.content_hash,
    diff: parseJson<ListDiff>(row.diff_json, `version ${row.id}`),
    createdAt: row.created_at,
    createdBy: row.created_by,
  }
}

function rowToSuppression(row: SuppressionRow): Suppression {
  const scope = SuppressionScopeSchema.safeParse(parseJson(row.scope_json, `suppression ${row.id}`))
  if (!scope.success)
    throw new AppError('DATA_INVALID', `stored suppression ${row.id} has a bad scope`)
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scope: scope.data,
    reason: row.reason,
    acceptInForce: row.accept_in_force,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
  }
}

function rowToAudit(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    actor: row.actor,
    keyId: row.key_id,
    action: row.action,
    subjectType: row.subject_type as AuditRecord['subjectType'],
    subjectId: row.subject_id,
    detail: parseJson<Record<string, unknown>>(row.detail_json, `audit ${row.id}`),
  }
}

function parseSettings(text: string): TenantSettings {
  const parsed = TenantSettingsSchema.safeParse(parseJson(text, 'settings'))
  if (!parsed.success)
    throw new AppError('DATA_INVALID', 'stored settings do not match their schema')
  return parsed.data
}

/** A refused insert of a row that exists: a race another writer won, not a fault. */
function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as { code?: unknown })?.code ?? ''} ${err instanceof Error ? err.message : String(err)} ${err instanceof Error && err.cause instanceof Error ? err.cause.message : ''}`
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)/.test(text)
}

export function screeningRepo(store: Store): ScreeningRepo {
  const { db } = store

  const changeQueries = (change: Change | null): CompiledQuery[] => {
    if (!change) return []
    const a = change.audit
    return [
      db
        .insertInto('audit')
        .values({
          id: a.id,
          tenant_id: a.tenantId,
          created_at: a.createdAt,
          actor: a.actor,
          key_id: a.keyId,
          action: a.action,
          subject_type: a.subjectType,
          subject_id: a.subjectId,
          detail_json: JSON.stringify(a.detail),
        })
        .compile(),
      bump(change.scope),
    ]
  }

  const bump = (scope: string): CompiledQuery =>
    db
      .insertInto('screening_revision')
      .values({ scope, revision: 1 })
      .onConflict((oc) => oc.column('scope').doUpdateSet({ revision: sql`revision + 1` }))
      .compile()

  const latestOf = (owners: readonly string[]) =>
    db
      .selectFrom('list_version as v')
      .selectAll('v')
      .where('v.owner', 'in', [...owners])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('list_version as w')
              .select('w.id')
              .whereRef('w.owner', '=', 'v.owner')
              .whereRef('w.list_id', '=', 'v.list_id')
              .whereRef('w.seq', '>', 'v.seq'),
          ),
        ),
      )

  return {
    async revision(tenantId) {
      const rows = await db
        .selectFrom('screening_revision')
        .select(['scope', 'revision'])
        .where('scope', 'in', ['', tenantId])
        .execute()
      const of = (scope: string) => rows.find((r) => r.scope === scope)?.revision ?? 0
      return `${of('')}.${of(tenantId)}`
    },

    async keyName(keyId) {
      const row = await db
        .selectFrom('api_key')
        .select('name')
        .where('id', '=', keyId)
        .executeTakeFirst()
      return row?.name ?? null
    },

    async getList(owner, id) {
      const row = await db
        .selectFrom('control_list')
        .selectAll()
        .where('owner', '=', owner)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? rowToList(row) : null
    },

    async listLists(owners) {
      const rows = await db
        .selectFrom('control_list')
        .selectAll()
        .where('owner', 'in', [...owners])
        .orderBy('owner')
        .orderBy('id')
        .execute()
      return rows.map(rowToList)
    },

    async createList(list, change) {
      const insert = db.insertInto('control_list').values({
        owner: list.owner,
        id: list.id,
        name: list.name,
        mode: list.mode,
        legal_status: list.legalStatus,
        source: list.source,
        destinations_json: JSON.stringify(list.destinations),
        created_at: list.createdAt,
        created_by: list.createdBy,
      })
      if (!change) {
        // Registration of a built-in list: processes may race; the first one's row stands.
        await insert.onConflict((oc) => oc.columns(['owner', 'id']).doNothing()).execute()
        return true
      }
      try {
        await store.atomic([insert.compile(), ...changeQueries(change)])
        return true
      } catch (err) {
        if (isUniqueViolation(err)) return false
        throw err
      }
    },

    async latestVersion(owner, listId) {
      const row = await db
        .selectFrom('list_version')
        .selectAll()
        .where('owner', '=', owner)
        .where('list_id', '=', listId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
      return row ? rowToVersion(row) : null
    },

    async latestVersions(owners) {
      return (await latestOf(owners).orderBy('v.owner').orderBy('v.list_id').execute()).map(
        rowToVersion,
      )
    },

    async versionHashes(owner) {
      const rows = await db
        .selectFrom('list_version')
        .select(['list_id', 'content_hash'])
        .where('owner', '=', owner)
        .execute()
      return rows.map((r) => ({ listId: r.list_id, contentHash: r.content_hash }))
    },

    async versionByLabel(owner, listId, version) {
      const row = await db
        .selectFrom('list_version')
        .selectAll()
        .where('owner', '=', owner)
        .where('list_id', '=', listId)
        .where('version', '=', version)
        .executeTakeFirst()
      return row ? rowToVersion(row) : null
    },

    async listVersions(owner, listId) {
      const rows = await db
        .selectFrom('list_version')
        .selectAll()
        .where('owner', '=', owner)
        .where('list_id', '=', listId)
        .orderBy('seq', 'desc')
        .execute()
      return rows.map(rowToVersion)
    },

    async versionEntries(versionId) {
      const rows = await db
        .selectFrom('list_entry_chunk')
        .select('entries_json')
        .where('version_id', '=', versionId)
        .orderBy('chunk')
        .execute()
      return rows.flatMap((r) =>
        parseJson<ImportedEntry[]>(r.entries_json, `entries of ${versionId}`),
      )
    },

    async insertVersion(version, entries, change, recheck) {
      const queries: CompiledQuery[] = [
        db
          .insertInto('list_version')
          .values({
            id: version.id,
            owner: version.owner,
            list_id: version.listId,
            seq: version.seq,
            version: version.version,
            effective_date: version.effectiveDate,
            legal_status: version.legalStatus,
            source: version.source,
            entry_count: version.entryCount,
            content_hash: version.contentHash,
            diff_json: JSON.stringify(version.diff),
            created_at: version.createdAt,
            created_by: version.createdBy,
          })
          .compile(),
      ]
      for (let i = 0, chunk = 0; i < entries.length; i += ENTRIES_PER_CHUNK, chunk++) {
        queries.push(
          db
            .insertInto('list_entry_chunk')
            .values({
              version_id: version.id,
              chunk,
              entries_json: JSON.stringify(entries.slice(i, i + ENTRIES_PER_CHUNK)),
            })
            .compile(),
        )
      }
      queries.push(...changeQueries(change))
      // A version with no audit record (a built-in registration) still changes what checks see.
      if (!change) queries.push(bump(version.owner))
      if (recheck) queries.push(...recheckOrderQueries(recheck))
      try {
        await store.atomic(queries)
        return true
      } catch (err) {
        if (isUniqueViolation(err)) return false
        throw err
      }
    },

    async getSuppression(tenantId, id) {
      const row = await db
        .selectFrom('suppression')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? rowToSuppression(row) : null
    },

    async listSuppressions(tenantId, { includeDeleted, ...filter }) {
      let q = db.selectFrom('suppression').selectAll().where('tenant_id', '=', tenantId)
      if (!includeDeleted) q = q.where('deleted_at', 'is', null)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToSuppression), next }
    },

    async activeSuppressions(tenantId) {
      const rows = await db
        .selectFrom('suppression')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(rowToSuppression)
    },

    async suppressionsAt(tenantId, at) {
      const rows = await db
        .selectFrom('suppression')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('created_at', '<=', at)
        .where((eb) => eb.or([eb('deleted_at', 'is', null), eb('deleted_at', '>', at)]))
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(rowToSuppression)
    },

    async insertSuppression(s, change) {
      await store.atomic([
        db
          .insertInto('suppression')
          .values({
            id: s.id,
            tenant_id: s.tenantId,
            scope_json: JSON.stringify(s.scope),
            reason: s.reason,
            accept_in_force: s.acceptInForce,
            expires_at: s.expiresAt,
            created_at: s.createdAt,
            created_by: s.createdBy,
            deleted_at: null,
            deleted_by: null,
          })
          .compile(),
        ...changeQueries(change),
      ])
    },

    async deleteSuppression(tenantId, id, at, by, change) {
      // Read first: a batch cannot make its audit insert depend on the update having matched a row.
      const existing = await db
        .selectFrom('suppression')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      if (!existing) return false
      await store.atomic([
        db
          .updateTable('suppression')
          .set({ deleted_at: at, deleted_by: by })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .compile(),
        ...changeQueries(change),
      ])
      return true
    },

    async getSettings(tenantId) {
      const row = await db
        .selectFrom('tenant_settings')
        .select(['settings_json', 'digest'])
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst()
      return row ? { settings: parseSettings(row.settings_json), digest: row.digest } : null
    },

    async settingsByDigest(tenantId, digest) {
      const row = await db
        .selectFrom('settings_snapshot')
        .select('settings_json')
        .where('tenant_id', '=', tenantId)
        .where('digest', '=', digest)
        .executeTakeFirst()
      return row ? parseSettings(row.settings_json) : null
    },

    async putSettings(tenantId, settings, digest, at, change) {
      const json = JSON.stringify(settings)
      await store.atomic([
        db
          .insertInto('tenant_settings')
          .values({ tenant_id: tenantId, settings_json: json, digest, updated_at: at })
          .onConflict((oc) =>
            oc.column('tenant_id').doUpdateSet({ settings_json: json, digest, updated_at: at }),
          )
          .compile(),
        db
          .insertInto('settings_snapshot')
          .values({ tenant_id: tenantId, digest, settings_json: json, created_at: at })
          .onConflict((oc) => oc.columns(['tenant_id', 'digest']).doNothing())
          .compile(),
        ...changeQueries(change),
      ])
    },

    async listAudit(tenantId, filter) {
      const q = db.selectFrom('audit').selectAll().where('tenant_id', '=', tenantId)
      const { page, next } = await newestFirstPage(q, filter)
      return { items: page.map(rowToAudit), next }
    },
  }
}
