/**
 * @module lists/compile-context
 * Turns screening context data (plain, from storage or a thread message) into what `checkGoods` reads:
 * the engine with the operator's list versions in effect, and the tenant's lists as indexed
 * `ControlList`s. Compiling indexes entries, so runtimes keep compiled contexts by key (`contextCache`).
 */
import type { ControlList, ListEntry } from '../catalogue/types'
import { createEntryMatcher } from '../classify/entry-matcher'
import type { Engine } from '../engine'
import { REGIMES } from '../schemas'
import { normalizePhrase, tagOwnList } from './own-lists'
import { isControlCode } from './parse-list-file'
import type {
  ImportedEntry,
  ListVersionData,
  ScreeningContextData,
  Suppression,
  TenantSettings,
} from './types'

/** What `checkGoods` takes beyond the engine and the request. */
export type CheckContext = {
  /** The tenant's lists and the operator's non-catalogue lists, as tagged `ControlList`s. */
  lists: ControlList[]
  suppressions: Suppression[]
  settings: TenantSettings
  settingsDigest: string
  /** When the check is made (ISO 8601): suppressions expired by then do not apply. */
  at: string
}

export type CompiledContext = { engine: Engine; context: Omit<CheckContext, 'at'> }

function toListEntry(e: ImportedEntry): ListEntry {
  const entry: ListEntry = { code: e.code, title: e.title, tier: e.category, partial: e.partial }
  const text = e.text ?? (e.patterns.length > 0 ? e.patterns.join(' ') : null)
  if (text) entry.text = text
  if (e.derivation) entry.derivation = e.derivation
  return entry
}

/** A tenant's or operator's own list as a `ControlList` the matcher indexes and the rules read. */
function ownList(data: ListVersionData, owner: 'operator' | 'tenant'): ControlList {
  const mode = data.list.mode === 'watch' ? 'watch' : 'blocking'
  const list: ControlList = {
    id: data.list.id,
    name: data.list.name,
    jurisdiction: owner === 'tenant' ? 'tenant' : 'operator',
    legal_status: data.version.legalStatus,
    version: data.version.version,
    source: data.version.source,
    regimes: [...REGIMES],
    match: 'hs_prefix',
    note:
      mode === 'watch'
        ? 'A watch list: matches are shown, never decide.'
        : 'A blocking list: matches make a check at least review, prohibited when the list is law in force.',
    // Control codes have no HS code to match by; their patterns match them.
    entries: data.entries.filter((e) => !isControlCode(e.code)).map(toListEntry),
  }
  const patterns = new Map<string, string[]>()
  for (const e of data.entries) {
    const phrases = e.patterns.map(normalizePhrase).filter(Boolean)
    if (phrases.length > 0) patterns.set(e.code, phrases)
  }
  // Control-code entries are kept for their titles (pattern matches name them).
  const titles = new Map(data.entries.map((e) => [e.code, e]))
  return tagOwnList(list, {
    mode,
    owner,
    destinations: data.list.destinations,
    patterns,
    entries: titles,
  })
}

/** A catalogue list with the entries, label, status and source of an operator version. */
function replacedList(list: ControlList, data: ListVersionData): ControlList {
  return {
    ...list,
    legal_status: data.version.legalStatus,
    version: data.version.version,
    source: data.version.source,
    entries: data.entries.map(toListEntry),
  }
}

/**
 * The engine with operator versions in effect and the context's own lists.
 * Precondition: `data.operator` holds versions of catalogue lists (`mode` builtin) and of the
 * operator's own lists; anything else is a tenant list.
 */
export function compileContext(engine: Engine, data: ScreeningContextData): CompiledContext {
  const replaced = new Map<string, ListVersionData>()
  const own: ControlList[] = []
  for (const d of data.operator) {
    if (d.list.mode === 'builtin') replaced.set(d.list.id, d)
    else own.push(ownList(d, 'operator'))
  }
  for (const d of data.tenant) own.push(ownList(d, 'tenant'))
  let derived = engine
  if (replaced.size > 0) {
    const lists = engine.catalogue.lists.map((l) => {
      const d = replaced.get(l.id)
      return d ? replacedList(l, d) : l
    })
    const textChanged = lists.some((l, i) => l.match === 'text' && l !== engine.catalogue.lists[i])
    derived = {
      ...engine,
      catalogue: { ...engine.catalogue, lists },
      entryMatcher: textChanged ? createEntryMatcher(lists) : engine.entryMatcher,
      versions: {
        ...engine.versions,
        lists: {
          ...engine.versions.lists,
          ...Object.fromEntries(lists.map((l) => [l.id, l.version])),
        },
      },
    }
  }
  return {
    engine: derived,
    context: {
      lists: own,
      suppressions: data.suppressions,
      settings: data.settings,
      settingsDigest: data.settingsDigest,
    },
  }
}

/** How many compiled contexts a process, thread or isolate keeps: tenants active at once. */
const CONTEXT_CACHE_SIZE = 64

/**
 * Compiled contexts by key, least recently used dropped first. Lives as long as its engine (a module
 * of the check thread, the in-process checker, the Worker isolate).
 */
export function contextCache(engine: Engine, size = CONTEXT_CACHE_SIZE) {
  const cache = new Map<string, CompiledContext>()
  return {
    /** The compiled context for `key`, if kept (and marks it used). */
    get(key: string): CompiledContext | undefined {
      const hit = cache.get(key)
      if (hit) {
        cache.delete(key)
        cache.set(key, hit)
      }
      return hit
    },
    compile(data: ScreeningContextData): CompiledContext {
      const hit = this.get(data.key)
      if (hit) return hit
      const compiled = compileContext(engine, data)
      cache.set(data.key, compiled)
      if (cache.size > size) cache.delete(cache.keys().next().value!)
      return compiled
    },
  }
}
