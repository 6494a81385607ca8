/**
 * @module catalogue/derive-component-classes
 * Derivation of the component tables from a parts list with makers and EAEU TN VED codes
 * (`Shamaich1337/TNVED-code-classification` `data/df_clear_uniq_3.csv`, data/patterns/SOURCES.md):
 * per maker, the share of its parts under each HS-4 (`component_maker_classes.csv`), and per maker the
 * part-number prefixes whose parts mostly share one HS-6 (`part_number_prefixes.csv`). Only counts come
 * out; no part number is kept.
 *
 * Pure: the import script (`scripts/import-outside-data.ts`) reads the mirror, filters evaluation rows
 * and writes the CSV files; the held-out bench (`bench/parts-holdout.ts`) derives the same tables from
 * one half of the list and scores the other half.
 */
import { normaliseIdentifier } from './exclude-filter'
import type { MakerClass, PartNumberPrefix } from './types'

/** One listed part: its number, the maker as written and as joined (`makerKey`), and its HS-6. */
export type ListedPart = { part: string; maker: string; makerRaw: string; hs6: string }

/** Company-form words that do not tell two makers apart ("BOURNS INC" is "BOURNS"). */
const COMPANY_FORMS = new Set([
  'INC',
  'INCORPORATED',
  'CO',
  'COMPANY',
  'LTD',
  'LIMITED',
  'CORP',
  'CORPORATION',
  'GMBH',
  'LLC',
  'AG',
  'SA',
  'PLC',
  'KG',
])
/**
 * Trailing descriptive words dropped when what remains still names the maker (≥ 3 letters):
 * "MURATA ELECTRONICS" and "MURATA" are one maker in this file, "MAXIM INTEGRATED" and "MAXIM" too.
 * "ON SEMICONDUCTOR" keeps its second word because "ON" alone is not a name.
 */
const DESCRIPTIVE = new Set([
  'ELECTRONICS',
  'ELECTRONIC',
  'SEMICONDUCTOR',
  'SEMICONDUCTORS',
  'TECHNOLOGY',
  'TECHNOLOGIES',
  'INTEGRATED',
  'INTERNATIONAL',
  'INDUSTRIAL',
  'COMPONENTS',
  'ELEKTRONIK',
])

/** One key per maker however the list spells it ("LINEARTECHNOLOGY", "LINEAR TECHNOLOGY CORPORATION"). */
export function makerKey(raw: string): string {
  const words = raw
    .toUpperCase()
    .replace(/[.,()]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !COMPANY_FORMS.has(w))
  // Some spellings in the file are glued ("LINEARTECHNOLOGY", "DIODESINC", "WURTHELEKTRONIKGMBH"):
  // strip a glued company form or descriptive word (3+ letters) while 3+ letters remain.
  const glued = [...COMPANY_FORMS, ...DESCRIPTIVE].filter((w) => w.length >= 3)
  const last = words.length - 1
  for (let changed = true; changed && last >= 0; ) {
    changed = false
    for (const g of glued) {
      const w = words[last]!
      if (w.length - g.length >= 3 && w.endsWith(g)) {
        words[last] = w.slice(0, -g.length)
        changed = true
      }
    }
  }
  while (
    words.length > 1 &&
    DESCRIPTIVE.has(words.at(-1)!) &&
    words.slice(0, -1).join('').length >= 3
  )
    words.pop()
  return words.join(' ')
}

export const COMPONENT_DERIVATION = {
  /** A maker needs this many listed parts before its shares are written. */
  minMakerParts: 5,
  /** A prefix needs this many parts of its maker, and this share of them on one HS-6. */
  minPrefixParts: 5,
  minPrefixShare: 0.9,
} as const

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>()
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1)
  return m
}

function top(m: Map<string, number>): [string, number] {
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!
}

/** Shares as written to the CSV files (three decimals), so a derived table reads the same in memory. */
const share = (n: number, of: number): number => Number((n / of).toFixed(3))

export type ComponentTables = { makers: MakerClass[]; prefixes: PartNumberPrefix[] }

/**
 * The maker × HS-4 rows and the prefix rows, makers with the most parts first. Prefixes: 3 to 6
 * leading letters/digits with at least one letter, ≥ 5 parts and ≥ 90 % on one HS-6; a longer prefix
 * is written only when no shorter written prefix of the same maker already says the same HS-6.
 */
export function deriveComponentTables(parts: ListedPart[]): ComponentTables {
  const byMaker = new Map<string, ListedPart[]>()
  for (const p of parts) {
    const list = byMaker.get(p.maker)
    if (list) list.push(p)
    else byMaker.set(p.maker, [p])
  }
  const makers: MakerClass[] = []
  const prefixes: PartNumberPrefix[] = []
  // Agreement of a prefix across all makers, so a reader can tell "GRM" (one maker) from "AD" (many).
  const prefixAll = new Map<string, string[]>()
  for (const p of parts) {
    const id = normaliseIdentifier(p.part).toUpperCase()
    for (let n = 3; n <= 6 && n < id.length; n++) {
      const k = id.slice(0, n)
      const list = prefixAll.get(k)
      if (list) list.push(p.hs6)
      else prefixAll.set(k, [p.hs6])
    }
  }
  const kept = [...byMaker]
    .filter(([, ps]) => ps.length >= COMPONENT_DERIVATION.minMakerParts)
    .sort((a, b) => b[1].length - a[1].length)
  for (const [, ps] of kept) {
    // The spelling used most often names the maker; the others become its aliases.
    const spellings = countBy(ps, (p) => p.makerRaw)
    const name = top(spellings)[0]
    const aliases = [...spellings.keys()].filter((s) => s !== name).sort()
    const hs4s = [...countBy(ps, (p) => p.hs6.slice(0, 4))].sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    )
    for (const [hs4, n] of hs4s) {
      const perHs6 = countBy(
        ps.filter((p) => p.hs6.startsWith(hs4)),
        (p) => p.hs6,
      )
      const [hs6, m] = top(perHs6)
      makers.push({
        maker: name,
        aliases,
        hs4,
        hs4Share: share(n, ps.length),
        hs6,
        hs6Share: share(m, n),
        parts: n,
        makerParts: ps.length,
        hs6Parts: Object.fromEntries([...perHs6].sort((a, b) => a[0].localeCompare(b[0]))),
      })
    }
    const written: { prefix: string; hs6: string }[] = []
    for (let n = 3; n <= 6; n++) {
      const groups = new Map<string, ListedPart[]>()
      for (const p of ps) {
        const id = normaliseIdentifier(p.part).toUpperCase()
        if (id.length <= n) continue
        const k = id.slice(0, n)
        groups.set(k, [...(groups.get(k) ?? []), p])
      }
      for (const [prefix, group] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
        if (!/[A-Z]/.test(prefix) || group.length < COMPONENT_DERIVATION.minPrefixParts) continue
        const [hs6, m] = top(countBy(group, (p) => p.hs6))
        if (m / group.length < COMPONENT_DERIVATION.minPrefixShare) continue
        if (written.some((k) => prefix.startsWith(k.prefix) && k.hs6 === hs6)) continue
        written.push({ prefix, hs6 })
        const all = prefixAll.get(prefix) ?? []
        prefixes.push({
          prefix,
          maker: name,
          hs6,
          share: share(m, group.length),
          parts: group.length,
          shareAllMakers: share(all.filter((h) => h === hs6).length, all.length),
          partsAllMakers: all.length,
        })
      }
    }
  }
  return { makers, prefixes }
}

/**
 * The list's rows as parts: a row the evaluation filter rejects (`keep` false), a row without a
 * 10-digit code whose HS-6 is an HS 2022 subheading ("other"), or a repeated maker + part number is
 * left out, and counted.
 */
export function listedParts(
  rows: Record<string, string | undefined>[],
  keep: (part: string, makerRaw: string) => boolean,
  isSubheading: (hs6: string) => boolean,
): { parts: ListedPart[]; dropped: number; badCode: number; duplicate: number } {
  const clean = (text: unknown): string =>
    typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : ''
  const parts: ListedPart[] = []
  const seen = new Set<string>()
  let dropped = 0
  let badCode = 0
  let duplicate = 0
  for (const row of rows) {
    const tnved = clean(row.TNVED)
    const part = clean(row.part_num)
    const makerRaw = clean(row.manufacturer)
    if (!keep(part, makerRaw)) {
      dropped++
      continue
    }
    if (!/^\d{10}$/.test(tnved) || !isSubheading(tnved.slice(0, 6)) || !makerRaw) {
      badCode++
      continue
    }
    const key = `${makerKey(makerRaw)}|${normaliseIdentifier(part)}`
    if (seen.has(key)) {
      duplicate++
      continue
    }
    seen.add(key)
    parts.push({ part, maker: makerKey(makerRaw), makerRaw, hs6: tnved.slice(0, 6) })
  }
  return { parts, dropped, badCode, duplicate }
}

/** How often the listed parts a curated family's pattern matches carry the family's heading. */
export type FamilyAgreement = {
  familyId: string
  /** Listed parts whose number the family's pattern matches. */
  parts: number
  /** Of those, the parts under the family's HS-4, and under its HS-6. */
  sameHeading: number
  sameSubheading: number
  /**
   * The chance that a part the pattern matches is under the family's heading: the rule of
   * succession, (same heading + 1) / (parts + 2), the mean of a uniform prior updated on the counts,
   * so 6 of 6 reads 0.88 and 80 of 80 reads 0.99. Absent when no listed part matches.
   */
  agreement?: number
}

/**
 * The curated families (data/patterns/part_number_families.csv, from naming-convention pages) checked
 * against the parts list, which they were not written from: the measure of how sure a family match is.
 * A part number is matched as the reader matches a token: upper case, edge punctuation removed.
 */
export function deriveFamilyAgreement(
  families: { id: string; regex: string; hs6: string }[],
  parts: ListedPart[],
): FamilyAgreement[] {
  const tokens = parts.map((p) => ({
    token: p.part.toUpperCase().replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, ''),
    hs6: p.hs6,
  }))
  return families.map((f) => {
    const re = new RegExp(f.regex, 'i')
    const matched = tokens.filter((t) => re.test(t.token))
    const sameHeading = matched.filter((t) => t.hs6.slice(0, 4) === f.hs6.slice(0, 4)).length
    const sameSubheading = matched.filter((t) => t.hs6 === f.hs6).length
    return {
      familyId: f.id,
      parts: matched.length,
      sameHeading,
      sameSubheading,
      ...(matched.length
        ? { agreement: Number(((sameHeading + 1) / (matched.length + 2)).toFixed(3)) }
        : {}),
    }
  })
}
