/**
 * @module cli/keys
 * `dualuse keys create --tenant NAME` and `dualuse keys revoke KEY_OR_ID`, on the SQLite database at
 * DATABASE_PATH (default var/dualuse.db), migrated first. `create` prints the new key alone on stdout,
 * so `KEY=$(npm run -s dualuse -- keys create --tenant acme)` works; everything else goes to stderr.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_DATABASE_PATH, openMigratedStore } from '../runtime/node-store'
import { createApiKey, ensureTenant, revokeApiKey } from '../storage/repos/tenant-repo'

const USAGE = `usage:
  dualuse keys create --tenant NAME    create the tenant if new, print a new API key on stdout
  dualuse keys revoke KEY_OR_KEY_ID    revoke a key (the whole key or its id, du_<id>_…)
env: DATABASE_PATH (default ${DEFAULT_DATABASE_PATH})`

const TENANT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Runs `keys …` with argv after the word `keys`; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runKeysCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  let values: { tenant?: string; help?: boolean }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: rest,
      options: { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }))
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help || (sub !== 'create' && sub !== 'revoke')) {
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
  if (sub === 'revoke' && positionals.length !== 1) {
    console.error(`keys revoke needs exactly one key or key id\n${USAGE}`)
    return 2
  }

  const store = await openMigratedStore(process.env['DATABASE_PATH'] || DEFAULT_DATABASE_PATH)
  try {
    const now = new Date()
    if (sub === 'create') {
      const tenant = await ensureTenant(store.db, values.tenant!, now)
      const { keyId, key } = await createApiKey(store.db, tenant.id, now)
      process.stdout.write(`${key}\n`)
      console.error(`created key ${keyId} for tenant ${tenant.name}; it is shown only this once`)
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
