import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { d1Store } from '../../src/storage/d1'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'

async function newKey(name: string): Promise<string> {
  const { db } = d1Store(env.DB)
  const tenant = await ensureTenant(db, `t-${crypto.randomUUID()}`, new Date())
  return (await createApiKey(db, tenant.id, new Date(), name)).key
}

const call = (key: string, method: string, path: string, body?: unknown, type?: string) =>
  exports.default.fetch(`https://dualuse.test${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': type ?? 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })

type Check = {
  id: string
  verdict: string
  matches: { list_id: string; suppressed_by?: string }[]
  versions: { lists: Record<string, string>; settings?: string }
}

const LINE = {
  description: 'Deep groove ball bearing 6205-2RS',
  destination: 'KZ',
  final_destination: 'RU',
  reference: 'INV-7',
}

describe('lists as data in workerd with D1', () => {
  beforeAll(async () => {
    // Warm-up: the first request imports the catalogue and builds the engine for this isolate.
    await (await exports.default.fetch('https://dualuse.test/healthz')).arrayBuffer()
  })

  it('registers built-in lists on first use, imports a tenant version that changes the next check, suppresses and audits, and replays', async () => {
    const key = await newKey('worker-anna')
    const versions = await call(key, 'GET', '/v1/lists/chp/versions')
    expect(versions.status).toBe(200)
    expect(((await versions.json()) as { data: { version: string }[] }).data[0]?.version).toBe(
      '2024-02-23',
    )

    const first = (await (await call(key, 'POST', '/v1/checks', LINE)).json()) as Check
    expect(first.verdict).toBe('high_risk')

    expect(
      (
        await call(key, 'POST', '/v1/lists', {
          id: 'kz_ban',
          name: 'Kazakh export ban',
          mode: 'blocking',
          legal_status: 'in_force',
          source: 'test act',
        })
      ).status,
    ).toBe(201)
    const imported = await call(
      key,
      'POST',
      '/v1/lists/kz_ban/versions',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
      'text/csv',
    )
    expect(imported.status).toBe(201)
    expect(((await imported.json()) as { diff: { added: unknown[] } }).diff.added).toHaveLength(1)

    const second = (await (await call(key, 'POST', '/v1/checks', LINE)).json()) as Check
    expect(second.verdict).toBe('prohibited')
    expect(second.versions.lists['kz_ban']).toBe('1')

    const sup = (await (
      await call(key, 'POST', '/v1/suppressions', {
        scope: { reference: 'INV-7', list_id: 'chp', entry_code: '848210' },
        reason: 'reviewed',
      })
    ).json()) as { id: string }
    const third = (await (await call(key, 'POST', '/v1/checks', LINE)).json()) as Check
    expect(third.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBe(sup.id)
    // The in-force blocking list still decides: the suppression covers CHP only.
    expect(third.verdict).toBe('prohibited')

    const audit = (await (await call(key, 'GET', '/v1/audit')).json()) as {
      data: { action: string; actor: string }[]
    }
    expect(audit.data.map((r) => r.action)).toEqual([
      'suppression.created',
      'list_version.created',
      'list.created',
    ])
    expect(audit.data.every((r) => r.actor === 'worker-anna')).toBe(true)

    for (const c of [first, second, third]) {
      const replay = (await (await call(key, 'POST', `/v1/checks/${c.id}/replay`)).json()) as {
        same_result: boolean
      }
      expect(replay.same_result).toBe(true)
    }

    const other = await newKey('other')
    expect((await call(other, 'GET', '/v1/lists/kz_ban/versions')).status).toBe(404)
    expect((await call(other, 'GET', `/v1/suppressions/${sup.id}`)).status).toBe(404)
  })
})
