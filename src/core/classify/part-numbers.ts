/**
 * @module classify/part-numbers
 * Explicit evidence read from the description itself: HS codes written in the text, bearing
 * designations (ISO/manufacturer series, sourced in data/patterns/trade_designation_patterns.csv),
 * electronic-component part-number families (data/patterns/part_number_families.csv), part-number prefixes
 * derived from a parts list with TN VED codes (data/patterns/part_number_prefixes.csv) and the names of
 * component makers whose parts public investigations found in Russian weapons.
 */
import type {
  CatalogueArtifact,
  MakerClass,
  Manufacturer,
  PartNumberPrefix,
} from '../catalogue/types'
import type { Token } from './text'
import { anyWholeWordTest, escapeRegex, type NameTest, wholeWordTest } from './whole-words'

export type ExplicitEvidence = {
  hs6: string
  kind: 'code_in_text' | 'bearing_designation' | 'part_number_family'
  token: string
  text: string
  source: string
  /**
   * The maker a part-number family belongs to, as its data names it ("Texas Instruments",
   * "TEXAS INSTRUMENTS"): what a suppression scoped by maker compares (`lists/screen-with-context.ts`).
   */
  maker?: string
  /**
   * Where the source data says how often readings like this one are right: the share of the listed
   * parts behind this prefix that carry its code (in-sample, from the parts list it was derived from).
   */
  agreement?: number
}

export type PartNumberReader = {
  read(
    description: string,
    tokens: Token[],
    knownHs6: (code: string) => boolean,
  ): ExplicitEvidence[]
  manufacturers(description: string): Manufacturer[]
  /**
   * The product class of an electronic-component maker the description names, from the derived
   * maker table (parts list with TN VED codes): its dominant HS-4 when most of its parts share it.
   */
  makerClass(description: string): MakerReading | null
  /** The words of the maker names the description contains: evidence of origin, not goods words. */
  makerWords(description: string): Set<string>
}

export type MakerReading = {
  maker: string
  hs6: string
  hs4Share: number
  parts: number
  /**
   * Set when the maker is read by its CHP share rather than by one dominant heading: the share of its
   * listed parts whose HS-6 is on the CHP list.
   */
  chpShare?: number
}

/** A maker's parts must mostly share one heading for the maker alone to say what a part is. */
const MAKER_CLASS_SHARE = 0.8
/**
 * Or its parts must mostly be CHP goods, whatever their heading ("DIODES INCORPORATED": diodes in 8541
 * and integrated circuits in 8542): then a part of that maker is read as its largest CHP heading, so a
 * part number beside it is never read as clear goods for want of one dominant heading.
 */
const MAKER_CHP_SHARE = 0.8
/**
 * Makers whose listed parts are components but whose name, alone, more often labels consumer or
 * industrial goods of every kind ("Samsung" phones, "Bosch" drills): their name is not read as a
 * component class (team's list).
 */
const CONGLOMERATES = new Set([
  'SAMSUNG',
  'LG',
  'SONY',
  'PANASONIC',
  'TOSHIBA',
  'HITACHI',
  'PHILIPS',
  'SIEMENS',
  'BOSCH',
  'MITSUBISHI',
  'FUJITSU',
  'SHARP',
  'NEC',
  'HONEYWELL',
  'OMRON',
  'KYOCERA',
])

const BEARING_CONTEXT = /\bbearings?\b|\bbrgs?\b|подшипник/i
// Each run of spaces has one way to match: "hs" then 2,000 spaces took a second to fail when three
// optional \s* in a row could share them (cubic backtracking, issue 8).
const CODE_IN_TEXT =
  /(?:\b(?:hs|hts|htsus|cn|tariff|commodity|customs)(?:\s*(?:code|no\.?|number|heading|subheading))?|\bтн\s*вэд(?:\s*еаэс)?|\bкод(?:\s*тн\s*вэд)?)\s*(?:[:#]\s*)?(\d{4})[.\s]?(\d{2})(?:[.\s]?\d{2,4}){0,2}\b|\b(\d{4})\.(\d{2})(?:\.\d{2,4}){0,2}\b/giu

const FOUR_DIGITS = /\d{4}/

/**
 * A derived prefix counts without its maker in the text only when every maker's parts with it agree
 * (≥ 90 % on one HS-6 over ≥ 10 parts) and it is at least 4 characters: "GRM" alone is Murata's, but
 * a 3-character prefix is too easily a model-number start of other goods.
 */
const PREFIX_ALONE_SHARE = 0.9
const PREFIX_ALONE_PARTS = 10
const PREFIX_ALONE_LENGTH = 4
/** First words of maker names that are ordinary English, not the maker ("TEXAS INSTRUMENTS"). */
const ORDINARY_FIRST_WORDS = new Set([
  'ANALOG',
  'LINEAR',
  'TEXAS',
  'GENERAL',
  'ADVANCED',
  'DIODES',
  'MICRO',
  'POWER',
  'GLOBAL',
  'UNITED',
  'NATIONAL',
  'INTERNATIONAL',
  'PULSE',
  'CHIP',
])
/**
 * A token shaped like a part number: letters and 3+ digits ("GRM188R71", "LFE3-35EA"), or digits in
 * hyphenated groups ("350711-1"); "500g" and "1000" are quantities, not parts.
 */
const PART_SHAPED = /^(?:(?=(?:[^0-9]*[0-9]){3})(?=.*[a-z])[a-z0-9][a-z0-9\-/.]{3,}|\d+(?:-\d+)+)$/i

/**
 * Whether a one-word maker name stands right before or after a part number ("LFE3-35EA Lattice",
 * "Murata GRM188R71H104KA93D"): a one-word name is often an ordinary word too ("silicon wafers",
 * "royal jelly", "echo sounder"), and only beside a part number does it surely name a maker.
 */
function besidePart(description: string, name: string): boolean {
  const words = description
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
  const key = name.toLowerCase()
  return words.some(
    (w, i) =>
      w.toLowerCase() === key &&
      ((i > 0 && PART_SHAPED.test(words[i - 1]!)) ||
        (i + 1 < words.length && PART_SHAPED.test(words[i + 1]!))),
  )
}

/** Each name with a test of its own, to tell which of a maker's names a line holds. */
function eachNameTested(names: readonly string[]): { name: string; named: NameTest }[] {
  return names.map((name) => ({ name, named: wholeWordTest([name]) }))
}

/** Characters the part number must have beyond its prefix (a bare "GRM1" is not a part number). */
const PREFIX_TAIL = 3

export function createPartNumberReader(catalogue: CatalogueArtifact): PartNumberReader {
  const suffixes = catalogue.bearings.suffixes.map(escapeRegex).sort((a, b) => b.length - a.length)
  const suffixPattern = `(?:-?(?:${suffixes.join('|')}))`
  // Longest prefix first, so "622" wins over "62" for 62205.
  const series = [...catalogue.bearings.series]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((s) => ({
      ...s,
      re: new RegExp(`^${escapeRegex(s.prefix)}\\d{2}(${suffixPattern})?$`, 'i'),
    }))
  // Any series at all: one test per token before the per-series loop (61 series, most tokens none).
  const anySeries = new RegExp(
    `^(?:${series.map((s) => escapeRegex(s.prefix)).join('|')})\\d{2}(${suffixPattern})?$`,
    'i',
  )
  const families = catalogue.partFamilies.map((f) => ({ ...f, re: new RegExp(f.regex, 'i') }))
  // Derived prefixes by prefix; each carries a test for its maker's names: the spellings of the parts
  // list ("MURATA ELECTRONICS", "MAXIM") and, for a longer name, its first word ("Murata") unless that
  // word is ordinary English that descriptions use for other reasons ("analog multiplexer").
  const componentClasses = catalogue.componentClasses ?? { prefixes: [], makers: [], source: '' }
  const makerSpellings = new Map<string, string[]>()
  for (const m of componentClasses.makers) makerSpellings.set(m.maker, [m.maker, ...m.aliases])
  const prefixes = new Map<string, { row: PartNumberPrefix; makerTest: NameTest }[]>()
  for (const row of componentClasses.prefixes) {
    const names = (makerSpellings.get(row.maker) ?? [row.maker]).flatMap((n) => {
      const first = n.split(/\s+/)[0]!
      return first !== n && first.length >= 4 && !ORDINARY_FIRST_WORDS.has(first) ? [n, first] : [n]
    })
    // No usable name (a two-letter maker): the maker can never count as named.
    const makerTest = wholeWordTest([...new Set(names)].filter((n) => n.length >= 3))
    prefixes.set(row.prefix, [...(prefixes.get(row.prefix) ?? []), { row, makerTest }])
  }
  // Per maker: its dominant heading and one test for its names, the same names the prefixes use.
  const makerNames = (maker: string) =>
    [
      ...new Set(
        (makerSpellings.get(maker) ?? [maker]).flatMap((n) => {
          const first = n.split(/\s+/)[0]!
          return first !== n && first.length >= 4 && !ORDINARY_FIRST_WORDS.has(first)
            ? [n, first]
            : [n]
        }),
      ),
    ].filter((n) => n.length >= 3)
  // The CHP list's codes, to tell a maker whose parts are mostly CHP goods across several headings.
  const chpCodes = catalogue.lists.find((l) => l.id === 'chp')?.entries.map((e) => e.code) ?? []
  const onChp = (hs6: string) => chpCodes.some((c) => hs6.startsWith(c))
  const rowsByMaker = new Map<string, MakerClass[]>()
  for (const row of componentClasses.makers)
    rowsByMaker.set(row.maker, [...(rowsByMaker.get(row.maker) ?? []), row])
  const namesTest = (maker: string) => wholeWordTest(makerNames(maker))
  type MakerClassReading = { row: MakerClass; chpShare?: number; named: NameTest }
  const makerClasses: MakerClassReading[] = []
  /** Reads a maker as a class, by its dominant heading or by its CHP share, when its parts allow. */
  function readMakerClass(maker: string, rows: MakerClass[]): void {
    const dominant = rows.reduce((a, b) => (b.hs4Share > a.hs4Share ? b : a))
    if (dominant.hs4Share >= MAKER_CLASS_SHARE) {
      makerClasses.push({ row: dominant, named: namesTest(maker) })
      return
    }
    // Counted per HS-6 where the table has the counts, else (an older table) each heading's dominant
    // HS-6 alone, which can only undercount.
    const chpParts = rows.reduce(
      (n, r) =>
        n +
        (r.hs6Parts
          ? Object.entries(r.hs6Parts).reduce((k, [hs6, c]) => k + (onChp(hs6) ? c : 0), 0)
          : onChp(r.hs6)
            ? r.parts * r.hs6Share
            : 0),
      0,
    )
    const chpShare = chpParts / dominant.makerParts
    const largestChp = rows
      .filter((r) => onChp(r.hs6))
      .reduce<MakerClass | null>((a, b) => (a && a.parts >= b.parts ? a : b), null)
    if (largestChp && chpShare >= MAKER_CHP_SHARE)
      makerClasses.push({ row: largestChp, chpShare, named: namesTest(maker) })
  }
  // Every maker of the table with a usable name: its names are evidence of origin, never goods words,
  // whether or not its parts say what a part of it is. A one-word name or first word ("Murata",
  // "Phoenix") counts only beside a part number (`besidePart`).
  const originNames: string[] = []
  for (const [maker, rows] of rowsByMaker) {
    if (makerNames(maker).length === 0 || CONGLOMERATES.has(maker.split(/\s+/)[0]!)) continue
    readMakerClass(maker, rows)
    originNames.push(...makerNames(maker))
  }
  const originWords = eachNameTested([...new Set(originNames)])
  // Most descriptions name no maker: one test with every name first, as for the curated makers.
  const anyMakerClass = anyWholeWordTest(makerClasses.flatMap(({ row }) => makerNames(row.maker)))
  const anyTableMaker = anyWholeWordTest(originWords.map(({ name }) => name))
  const prefixLengths = [...new Set(componentClasses.prefixes.map((p) => p.prefix.length))].sort(
    (a, b) => b - a,
  )
  const readPrefix = (raw: string, description: string): ExplicitEvidence | null => {
    const id = raw.toUpperCase().replace(/[^A-Z0-9]/g, '')
    for (const n of prefixLengths) {
      if (id.length < n + PREFIX_TAIL) continue
      for (const { row, makerTest } of prefixes.get(id.slice(0, n)) ?? []) {
        const makerNamed = makerTest.test(description)
        const alone =
          row.shareAllMakers >= PREFIX_ALONE_SHARE &&
          row.partsAllMakers >= PREFIX_ALONE_PARTS &&
          row.prefix.length >= PREFIX_ALONE_LENGTH
        if (!makerNamed && !alone) continue
        return {
          hs6: row.hs6,
          kind: 'part_number_family',
          token: raw,
          text:
            `part number ${raw} → prefix ${row.prefix} of ${row.maker}: ${row.parts} listed parts, ` +
            `${Math.round(row.share * 100)} % under ${row.hs6} (derived from a parts list with TN VED codes` +
            `${makerNamed ? '; maker named in the text' : ''})`,
          source: componentClasses.source,
          maker: row.maker,
          agreement: row.share,
        }
      }
    }
    return null
  }
  // Aliases of two letters ("TI", "ST") are too common in ordinary text to count; longer ones are
  // matched as whole words, case-insensitively.
  const usableNames = (m: Manufacturer) => [m.name, ...m.aliases].filter((a) => a.length >= 3)
  const makers = catalogue.manufacturers.map((m) => ({
    maker: m,
    named: wholeWordTest(usableNames(m)),
    // Built once, not on every line that names the maker (`makerWords`).
    names: eachNameTested(usableNames(m)),
  }))
  // Most descriptions name no maker: one pass over the text with every name says so, instead of one
  // pass per maker.
  const anyMaker = anyWholeWordTest(catalogue.manufacturers.flatMap(usableNames))

  return {
    read(description, tokens, knownHs6) {
      const found: ExplicitEvidence[] = []
      // Every form of a written code has four digits in a row; most descriptions have none.
      const codes = FOUR_DIGITS.test(description) ? description.matchAll(CODE_IN_TEXT) : []
      for (const m of codes) {
        const hs6 = (m[1] ?? m[3] ?? '') + (m[2] ?? m[4] ?? '')
        if (knownHs6(hs6)) {
          found.push({
            hs6,
            kind: 'code_in_text',
            token: m[0].trim(),
            text: `code ${m[0].trim()} written in the description`,
            source: 'HS 2022 nomenclature',
          })
        }
      }
      const bearingContext = BEARING_CONTEXT.test(description)
      for (const token of tokens) {
        if (token.kind === 'word') continue
        const upper = token.raw.toUpperCase()
        for (const s of anySeries.test(upper) ? series : []) {
          const m = s.re.exec(upper)
          // A bare number such as 6205 is a bearing only when the text speaks of bearings; a seal or
          // shield suffix (2RS, ZZ) is a designation on its own.
          if (m && (m[1] || bearingContext)) {
            found.push({
              hs6: s.hs6,
              kind: 'bearing_designation',
              token: token.raw,
              text: `designation ${token.raw} → ${s.meaning.toLowerCase()} (${s.prefix}xx series)`,
              source: s.source,
            })
            break
          }
        }
        if (token.kind !== 'code') continue
        let familyFound = false
        for (const f of families) {
          if (f.re.test(upper)) {
            found.push({
              hs6: f.hs6,
              kind: 'part_number_family',
              token: token.raw,
              text:
                `part number ${token.raw} → ${f.manufacturer} ${f.componentType} (${f.id} family; HS mapping ${f.hs6Basis.startsWith('derived') ? 'derived by the team' : 'sourced'}` +
                (f.listed
                  ? `; ${f.listed.sameHeading} of the ${f.listed.parts} parts it matches in a parts list with TN VED codes are in heading ${f.hs6.slice(0, 4)}, so ${Math.round(f.listed.agreement * 100)} % sure)`
                  : ')'),
              source: f.source,
              maker: f.manufacturer,
              ...(f.listed ? { agreement: f.listed.agreement } : {}),
            })
            familyFound = true
            break
          }
        }
        // A curated family (with its naming-convention source) wins over a counted prefix.
        if (!familyFound) {
          const prefix = readPrefix(token.raw, description)
          if (prefix) found.push(prefix)
        }
      }
      return found
    },
    makerClass(description) {
      // The maker with the most parts wins when several names match ("Analog Devices" over "Analog").
      let best: MakerClassReading | null = null
      if (!anyMakerClass.test(description)) return null
      for (const reading of makerClasses)
        if (
          reading.named.test(description) &&
          (!best || reading.row.makerParts > best.row.makerParts)
        )
          best = reading
      if (!best) return null
      const { row, chpShare } = best
      return {
        maker: row.maker,
        hs6: row.hs6,
        hs4Share: row.hs4Share,
        parts: row.makerParts,
        ...(chpShare === undefined ? {} : { chpShare: Math.round(chpShare * 1000) / 1000 }),
      }
    },
    makerWords(description) {
      const words = new Set<string>()
      const add = (name: string) => {
        for (const w of name.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w) words.add(w)
      }
      if (anyTableMaker.test(description))
        for (const { name, named } of originWords)
          if (
            named.test(description) &&
            (/[^\p{L}\p{N}]/u.test(name) || besidePart(description, name))
          )
            add(name)
      if (anyMaker.test(description))
        for (const { named, names } of makers)
          if (named.test(description))
            for (const name of names) if (name.named.test(description)) add(name.name)
      return words
    },
    manufacturers(description) {
      if (!anyMaker.test(description)) return []
      return makers.filter((m) => m.named.test(description)).map((m) => m.maker)
    },
  }
}
