import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem } from './harness'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
beforeAll(async () => {
  h = await makeScreeningHarness()
})
afterAll(() => h.close())

const BEARING = {
  description: 'Deep groove ball bearing 6205-2RS',
  destination: 'DE',
  reference: 'R1',
}

/** Tenant A with a blocking list, a suppression, settings and a check; tenant B with nothing. */
async function twoTenants() {
  const a = await h.tenant('a-key')
  const b = await h.tenant('b-key')
  await h.send(a.key, 'POST', '/v1/lists', {
    id: 'secret_list',
    name: 'A only',
    mode: 'blocking',
    legal_status: 'in_force',
    source: 'A',
  })
  await h.send(a.key, 'POST', '/v1/lists/secret_list/versions', {
    entries: [{ code: '848210', title: 'Ball bearings', category: 'b' }],
  })
  const sup = (await (
    await h.send(a.key, 'POST', '/v1/suppressions', { scope: { reference: 'R9' }, reason: 'A' })
  ).json()) as { id: string }
  await h.send(a.key, 'PATCH', '/v1/settings', { weak_matches_raise_review: false })
  const check = await h.check(a.key, BEARING)
  return { a, b, sup, check }
}

describe('tenant isolation of lists, suppressions, settings, audit and replays', () => {
  it('never shows or applies one tenant’s data to another', async () => {
    const { a, b, sup, check } = await twoTenants()
    expect(check.verdict).toBe('prohibited')

    // B's checks do not see A's list, suppression or settings.
    const bCheck = await h.check(b.key, BEARING)
    expect(bCheck.verdict).toBe('clear')
    expect(bCheck.matches.some((m) => m.list_id === 'secret_list')).toBe(false)
    expect(bCheck.versions.lists['secret_list']).toBeUndefined()

    for (const [method, path, body] of [
      ['GET', '/v1/lists/secret_list'],
      ['GET', '/v1/lists/secret_list/versions'],
      ['GET', '/v1/lists/secret_list/entries'],
      ['POST', '/v1/lists/secret_list/versions', { entries: [{ code: '8501', title: 'x' }] }],
      ['GET', `/v1/suppressions/${sup.id}`],
      ['DELETE', `/v1/suppressions/${sup.id}`],
      ['POST', `/v1/checks/${check.id}/replay`],
    ] as const) {
      await expectProblem(await h.send(b.key, method, path, body), 404, 'NOT_FOUND')
    }
    const lists = (await (await h.send(b.key, 'GET', '/v1/lists')).json()) as {
      data: { id: string }[]
    }
    expect(lists.data.some((l) => l.id === 'secret_list')).toBe(false)
    const sups = (await (await h.send(b.key, 'GET', '/v1/suppressions')).json()) as {
      data: unknown[]
    }
    expect(sups.data).toEqual([])
    const audit = (await (await h.send(b.key, 'GET', '/v1/audit')).json()) as { data: unknown[] }
    expect(audit.data).toEqual([])
    const settings = (await (await h.send(b.key, 'GET', '/v1/settings')).json()) as {
      weak_matches_raise_review: boolean
    }
    expect(settings.weak_matches_raise_review).toBe(true)

    // B may create a list with the same id: ids are per tenant.
    const same = await h.send(b.key, 'POST', '/v1/lists', {
      id: 'secret_list',
      name: 'B’s own',
      mode: 'watch',
      legal_status: 'guidance',
      source: 'B',
    })
    expect(same.status).toBe(201)
    // A's audit is untouched by B.
    const aAudit = (await (await h.send(a.key, 'GET', '/v1/audit')).json()) as {
      data: { actor: string }[]
    }
    expect(aAudit.data.every((r) => r.actor === 'a-key')).toBe(true)
  })

  it('answers 401 without a key on every new route', async () => {
    for (const [method, path] of [
      ['GET', '/v1/lists/chp/versions'],
      ['POST', '/v1/lists'],
      ['GET', '/v1/suppressions'],
      ['GET', '/v1/audit'],
      ['GET', '/v1/settings'],
      ['PATCH', '/v1/settings'],
    ] as const) {
      const res = await h.app.request(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      })
      await expectProblem(res, 401, 'UNAUTHENTICATED')
    }
  })
})

describe('import errors', () => {
  async function listOf() {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'mine',
      name: 'Mine',
      mode: 'blocking',
      legal_status: 'guidance',
      source: 'test',
    })
    return key
  }

  it('names the row and column of every bad CSV cell', async () => {
    const key = await listOf()
    const csv = [
      'code,title,category',
      '8482.10,Ball bearings,b',
      '9999.99,Nothing,x',
      '12345,Five digits,x',
      '3A001,Electronic items,x',
      ',No code,x',
      '8501,,x',
    ].join('\n')
    const res = await h.send(key, 'POST', '/v1/lists/mine/versions', csv, 'text/csv')
    const problem = await expectProblem(res, 400, 'INVALID_INPUT')
    expect(problem.errors?.map((e) => e.pointer)).toEqual([
      '/rows/3/code',
      '/rows/4/code',
      '/rows/5/patterns',
      '/rows/6/code',
      '/rows/7/title',
    ])
    expect(problem.errors?.[0]?.message).toMatch(/does not exist in HS 2022/)
  })

  it('names the missing column of a CSV header, and the entry and field of bad JSON', async () => {
    const key = await listOf()
    const header = await h.send(
      key,
      'POST',
      '/v1/lists/mine/versions',
      'code,title\n8501,x\n',
      'text/csv',
    )
    expect((await expectProblem(header, 400)).errors?.[0]?.message).toMatch(/category/)
    const json = await h.send(key, 'POST', '/v1/lists/mine/versions', {
      entries: [
        { code: '8501', title: 'Motors' },
        { code: '850199999999', title: 'Too long' },
      ],
    })
    expect((await expectProblem(json, 400)).errors?.map((e) => e.pointer)).toEqual([
      '/entries/1/code',
    ])
  })

  it('refuses a built-in id, a reused label with other content, and an operator list', async () => {
    const key = await listOf()
    const taken = await h.send(key, 'POST', '/v1/lists', {
      id: 'chp',
      name: 'x',
      mode: 'watch',
      legal_status: 'guidance',
      source: 'x',
    })
    await expectProblem(taken, 409, 'CONFLICT')
    const v = { version: 'v1', entries: [{ code: '8501', title: 'Motors' }] }
    expect((await h.send(key, 'POST', '/v1/lists/mine/versions', v)).status).toBe(201)
    const reused = await h.send(key, 'POST', '/v1/lists/mine/versions', {
      version: 'v1',
      entries: [{ code: '8502', title: 'Generators' }],
    })
    await expectProblem(reused, 409, 'CONFLICT')
    const builtIn = await h.send(key, 'POST', '/v1/lists/chp/versions', v)
    await expectProblem(builtIn, 403, 'FORBIDDEN')
    const csvType = await h.send(key, 'POST', '/v1/lists/mine/versions', 'x', 'application/xml')
    await expectProblem(csvType, 415)
  })
})
