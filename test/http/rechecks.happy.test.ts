/**
 * Re-checks (issue 12 item 5) over HTTP on SQLite with the real engine: a new version of a tenant
 * list re-checks that tenant's stored checks; a changed verdict is re-issued as a new linked check
 * with its `check.verdict_changed` event; unchanged checks are untouched; tenants never see each
 * other's re-checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Recheck as RecheckJob, RecheckRepo } from '../../src/core/rechecks/ports'
import { type RecheckDeps, runRecheckPage } from '../../src/core/rechecks/run-recheck-page'
import { type RecheckRunner, startRecheckRunner } from '../../src/runtime/recheck-runner'
import { newWebhookEventId } from '../../src/storage/ids'
import { type CheckBody, makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
let runner: RecheckRunner
let recheckDeps: RecheckDeps
beforeAll(async () => {
  h = await makeScreeningHarness()
  const repo = (h.deps as unknown as { recheckRepo: RecheckRepo }).recheckRepo
  recheckDeps = {
    repo,
    checker: h.deps.checker,
    screening: h.deps.screening!,
    clock: h.deps.clock,
    ids: h.deps.ids,
    logger: h.deps.logger,
    webhooks: { newEventId: newWebhookEventId, dispatch: { dispatched: () => {} } },
  }
  runner = startRunner()
  h.deps.rechecks = { repo, queue: runner }
})

function startRunner(leaseMs?: number) {
  return startRecheckRunner({
    deps: recheckDeps,
    leaseMs,
    concurrency: 2,
    // Small pages, so a handful of checks takes several pages (keyset and per-page commits).
    pageSize: 2,
    pollMs: 20,
  })
}
afterAll(async () => {
  await runner.stop()
  h.close()
})

const BEARING = { description: 'Deep groove ball bearing 6205-2RS', destination: 'DE' }
const UNREADABLE = { description: 'qwzx blorp', destination: 'CL' }

type Recheck = {
  id: string
  status: string
  list_version: { list_id: string; owner: string; version: string; previous_version: string | null }
  window: { days: number; from: string; to: string }
  checks_total: number
  checks_done: number
  changed: number
  started_at: string | null
  completed_at: string | null
}
type Lineage = { supersedes?: string; recheck_id?: string; superseded_by?: string }

async function blockingList(key: string, id: string) {
  const res = await h.send(key, 'POST', '/v1/lists', {
    id,
    name: 'Denied goods',
    mode: 'blocking',
    legal_status: 'guidance',
    source: 'policy 7',
  })
  expect(res.status).toBe(201)
}

async function importVersion(key: string, listId: string, csv: string) {
  const res = await h.send(key, 'POST', `/v1/lists/${listId}/versions`, csv, 'text/csv')
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; version: string; rechecks: string[] }
}

/**
 * A new tenant with `count` clear bearing checks, then a version of its blocking list `listId` that
 * blocks bearings: a re-check job that changes every one of them.
 */
async function bearingsBlockedByNewVersion(listId: string, count: number) {
  const { key, tenant } = await h.tenant()
  const made: CheckBody[] = []
  for (let i = 0; i < count; i++)
    made.push(await h.check(key, { ...BEARING, reference: `${listId}-${i}` }))
  await blockingList(key, listId)
  const version = await importVersion(
    key,
    listId,
    'code,title,category\n8482.10,Ball bearings,bearings\n',
  )
  return { key, tenant, made, version }
}

async function finished(key: string, id: string): Promise<Recheck> {
  for (let i = 0; i < 500; i++) {
    const res = await h.send(key, 'GET', `/v1/rechecks/${id}`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Recheck
    if (body.status === 'completed' || body.status === 'failed') return body
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`recheck ${id} did not finish`)
}

describe('re-checks', () => {
  it('re-issues a check whose verdict a new version changes, links both, stores the event, and leaves unchanged checks alone', async () => {
    const { key, tenant } = await h.tenant()
    // Four stored checks: two clear bearings (one with a reference), two unreadable lines.
    const bearing = await h.check(key, { ...BEARING, reference: 'INV-9' })
    const bearing2 = await h.check(key, BEARING)
    const other = await h.check(key, UNREADABLE)
    const other2 = await h.check(key, UNREADABLE)
    expect([bearing.verdict, bearing2.verdict, other.verdict, other2.verdict]).toEqual([
      'clear',
      'clear',
      'clear',
      'clear',
    ])

    await blockingList(key, 'acme_denied')
    const v1 = await importVersion(
      key,
      'acme_denied',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
    )
    expect(v1.rechecks).toHaveLength(1)
    const done = await finished(key, v1.rechecks[0]!)
    expect(done).toMatchObject({
      status: 'completed',
      list_version: {
        list_id: 'acme_denied',
        owner: 'tenant',
        version: '1',
        previous_version: null,
      },
      window: { days: 90 },
      checks_total: 4,
      checks_done: 4,
      changed: 2,
    })
    expect(done.started_at).not.toBeNull()
    expect(done.completed_at).not.toBeNull()

    // The old check is as it was, and says who superseded it.
    const old = (await (await h.send(key, 'GET', `/v1/checks/${bearing.id}`)).json()) as CheckBody &
      Lineage
    expect(old.verdict).toBe('clear')
    expect(old.superseded_by).toMatch(/^chk_/)
    const renewed = (await (
      await h.send(key, 'GET', `/v1/checks/${old.superseded_by}`)
    ).json()) as CheckBody & Lineage & { reference: string | null; risk_score: number }
    expect(renewed).toMatchObject({
      verdict: 'review',
      reference: 'INV-9',
      supersedes: bearing.id,
      recheck_id: done.id,
    })
    expect(renewed.versions.lists['acme_denied']).toBe('1')
    // A re-issued check replays like any other.
    const replay = (await (
      await h.send(key, 'POST', `/v1/checks/${renewed.id}/replay`)
    ).json()) as { same_result: boolean }
    expect(replay.same_result).toBe(true)

    // Unchanged checks: no successor, nothing re-issued.
    for (const c of [other, other2]) {
      const body = (await (await h.send(key, 'GET', `/v1/checks/${c.id}`)).json()) as Lineage
      expect(body.superseded_by).toBeUndefined()
    }

    const events = await h.store.db
      .selectFrom('webhook_event')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('type', '=', 'check.verdict_changed')
      .execute()
    expect(events).toHaveLength(2)
    const payload = events
      .map((e) => JSON.parse(e.payload_json))
      .find((p) => p.data.previous_id === bearing.id)
    expect(payload).toMatchObject({
      type: 'check.verdict_changed',
      data: {
        id: renewed.id,
        previous_id: bearing.id,
        reference: 'INV-9',
        previous_verdict: 'clear',
        verdict: 'review',
        risk_score: renewed.risk_score,
        changes: {
          recheck_id: done.id,
          list_id: 'acme_denied',
          version: '1',
          previous_version: null,
          matches_added: [{ list_id: 'acme_denied', entry_code: '848210' }],
          matches_removed: [],
          engine_changed: false,
        },
        url: `/v1/checks/${renewed.id}`,
      },
    })

    // The listing shows old and new checks; only the re-issued ones carry `supersedes`.
    const list = (await (await h.send(key, 'GET', '/v1/checks?limit=100')).json()) as {
      data: (CheckBody & Lineage)[]
    }
    expect(list.data).toHaveLength(6)
    expect(
      list.data
        .filter((c) => c.supersedes)
        .map((c) => c.supersedes)
        .sort(),
    ).toEqual([bearing.id, bearing2.id].sort())

    // A second version that removes the entry re-checks the current checks only (the re-issued
    // ones, not the checks they superseded) and brings them back to clear.
    const v2 = await importVersion(
      key,
      'acme_denied',
      'code,title,category\n8486.20,Wafer machines,fab\n',
    )
    const second = await finished(key, v2.rechecks[0]!)
    expect(second).toMatchObject({
      list_version: { version: '2', previous_version: '1' },
      checks_total: 4,
      checks_done: 4,
      changed: 2,
    })
    const again = (await (await h.send(key, 'GET', `/v1/checks/${renewed.id}`)).json()) as Lineage
    const third = (await (
      await h.send(key, 'GET', `/v1/checks/${again.superseded_by}`)
    ).json()) as CheckBody & Lineage
    expect(third).toMatchObject({ verdict: 'clear', supersedes: renewed.id })

    // Listing, newest first.
    const listing = (await (await h.send(key, 'GET', '/v1/rechecks')).json()) as {
      data: Recheck[]
    }
    expect(listing.data.map((r) => r.id)).toEqual([second.id, done.id])
  })

  it('skips tenants with recheck_days 0 and keeps every re-check to its tenant', async () => {
    const a = await h.tenant()
    const b = await h.tenant()
    await h.check(a.key, BEARING)
    await h.check(b.key, BEARING)
    await blockingList(a.key, 'a_list')
    const va = await importVersion(
      a.key,
      'a_list',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
    )
    const ra = await finished(a.key, va.rechecks[0]!)
    expect(ra.changed).toBe(1)

    // B sees nothing of A's: not the re-check, not in its listing; B's checks were not re-checked.
    expect((await h.send(b.key, 'GET', `/v1/rechecks/${ra.id}`)).status).toBe(404)
    const listB = (await (await h.send(b.key, 'GET', '/v1/rechecks')).json()) as { data: unknown[] }
    expect(listB.data).toEqual([])
    const checksB = (await (await h.send(b.key, 'GET', '/v1/checks')).json()) as { data: unknown[] }
    expect(checksB.data).toHaveLength(1)

    // recheck_days 0: a new version starts no re-check.
    const patched = await h.send(b.key, 'PATCH', '/v1/settings', { recheck_days: 0 })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as { recheck_days: number }).recheck_days).toBe(0)
    await blockingList(b.key, 'b_list')
    const vb = await importVersion(
      b.key,
      'b_list',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
    )
    expect(vb.rechecks).toEqual([])
  })

  it('resumes a job whose runner died mid-way from its last committed page, re-issuing no check twice', async () => {
    await runner.stop()
    const { key, tenant, made, version: v } = await bearingsBlockedByNewVersion('resume_list', 5)
    const repo = recheckDeps.repo
    // A runner that leases the job, commits one page, and dies (its lease runs out in 50 ms).
    const now = new Date()
    const claimed = await repo.claim(
      'dead',
      now.toISOString(),
      new Date(now.getTime() + 50).toISOString(),
    )
    expect(claimed?.id).toBe(v.rechecks[0])
    const afterOne = await runRecheckPage(recheckDeps, claimed!, {
      pageSize: 2,
      concurrency: 1,
      owner: 'dead',
    })
    expect(afterOne).toMatchObject({ status: 'running', checksDone: 2, changed: 2 })
    // The same page written again from the stale position (a retry of the dead runner): nothing.
    const again = await runRecheckPage(recheckDeps, claimed!, {
      pageSize: 2,
      concurrency: 1,
      owner: 'dead',
    })
    expect(again).toMatchObject({ checksDone: 2, changed: 2 })

    runner = startRunner()
    h.deps.rechecks = { repo, queue: runner }
    const done = await finished(key, claimed!.id)
    expect(done).toMatchObject({ status: 'completed', checks_total: 5, checks_done: 5, changed: 5 })
    const successors = await h.store.db
      .selectFrom('check')
      .select(['supersedes'])
      .where('tenant_id', '=', tenant.id)
      .where('recheck_id', '=', claimed!.id)
      .execute()
    expect(successors.map((r) => r.supersedes).sort()).toEqual(made.map((c) => c.id).sort())
    const events = await h.store.db
      .selectFrom('webhook_event')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .where('type', '=', 'check.verdict_changed')
      .execute()
    expect(events).toHaveLength(5)
  })

  it('counts a check that two re-checks of one tenant would both re-issue only for the one that stored it', async () => {
    await runner.stop()
    const { key, tenant } = await h.tenant()
    for (let i = 0; i < 3; i++) await h.check(key, { ...BEARING, reference: `T-${i}` })
    await blockingList(key, 'first_list')
    await blockingList(key, 'second_list')
    const first = await importVersion(
      key,
      'first_list',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
    )
    const second = await importVersion(
      key,
      'second_list',
      'code,title,category\n8482.10,Ball bearings,bearings\n',
    )
    const repo = recheckDeps.repo
    const jobs = await Promise.all(
      [first.rechecks[0]!, second.rechecks[0]!].map(async (id) => (await repo.byId(id))!),
    )
    // Both jobs read their page before either commits (two servers, one job each): each would
    // re-issue all three checks.
    let arrived = 0
    let release!: () => void
    const bothRead = new Promise<void>((resolve) => {
      release = resolve
    })
    const gatedRepo: RecheckRepo = {
      ...repo,
      async commitPage(...args) {
        if (++arrived === 2) release()
        await bothRead
        return repo.commitPage(...args)
      },
    }
    const outcomes = await Promise.all(
      jobs.map((job) =>
        runRecheckPage({ ...recheckDeps, repo: gatedRepo }, job, { pageSize: 10, concurrency: 1 }),
      ),
    )
    const [a, b] = outcomes as [RecheckJob, RecheckJob]
    expect([a.status, b.status]).toEqual(['completed', 'completed'])
    expect(a.changed + b.changed).toBe(3)
    const successors = await h.store.db
      .selectFrom('check')
      .select(['recheck_id'])
      .where('tenant_id', '=', tenant.id)
      .where('supersedes', 'is not', null)
      .execute()
    expect(successors).toHaveLength(3)
    for (const job of [a, b])
      expect(successors.filter((s) => s.recheck_id === job.id)).toHaveLength(job.changed)

    runner = startRunner()
    h.deps.rechecks = { repo, queue: runner }
  })

  it("counts the checks a stale copy of the job stored, when the job's own page reaches them", async () => {
    await runner.stop()
    const { version: v } = await bearingsBlockedByNewVersion('stale_list', 3)
    const repo = recheckDeps.repo
    const job = (await repo.byId(v.rechecks[0]!))!
    // A stale copy of the job (a runner that lost its lease, a redelivered message) whose page reached
    // checks the job had not: its re-issued checks are stored, its progress is not (the cursor's
    // compare-and-set fails). Here its progress names a position the job never had.
    const staleRepo: RecheckRepo = {
      ...repo,
      commitPage: (j, reissued, progress) =>
        repo.commitPage(j, reissued, { ...progress, from: { createdAt: '', id: 'stale' } }),
    }
    const stale = await runRecheckPage({ ...recheckDeps, repo: staleRepo }, job, {
      pageSize: 10,
      concurrency: 1,
    })
    expect(stale).toMatchObject({ checksDone: 0, changed: 0 })
    // The job's own page re-issues the same three; they are stored already, and they are its own.
    const done = await runRecheckPage(recheckDeps, stale, { pageSize: 10, concurrency: 1 })
    expect(done).toMatchObject({ status: 'completed', checksDone: 3, changed: 3 })

    runner = startRunner()
    h.deps.rechecks = { repo, queue: runner }
  })
})
