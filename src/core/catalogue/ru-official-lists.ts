/**
 * Everyday product names from official lists that give a TN VED code per product, read into
 * (HS-4, name) rows (data/vocab/SOURCES.md §10). The first such list: the household appliances under
 * digital marking in Uzbekistan (Resolution of the Cabinet of Ministers No. 148 of 02.04.2022), whose
 * names are the words a buyer uses ("пылесосы", "телевизоры и мониторы", "мясорубки") while the
 * tariff says "машины … со встроенным электродвигателем".
 */
import { normaliseForOverlap } from './ru-declarations'

export type RuOfficialListEntry = { name: string; positions: string[]; codes: string[] }
export type RuOfficialListRow = { hs4: string; text: string }

/**
 * The rows of the PHP table `$data = [ ['Index' => …, 'Product Name' => …, 'TNVED Position' => …,
 * 'TNVED Code' => …], … ]` (Alexandersuz/ICOHAPFAB index.php); `<br>` separates several values.
 */
export function parseMarkingTable(php: string): RuOfficialListEntry[] {
  const field = (row: string, key: string) =>
    (row.match(new RegExp(`'${key}'\\s*=>\\s*'([^']*)'`))?.[1] ?? '').trim()
  const split = (value: string) =>
    value
      .split(/<br\s*\/?>/i)
      .map((v) => v.trim())
      .filter(Boolean)
  return [...php.matchAll(/\[([^[\]]*'Product Name'\s*=>[^[\]]*)\]/g)].map((m) => ({
    name: field(m[1]!, 'Product Name'),
    positions: split(field(m[1]!, 'TNVED Position')),
    codes: split(field(m[1]!, 'TNVED Code')),
  }))
}

/** A product name as a catalogue line: footnote stars dropped, lower case, ё as е. */
export function cleanListName(name: string): string {
  return name.replace(/\*+/g, '').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim()
}

export type RuOfficialListsResult = {
  rows: RuOfficialListRow[]
  read: number
  /** Products with a heading that is not an HS 2022 heading or a code not under an HS 2022 subheading. */
  badCode: number
  evalOverlap: number
}

/**
 * One row per (heading, name). A product is kept only when each of its headings is an HS 2022 heading
 * and each listed 10-digit code starts with an HS 2022 subheading; a name that equals or contains, word
 * for word, the text of an evaluation row is dropped.
 */
export function ruOfficialListRows(
  entries: RuOfficialListEntry[],
  isHeading: (hs4: string) => boolean,
  isSubheading: (hs6: string) => boolean,
  evaluationTexts: string[],
): RuOfficialListsResult {
  const evalNorm = evaluationTexts.map(normaliseForOverlap).filter(Boolean)
  const rows: RuOfficialListRow[] = []
  const seen = new Set<string>()
  let badCode = 0
  let evalOverlap = 0
  for (const entry of entries) {
    const text = cleanListName(entry.name)
    const padded = ` ${normaliseForOverlap(text)} `
    if (evalNorm.some((e) => padded.includes(` ${e} `))) {
      evalOverlap += entry.positions.length
      continue
    }
    // One code outside HS 2022 and the whole product goes: "лампы всех видов" lists 8539 50 (LED
    // lamps before HS 2022) beside 8540, and kept under 8540 alone it would send lamps to vacuum tubes.
    const valid =
      entry.codes.length > 0 &&
      entry.codes.every((c) => /^\d{10}$/.test(c) && isSubheading(c.slice(0, 6))) &&
      entry.positions.every(
        (hs4) =>
          /^\d{4}$/.test(hs4) && isHeading(hs4) && entry.codes.some((c) => c.startsWith(hs4)),
      )
    if (!valid) {
      badCode += 1
      continue
    }
    for (const hs4 of entry.positions) {
      const key = `${hs4}\t${text}`
      if (seen.has(key)) continue
      seen.add(key)
      rows.push({ hs4, text })
    }
  }
  return { rows, read: entries.length, badCode, evalOverlap }
}
