/**
 * @module lists/ports
 * Storage of lists as data (issue 12): lists, immutable versions with their entries, suppressions,
 * settings, the append-only audit log, and the revision counters that tell a cached screening context
 * is stale. Implemented on SQLite and D1 (`storage/repos/screening-repo.ts`). Every write that changes
 * what a check sees bumps its scope's revision and writes its audit record in the same atomic write.
 */
import type { ControlList } from '../catalogue/types'
import type { RecheckOrder } from '../rechecks/ports'
import type { HsCodeBook } from './parse-list-file'
import type {
  ImportedEntry,
  ListMeta,
  ListVersionMeta,
  ScreeningContextData,
  Suppression,
  TenantSettings,
} from './types'

/** One audit record: who did what to which subject, with what. Never changed nor removed. */
export type AuditRecord = {
  id: string
  /** '' for the operator's actions. */
  tenantId: string
  createdAt: string
  actor: string
  keyId: string | null
  action: string
  subjectType: 'list' | 'list_version' | 'suppression' | 'settings'
  subjectId: string
  detail: Record<string, unknown>
}

export type AuditCursor = { createdAt: string; id: string }

/** A write's audit record and the scope whose revision it bumps. */
export type Change = { audit: AuditRecord; scope: string }

export interface ScreeningRepo {
  /** `operator.tenant` revision numbers: any change that a check of this tenant could see bumps it. */
  revision(tenantId: string): Promise<string>
  /** The name of an API key, for audit records (null for keys issued without one). */
  keyName(keyId: string): Promise<string | null>

  getList(owner: string, id: string): Promise<ListMeta | null>
  /** Lists of these owners, by owner then id. */
  listLists(owners: readonly string[]): Promise<ListMeta[]>
  /** Creates the list; false (nothing written) when `owner` already has a list with that id. */
  createList(list: ListMeta, change: Change | null): Promise<boolean>

  /** The version in effect (highest seq), or null when the list has none. */
  latestVersion(owner: string, listId: string): Promise<ListVersionMeta | null>
  /** The versions in effect of every list of these owners. */
  latestVersions(owners: readonly string[]): Promise<ListVersionMeta[]>
  /** The content hash of every version of the owner's lists (registration asks what is stored). */
  versionHashes(owner: string): Promise<{ listId: string; contentHash: string }[]>
  versionByLabel(owner: string, listId: string, version: string): Promise<ListVersionMeta | null>
  /** Every version of a list, newest first. */
  listVersions(owner: string, listId: string): Promise<ListVersionMeta[]>
  versionEntries(versionId: string): Promise<ImportedEntry[]>
  /**
   * Stores a new version with its entries. Resolves false, writing nothing, when the list already has
   * a version with this label or this seq (a concurrent import won the race). With `recheck`, the
   * re-check jobs it asks for are created in the same atomic write (issue 12 item 5).
   */
  insertVersion(
    version: ListVersionMeta,
    entries: readonly ImportedEntry[],
    change: Change | null,
    recheck?: RecheckOrder | null,
  ): Promise<boolean>

  getSuppression(tenantId: string, id: string): Promise<Suppression | null>
  /** The tenant's suppressions, newest first, deleted ones included when asked. */
  listSuppressions(
    tenantId: string,
    opts: { includeDeleted: boolean; limit: number; after?: AuditCursor },
  ): Promise<{ items: Suppression[]; next: AuditCursor | null }>
  /** The tenant's suppressions not deleted (expired ones included: expiry is weighed per check). */
  activeSuppressions(tenantId: string): Promise<Suppression[]>
  /** Suppressions as they stood at `at`: created by then and not deleted by then. */
  suppressionsAt(tenantId: string, at: string): Promise<Suppression[]>
  insertSuppression(s: Suppression, change: Change): Promise<void>
  /** Marks it deleted; false when there is no such undeleted suppression of this tenant. */
  deleteSuppression(
    tenantId: string,
    id: string,
    at: string,
    by: string,
    change: Change,
  ): Promise<boolean>

  /** The tenant's settings and their digest; null when never set (the defaults apply). */
  getSettings(tenantId: string): Promise<{ settings: TenantSettings; digest: string } | null>
  /** Settings the tenant had with this digest (a replay reads what a check recorded). */
  settingsByDigest(tenantId: string, digest: string): Promise<TenantSettings | null>
  putSettings(
    tenantId: string,
    settings: TenantSettings,
    digest: string,
    at: string,
    change: Change,
  ): Promise<void>

  /** The tenant's audit records, newest first. */
  listAudit(
    tenantId: string,
    opts: { limit: number; after?: AuditCursor },
  ): Promise<{ items: AuditRecord[]; next: AuditCursor | null }>
}

/** What the list, suppression and settings verbs need, built by the runtime. */
export type ScreeningDeps = {
  repo: ScreeningRepo
  /** HS 2022 codes, to validate imported entries. */
  hs: HsCodeBook
  /** The engine's catalogue lists (built-in), to tell built-in ids and their versions. */
  builtInLists: () => readonly ControlList[]
  newId: (prefix: 'lv' | 'sup' | 'aud') => string
  /**
   * Built-in lists registered as versions (idempotent): Node does it at start; the Worker on first
   * use in an isolate. Verbs that read versions await it.
   */
  ready: () => Promise<void>
  /** Compiled screening contexts the runtime keeps by tenant and revision. */
  contexts: ContextDataCache
  /**
   * Largest body of `POST /v1/lists/{id}/versions` (`LIST_IMPORT_MAX_BYTES`): a list of 10,000
   * entries is far over the 64 KiB of other requests.
   */
  importMaxBytes: number
}

/** `LIST_IMPORT_MAX_BYTES` by default: 8 MiB, room for 10,000 entries with long titles and patterns. */
export const LIST_IMPORT_MAX_BYTES = 8 * 1024 * 1024

/** A small cache of screening context data by key; lives as long as the process or isolate. */
export type ContextDataCache = {
  get(key: string): ScreeningContextData | undefined
  set(key: string, data: ScreeningContextData): void
}
