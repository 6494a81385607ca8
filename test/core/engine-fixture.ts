import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createEngine, type Engine } from '../../src/core/engine'

// One engine per test file: building the index takes about a second.
let engine: Engine | undefined

export function testEngine(): Engine {
  engine ??= createEngine(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../data/build/catalogue.json'), 'utf8')),
  )
  return engine
}
