/**
 * The bench input: realistic goods lines (the descriptions of eval/dev.jsonl, cycled with varied
 * references, routes, origins and declared codes, and one bad row in a thousand), as CSV. Shared by
 * bench/batch.ts (the CLI) and bench/http-batch.ts (the HTTP batch), so both read the same file.
 *
 * The 191 descriptions repeat, like the same SKU on many rows of an upload: after the first 191 rows
 * every reading comes from the engine's cache (classify/classification-cache.ts). With `unique`, each
 * row's description ends in its own lot number (", lot 004821"), so every row is read afresh: the
 * figure for uploads with no repeated lines.
 */
import { once } from 'node:events'
import { createWriteStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { stringify } from 'csv-stringify/sync'

const DEV_SET = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url))

const DESTINATIONS = ['RU', 'KZ', 'DE', 'AM', 'CN', 'AE', 'TR', 'BY', 'KG', 'US', 'GE', 'UZ']
const ORIGINS = ['', 'DE', 'CN', '', 'US', 'KZ', 'JP', '']

/** Writes `rows` goods lines as CSV to `path` (one bad row in a thousand). */
export async function generateGoodsCsv(
  path: string,
  ROWS: number,
  { unique = false }: { unique?: boolean } = {},
): Promise<void> {
  const dev = readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { description: string; hs6: string })
  const out = createWriteStream(path)
  const header = [
    'reference',
    'description',
    'destination',
    'hs_code',
    'origin',
    'final_destination',
    'regime',
  ]
  out.write(`${header.join(',')}\n`)
  for (let i = 0; i < ROWS; i++) {
    const item = dev[i % dev.length]!
    const cycle = Math.floor(i / dev.length)
    const destination = DESTINATIONS[(i + cycle) % DESTINATIONS.length]!
    const row = [
      `INV-${String(i).padStart(6, '0')}`,
      unique ? `${item.description}, lot ${String(i).padStart(6, '0')}` : item.description,
      // One row in a thousand is bad (an unknown country), as in real uploads.
      i % 1000 === 999 ? 'XX' : destination,
      i % 7 === 0 ? item.hs6 : '',
      ORIGINS[(i + cycle) % ORIGINS.length],
      destination === 'AM' && i % 3 === 0 ? 'RU' : '',
      i % 11 === 0 ? 'EU' : '',
    ]
    if (!out.write(stringify([row]))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
}
