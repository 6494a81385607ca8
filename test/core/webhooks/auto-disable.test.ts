/**
 * The 5-day rule (docs/webhooks.md, "Disabling"): an endpoint whose every attempt has failed for 5
 * days is disabled, saying since when; a success in between starts the count again. Days pass on an
 * injected clock; attempts go through `deliverWebhook` and the SQLite repository, the receiver is a
 * `post` that answers what the test says.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type DelivererDeps, deliverWebhook } from '../../../src/core/webhooks/deliver-webhook'
import { testEvent } from '../../../src/core/webhooks/events'
import { DISABLE_AFTER_FAILING_MS } from '../../../src/core/webhooks/retry-schedule'
import { secretBox } from '../../../src/core/webhooks/secret-box'
import { newSigningSecret } from '../../../src/core/webhooks/signing'
import {
  newWebhookAttemptId,
  newWebhookEndpointId,
  newWebhookEventId,
} from '../../../src/storage/ids'
import { migrateToLatest } from '../../../src/storage/migrator'
import { ensureTenant } from '../../../src/storage/repos/tenant-repo'
import { webhookRepo } from '../../../src/storage/repos/webhook-repo'
import { openSqliteStore } from '../../../src/storage/sqlite'

const DAY = 86_400_000
const START = Date.parse('2026-12-01T09:00:00.000Z')

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function setup() {
  const store = openSqliteStore(':memory:')
  closers.push(() => store.close())
  await migrateToLatest(store.db)
  const repo = webhookRepo(store)
  const tenant = await ensureTenant(store.db, 'acme', new Date(START))
  const secrets = secretBox(crypto.getRandomValues(new Uint8Array(32)))
  const endpointId = newWebhookEndpointId()
  await repo.createEndpoint(
    {
      id: endpointId,
      tenantId: tenant.id,
      url: 'https://hooks.example.com/dualuse',
      description: null,
      events: ['check.flagged'],
      status: 'enabled',
      disabledReason: null,
      createdAt: new Date(START).toISOString(),
      updatedAt: new Date(START).toISOString(),
    },
    await secrets.seal(newSigningSecret(), endpointId),
  )
  let clock = START
  let answer = 500
  const deps: DelivererDeps = {
    repo,
    secrets,
    policy: { allowPrivate: false },
    // One attempt per delivery: each day's message is a new delivery, so the schedule plays no part.
    schedule: [],
    now: () => new Date(clock),
    random: () => 0,
    newAttemptId: newWebhookAttemptId,
    // 0 stands for no answer at all: the connection is refused.
    post: async () => {
      if (answer === 0) throw Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' })
      return { status: answer, body: '' }
    },
  }
  /** A new message at `day` (days after START) that the receiver answers `status`. */
  const deliverAt = async (day: number, status: number) => {
    clock = START + day * DAY
    answer = status
    const event = testEvent(
      tenant.id,
      endpointId,
      newWebhookEventId(),
      new Date(clock).toISOString(),
    )
    await repo.recordTestEvent(event, endpointId)
    const due = await repo.claimOne(
      event.id,
      endpointId,
      new Date(clock).toISOString(),
      new Date(clock).toISOString(),
      new Date(clock + 60_000).toISOString(),
    )
    // A disabled endpoint's deliveries wait: nothing is attempted.
    return due ? deliverWebhook(deps, due) : null
  }
  const endpoint = () => repo.getEndpoint(tenant.id, endpointId)
  return { deliverAt, endpoint }
}

describe('disabling an endpoint that has failed for 5 days', () => {
  it('keeps the rule at 5 days', () => {
    expect(DISABLE_AFTER_FAILING_MS).toBe(5 * DAY)
  })

  it('disables an endpoint whose every attempt has failed for 5 days, saying since when', async () => {
    const { deliverAt, endpoint } = await setup()
    for (const day of [0, 1, 2.5, 4, 4.99]) {
      const record = await deliverAt(day, 503)
      expect(record).toMatchObject({ statusCode: 503, disableEndpoint: null })
      expect(await endpoint()).toMatchObject({ status: 'enabled', disabledReason: null })
    }
    const last = await deliverAt(5, 503)
    const since = new Date(START).toISOString()
    expect(last?.disableEndpoint).toBe(`every delivery has failed since ${since} (5 days)`)
    expect(await endpoint()).toMatchObject({
      status: 'disabled',
      disabledReason: `every delivery has failed since ${since} (5 days)`,
    })
    // Its next messages wait for it to be re-enabled.
    expect(await deliverAt(6, 200)).toBeNull()
  })

  it('counts attempts that got no answer as failures too', async () => {
    const { deliverAt, endpoint } = await setup()
    expect(await deliverAt(0, 0)).toMatchObject({
      statusCode: null,
      error: 'network error: ECONNREFUSED',
    })
    const record = await deliverAt(5.5, 0)
    expect(record?.disableEndpoint).toBe(
      `every delivery has failed since ${new Date(START).toISOString()} (5 days)`,
    )
    expect((await endpoint())?.status).toBe('disabled')
  })

  it('starts counting again after a success in between', async () => {
    const { deliverAt, endpoint } = await setup()
    await deliverAt(0, 500)
    await deliverAt(3, 500)
    expect((await deliverAt(4, 204))?.outcome).toBe('delivered')
    // Five days after the first failure, but one after the success: still enabled.
    for (const day of [5, 7, 8.99]) {
      expect((await deliverAt(day, 500))?.disableEndpoint).toBeNull()
      expect((await endpoint())?.status).toBe('enabled')
    }
    // Five days after the first failure that followed the success.
    const record = await deliverAt(10, 500)
    const since = new Date(START + 5 * DAY).toISOString()
    expect(record?.disableEndpoint).toBe(`every delivery has failed since ${since} (5 days)`)
    expect(await endpoint()).toMatchObject({
      status: 'disabled',
      disabledReason: `every delivery has failed since ${since} (5 days)`,
    })
  })
})
