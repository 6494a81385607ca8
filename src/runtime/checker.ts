/**
 * @module runtime/checker
 * Adapts the engine to the `GoodsChecker` port. Building the engine indexes the whole catalogue, so
 * each runtime calls this once per process or isolate.
 */
import type { CatalogueArtifact } from '../core/catalogue/types'
import { checkGoods } from '../core/check-goods'
import { createEngine, type Engine } from '../core/engine'
import { contextCache } from '../core/lists/compile-context'
import type { GoodsChecker } from '../core/ports'

export function createChecker(artifact: CatalogueArtifact): GoodsChecker {
  return checkerOf(createEngine(artifact))
}

/** The checker over an engine built already (the Worker shares one with its batch consumer). */
export function checkerOf(engine: Engine): GoodsChecker {
  // Compiled screening contexts live as long as the engine (the process or isolate).
  let contexts = compiledContexts.get(engine)
  if (!contexts) {
    contexts = contextCache(engine)
    compiledContexts.set(engine, contexts)
  }
  const cache = contexts
  return {
    versions: engine.versions,
    lists: engine.catalogue.lists,
    check: (request, screening) => {
      if (!screening) return checkGoods(engine, request)
      const compiled = cache.compile(screening.data)
      return checkGoods(compiled.engine, request, { ...compiled.context, at: screening.at })
    },
  }
}

const compiledContexts = new WeakMap<Engine, ReturnType<typeof contextCache>>()
