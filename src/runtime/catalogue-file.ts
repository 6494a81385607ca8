/**
 * @module runtime/catalogue-file
 * The Node adapter side of the catalogue port: reads the compiled artifact from disk. The core never
 * reads files (STYLE §1), so the server, the CLI and its batch workers load it here and hand it to `createEngine`.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CatalogueArtifact } from '../core/catalogue/types'
import { deserializeTextIndex, type TextIndex } from '../core/classify/text-index'
import { createEngine, type Engine } from '../core/engine'
import { AppError } from '../core/errors'

/** Where `npm run build:index` writes the artifact, relative to this file (src/runtime → repo root). */
export const DEFAULT_CATALOGUE_PATH = fileURLToPath(
  new URL('../../data/build/catalogue.json', import.meta.url),
)

export function readCatalogue(path: string = DEFAULT_CATALOGUE_PATH): CatalogueArtifact {
  let text: string
  try {
    text = readTextInPieces(path)
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

/** Under glibc's initial 128 KiB mmap threshold, so a piece never moves it (below). */
const PIECE_BYTES = 64 * 1024

/**
 * The file as text, read in 64 KiB pieces rather than with one `readFileSync`. One 16 MB read buffer,
 * once freed, raises glibc's mmap threshold to 16 MB and its trim threshold to 32 MB for the life of
 * the process, so every thread's malloc arena then keeps up to ~32 MB that it never gives back: in the
 * CLI batch (one engine in the main thread, one per worker) this alone held ~35 MB in each of the main
 * thread's and the worker's arenas (pmap). Pieces keep the threshold where it was: batch peak RSS over
 * 100,000 rows 375 → 337 MB (medians of 9 alternated runs, BENCHMARKS.md). The text is the same, so
 * the engine is too.
 */
function readTextInPieces(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const piece = new Uint8Array(PIECE_BYTES)
    const decoder = new TextDecoder()
    const parts: string[] = []
    for (let read = readSync(fd, piece); read > 0; read = readSync(fd, piece))
      parts.push(decoder.decode(piece.subarray(0, read), { stream: true }))
    parts.push(decoder.decode())
    return parts.join('')
  } finally {
    closeSync(fd)
  }
}

/** Where `npm run build:index` writes the prebuilt text index, beside the catalogue. */
export function textIndexPathFor(cataloguePath: string): string {
  return cataloguePath.replace(/\.json$/, '') + '.text-index.bin'
}

/**
 * The engine for a catalogue file, with the text index `npm run build:index` prebuilt beside it when
 * that index was built from this very catalogue (a CLI check then skips about 1.5 s of indexing);
 * otherwise the engine builds its index itself.
 */
export function readEngine(
  cataloguePath: string = DEFAULT_CATALOGUE_PATH,
  /** The prebuilt index's bytes when the caller has read them (`readSharedTextIndex`). */
  textIndexBytes?: Uint8Array,
  /** Readings kept for repeated descriptions (`createEngine`): only for an engine serving one user. */
  classificationCacheEntries = 0,
): Engine {
  const catalogue = readCatalogue(cataloguePath)
  let textIndex: TextIndex | undefined
  try {
    const bytes = textIndexBytes ?? readFileSync(textIndexPathFor(cataloguePath))
    textIndex =
      deserializeTextIndex(bytes, catalogue.vocab, {
        dataVersion: catalogue.dataVersion,
        builtAt: catalogue.builtAt,
      }) ?? undefined
  } catch {
    // No prebuilt index (a catalogue built elsewhere): build it.
  }
  return createEngine(catalogue, { textIndex, classificationCacheEntries })
}

/**
 * The prebuilt text index's bytes in memory that threads share (a SharedArrayBuffer), so engines on
 * several threads of one process hold one copy of the index's 6 MB of postings instead of one each;
 * undefined when there is no prebuilt index (each engine then builds its own).
 */
export function readSharedTextIndex(cataloguePath: string): Uint8Array | undefined {
  let fd: number
  try {
    fd = openSync(textIndexPathFor(cataloguePath), 'r')
  } catch {
    return undefined
  }
  try {
    const bytes = new Uint8Array(new SharedArrayBuffer(fstatSync(fd).size))
    let at = 0
    while (at < bytes.length) {
      const read = readSync(fd, bytes, at, bytes.length - at, at)
      if (read === 0) return undefined
      at += read
    }
    return bytes
  } finally {
    closeSync(fd)
  }
}
