/**
 * A re-check page that fails every try (Node runner): the re-check ends `failed` after
 * JOB_STEP_MAX_ATTEMPTS tries with the reason in `error`, keeping the pages committed before it; tries
 * are counted before each page, so tries that took the server down fail it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JOB_STEP_MAX_ATTEMPTS } from '../../src/core/job-attempts'
import type { GoodsChecker } from '../../src/core/ports'
import type { RecheckRepo } from '../../src/core/rechecks/ports'
import type { RecheckDeps } from '../../src/core/rechecks/run-recheck-page'
import { type RecheckRunner, startRecheckRunner } from '../../src/runtime/recheck-runner'
import { newWebhookEventId } from '../../src/storage/ids'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
let repo: RecheckRepo
let runner: RecheckRunner | undefined
let poisonTries = 0
beforeAll(async () => {
  h = await makeScreeningHarness()
  repo = (h.deps as unknown as { recheckRepo: RecheckRepo }).recheckRepo
})
afterAll(async () => {
  await runner?.stop()
  h.close()
})

const BEARING = { description: 'Deep groove ball bearing 6205-2RS', destination: 'DE' }
const POISON = { description: 'Poison pill bearing', destination: 'DE' }

function startRunner(): RecheckRunner {
  const real = h.deps.checker
  // The service's checker, except that it cannot get past the poison line (a thread it crashes).
  const checker: GoodsChecker = {
    versions: real.versions,
    lists: real.lists,
    check(request, screening) {
      if (request.description === POISON.description) {
        poisonTries++
        throw new Error('check thread stopped (exit code 1)')
      }
      return real.check(request, screening)
    },
  }
  const deps: RecheckDeps = {
    repo,
    checker,
    screening: h.deps.screening!,
    clock: h.deps.clock,
    ids: h.deps.ids,
    logger: h.deps.logger,
    webhooks: { newEventId: newWebhookEventId, dispatch: { dispatched: () => {} } },
  }
  return startRecheckRunner({
    deps,
    concurrency: 1,
    pageSize: 2,
    leaseMs: 20,
    retryDelayMs: 5,
    pollMs: 10,
  })
}

type RecheckDoc = { status: string; checks_done: number; changed: number; error: string | null }

async function settled(key: string, id: string): Promise<RecheckDoc> {
  for (let i = 0; i < 1000; i++) {
    const body = (await (await h.send(key, 'GET', `/v1/rechecks/${id}`)).json()) as RecheckDoc
    if (body.status === 'completed' || body.status === 'failed') return body
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`recheck ${id} did not finish`)
}

/** A tenant with `checks` stored, then a version of a blocking list: one re-check to run. */
async function recheckOf(checks: Record<string, unknown>[], listId: string) {
  const { key } = await h.tenant()
  const made = []
  for (const c of checks) made.push(await h.check(key, c))
  const list = await h.send(key, 'POST', '/v1/lists', {
    id: listId,
    name: 'Denied goods',
    mode: 'blocking',
    legal_status: 'guidance',
    source: 'policy 7',
  })
  expect(list.status).toBe(201)
  const res = await h.send(
    key,
    'POST',
    `/v1/lists/${listId}/versions`,
    'code,title,category\n8482.10,Ball bearings,bearings\n',
    'text/csv',
  )
  expect(res.status).toBe(201)
  const { rechecks } = (await res.json()) as { rechecks: string[] }
  expect(rechecks).toHaveLength(1)
  return { key, made, id: rechecks[0]! }
}

describe('a re-check page that cannot be checked (Node runner)', () => {
  it(`fails the re-check after ${JOB_STEP_MAX_ATTEMPTS} tries, keeping the pages before it`, async () => {
    // Queued with no runner yet, so the test starts it once the job exists.
    h.deps.rechecks = { repo, queue: { enqueue() {} } }
    // Oldest first, two a page: the first page re-issues the two bearings, the second holds the poison.
    const { key, made, id } = await recheckOf([BEARING, BEARING, POISON], 'poison_list')
    poisonTries = 0
    runner = startRunner()
    const done = await settled(key, id)
    expect(done).toMatchObject({ status: 'failed', checks_done: 2, changed: 2 })
    expect(done.error).toBe(
      `the page after check ${made[1]!.id} failed ${JOB_STEP_MAX_ATTEMPTS} tries: Error: check thread stopped (exit code 1)`,
    )
    expect(poisonTries).toBe(JOB_STEP_MAX_ATTEMPTS)
    await runner.stop()
    runner = undefined
  })

  it('fails the re-check without running again a page whose every try took the server down', async () => {
    h.deps.rechecks = { repo, queue: { enqueue() {} } }
    const { key, id } = await recheckOf([BEARING, BEARING], 'crash_list')
    // As servers that died on its first page leave it: the tries counted, the page never committed.
    await h.store.db
      .updateTable('recheck')
      .set({ page_attempts: JOB_STEP_MAX_ATTEMPTS })
      .where('id', '=', id)
      .execute()
    runner = startRunner()
    const done = await settled(key, id)
    expect(done).toMatchObject({
      status: 'failed',
      checks_done: 0,
      changed: 0,
      error: `the first page was tried ${JOB_STEP_MAX_ATTEMPTS} times without finishing (the server stopped during each try)`,
    })
    await runner.stop()
    runner = undefined
  })
})
