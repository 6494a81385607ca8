/**
 * @module runtime/screening-deps
 * Builds `Deps.screening` (issue 12) for a runtime: the repo, HS 2022 codes for validating imports,
 * the engine's built-in lists, ids, and when built-in lists are registered as versions. Node
 * registers them at start (`registerNow`); the Worker on the first request of an isolate that needs
 * them (`registerLazily`), because module evaluation may not touch D1.
 */
import type { ControlList } from '../core/catalogue/types'
import { registerBuiltInLists } from '../core/lists/manage-lists'
import {
  type ContextDataCache,
  LIST_IMPORT_MAX_BYTES,
  type ScreeningDeps,
  type ScreeningRepo,
} from '../core/lists/ports'
import type { ScreeningContextData } from '../core/lists/types'
import { ulid } from '../storage/ids'

/** Screening context data a process or isolate keeps, by tenant and revision: tenants active at once. */
const CONTEXT_DATA_CACHE_SIZE = 256

export function contextDataCache(size = CONTEXT_DATA_CACHE_SIZE): ContextDataCache {
  const cache = new Map<string, ScreeningContextData>()
  return {
    get: (key) => cache.get(key),
    set(key, data) {
      cache.set(key, data)
      if (cache.size > size) cache.delete(cache.keys().next().value!)
    },
  }
}

export function hsCodeBook(codes: readonly string[]) {
  const known = new Set(codes)
  return { has: (code: string) => known.has(code) }
}

export function screeningDeps(opts: {
  repo: ScreeningRepo
  hsCodes: () => readonly string[]
  builtInLists: () => readonly ControlList[]
  ready: () => Promise<void>
  contexts: ContextDataCache
  /** `LIST_IMPORT_MAX_BYTES` as configured (default 8 MiB). */
  importMaxBytes?: number
}): ScreeningDeps {
  let book: ReturnType<typeof hsCodeBook> | undefined
  return {
    repo: opts.repo,
    // Built on first use: on Workers the codes come from the engine, itself built on first use.
    hs: {
      has: (code) => {
        book ??= hsCodeBook(opts.hsCodes())
        return book.has(code)
      },
    },
    builtInLists: opts.builtInLists,
    newId: (prefix) => `${prefix}_${ulid()}`,
    ready: opts.ready,
    contexts: opts.contexts,
    importMaxBytes: opts.importMaxBytes ?? LIST_IMPORT_MAX_BYTES,
  }
}

/** Registers the built-in lists now (Node, at start); `ready` then resolves at once. */
export async function registerNow(
  repo: ScreeningRepo,
  lists: readonly ControlList[],
): Promise<() => Promise<void>> {
  await registerBuiltInLists({ repo }, lists, new Date().toISOString())
  return () => Promise.resolve()
}

/**
 * Registration once per isolate, on first use (Workers). A failed attempt is forgotten, so the next
 * request tries again instead of failing for the isolate's lifetime.
 */
export function registerLazily(
  lists: () => readonly ControlList[],
): (repo: ScreeningRepo) => () => Promise<void> {
  let done: Promise<void> | undefined
  return (repo) => () => {
    done ??= registerBuiltInLists({ repo }, lists(), new Date().toISOString()).then(
      () => undefined,
      (err) => {
        done = undefined
        throw err
      },
    )
    return done
  }
}
