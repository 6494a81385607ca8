/**
 * Reads the cell text of one worksheet of an .xlsx workbook, with no dependency: an .xlsx is a zip
 * of XML files, and only stored or deflated entries, shared strings and plain cell values are needed
 * for a table of codes and names (no formulas, dates or styles).
 */
import { inflateRawSync } from 'node:zlib'

/** The files of a zip archive by name (central directory; stored or deflated entries only). */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('not a zip archive (no end of central directory)')
  const entries = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const files = new Map<string, Buffer>()
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry')
    const method = zip.readUInt16LE(at + 10)
    const compressed = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(dataStart, dataStart + compressed)
    if (method === 0) files.set(name, data)
    else if (method === 8) files.set(name, inflateRawSync(data))
    else throw new Error(`${name}: unsupported zip method ${method}`)
    at += 46 + nameLength + extraLength + commentLength
  }
  return files
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}
const unescapeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(
        entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
      )
    return XML_ENTITIES[entity] ?? whole
  })

/** Rows of the worksheet `xl/worksheets/sheet<n>.xml`, each a map from column letters to text. */
export function readXlsxSheet(workbook: Buffer, sheet: number): Record<string, string>[] {
  const files = unzip(workbook)
  const shared: string[] = []
  const sst = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? ''
  for (const si of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    const runs = [...si[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]!)
    shared.push(unescapeXml(runs.join('')))
  }
  const xml = files.get(`xl/worksheets/sheet${sheet}.xml`)?.toString('utf8')
  if (xml === undefined) throw new Error(`no worksheet ${sheet}`)
  const rows: Record<string, string>[] = []
  for (const row of xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: Record<string, string> = {}
    for (const cell of row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const [, column, attributes, inner] = cell
      const value = /<v>([\s\S]*?)<\/v>/.exec(inner ?? '')?.[1]
      const inline = /<is>([\s\S]*?)<\/is>/.exec(inner ?? '')?.[1]
      if (/t="s"/.test(attributes!) && value !== undefined)
        cells[column!] = shared[Number(value)] ?? ''
      else if (inline !== undefined)
        cells[column!] = unescapeXml(
          [...inline.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''),
        )
      else cells[column!] = unescapeXml(value ?? '')
    }
    rows.push(cells)
  }
  return rows
}
