import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CheckBody, makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
beforeAll(async () => {
  h = await makeScreeningHarness()
})
afterAll(() => h.close())

const BEARING = { description: 'Deep groove ball bearing 6205-2RS', destination: 'DE' }

type Version = {
  id: string
  version: string
  in_effect: boolean
  legal_status: string
  entry_count: number
  diff: {
    previous_version: string | null
    added: { code: string }[]
    removed: { code: string }[]
    changed: { code: string }[]
  }
}

describe('versioned lists', () => {
  it('registers each built-in list as a version, readable a page at a time', async () => {
    const { key } = await h.tenant()
    const res = await h.send(key, 'GET', '/v1/lists/chp/versions')
    expect(res.status).toBe(200)
    const { data } = (await res.json()) as { data: Version[] }
    expect(data).toHaveLength(1)
    expect(data[0]).toMatchObject({ version: '2024-02-23', in_effect: true, entry_count: 50 })

    const first = await h.send(key, 'GET', '/v1/lists/chp/entries?limit=20')
    const page1 = (await first.json()) as { data: { code: string }[]; next_cursor: string }
    expect(page1.data).toHaveLength(20)
    const second = await h.send(
      key,
      'GET',
      `/v1/lists/chp/entries?limit=40&cursor=${page1.next_cursor}`,
    )
    const page2 = (await second.json()) as { data: { code: string }[]; next_cursor: string | null }
    expect(page2.data).toHaveLength(30)
    expect(page2.next_cursor).toBeNull()
    expect(new Set([...page1.data, ...page2.data].map((e) => e.code)).size).toBe(50)
  })

  it('registers the built-in lists once however often the server starts', async () => {
    const { registerBuiltInLists } = await import('../../src/core/lists/manage-lists')
    const again = await registerBuiltInLists(
      { repo: h.repo },
      h.deps.checker.lists,
      new Date().toISOString(),
    )
    expect(again).toBe(0)
  })
})

describe('tenant lists', () => {
  it('changes the next check as each imported version says, returns the diff, keeps old versions readable and replays old checks alike', async () => {
    const { key } = await h.tenant()
    const before = await h.check(key, BEARING)
    expect(before.verdict).toBe('clear')

    const created = await h.send(key, 'POST', '/v1/lists', {
      id: 'acme_denied',
      name: 'ACME denied goods',
      mode: 'blocking',
      legal_status: 'guidance',
      source: 'ACME export policy 7',
    })
    expect(created.status).toBe(201)

    const v1 = await h.send(
      key,
      'POST',
      '/v1/lists/acme_denied/versions',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
      'text/csv',
    )
    expect(v1.status).toBe(201)
    const v1Body = (await v1.json()) as Version
    expect(v1Body).toMatchObject({ version: '1', in_effect: true, entry_count: 1 })
    expect(v1Body.diff).toMatchObject({ previous_version: null, added: [{ code: '848210' }] })

    const reviewed = await h.check(key, BEARING)
    expect(reviewed.verdict).toBe('review')
    expect(reviewed.versions.lists['acme_denied']).toBe('1')
    expect(reviewed.reasons[0]).toMatchObject({ rule_id: 'own_list.blocking', effect: 'review' })

    // The tenant says the list is law for it: a new version in force, one entry changed, one added.
    const v2 = await h.send(key, 'POST', '/v1/lists/acme_denied/versions', {
      legal_status: 'in_force',
      entries: [
        { code: '848210', title: 'Ball bearings of any kind', category: 'bearings' },
        { code: '8501', title: 'Electric motors', category: 'motors', patterns: ['stepper drive'] },
      ],
    })
    expect(v2.status).toBe(201)
    const v2Body = (await v2.json()) as Version
    expect(v2Body.legal_status).toBe('in_force')
    expect(v2Body.diff).toMatchObject({
      previous_version: '1',
      added: [{ code: '8501' }],
      removed: [],
      changed: [{ code: '848210' }],
    })

    const prohibited = await h.check(key, BEARING)
    expect(prohibited.verdict).toBe('prohibited')
    expect(prohibited.versions.lists['acme_denied']).toBe('2')
    const byPattern = await h.check(key, { description: 'stepper drive unit', destination: 'DE' })
    expect(
      byPattern.matches.some((m) => m.list_id === 'acme_denied' && m.entry_code === '8501'),
    ).toBe(true)

    // The old version stays readable.
    const old = await h.send(key, 'GET', '/v1/lists/acme_denied/entries?version=1')
    expect(old.status).toBe(200)
    expect(((await old.json()) as { data: { title: string }[] }).data).toEqual([
      { code: '848210', title: 'Ball bearings', category: 'bearings', patterns: [] },
    ])
    const versions = (await (
      await h.send(key, 'GET', '/v1/lists/acme_denied/versions')
    ).json()) as {
      data: Version[]
    }
    expect(versions.data.map((v) => [v.version, v.in_effect])).toEqual([
      ['2', true],
      ['1', false],
    ])

    // A replay of each earlier check, against the versions it recorded, gives its stored result.
    for (const c of [before, reviewed, prohibited]) {
      const res = await h.send(key, 'POST', `/v1/checks/${c.id}/replay`)
      expect(res.status).toBe(200)
      const replay = (await res.json()) as { same_result: boolean; result: CheckBody }
      expect(replay.same_result).toBe(true)
      expect(replay.result.verdict).toBe(c.verdict)
    }
  })

  it('stores nothing for the same content again, and answers that version', async () => {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'dup',
      name: 'Dup',
      mode: 'watch',
      legal_status: 'guidance',
      source: 'test',
    })
    const csv = 'code,title,category\n8501,Motors,m\n'
    expect((await h.send(key, 'POST', '/v1/lists/dup/versions', csv, 'text/csv')).status).toBe(201)
    const again = await h.send(key, 'POST', '/v1/lists/dup/versions', csv, 'text/csv')
    expect(again.status).toBe(200)
    expect(((await again.json()) as Version).version).toBe('1')
  })

  it('shows watch-list matches as information that does not change the verdict', async () => {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'acme_watch',
      name: 'ACME watch',
      mode: 'watch',
      legal_status: 'in_force',
      source: 'test',
    })
    await h.send(key, 'POST', '/v1/lists/acme_watch/versions', {
      entries: [{ code: '848210', title: 'Ball bearings', category: 'b' }],
    })
    const checked = await h.check(key, BEARING)
    expect(checked.verdict).toBe('clear')
    const m = checked.matches.find((x) => x.list_id === 'acme_watch')
    expect(m).toMatchObject({ applies: false })
    expect(m?.why_not_applied).toMatch(/watch list/)
  })

  it('applies a list with destinations only on routes reaching them', async () => {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'ru_only',
      name: 'Russia only',
      mode: 'blocking',
      legal_status: 'in_force',
      source: 'test',
      destinations: ['ru'],
    })
    await h.send(key, 'POST', '/v1/lists/ru_only/versions', {
      entries: [{ code: '8482', title: 'Bearings', category: 'bearings' }],
    })
    const elsewhere = await h.check(key, BEARING)
    expect(elsewhere.verdict).toBe('clear')
    expect(elsewhere.matches.find((m) => m.list_id === 'ru_only')?.why_not_applied).toMatch(
      /only on routes reaching Russia/,
    )
    const toRussia = await h.check(key, { ...BEARING, destination: 'KZ', final_destination: 'RU' })
    expect(toRussia.verdict).toBe('prohibited')
  })

  it('lists the tenant’s own lists beside the built-in ones', async () => {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'mine',
      name: 'Mine',
      mode: 'watch',
      legal_status: 'guidance',
      source: 'test',
    })
    const { data } = (await (await h.send(key, 'GET', '/v1/lists')).json()) as {
      data: { id: string; owner: string; mode: string }[]
    }
    expect(data.find((l) => l.id === 'chp')).toMatchObject({ owner: 'catalogue', mode: 'builtin' })
    expect(data.find((l) => l.id === 'mine')).toMatchObject({ owner: 'tenant', mode: 'watch' })
  })

  it('applies an operator list (imported with dualuse lists import) to every tenant, and shows it', async () => {
    const { importListVersion } = await import('../../src/core/lists/manage-lists')
    const at = new Date().toISOString()
    const id = `kz_ban_${crypto.randomUUID().slice(0, 8)}`
    await h.repo.createList(
      {
        owner: '',
        id,
        name: 'Kazakhstan export ban (official)',
        mode: 'blocking',
        legalStatus: 'in_force',
        source: 'Order (test)',
        destinations: ['RU', 'BY'],
        createdAt: at,
        createdBy: 'operator',
      },
      null,
    )
    await importListVersion(
      h.deps.screening!,
      { owner: '', id, legalStatus: 'in_force', source: 'Order (test)' },
      {
        entries: [
          {
            code: '848210',
            title: 'Ball bearings',
            category: null,
            patterns: [],
            partial: false,
            text: null,
            derivation: null,
          },
        ],
      },
      { name: 'operator', keyId: null },
      at,
    )
    for (const { key } of [await h.tenant(), await h.tenant()]) {
      const checked = await h.check(key, { ...BEARING, destination: 'KZ', final_destination: 'RU' })
      expect(checked.verdict).toBe('prohibited')
      expect(checked.reasons[0]?.text).toMatch(/operator’s blocking list/)
      const { data } = (await (await h.send(key, 'GET', '/v1/lists')).json()) as {
        data: { id: string; owner: string }[]
      }
      expect(data.find((l) => l.id === id)?.owner).toBe('operator')
      // A tenant reads its versions, and may not import into it.
      expect((await h.send(key, 'GET', `/v1/lists/${id}/versions`)).status).toBe(200)
    }
  })
})
