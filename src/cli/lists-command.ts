/**
 * @module cli/lists-command
 * `dualuse lists`: the lists the engine checks against, with the legal status that bounds what each
 * can decide. Reads the artifact only; no engine is built.
 */

import { readCatalogue } from '../runtime/catalogue-file'
import { parseCommandArgs } from './args'
import type { CliIo } from './io'
import { runListsImport } from './lists-import'
import { UsageError } from './usage-error'

export const LISTS_USAGE = `Usage: dualuse lists [--json]
       dualuse lists import FILE --list ID [options]   (see dualuse lists import --help)

Prints each controlled list: id, name, legal status, version, entry count and source.

Options:
  --json       print the lists as JSON (without their entries)
  -h, --help   show this help`

export async function runListsCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'import') return runListsImport(argv.slice(1), io)
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, LISTS_USAGE)
  if (values.help) {
    io.stdout.write(`${LISTS_USAGE}\n`)
    return 0
  }
  if (positionals.length > 0)
    throw new UsageError(`lists takes no arguments, got "${positionals[0]}"`, LISTS_USAGE)

  const catalogue = readCatalogue(io.cataloguePath)
  const rows = catalogue.lists.map((l) => ({
    id: l.id,
    name: l.name,
    jurisdiction: l.jurisdiction,
    legal_status: l.legal_status,
    version: l.version,
    entries: l.entries.length,
    regimes: l.regimes,
    source: l.source,
  }))
  if (values.json) {
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
    return 0
  }
  const out: string[] = []
  for (const r of rows) {
    out.push(`${r.id}  [${r.legal_status}]  version ${r.version}  ${r.entries} entries`)
    out.push(`    ${r.name}`)
    out.push(
      `    jurisdiction ${r.jurisdiction}; decides for regimes ${r.regimes.join(', ') || 'none'}`,
    )
    out.push(`    source: ${r.source}`)
  }
  out.push('', `catalogue data version ${catalogue.dataVersion}, built ${catalogue.builtAt}`)
  io.stdout.write(`${out.join('\n')}\n`)
  return 0
}
