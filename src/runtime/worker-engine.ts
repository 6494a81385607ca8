/**
 * @module runtime/worker-engine
 * The Worker's one engine, shared by the HTTP checks and the batch queue consumer: an isolate has
 * 128 MB, too little for two indexes of the catalogue.
 */
import artifact from 'dualuse:catalogue'
import { createEngine, type Engine } from '../core/engine'

// Lives for the isolate's lifetime: indexing the catalogue takes about a second, so it is built on
// the first request or message that needs it rather than at module evaluation (which has a startup
// time limit).
let engine: Engine | undefined

export function workerEngine(): Engine {
  engine ??= createEngine(artifact)
  return engine
}
