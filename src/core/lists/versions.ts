/**
 * @module lists/versions
 * Content hashes, diffs and settings digests: what makes a version or a settings value identifiable
 * later. Canonical JSON, so the same content always hashes alike whoever sent it.
 */
import type { ControlList } from '../catalogue/types'
import { sha256Hex } from '../hash'
import type { EntryChange, ImportedEntry, ListDiff, TenantSettings } from './types'

/** Entries in code order, each with its fields in a fixed order: the text that is hashed. */
function canonicalEntries(entries: readonly ImportedEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  return JSON.stringify(
    sorted.map((e) => [e.code, e.title, e.category, e.patterns, e.partial, e.text, e.derivation]),
  )
}

/** SHA-256 of a version's entries (not of its label, date or source): equal content, equal hash. */
export function contentHash(entries: readonly ImportedEntry[]): Promise<string> {
  return sha256Hex(canonicalEntries(entries))
}

/** A catalogue list's entries as imported entries (the form versions are stored and hashed in). */
export function entriesOfControlList(list: ControlList): ImportedEntry[] {
  return list.entries.map((e) => ({
    code: e.code,
    title: e.title,
    category: e.tier,
    patterns: [],
    partial: e.partial,
    text: e.text ?? null,
    derivation: e.derivation ?? null,
  }))
}

/** Added, removed and changed entries (by code) of `next` against `previous`. */
export function diffEntries(
  previous: { version: string; entries: readonly ImportedEntry[] } | null,
  next: readonly ImportedEntry[],
): ListDiff {
  const before = new Map((previous?.entries ?? []).map((e) => [e.code, e]))
  const after = new Map(next.map((e) => [e.code, e]))
  const pick = (e: ImportedEntry) => ({
    title: e.title,
    category: e.category,
    patterns: e.patterns,
  })
  const changed: EntryChange[] = []
  for (const [code, e] of after) {
    const old = before.get(code)
    if (old && JSON.stringify(pick(old)) !== JSON.stringify(pick(e)))
      changed.push({ code, before: pick(old), after: pick(e) })
  }
  const byCode = (a: { code: string }, b: { code: string }) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0
  return {
    previous_version: previous?.version ?? null,
    added: [...after.values()]
      .filter((e) => !before.has(e.code))
      .map((e) => ({ code: e.code, title: e.title }))
      .sort(byCode),
    removed: [...before.values()]
      .filter((e) => !after.has(e.code))
      .map((e) => ({ code: e.code, title: e.title }))
      .sort(byCode),
    changed: changed.sort(byCode),
  }
}

/** `sha256:` and the first 16 hex digits of the settings' canonical JSON: recorded in each check. */
export async function settingsDigest(settings: TenantSettings): Promise<string> {
  const canonical = JSON.stringify({
    min_chp_match_score: settings.min_chp_match_score,
    weak_matches_raise_review: settings.weak_matches_raise_review,
    unreadable_review_countries: [...settings.unreadable_review_countries].sort(),
  })
  return `sha256:${(await sha256Hex(canonical)).slice(0, 16)}`
}
