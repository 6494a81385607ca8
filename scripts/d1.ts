/**
 * The Worker's D1 database from a shell, through the same migrations and key code as the Node runtime:
 *
 *   npx tsx scripts/d1.ts migrate                       # the local D1 of `wrangler dev` to the latest schema
 *   npm run -s d1:migrations                            # migrations/NNNN_*.sql for `wrangler d1 migrations apply`
 *   npx tsx scripts/d1.ts migrate --sql                 # the schema as SQL, for a new remote database:
 *       #   npx wrangler d1 execute dualuse --remote --command "$(npx tsx scripts/d1.ts migrate --sql)"
 *   npm run -s worker:keys -- create --tenant NAME      # create the tenant if new, print a new key on stdout
 *   npm run -s worker:keys -- create --tenant NAME --sql
 *       # print the SQL that stores a new key instead, for the remote database:
 *       #   npx wrangler d1 execute dualuse --remote --command "$(npm run -s worker:keys -- create --tenant acme --sql)"
 *       # (the key itself goes to stderr: copy it, it is shown once)
 *
 * Local D1 is reached with wrangler's getPlatformProxy, which opens the same persisted state
 * (.wrangler/state) as `wrangler dev --local`. `npm run dev:worker` runs `migrate` first. With
 * `--persist-to DIR` (before the command) both use another state directory, as `wrangler dev
 * --persist-to DIR` does (the dev-worker smoke test runs in a temporary one).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { D1Database } from '@cloudflare/workers-types'
import { getPlatformProxy } from 'wrangler'
import { sha256Hex } from '../src/core/hash'
import { generateApiKey } from '../src/storage/api-key'
import { d1Store } from '../src/storage/d1'
import { newTenantId } from '../src/storage/ids'
import { D1_MIGRATIONS_DIR, migrationSql, migrationSqlFiles } from '../src/storage/migration-sql'
import { migrateToLatest } from '../src/storage/migrator'
import { createApiKey, ensureTenant } from '../src/storage/repos/tenant-repo'

const TENANT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const USAGE = `usage:
  tsx scripts/d1.ts [--persist-to DIR] migrate [--sql]
  tsx scripts/d1.ts write-migrations
  tsx scripts/d1.ts [--persist-to DIR] keys create --tenant NAME [--sql]`

/** `--persist-to DIR`: wrangler dev's state directory; getPlatformProxy wants its `v3` inside. */
let persistTo: string | undefined

async function withLocalD1<T>(run: (db: D1Database) => Promise<T>): Promise<T> {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    persist: persistTo ? { path: join(persistTo, 'v3') } : true,
  })
  try {
    return await run(proxy.env.DB)
  } finally {
    await proxy.dispose()
  }
}

/** SQL string literal: the values are our own ids, names checked above and hex digests. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

// stdout carries the key alone (KEY=$(npm run -s worker:keys -- create --tenant acme)); Kysely prints
// its one-off warning about kysely-d1's result shape with console.log, so that goes to stderr here.
console.log = (...args: unknown[]) => console.error(...args)
const printResult = (text: string) => process.stdout.write(`${text}\n`)

async function main(args: string[]): Promise<number> {
  let argv = args
  if (argv[0] === '--persist-to') {
    persistTo = argv[1]
    argv = argv.slice(2)
  }
  const [command, sub, ...rest] = argv
  if (command === 'write-migrations') {
    // Regenerated whole: a file whose migration left the registry must not linger.
    mkdirSync(D1_MIGRATIONS_DIR, { recursive: true })
    for (const old of readdirSync(D1_MIGRATIONS_DIR))
      if (old.endsWith('.sql')) rmSync(join(D1_MIGRATIONS_DIR, old))
    const files = await migrationSqlFiles()
    for (const { file, sql } of files) writeFileSync(join(D1_MIGRATIONS_DIR, file), sql)
    console.error(`${D1_MIGRATIONS_DIR}/: ${files.length} files`)
    return 0
  }
  if (command === 'migrate' && sub === '--sql') {
    printResult(await migrationSql())
    return 0
  }
  if (command === 'migrate' && sub === undefined) {
    const results = await withLocalD1((db) => migrateToLatest(d1Store(db).db))
    const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
    console.error(
      applied.length
        ? `local D1: applied ${applied.join(', ')}`
        : 'local D1: schema already up to date',
    )
    return 0
  }
  if (command !== 'keys' || sub !== 'create') {
    console.error(USAGE)
    return 2
  }
  const { values } = parseArgs({
    args: rest,
    options: { tenant: { type: 'string' }, sql: { type: 'boolean' } },
  })
  if (!values.tenant || !TENANT_NAME_RE.test(values.tenant)) {
    console.error(`--tenant: a name of letters, digits, '.', '_' or '-' (up to 64)\n${USAGE}`)
    return 2
  }
  const tenant = values.tenant
  const now = new Date().toISOString()
  if (values.sql) {
    // The same rows `ensureTenant` + `createApiKey` write, as statements for `wrangler d1 execute`.
    const { id, key } = generateApiKey()
    const tenantId = newTenantId()
    const hash = await sha256Hex(key)
    printResult(
      `INSERT INTO tenant (id, name, created_at) VALUES (${literal(tenantId)}, ${literal(tenant)}, ${literal(now)}) ON CONFLICT(name) DO NOTHING; ` +
        `INSERT INTO api_key (id, tenant_id, secret_hash, created_at) SELECT ${literal(id)}, id, ${literal(hash)}, ${literal(now)} FROM tenant WHERE name = ${literal(tenant)};`,
    )
    console.error(`API key for tenant ${tenant} (shown once): ${key}`)
    return 0
  }
  const key = await withLocalD1(async (d1) => {
    const { db } = d1Store(d1)
    await migrateToLatest(db)
    const row = await ensureTenant(db, tenant, new Date(now))
    return (await createApiKey(db, row.id, new Date(now))).key
  })
  console.error(`local D1: new API key for tenant ${tenant}`)
  printResult(key)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`d1: ${(error as Error).message}`)
    process.exit(1)
  },
)
