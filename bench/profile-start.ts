/**
 * Where a process's engine start goes: reading the catalogue, loading the prebuilt text index, building
 * the engine, the first check. Run it as the CLI runs (an esbuild bundle, no loader) for figures that
 * match the CLI's:
 *   npx esbuild bench/profile-start.ts --bundle --platform=node --format=cjs --target=node20 \
 *     --outfile=/tmp/profile-start.cjs --define:import.meta.url='"file://'$PWD'/src/runtime/catalogue-file.ts"'
 *   node --max-old-space-size=256 --max-semi-space-size=4 /tmp/profile-start.cjs
 * or, with the loader's own cost in the first figure, `npx tsx bench/profile-start.ts`.
 */
import { readFileSync } from 'node:fs'
import { checkGoods, parseCheckRequest } from '../src/core/check-goods'
import { deserializeTextIndex } from '../src/core/classify/text-index'
import { createEngine } from '../src/core/engine'
import {
  DEFAULT_CATALOGUE_PATH,
  readCatalogue,
  textIndexPathFor,
} from '../src/runtime/catalogue-file'

// performance.now() counts from the process's start: node's own start and the modules' loading.
const loaded = performance.now()
const catalogue = readCatalogue(DEFAULT_CATALOGUE_PATH)
const read = performance.now()
const textIndex = deserializeTextIndex(
  readFileSync(textIndexPathFor(DEFAULT_CATALOGUE_PATH)),
  catalogue.vocab,
  { dataVersion: catalogue.dataVersion, builtAt: catalogue.builtAt },
)
const indexed = performance.now()
const engine = createEngine(catalogue, { textIndex: textIndex ?? undefined })
const built = performance.now()
const result = checkGoods(
  engine,
  parseCheckRequest({ description: 'SKF 6205-2RS bearings', destination: 'KZ' }),
)
const checked = performance.now()
const ms = (x: number) => `${Math.round(x)} ms`
console.log(
  `start and modules ${ms(loaded)}, catalogue ${ms(read - loaded)}, text index ${ms(indexed - read)}${textIndex ? '' : ' (refused: built by the engine)'}, engine ${ms(built - indexed)}, first check ${ms(checked - built)} (${result.verdict}); user CPU ${ms(process.cpuUsage().user / 1000)}`,
)
