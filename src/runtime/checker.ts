/**
 * @module runtime/checker
 * Adapts the engine to the `GoodsChecker` port. Building the engine indexes the whole catalogue, so
 * each runtime calls this once per process or isolate.
 */
import type { CatalogueArtifact } from '../core/catalogue/types'
import { checkGoods } from '../core/check-goods'
import { createEngine, type Engine } from '../core/engine'
import type { GoodsChecker } from '../core/ports'

export function createChecker(artifact: CatalogueArtifact): GoodsChecker {
  return checkerOf(createEngine(artifact))
}

/** The checker over an engine built already (the Worker shares one with its batch consumer). */
export function checkerOf(engine: Engine): GoodsChecker {
  return {
    versions: engine.versions,
    lists: engine.catalogue.lists,
    check: (request) => checkGoods(engine, request),
  }
}
