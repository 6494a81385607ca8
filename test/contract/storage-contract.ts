/**
 * The storage contract: one suite, run on better-sqlite3 (`sqlite` project) and on D1 (`workers`
 * project), in the shape of KYS `for (const dialect of DIALECTS) describe(...)`.
 */
import { describe, expect, it } from 'vitest'
import type { StoredCheck } from '../../src/core/ports'
import { storagePorts } from '../../src/storage'
import type { Store } from '../../src/storage/atomic'
import { newCheckId } from '../../src/storage/ids'
import {
  authenticateApiKey,
  createApiKey,
  ensureTenant,
  LAST_USED_RESOLUTION_MS,
  revokeApiKey,
} from '../../src/storage/repos/tenant-repo'

/** A stored check of `tenantId` (also the webhook contract's flagged check). */
export function sampleCheck(
  tenantId: string,
  createdAt: string,
  verdict: 'clear' | 'review' = 'clear',
  reference: string | null = null,
): StoredCheck {
  const id = newCheckId()
  const check: Omit<StoredCheck, 'resultJson'> = {
    id,
    tenantId,
    createdAt,
    request: {
      description: 'wooden chair',
      destination: 'KZ',
      regime: 'KZ',
      ...(reference ? { reference } : {}),
    },
    result: {
      id,
      reference,
      verdict,
      risk_score: 5,
      classification: {
        candidates: [{ hs6: '940161', title: 'Seats', score: 0.9, evidence: ['chair'] }],
        declared_code: null,
        declared_code_consistent: null,
      },
      matches: [],
      destination: {
        country: 'KZ',
        final_destination: 'KZ',
        transit: [],
        category: 'other',
        note: '',
      },
      reasons: [],
      obligations: [],
      versions: { engine: '0.1.0', lists: { chp: '2024-02-23' } },
    },
  }
  return { ...check, resultJson: JSON.stringify(check.result) }
}

export function storageContract(label: string, openStore: () => Promise<Store>) {
  describe(`storage contract on ${label}`, () => {
    const setup = async () => {
      const store = await openStore()
      const tenant = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      return { store, ports: storagePorts(store), tenant }
    }

    it('creates a tenant once per name', async () => {
      const { store, tenant } = await setup()
      const again = await ensureTenant(store.db, tenant.name, new Date())
      expect(again.id).toBe(tenant.id)
    })

    it('authenticates a key by hash and refuses it once revoked', async () => {
      const { store, tenant } = await setup()
      const { key, keyId } = await createApiKey(store.db, tenant.id, new Date())
      expect(await authenticateApiKey(store.db, key)).toEqual({ tenantId: tenant.id, keyId })
      expect(
        await authenticateApiKey(store.db, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`),
      ).toBeNull()
      expect(await revokeApiKey(store.db, keyId, new Date())).toBe(true)
      expect(await authenticateApiKey(store.db, key)).toBeNull()
      expect(await revokeApiKey(store.db, keyId, new Date())).toBe(false)
    })

    it('manages tenants and named keys for the admin API', async () => {
      const { store, ports } = await setup()
      const admin = ports.tenantAdmin
      const name = `t-${crypto.randomUUID()}`
      const tenant = await admin.createTenant(name, new Date())
      expect(tenant).toMatchObject({ id: expect.stringMatching(/^ten_/), name })
      expect(await admin.createTenant(name, new Date())).toBeNull()
      expect(await admin.getTenant(tenant!.id)).toEqual(tenant)
      expect(await admin.listTenants()).toContainEqual(tenant)

      const { info, key } = await admin.createKey(tenant!.id, 'erp', new Date())
      expect(key.startsWith(info.prefix)).toBe(true)
      expect(await admin.listKeys(tenant!.id)).toEqual([info])
      expect(info).toMatchObject({ name: 'erp', lastUsedAt: null, revokedAt: null })

      // The first authentication records its use; the next within a minute writes nothing.
      const at = new Date('2026-12-07T10:00:00.000Z')
      await authenticateApiKey(store.db, key, undefined, () => at)
      expect((await admin.getKey(info.id))?.lastUsedAt).toBe(at.toISOString())
      const soon = new Date(at.getTime() + LAST_USED_RESOLUTION_MS - 1)
      await authenticateApiKey(store.db, key, undefined, () => soon)
      expect((await admin.getKey(info.id))?.lastUsedAt).toBe(at.toISOString())
      const later = new Date(at.getTime() + LAST_USED_RESOLUTION_MS)
      await authenticateApiKey(store.db, key, undefined, () => later)
      expect((await admin.getKey(info.id))?.lastUsedAt).toBe(later.toISOString())

      expect(await admin.revokeKey(info.id, new Date())).toBe(true)
      expect(await admin.revokeKey(info.id, new Date())).toBe(false)
      expect((await admin.getKey(info.id))?.revokedAt).not.toBeNull()
      expect(await ports.apiKeys.authenticate(key)).toBeNull()
    })

    it('round-trips a check and hides it from other tenants', async () => {
      const { store, ports, tenant } = await setup()
      const other = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      const check = sampleCheck(tenant.id, new Date().toISOString(), 'review', 'INV-1')
      await ports.checks.insert(check)
      // Read back with its lineage: a check nobody re-issued supersedes nothing and is superseded by none.
      expect(await ports.checks.get(tenant.id, check.id)).toEqual({
        ...check,
        supersedes: null,
        recheckId: null,
        supersededBy: null,
      })
      expect(await ports.checks.get(other.id, check.id)).toBeNull()
    })

    it('refuses to update a stored check', async () => {
      const { store, ports, tenant } = await setup()
      const check = sampleCheck(tenant.id, new Date().toISOString())
      await ports.checks.insert(check)
      await expect(
        store.db
          .updateTable('check')
          .set({ verdict: 'prohibited' })
          .where('id', '=', check.id)
          .execute(),
      ).rejects.toThrow(/immutable/)
      expect((await ports.checks.get(tenant.id, check.id))?.result.verdict).toBe('clear')
    })

    it('lists newest first with filters and a cursor that visits every row once', async () => {
      const { ports, tenant } = await setup()
      const base = Date.parse('2026-01-01T00:00:00.000Z')
      const checks: StoredCheck[] = []
      for (let i = 0; i < 7; i++) {
        // Two rows share a timestamp: the id breaks the tie.
        const at = new Date(base + Math.floor(i / 2) * 1000).toISOString()
        const c = sampleCheck(tenant.id, at, i % 3 === 0 ? 'review' : 'clear', `r${i % 2}`)
        checks.push(c)
        await ports.checks.insert(c)
      }
      const expected = [...checks]
        .sort((a, b) =>
          a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
        )
        .map((c) => c.id)
      const seen: string[] = []
      let after: { createdAt: string; id: string } | undefined
      for (;;) {
        const page = await ports.checks.list(tenant.id, { limit: 3, after })
        seen.push(...page.items.map((c) => c.id))
        if (!page.next) break
        after = page.next
      }
      expect(seen).toEqual(expected)
      const review = await ports.checks.list(tenant.id, { limit: 50, verdict: 'review' })
      expect(review.items.map((c) => c.result.verdict)).toEqual(['review', 'review', 'review'])
      const r1 = await ports.checks.list(tenant.id, { limit: 50, reference: 'r1' })
      expect(r1.items).toHaveLength(3)
      const window = await ports.checks.list(tenant.id, {
        limit: 50,
        createdFrom: new Date(base + 1000).toISOString(),
        createdTo: new Date(base + 3000).toISOString(),
      })
      expect(window.items).toHaveLength(4)
    })

    it('claims an idempotency key once, then reports mismatch, in-flight and done', async () => {
      const { ports, tenant } = await setup()
      const now = new Date().toISOString()
      const stale = new Date(Date.now() - 60_000).toISOString()
      const key = crypto.randomUUID()
      expect(await ports.idempotency.claim(tenant.id, key, 'h1', now, stale)).toEqual({
        state: 'claimed',
      })
      expect(await ports.idempotency.claim(tenant.id, key, 'h1', now, stale)).toEqual({
        state: 'in_flight',
      })
      expect(await ports.idempotency.claim(tenant.id, key, 'h2', now, stale)).toEqual({
        state: 'mismatch',
      })
      const check = sampleCheck(tenant.id, now)
      await ports.checks.insert(check, key)
      expect(await ports.idempotency.claim(tenant.id, key, 'h1', now, stale)).toEqual({
        state: 'done',
        checkId: check.id,
      })
    })

    it('releases an unfinished claim and takes over a stale one', async () => {
      const { ports, tenant } = await setup()
      const key = crypto.randomUUID()
      const longAgo = new Date(Date.now() - 10 * 60_000).toISOString()
      const now = new Date().toISOString()
      const stale = new Date(Date.now() - 60_000).toISOString()
      expect((await ports.idempotency.claim(tenant.id, key, 'h', longAgo, longAgo)).state).toBe(
        'claimed',
      )
      expect((await ports.idempotency.claim(tenant.id, key, 'h', now, stale)).state).toBe('claimed')
      expect((await ports.idempotency.claim(tenant.id, key, 'h', now, stale)).state).toBe(
        'in_flight',
      )
      await ports.idempotency.release(tenant.id, key)
      expect((await ports.idempotency.claim(tenant.id, key, 'h', now, stale)).state).toBe('claimed')
    })

    it('rolls back every statement of an atomic write when one fails', async () => {
      const { store, tenant } = await setup()
      const name = `t-${crypto.randomUUID()}`
      const ok = store.db
        .insertInto('tenant')
        .values({ id: `ten_${crypto.randomUUID()}`, name, created_at: 'x' })
        .compile()
      const clash = store.db
        .insertInto('tenant')
        .values({ id: tenant.id, name: 'clash', created_at: 'x' })
        .compile()
      await expect(store.atomic([ok, clash])).rejects.toThrow()
      const row = await store.db
        .selectFrom('tenant')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst()
      expect(row).toBeUndefined()
    })

    it('keeps concurrent atomic writes apart: one failing stores nothing of its own, the others commit', async () => {
      const { store, tenant } = await setup()
      const names = Array.from({ length: 5 }, () => `t-${crypto.randomUUID()}`)
      const writes = names.map((name, i) =>
        store.atomic([
          store.db
            .insertInto('tenant')
            .values({ id: `ten_${crypto.randomUUID()}`, name, created_at: 'x' })
            .compile(),
          // The third write's second statement clashes with an existing tenant id.
          store.db
            .insertInto('tenant')
            .values({
              id: i === 2 ? tenant.id : `ten_${crypto.randomUUID()}`,
              name: `${name}-b`,
              created_at: 'x',
            })
            .compile(),
        ]),
      )
      const outcomes = await Promise.allSettled(writes)
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ])
      const stored = await store.db
        .selectFrom('tenant')
        .select('name')
        .where('name', 'in', names)
        .execute()
      expect(stored.map((r) => r.name).sort()).toEqual(names.filter((_, i) => i !== 2).sort())
    })

    it('answers the health ping', async () => {
      const { ports } = await setup()
      await expect(ports.health.ping()).resolves.toBeUndefined()
    })
  })
}
