/**
 * @module runtime/checker
 * Adapts the engine to the `GoodsChecker` port. Building the engine indexes the whole catalogue, so
 * each runtime calls this once per process or isolate.
 */
import type { BatchRow } from '../core/batch'
import { checkChunkRows, newReadings } from '../core/batch/check-chunk'
import type { CatalogueArtifact } from '../core/catalogue/types'
import { checkGoods } from '../core/check-goods'
import type { ClassificationCache } from '../core/classify/classification-cache'
import { createEngine, type Engine } from '../core/engine'
import { contextCache } from '../core/lists/compile-context'
import type { ScreeningInput } from '../core/lists/types'
import type { GoodsChecker } from '../core/ports'

export function createChecker(artifact: CatalogueArtifact): GoodsChecker {
  return checkerOf(createEngine(artifact))
}

/**
 * Compiled screening contexts of this engine, by key: shared by its checker and its batch chunks
 * (the Worker's consumer, Node without check threads), and as long-lived as the engine.
 */
export function compiledContextsOf(engine: Engine): ReturnType<typeof contextCache> {
  let contexts = compiledContexts.get(engine)
  if (!contexts) {
    contexts = contextCache(engine)
    compiledContexts.set(engine, contexts)
  }
  return contexts
}

/**
 * `checkChunkRows` in this thread, with the batch's context compiled (and kept) when it has one.
 * `readings`: the batch's cache of readings (`batchReadings(engine).of(batchId)`); by default one for
 * these rows alone.
 */
export function checkChunkOn(
  engine: Engine,
  rows: BatchRow[],
  screening?: ScreeningInput,
  readings: ClassificationCache = newReadings(engine),
): ReturnType<typeof checkChunkRows> {
  if (!screening) return checkChunkRows(engine, rows, undefined, readings)
  const compiled = compiledContextsOf(engine).compile(screening.data)
  return checkChunkRows(compiled.engine, rows, { ...compiled.context, at: screening.at }, readings)
}

/** The checker over an engine built already (the Worker shares one with its batch consumer). */
export function checkerOf(engine: Engine): GoodsChecker {
  const cache = compiledContextsOf(engine)
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
