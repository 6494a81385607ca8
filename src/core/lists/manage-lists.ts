/**
 * @module lists/manage-lists
 * Lists and their versions: the built-in lists registered as versions, tenant lists created, and new
 * versions imported (tenants through the API, the operator through `dualuse lists import`). A version
 * is immutable; the one with the highest seq is in effect; each import answers with its diff against
 * the version before it, stored with it.
 */
import type { ControlList } from '../catalogue/types'
import { AppError } from '../errors'
import type { Principal } from '../ports'
import type { LegalStatus } from '../schemas'
import type { HsCodeBook, ParsedListFile } from './parse-list-file'
import type { AuditRecord, Change, ScreeningDeps, ScreeningRepo } from './ports'
import { type ListMeta, type ListVersionMeta, OPERATOR, type OwnListMode } from './types'
import { contentHash, diffEntries, entriesOfControlList } from './versions'

/** Who makes a change: an API key (its name, else its id) or the operator's CLI. */
export type Actor = { name: string; keyId: string | null }

export async function actorOf(repo: ScreeningRepo, principal: Principal): Promise<Actor> {
  const name = await repo.keyName(principal.keyId)
  return { name: name ?? `key ${principal.keyId}`, keyId: principal.keyId }
}

export function change(
  deps: Pick<ScreeningDeps, 'newId'>,
  at: string,
  tenantId: string,
  actor: Actor,
  what: Pick<AuditRecord, 'action' | 'subjectType' | 'subjectId' | 'detail'>,
): Change {
  return {
    scope: tenantId,
    audit: {
      id: deps.newId('aud'),
      tenantId,
      createdAt: at,
      actor: actor.name,
      keyId: actor.keyId,
      ...what,
    },
  }
}

/** A tenant list's id may not shadow a built-in or operator list: `versions.lists` keys them by id. */
async function assertFreeId(deps: ScreeningDeps, id: string): Promise<void> {
  if (deps.builtInLists().some((l) => l.id === id) || (await deps.repo.getList(OPERATOR, id)))
    throw new AppError('CONFLICT', `list id ${id} is taken by a built-in list; choose another id`)
}

/**
 * Creates a tenant list (no version yet: import one with `importListVersion`).
 * @throws AppError CONFLICT when the id is taken (by the tenant or a built-in list).
 */
export async function createTenantList(
  deps: ScreeningDeps,
  tenantId: string,
  actor: Actor,
  input: {
    id: string
    name: string
    mode: OwnListMode
    legal_status: LegalStatus
    source: string
    destinations?: string[]
  },
  at: string,
): Promise<ListMeta> {
  await deps.ready()
  await assertFreeId(deps, input.id)
  const list: ListMeta = {
    owner: tenantId,
    id: input.id,
    name: input.name,
    mode: input.mode,
    legalStatus: input.legal_status,
    source: input.source,
    destinations: input.destinations ?? [],
    createdAt: at,
    createdBy: actor.name,
  }
  const created = await deps.repo.createList(
    list,
    change(deps, at, tenantId, actor, {
      action: 'list.created',
      subjectType: 'list',
      subjectId: list.id,
      detail: {
        name: list.name,
        mode: list.mode,
        legal_status: list.legalStatus,
        source: list.source,
        destinations: list.destinations,
      },
    }),
  )
  if (!created) throw new AppError('CONFLICT', `you already have a list ${input.id}`)
  return list
}

export type ImportResult = { version: ListVersionMeta; created: boolean }

/**
 * `recheck`: create the re-check jobs of the new version in its write (issue 12 item 5), for the
 * list's tenant or, for an operator's list, every tenant. Left off where nothing would run them.
 */
export type ImportOptions = { recheck?: boolean }

/**
 * Adds a version to a list from parsed entries. The same content as the version in effect, with no
 * new label, is no change (`created` false). A label already used names its content forever: the
 * same content answers that version, other content is a CONFLICT.
 * Side effects: the version, its entries, its audit record, the owner's revision and (`opts.recheck`)
 * its re-check jobs, in one write.
 */
export async function importListVersion(
  deps: Pick<ScreeningDeps, 'repo' | 'newId'>,
  list: Pick<ListMeta, 'owner' | 'id' | 'legalStatus' | 'source'>,
  parsed: ParsedListFile,
  actor: Actor,
  at: string,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const { repo } = deps
  const hash = await contentHash(parsed.entries)
  const latest = await repo.latestVersion(list.owner, list.id)
  if (parsed.version !== undefined) {
    const existing = await repo.versionByLabel(list.owner, list.id, parsed.version)
    if (existing) {
      if (existing.contentHash === hash) return { version: existing, created: false }
      throw new AppError(
        'CONFLICT',
        `list ${list.id} already has a version ${parsed.version} with other entries; versions are immutable: give a new version label`,
      )
    }
  } else if (latest && latest.contentHash === hash) {
    return { version: latest, created: false }
  }
  const seq = (latest?.seq ?? 0) + 1
  const diff = diffEntries(
    latest ? { version: latest.version, entries: await repo.versionEntries(latest.id) } : null,
    parsed.entries,
  )
  const version: ListVersionMeta = {
    id: deps.newId('lv'),
    owner: list.owner,
    listId: list.id,
    seq,
    version: parsed.version ?? String(seq),
    effectiveDate: parsed.effective_date ?? null,
    legalStatus: parsed.legal_status ?? list.legalStatus,
    source: parsed.source ?? list.source,
    entryCount: parsed.entries.length,
    contentHash: hash,
    diff,
    createdAt: at,
    createdBy: actor.name,
  }
  const stored = await repo.insertVersion(
    version,
    parsed.entries,
    change(deps, at, list.owner, actor, {
      action: 'list_version.created',
      subjectType: 'list_version',
      subjectId: version.id,
      detail: {
        list_id: list.id,
        version: version.version,
        legal_status: version.legalStatus,
        entry_count: version.entryCount,
        content_hash: hash,
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
      },
    }),
    opts.recheck
      ? {
          tenantId: list.owner === OPERATOR ? null : list.owner,
          listOwner: list.owner,
          listId: list.id,
          versionId: version.id,
          version: version.version,
          previousVersion: latest?.version ?? null,
          at,
        }
      : null,
  )
  if (!stored)
    throw new AppError(
      'CONFLICT',
      `another version of list ${list.id} was being imported at the same time; retry`,
    )
  return { version, created: true }
}

/** The engine's catalogue lists' content hashes, once per list object. */
const builtInHashes = new WeakMap<ControlList, Promise<string>>()

export function builtInHash(list: ControlList): Promise<string> {
  let hash = builtInHashes.get(list)
  if (!hash) {
    hash = contentHash(entriesOfControlList(list))
    builtInHashes.set(list, hash)
  }
  return hash
}

const CATALOGUE_ACTOR: Actor = { name: 'catalogue (npm run build:index)', keyId: null }

/**
 * Registers each catalogue list as a version of the operator's list of that id, unless that content
 * is already stored. Idempotent, and safe for processes racing (the version id is derived from the
 * content). A version already in effect is not displaced by a catalogue whose content is stored as
 * an older version (an operator's import stays in effect across restarts); new catalogue content is.
 */
export async function registerBuiltInLists(
  deps: Pick<ScreeningDeps, 'repo'>,
  lists: readonly ControlList[],
  at: string,
): Promise<number> {
  const { repo } = deps
  const known = new Set(
    (await repo.versionHashes(OPERATOR)).map((v) => `${v.listId}|${v.contentHash}`),
  )
  let registered = 0
  for (const list of lists) {
    const hash = await builtInHash(list)
    if (known.has(`${list.id}|${hash}`)) continue
    const id = `lv_${list.id}_${hash.slice(0, 16)}`
    if (!(await repo.getList(OPERATOR, list.id))) {
      await repo.createList(
        {
          owner: OPERATOR,
          id: list.id,
          name: list.name,
          mode: 'builtin',
          legalStatus: list.legal_status,
          source: list.source,
          destinations: [],
          createdAt: at,
          createdBy: CATALOGUE_ACTOR.name,
        },
        null,
      )
    }
    const versions = await repo.listVersions(OPERATOR, list.id)
    const latest = versions[0] ?? null
    const taken = versions.some((v) => v.version === list.version)
    const entries = entriesOfControlList(list)
    const stored = await repo.insertVersion(
      {
        id,
        owner: OPERATOR,
        listId: list.id,
        seq: (latest?.seq ?? 0) + 1,
        // A catalogue rebuilt with new content under the same label: the label gets the hash.
        version: taken ? `${list.version}+${hash.slice(0, 8)}` : list.version,
        effectiveDate: /^\d{4}-\d{2}-\d{2}$/.test(list.version) ? list.version : null,
        legalStatus: list.legal_status,
        source: list.source,
        entryCount: entries.length,
        contentHash: hash,
        diff: diffEntries(
          latest
            ? { version: latest.version, entries: await repo.versionEntries(latest.id) }
            : null,
          entries,
        ),
        createdAt: at,
        createdBy: CATALOGUE_ACTOR.name,
      },
      entries,
      null,
    )
    if (stored) registered++
  }
  return registered
}

/** The list a tenant may read: its own, or the operator's (built-in or imported). */
export async function visibleList(
  deps: ScreeningDeps,
  tenantId: string,
  id: string,
): Promise<ListMeta | null> {
  await deps.ready()
  return (await deps.repo.getList(tenantId, id)) ?? (await deps.repo.getList(OPERATOR, id))
}

export type { HsCodeBook }
