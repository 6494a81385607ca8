/**
 * @module lists/load-screening-context
 * The screening context of a check, as plain data: for a new check, what is in effect now (cached by
 * the tenant's revision, so a check costs one small read when nothing changed); for a replay, exactly
 * what a stored check recorded (list versions by label, settings by digest, suppressions as they
 * stood when it was made).
 */
import type { ControlList } from '../catalogue/types'
import { AppError } from '../errors'
import type { StoredCheck } from '../ports'
import { builtInHash } from './manage-lists'
import { defaultSettings, getSettings } from './manage-settings'
import type { ScreeningDeps, ScreeningRepo } from './ports'
import {
  type ListMeta,
  type ListVersionData,
  type ListVersionMeta,
  OPERATOR,
  type ScreeningContextData,
} from './types'
import { settingsDigest } from './versions'

async function versionData(
  repo: ScreeningRepo,
  list: Pick<ListMeta, 'owner' | 'id' | 'name' | 'mode' | 'destinations'>,
  v: ListVersionMeta,
): Promise<ListVersionData> {
  return {
    list: {
      owner: list.owner,
      id: list.id,
      name: list.name,
      mode: list.mode,
      destinations: list.destinations,
    },
    version: {
      version: v.version,
      legalStatus: v.legalStatus,
      source: v.source,
      contentHash: v.contentHash,
    },
    entries: await repo.versionEntries(v.id),
  }
}

/** An operator version of a catalogue list differs from the engine's own (label or content). */
async function differsFromEngine(engineList: ControlList, v: ListVersionMeta): Promise<boolean> {
  return v.version !== engineList.version || v.contentHash !== (await builtInHash(engineList))
}

/**
 * What a new check of `tenantId` is made with now. Side effect: keeps it in `deps.contexts` by the
 * tenant's revision; any change that a check could see bumps that revision.
 */
export async function loadScreeningContext(
  deps: ScreeningDeps,
  tenantId: string,
): Promise<ScreeningContextData> {
  await deps.ready()
  const { repo } = deps
  const revision = await repo.revision(tenantId)
  const key = `${tenantId}@${revision}`
  const cached = deps.contexts.get(key)
  if (cached) return cached

  const builtIn = new Map(deps.builtInLists().map((l) => [l.id, l]))
  const lists = new Map(
    (await repo.listLists([OPERATOR, tenantId])).map((l) => [`${l.owner}|${l.id}`, l]),
  )
  const operator: ListVersionData[] = []
  const tenant: ListVersionData[] = []
  for (const v of await repo.latestVersions([OPERATOR, tenantId])) {
    const list = lists.get(`${v.owner}|${v.listId}`)
    if (!list) continue
    if (list.owner === OPERATOR) {
      const engineList = builtIn.get(list.id)
      if (list.mode === 'builtin' && (!engineList || !(await differsFromEngine(engineList, v))))
        continue
      operator.push(await versionData(repo, list, v))
    } else {
      tenant.push(await versionData(repo, list, v))
    }
  }
  const { settings, digest } = await getSettings(deps, tenantId)
  const data: ScreeningContextData = {
    key,
    operator,
    tenant,
    // Expiry is weighed at check time; deleted ones are gone from the next revision on.
    suppressions: await repo.activeSuppressions(tenantId),
    settings,
    settingsDigest: digest,
  }
  deps.contexts.set(key, data)
  return data
}

/**
 * What a stored check was made with, from what it recorded: each list at the version it names, the
 * settings of its digest, the suppressions as they stood at its time.
 * @throws AppError UNPROCESSABLE when a version or settings it names is not stored (a check made
 * before lists were versioned, or with a catalogue never registered here).
 */
export function replayContext(
  deps: ScreeningDeps,
  check: Pick<StoredCheck, 'id' | 'tenantId' | 'createdAt' | 'result'>,
): Promise<ScreeningContextData> {
  return recordedContext(deps, {
    tenantId: check.tenantId,
    at: check.createdAt,
    lists: check.result.versions.lists,
    settings: check.result.versions.settings,
    key: `replay:${check.tenantId}:${check.id}`,
    what: `check ${check.id}`,
  })
}

/**
 * The context a record names: each list at its version label, the settings of its digest (none: the
 * defaults), the suppressions as they stood at `at`. Shared by replays and batches (`batch-screening.ts`).
 * @throws AppError UNPROCESSABLE naming `what` when a version or settings it names is not stored.
 */
export async function recordedContext(
  deps: ScreeningDeps,
  record: {
    tenantId: string
    at: string
    lists: Record<string, string>
    settings: string | undefined
    key: string
    what: string
  },
): Promise<ScreeningContextData> {
  await deps.ready()
  const { repo } = deps
  const builtIn = new Map(deps.builtInLists().map((l) => [l.id, l]))
  const operator: ListVersionData[] = []
  const tenant: ListVersionData[] = []
  const missing: string[] = []
  for (const [listId, label] of Object.entries(record.lists)) {
    if (listId === 'data') continue
    const engineList = builtIn.get(listId)
    const owner = engineList || (await repo.getList(OPERATOR, listId)) ? OPERATOR : record.tenantId
    const list = await repo.getList(owner, listId)
    const v = list ? await repo.versionByLabel(owner, listId, label) : null
    if (!list || !v) {
      // The engine's own version needs no stored copy.
      if (engineList && engineList.version === label) continue
      missing.push(`${listId} ${label}`)
      continue
    }
    if (engineList && !(await differsFromEngine(engineList, v))) continue
    ;(owner === OPERATOR ? operator : tenant).push(await versionData(repo, list, v))
  }
  if (missing.length > 0)
    throw new AppError(
      'UNPROCESSABLE',
      `${record.what} names list versions that are not stored: ${missing.join(', ')}`,
    )
  const recorded = record.settings
  const defaults = defaultSettings()
  let settings = defaults
  if (recorded !== undefined && recorded !== (await settingsDigest(defaults))) {
    const stored = await repo.settingsByDigest(record.tenantId, recorded)
    if (!stored)
      throw new AppError(
        'UNPROCESSABLE',
        `${record.what} names settings ${recorded}, which are not stored`,
      )
    settings = stored
  }
  return {
    key: record.key,
    operator,
    tenant,
    suppressions: await repo.suppressionsAt(record.tenantId, record.at),
    settings,
    settingsDigest: recorded ?? (await settingsDigest(settings)),
  }
}
