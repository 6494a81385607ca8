/**
 * @module runtime/catalogue-file
 * The Node adapter side of the catalogue port: reads the compiled artifact from disk. The core never
 * reads files (STYLE §1), so the server, the CLI and its batch workers load it here and hand it to `createEngine`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CatalogueArtifact } from '../core/catalogue/types'
import { AppError } from '../core/errors'

/** Where `npm run build:index` writes the artifact, relative to this file (src/runtime → repo root). */
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(
  new URL('../../data/build/catalogue.json', import.meta.url),
)

export function readCatalogue(path: string = DEFAULT_CATALOGUE_PATH): CatalogueArtifact {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new AppError(
      'DATA_INVALID',
      `cannot read the catalogue artifact ${path}: run npm run build:index`,
      { cause },
    )
  }
  try {
    return JSON.parse(text) as CatalogueArtifact
  } catch (cause) {
    throw new AppError(
      'DATA_INVALID',
      `the catalogue artifact ${path} is not valid JSON: run npm run build:index`,
      { cause },
    )
  }
}
