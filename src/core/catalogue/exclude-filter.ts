/**
 * @module catalogue/exclude-filter
 * Keeps evaluation rows out of the data: an outside row (a vocabulary term, a part number, a ruling) is
 * dropped when its whole text, any 8-word run of it, a ruling number or a part number it carries hashes
 * to a digest listed in `eval/exclude.sha256` (the rules are the team's EXCLUDE.md, restated in
 * data/SOURCES.md). Otherwise every accuracy figure would partly measure memory of the test rows.
 *
 * Pure: the caller passes a synchronous SHA-256 (the build scripts use node:crypto; `core/hash.ts` only
 * offers Web Crypto, which is async and would make the build and the import needlessly async).
 */

/** Words as EXCLUDE.md defines them: runs of `[a-zа-яё0-9]` after lower-casing. */
export function evaluationWords(text: string): string[] {
  return text.toLowerCase().match(/[a-zа-яё0-9]+/g) ?? []
}

/** A part or ruling number as hashed: lower case, letters and digits only ("GCM155R71C-104" → "gcm155r71c104"). */
export function normaliseIdentifier(value: string): string {
  return value.toLowerCase().replace(/[^a-zа-яё0-9]/g, '')
}

/** What an outside row can carry that an evaluation row might share. */
export type OutsideRow = {
  text?: string
  rulings?: readonly string[]
  parts?: readonly string[]
}

export type ExclusionKey = { kind: 'text' | 'shingle' | 'ruling' | 'part'; value: string }

const SHINGLE = 8
/** Shorter evaluation texts are not in the file (too common to mean a copied row). */
const MIN_TEXT_WORDS = 4

/** Every string of the row that the digest file could list, in the form it is hashed. */
export function exclusionKeys(row: OutsideRow): ExclusionKey[] {
  const keys: ExclusionKey[] = []
  const words = evaluationWords(row.text ?? '')
  if (words.length >= MIN_TEXT_WORDS) keys.push({ kind: 'text', value: `text:${words.join(' ')}` })
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    keys.push({ kind: 'shingle', value: `shingle:${words.slice(i, i + SHINGLE).join(' ')}` })
  }
  for (const r of row.rulings ?? []) {
    const v = r.trim().toLowerCase()
    if (v) keys.push({ kind: 'ruling', value: `ruling:${v}` })
  }
  for (const p of row.parts ?? []) {
    const v = normaliseIdentifier(p)
    if (v) keys.push({ kind: 'part', value: `part:${v}` })
  }
  return keys
}

/** One digest per line (64 hex digits); blank lines and `#` comments are skipped. */
export function parseDigests(text: string): Set<string> {
  const digests = new Set<string>()
  for (const line of text.split('\n')) {
    const d = line.trim().toLowerCase()
    if (/^[0-9a-f]{64}$/.test(d)) digests.add(d)
  }
  return digests
}

/** Why a row was dropped: the kind of the first key that hit a listed digest. */
export type ExclusionHit = ExclusionKey['kind']

export type ExcludeFilter = (row: OutsideRow) => ExclusionHit | null

export function createExcludeFilter(
  digests: ReadonlySet<string>,
  sha256Hex: (text: string) => string,
): ExcludeFilter {
  return (row) => {
    for (const key of exclusionKeys(row)) {
      if (digests.has(sha256Hex(key.value))) return key.kind
    }
    return null
  }
}

/** Per source: rows seen, rows dropped and by which kind of key, for the build and import reports. */
export class ExclusionTally {
  readonly bySource = new Map<string, { seen: number; dropped: Record<ExclusionHit, number> }>()

  constructor(private readonly filter: ExcludeFilter) {}

  /** True when the row may be kept. */
  keep(source: string, row: OutsideRow): boolean {
    let entry = this.bySource.get(source)
    if (!entry) {
      entry = { seen: 0, dropped: { text: 0, shingle: 0, ruling: 0, part: 0 } }
      this.bySource.set(source, entry)
    }
    entry.seen++
    const hit = this.filter(row)
    if (hit) entry.dropped[hit]++
    return hit === null
  }

  /** One line per source: "source: N of M rows dropped (text a, shingle b, ...)". */
  report(): string[] {
    return [...this.bySource].map(([source, { seen, dropped }]) => {
      const total = Object.values(dropped).reduce((a, b) => a + b, 0)
      const parts = Object.entries(dropped)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
      return `${source}: ${total} of ${seen} rows dropped by eval/exclude.sha256${parts.length ? ` (${parts.join(', ')})` : ''}`
    })
  }
}
