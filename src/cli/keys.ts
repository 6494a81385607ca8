/**
 * @module cli/keys
 * `dualuse keys create --tenant NAME`, `keys list` and `keys revoke KEY_OR_ID`, on the SQLite database
 * at DATABASE_PATH (default var/dualuse.db), migrated first. `create` prints the new key alone on
 * stdout, so `KEY=$(npm run -s dualuse -- keys create --tenant acme)` works; `list` prints a table on
 * stdout (never a key: its public prefix); everything else goes to stderr. The admin API
 * (`/v1/admin`, docs/http.md) does the same over HTTP, where there is no shell (Workers).
 */
import { parseArgs } from 'node:util'
import { TENANT_NAME_RE } from '../core/admin/manage-tenants'
import type { ApiKeyInfo, Tenant } from '../core/admin/ports'
import { DEFAULT_DATABASE_PATH, openMigratedStore } from '../runtime/node-store'
import {
  createApiKey,
  ensureTenant,
  findTenantByName,
  listApiKeys,
  listTenants,
  revokeApiKey,
} from '../storage/repos/tenant-repo'

const USAGE = `usage:
  dualuse keys create --tenant NAME [--name KEY_NAME]
                                       create the tenant if new, print a new API key on stdout
  dualuse keys list [--tenant NAME]    list keys (id, prefix, name, created, last used, revoked)
  dualuse keys revoke KEY_OR_KEY_ID    revoke a key (the whole key or its id, du_<id>_…)
env: DATABASE_PATH (default ${DEFAULT_DATABASE_PATH})`

const SUBCOMMANDS = ['create', 'list', 'revoke']
const KEY_NAME_MAX = 100

/** Columns padded to their widest cell, two spaces apart; `-` for an empty cell. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function keyRows(entries: { tenant: Tenant; key: ApiKeyInfo }[]): string[][] {
  const header = ['TENANT', 'KEY ID', 'PREFIX', 'NAME', 'CREATED', 'LAST USED', 'REVOKED']
  return [
    header,
    ...entries.map(({ tenant, key }) => [
      tenant.name,
      key.id,
      key.prefix,
      key.name ?? '-',
      key.createdAt,
      key.lastUsedAt ?? '-',
      key.revokedAt ?? '-',
    ]),
  ]
}

/** Runs `keys …` with argv after the word `keys`; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runKeysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  let values: { tenant?: string; name?: string; help?: boolean }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: rest,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    }))
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help || !SUBCOMMANDS.includes(sub ?? '')) {
    console.error(USAGE)
    return values.help ? 0 : 2
  }
  if (
    sub === 'create' &&
    (!values.tenant || !TENANT_NAME_RE.test(values.tenant) || positionals.length > 0)
  ) {
    console.error(`keys create needs --tenant NAME (letters, digits, . _ -; at most 64)\n${USAGE}`)
    return 2
  }
  const keyName = values.name?.trim()
  if (
    values.name !== undefined &&
    (sub !== 'create' || !keyName || keyName.length > KEY_NAME_MAX)
  ) {
    console.error(`--name goes with keys create: 1 to ${KEY_NAME_MAX} characters\n${USAGE}`)
    return 2
  }
  if (
    sub === 'list' &&
    (positionals.length > 0 || (values.tenant !== undefined && !TENANT_NAME_RE.test(values.tenant)))
  ) {
    console.error(`keys list takes only --tenant NAME\n${USAGE}`)
    return 2
  }
  if (sub === 'revoke' && positionals.length !== 1) {
    console.error(`keys revoke needs exactly one key or key id\n${USAGE}`)
    return 2
  }

  const store = await openMigratedStore(process.env['DATABASE_PATH'] || DEFAULT_DATABASE_PATH)
  try {
    const now = new Date()
    if (sub === 'create') {
      const tenant = await ensureTenant(store.db, values.tenant!, now)
      const { keyId, key } = await createApiKey(store.db, tenant.id, now, keyName ?? null)
      process.stdout.write(`${key}\n`)
      console.error(`created key ${keyId} for tenant ${tenant.name}; it is shown only this once`)
      return 0
    }
    if (sub === 'list') {
      let tenants: Tenant[]
      if (values.tenant !== undefined) {
        const tenant = await findTenantByName(store.db, values.tenant)
        if (!tenant) {
          console.error(`no tenant ${values.tenant}`)
          return 1
        }
        tenants = [tenant]
      } else tenants = await listTenants(store.db)
      const entries: { tenant: Tenant; key: ApiKeyInfo }[] = []
      for (const tenant of tenants)
        for (const key of await listApiKeys(store.db, tenant.id)) entries.push({ tenant, key })
      process.stdout.write(`${table(keyRows(entries))}\n`)
      return 0
    }
    const revoked = await revokeApiKey(store.db, positionals[0]!, now)
    if (!revoked) {
      console.error('no active key matched')
      return 1
    }
    console.error('key revoked')
    return 0
  } finally {
    await store.close()
  }
}
