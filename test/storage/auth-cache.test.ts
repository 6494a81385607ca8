/**
 * The Node server's API-key cache over real SQLite files: a revocation made by another connection
 * (the `keys revoke` CLI) takes effect within AUTH_RECHECK_MS; one made by the server's own connection
 * (the admin API) at once, through `clear()`; a cached key is looked up again, recording its last use,
 * once it is LAST_USED_RESOLUTION_MS old.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiKeyRepo } from '../../src/core/ports'
import { nodeSha256Hex } from '../../src/runtime/node-hash'
import { openMigratedStore } from '../../src/runtime/node-store'
import { storagePorts } from '../../src/storage'
import { AUTH_RECHECK_MS, cachedApiKeys } from '../../src/storage/auth-cache'
import {
  createApiKey,
  ensureTenant,
  LAST_USED_RESOLUTION_MS,
  listApiKeys,
  revokeApiKey,
} from '../../src/storage/repos/tenant-repo'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'dualuse-auth-'))
  dirs.push(dir)
  const server = await openMigratedStore(join(dir, 'db.sqlite'))
  const cli = await openMigratedStore(join(dir, 'db.sqlite'))
  const tenant = await ensureTenant(cli.db, 'acme', new Date())
  const { key, keyId } = await createApiKey(cli.db, tenant.id, new Date())
  const inner = storagePorts(server).apiKeys
  let lookups = 0
  const counted: ApiKeyRepo = {
    authenticate: (k) => {
      lookups++
      return inner.authenticate(k)
    },
  }
  let clock = 0
  const cached = cachedApiKeys(counted, {
    sha256Hex: nodeSha256Hex,
    changedElsewhere: server.changedElsewhere,
    now: () => clock,
  })
  const advance = (ms: number) => {
    clock += ms
  }
  return { server, cli, tenant, key, keyId, cached, advance, lookups: () => lookups }
}

describe('cachedApiKeys on SQLite', () => {
  it('looks a key up once while nothing else writes', async () => {
    const { server, cli, tenant, key, keyId, cached, lookups } = await setup()
    for (let i = 0; i < 5; i++) {
      expect(await cached.authenticate(key)).toEqual({ tenantId: tenant.id, keyId })
    }
    expect(lookups()).toBe(1)
    await Promise.all([server.close(), cli.close()])
  })

  it(`refuses a key revoked by another connection within ${AUTH_RECHECK_MS} ms`, async () => {
    const { server, cli, key, keyId, cached, advance } = await setup()
    expect(await cached.authenticate(key)).not.toBeNull()
    expect(await revokeApiKey(cli.db, keyId, new Date())).toBe(true)
    advance(AUTH_RECHECK_MS)
    expect(await cached.authenticate(key)).toBeNull()
    await Promise.all([server.close(), cli.close()])
  })

  it('does not remember unknown keys', async () => {
    const { server, cli, key, cached, lookups } = await setup()
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`
    expect(await cached.authenticate(wrong)).toBeNull()
    expect(await cached.authenticate(wrong)).toBeNull()
    expect(lookups()).toBe(2)
    await Promise.all([server.close(), cli.close()])
  })

  it('refuses a key revoked on its own connection on the next call after clear()', async () => {
    const { server, cli, key, keyId, cached } = await setup()
    expect(await cached.authenticate(key)).not.toBeNull()
    expect(await revokeApiKey(server.db, keyId, new Date())).toBe(true)
    // The server's own commit does not move data_version: without clear() the cache still answers.
    expect(await cached.authenticate(key)).not.toBeNull()
    cached.clear()
    expect(await cached.authenticate(key)).toBeNull()
    await Promise.all([server.close(), cli.close()])
  })

  it('looks a cached key up again once it is a minute old, which records its last use', async () => {
    const { server, cli, tenant, key, cached, advance, lookups } = await setup()
    await cached.authenticate(key)
    const [first] = await listApiKeys(cli.db, tenant.id)
    expect(first?.lastUsedAt).not.toBeNull()
    advance(LAST_USED_RESOLUTION_MS - 1)
    await cached.authenticate(key)
    expect(lookups()).toBe(1)
    advance(1)
    await cached.authenticate(key)
    expect(lookups()).toBe(2)
    await Promise.all([server.close(), cli.close()])
  })
})
