/**
 * @module classify/classification-cache
 * The readings of recent descriptions, so a line repeated in an upload (the same SKU on many invoice
 * rows) is read once or twice, not on every row. A reading depends on the description alone:
 * `Classifier.classify` takes nothing else, and its per-word caches change how fast it answers, never
 * what. The verdict depends on far more (destination, origin, regime, declared code, tenant lists), so
 * only the reading is kept and `checkGoods` applies everything else per row.
 *
 * A reading is kept only when its description comes again: the first time only a 30-bit digest of
 * it is noted (the last `SEEN_DIGESTS`), so an upload without repeated lines keeps no readings (keeping
 * every one added 30–41 MB of the CLI batch's peak RSS, BENCHMARKS.md "A cache of readings"). Two
 * descriptions with one digest only let a reading in early; readings are looked up by the whole
 * description.
 *
 * Least recently used first out, at a fixed number of entries: a reading is ~10 KB of heap (about 11
 * candidates with their evidence lines; 9.8–10.3 KB each over 4,096 eval descriptions, short or long),
 * ~20 KB of a thread's RSS once heap slack counts (1,024 full entries in each of the CLI batch's two
 * threads added 41 MB of peak RSS), so the default 512 is ~10 MB per engine, ~16 MB with 2,000-character
 * descriptions. A process keeps one engine per thread (the CLI batch: the main thread and a worker per
 * extra CPU), each with its own cache.
 *
 * A reading is frozen, deeply, when it is kept: a caller that wrote into a kept reading would change
 * what later rows with the same description read, so writing throws instead (ES modules run in strict
 * mode). A reading handed out and not kept is nobody else's, and is left as the classifier made it:
 * freezing every reading cost an upload of distinct lines about 6 % more server CPU (HTTP batch,
 * BENCHMARKS.md "Readings per batch"). Off (capacity 0), the cache hands every reading through.
 */
import type { Classification, Classifier } from './classifier'

/** Entries per engine: ~10 MB of readings (module doc). 0 turns the cache off. */
export const CLASSIFICATION_CACHE_ENTRIES = 512
/**
 * Digests of descriptions read once and not kept: a line that comes again within this many distinct
 * lines is kept. Small integers in a Set, ~50 KB.
 */
export const SEEN_DIGESTS = 4096

export type ClassificationCache = {
  /** The reading of `description`, exactly as `Classifier.classify` gives it; frozen if kept. */
  classify(description: string): Classification
  /** Readings kept now (at most `capacity`). */
  readonly size: number
  readonly capacity: number
}

export function classificationCache(
  classifier: Pick<Classifier, 'classify'>,
  capacity = CLASSIFICATION_CACHE_ENTRIES,
): ClassificationCache {
  // A Map and a Set iterate in insertion order: a hit is moved to the end, so the first key is the
  // least recently used one (the first digest the oldest).
  const readings = new Map<string, Classification>()
  const seen = new Set<number>()
  return {
    classify(description) {
      // Off (every engine a server shares between tenants): the classifier's own reading, as before.
      if (capacity === 0) return classifier.classify(description)
      const kept = readings.get(description)
      if (kept) {
        readings.delete(description)
        readings.set(description, kept)
        return kept
      }
      const reading = classifier.classify(description)
      const digest = digestOf(description)
      if (seen.delete(digest)) {
        readings.set(description, deepFreeze(reading))
        if (readings.size > capacity) readings.delete(readings.keys().next().value!)
      } else {
        seen.add(digest)
        if (seen.size > SEEN_DIGESTS) seen.delete(seen.values().next().value!)
      }
      return reading
    },
    get size() {
      return readings.size
    },
    capacity,
  }
}

/** FNV-1a over the UTF-16 code units, cut to 30 bits so V8 keeps it a small integer (no heap object). */
function digestOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h & 0x3fffffff
}

/**
 * Freezes a reading and every object and array in it. The maker records it names are the catalogue's
 * own (shared by every reading), which nothing writes either; strings and numbers are immutable.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const inner of Object.values(value)) deepFreeze(inner)
  return value
}
