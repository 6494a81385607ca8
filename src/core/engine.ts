/**
 * @module engine
 * The engine: a compiled catalogue plus the indexes built from it. Building takes about a second, so
 * runtimes build one per process (Node) or per isolate (Workers) and keep it at module scope.
 */
import { CATALOGUE_FORMAT, type CatalogueArtifact, type CountryGroup } from './catalogue/types'
import { type ClassificationCache, classificationCache } from './classify/classification-cache'
import { type Classifier, createClassifier, DEFAULT_TUNING } from './classify/classifier'
import { createEntryMatcher } from './classify/entry-matcher'
import type { TextIndex } from './classify/text-index'
import { AppError } from './errors'

/** Bumped whenever the method changes the output for the same input and lists. */
export const ENGINE_VERSION = '0.13.0'

export type Engine = {
  catalogue: CatalogueArtifact
  classifier: Classifier
  /**
   * The classifier's readings of recent descriptions (classify/classification-cache.ts): what
   * `checkGoods` reads a line with, so a description repeated in a batch is read once. Engines derived
   * from this one (`compileContext`) share it: they read with the same classifier.
   */
  classifications: ClassificationCache
  entryMatcher: ReturnType<typeof createEntryMatcher>
  groups: Map<string, CountryGroup>
  versions: { engine: string; data: string; lists: Record<string, string> }
}

export type CatalogueSummary = {
  versions: Engine['versions']
  lists: CatalogueArtifact['lists']
  /** Every HS 2022 code (chapters, headings, subheadings): imported list entries are checked against it. */
  hsCodes: string[]
}

/**
 * The versions and lists of a compiled catalogue, without building an index (a process that only
 * reports them, such as the server's main thread beside its check threads).
 * @throws AppError DATA_INVALID when the artifact is of another format (rebuild it: `npm run build:index`).
 */
export function summarizeCatalogue(catalogue: CatalogueArtifact): CatalogueSummary {
  if (
    catalogue?.format !== CATALOGUE_FORMAT ||
    !Array.isArray(catalogue.hs) ||
    !Array.isArray(catalogue.lists)
  ) {
    throw new AppError(
      'DATA_INVALID',
      `catalogue artifact has format ${String(catalogue?.format)}, expected ${CATALOGUE_FORMAT}: run npm run build:index`,
    )
  }
  return {
    versions: {
      engine: ENGINE_VERSION,
      data: catalogue.dataVersion,
      lists: Object.fromEntries(catalogue.lists.map((l) => [l.id, l.version])),
    },
    lists: catalogue.lists,
    hsCodes: catalogue.hs.map((h) => h.code),
  }
}

/**
 * Builds the engine from a compiled catalogue.
 * @throws AppError DATA_INVALID when the artifact is of another format (rebuild it: `npm run build:index`).
 */
export function createEngine(
  catalogue: CatalogueArtifact,
  options: {
    textIndex?: TextIndex
    /**
     * Readings kept for repeated descriptions (classify/classification-cache.ts); 0, the default, reads
     * every line afresh. Only for an engine that serves one user: a kept reading makes a line read
     * faster, and on an engine shared by tenants that speed would tell one tenant what another checked.
     */
    classificationCacheEntries?: number
  } = {},
): Engine {
  const { versions } = summarizeCatalogue(catalogue)
  const classifier = createClassifier(catalogue, DEFAULT_TUNING, options.textIndex)
  return {
    // The vocabulary lives on in the classifier's index; dropping it here frees its line objects.
    catalogue: { ...catalogue, vocab: [] },
    classifier,
    classifications: classificationCache(classifier, options.classificationCacheEntries ?? 0),
    entryMatcher: createEntryMatcher(catalogue.lists),
    groups: new Map(catalogue.countryGroups.map((g) => [g.id, g])),
    versions,
  }
}
