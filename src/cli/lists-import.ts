/**
 * @module cli/lists-import
 * `dualuse lists import FILE --list ID …`: the operator's import of a list version (issue 12), into the
 * SQLite database at DATABASE_PATH (migrated first). A built-in list gets a new version that every
 * tenant's checks use from their next check on; a new id with `--name` and `--mode` creates an
 * operator list (blocking or watch) for every tenant, e.g. an official Kazakh list as `in_force`.
 * Validation is the API's: every problem is printed with the file, row and column.
 */
import { readFileSync } from 'node:fs'
import { AppError } from '../core/errors'
import { type Actor, importListVersion, registerBuiltInLists } from '../core/lists/manage-lists'
import { parseListFile } from '../core/lists/parse-list-file'
import {
  CountryListSchema,
  LegalStatusSchema,
  ListIdSchema,
  type ListMeta,
  OPERATOR,
  OWN_LIST_MODES,
} from '../core/lists/types'
import { readCatalogue } from '../runtime/catalogue-file'
import { DEFAULT_DATABASE_PATH, openMigratedStore } from '../runtime/node-store'
import { hsCodeBook } from '../runtime/screening-deps'
import { ulid } from '../storage/ids'
import { recheckRepo } from '../storage/repos/recheck-repo'
import { screeningRepo } from '../storage/repos/screening-repo'
import { parseCommandArgs } from './args'
import type { CliIo } from './io'
import { UsageError } from './usage-error'

export const LISTS_IMPORT_USAGE = `Usage: dualuse lists import FILE --list ID [options]

Stores FILE (CSV with columns code,title,category[,patterns], or JSON {entries:[…]}) as a new version
of the operator's list ID, which every tenant's checks use from then on. Prints the diff.

Options:
  --list ID              a built-in list id (see dualuse lists), or a new id with --name and --mode
  --version LABEL        the version's label (default: its number); a label is never reused
  --legal-status S       in_force | guidance | reported | snapshot (default: the list's)
  --source TEXT          where this version comes from (default: the list's)
  --effective-date D     YYYY-MM-DD
  --name TEXT            for a new list: its name
  --mode M               for a new list: blocking | watch
  --destinations CC,CC   for a new list: routes it applies to (ISO codes; default every route)
  -h, --help             show this help
env: DATABASE_PATH (default ${DEFAULT_DATABASE_PATH})`

const OPERATOR_ACTOR: Actor = { name: 'operator (dualuse lists import)', keyId: null }

function optional<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: string | undefined,
  option: string,
): T | undefined {
  if (value === undefined) return undefined
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new UsageError(`${option} "${value}" is not valid`, LISTS_IMPORT_USAGE)
  return parsed.data
}

export async function runListsImport(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      list: { type: 'string' },
      version: { type: 'string' },
      'legal-status': { type: 'string' },
      source: { type: 'string' },
      'effective-date': { type: 'string' },
      name: { type: 'string' },
      mode: { type: 'string' },
      destinations: { type: 'string' },
    },
    LISTS_IMPORT_USAGE,
  )
  if (values.help) {
    io.stdout.write(`${LISTS_IMPORT_USAGE}\n`)
    return 0
  }
  const [file, ...extra] = positionals
  if (!file || extra.length > 0)
    throw new UsageError('lists import takes exactly one FILE', LISTS_IMPORT_USAGE)
  const listId = optional(ListIdSchema, values.list, '--list')
  if (!listId) throw new UsageError('lists import needs --list ID', LISTS_IMPORT_USAGE)
  const legalStatus = optional(LegalStatusSchema, values['legal-status'], '--legal-status')
  const mode = values.mode
  if (mode !== undefined && !(OWN_LIST_MODES as readonly string[]).includes(mode))
    throw new UsageError(`--mode must be blocking or watch`, LISTS_IMPORT_USAGE)
  const destinations = optional(
    CountryListSchema,
    values.destinations === undefined ? undefined : (values.destinations.split(',') as never),
    '--destinations',
  )

  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new AppError('NOT_FOUND', `cannot read ${file}`, { cause })
  }
  const catalogue = readCatalogue(io.cataloguePath)
  let parsed: ReturnType<typeof parseListFile>
  try {
    parsed = parseListFile(
      text,
      /\.json$/i.test(file) ? 'json' : 'csv',
      hsCodeBook(catalogue.hs.map((h) => h.code)),
    )
  } catch (err) {
    if (!(err instanceof AppError) || err.details.length === 0) throw err
    for (const d of err.details) io.stderr.write(`${file}: ${d.pointer}: ${d.message}\n`)
    io.stderr.write(`${err.details.length} problem(s); nothing was imported\n`)
    return 1
  }
  Object.assign(
    parsed,
    Object.fromEntries(
      Object.entries({
        version: values.version,
        legal_status: legalStatus,
        source: values.source,
        effective_date: values['effective-date'],
      }).filter(([, v]) => v !== undefined),
    ),
  )

  const store = await openMigratedStore(process.env['DATABASE_PATH'] || DEFAULT_DATABASE_PATH)
  try {
    const repo = screeningRepo(store)
    const newId = (prefix: 'lv' | 'sup' | 'aud') => `${prefix}_${ulid()}`
    const at = new Date().toISOString()
    await registerBuiltInLists({ repo }, catalogue.lists, at)
    let list: ListMeta | null = await repo.getList(OPERATOR, listId)
    if (list && mode !== undefined)
      throw new UsageError(
        `list ${listId} exists: --mode is only for a new list`,
        LISTS_IMPORT_USAGE,
      )
    if (!list) {
      if (!values.name || !mode || !legalStatus || !values.source)
        throw new UsageError(
          `no operator list ${listId}: to create one give --name, --mode, --legal-status and --source`,
          LISTS_IMPORT_USAGE,
        )
      list = {
        owner: OPERATOR,
        id: listId,
        name: values.name,
        mode: mode as ListMeta['mode'],
        legalStatus,
        source: values.source,
        destinations: destinations ?? [],
        createdAt: at,
        createdBy: OPERATOR_ACTOR.name,
      }
      await repo.createList(list, {
        scope: OPERATOR,
        audit: {
          id: newId('aud'),
          tenantId: OPERATOR,
          createdAt: at,
          actor: OPERATOR_ACTOR.name,
          keyId: null,
          action: 'list.created',
          subjectType: 'list',
          subjectId: listId,
          detail: { name: list.name, mode: list.mode, legal_status: list.legalStatus },
        },
      })
    }
    const { version, created } = await importListVersion(
      { repo, newId },
      list,
      parsed,
      OPERATOR_ACTOR,
      at,
      // Every tenant's stored checks are re-checked against it by the running server (issue 12 item 5).
      { recheck: true },
    )
    const rechecks = created ? await recheckRepo(store).forVersion(version.id, null) : []
    const d = version.diff
    io.stdout.write(
      `${created ? 'stored' : 'unchanged:'} ${listId} version ${version.version} (${version.legalStatus}, ${version.entryCount} entries, ${version.contentHash.slice(0, 12)})\n` +
        `diff against ${d.previous_version ?? 'nothing'}: +${d.added.length} -${d.removed.length} ~${d.changed.length}\n` +
        [
          ...d.added.map((e) => `  + ${e.code} ${e.title}`),
          ...d.removed.map((e) => `  - ${e.code} ${e.title}`),
          ...d.changed.map((e) => `  ~ ${e.code} ${e.after.title}`),
        ]
          .slice(0, 50)
          .map((l) => `${l}\n`)
          .join('') +
        (created
          ? `re-checks: ${rechecks.length} (one per tenant with recheck_days > 0; a running server works them: GET /v1/rechecks)\n`
          : ''),
    )
    return 0
  } finally {
    await store.close()
  }
}
