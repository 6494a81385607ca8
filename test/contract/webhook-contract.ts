/**
 * The webhook repository's contract (issue 10), run on better-sqlite3 (`sqlite` project) and on D1
 * (`workers` project) like the storage contract: the outbox written with the check, one pending
 * delivery per subscribed enabled endpoint, leases (never held twice at once, taken over once
 * expired), the attempt log with the endpoint's failure streak, and redelivery under the same id.
 *
 * `claimDue` looks at every tenant's deliveries, so each test works at its own instant long past (no
 * other test's delivery is due then) and deletes its endpoints, with their deliveries, when it ends.
 */
import { describe, expect, it, type TestContext } from 'vitest'
import { checkFlaggedEvent, testEvent } from '../../src/core/webhooks/events'
import type { AttemptRecord, DueDelivery } from '../../src/core/webhooks/ports'
import { storagePorts } from '../../src/storage'
import type { Store } from '../../src/storage/atomic'
import { newWebhookAttemptId, newWebhookEndpointId, newWebhookEventId } from '../../src/storage/ids'
import { ensureTenant } from '../../src/storage/repos/tenant-repo'
import { outboxQueries, webhookRepo } from '../../src/storage/repos/webhook-repo'
import { sampleCheck } from './storage-contract'

const SEALED = 'v1.sealed-in-tests.not-opened-here'

/** An instant in `year` (before the service existed), `seconds` after its start. */
const at = (year: number, seconds = 0) =>
  new Date(Date.UTC(year, 0, 1) + seconds * 1000).toISOString()

export function webhookContract(label: string, openStore: () => Promise<Store>) {
  describe(`webhook repository contract on ${label}`, () => {
    const setup = async (t: TestContext) => {
      const store = await openStore()
      const repo = webhookRepo(store)
      const tenant = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      const endpoints: { tenantId: string; id: string }[] = []
      t.onTestFinished(async () => {
        for (const e of endpoints) await repo.deleteEndpoint(e.tenantId, e.id)
      })
      const endpoint = async (
        opts: { tenantId?: string; events?: ('check.flagged' | 'batch.completed')[] } = {},
      ) => {
        const id = newWebhookEndpointId()
        const tenantId = opts.tenantId ?? tenant.id
        const now = new Date().toISOString()
        await repo.createEndpoint(
          {
            id,
            tenantId,
            url: `https://hooks.example.com/${id}`,
            description: null,
            events: opts.events ?? ['check.flagged'],
            status: 'enabled',
            disabledReason: null,
            createdAt: now,
            updatedAt: now,
          },
          SEALED,
        )
        endpoints.push({ tenantId, id })
        return id
      }
      /** A `webhook.test` event with one pending delivery to `endpointId`, due at `when`. */
      const pending = async (endpointId: string, when: string) => {
        const event = testEvent(tenant.id, endpointId, newWebhookEventId(), when)
        await repo.recordTestEvent(event, endpointId)
        return event.id
      }
      return { store, repo, tenant, endpoint, pending }
    }

    const attempt = (
      due: DueDelivery,
      outcome: AttemptRecord['outcome'],
      when: string,
      extra: Partial<AttemptRecord> = {},
    ): AttemptRecord => ({
      id: newWebhookAttemptId(),
      eventId: due.eventId,
      eventType: due.eventType,
      endpointId: due.endpointId,
      tenantId: due.tenantId,
      attempt: due.attempts + 1,
      attemptedAt: when,
      statusCode: outcome === 'delivered' ? 204 : 500,
      durationMs: 12,
      error: outcome === 'delivered' ? null : 'HTTP 500',
      outcome,
      nextAttemptAt: null,
      disableEndpoint: null,
      ...extra,
    })

    const keys = (due: { eventId: string; endpointId: string }[]) =>
      due.map((d) => `${d.eventId}/${d.endpointId}`).sort()

    it("writes a flagged check's event in the check's write, with one pending delivery per enabled endpoint subscribed to it", async (t) => {
      const { store, repo, tenant, endpoint } = await setup(t)
      const ports = storagePorts(store)
      const other = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      const subscribed = await endpoint()
      const alsoSubscribed = await endpoint({ events: ['batch.completed', 'check.flagged'] })
      await endpoint({ events: ['batch.completed'] })
      const disabled = await endpoint()
      await repo.updateEndpoint(tenant.id, disabled, {
        status: 'disabled',
        updatedAt: new Date().toISOString(),
      })
      await endpoint({ tenantId: other.id })

      const check = sampleCheck(tenant.id, at(2001), 'review')
      const event = checkFlaggedEvent(check, newWebhookEventId())
      await ports.checks.insert(check, undefined, [event])
      expect(await repo.getEvent(tenant.id, event.id)).toEqual({
        id: event.id,
        tenantId: tenant.id,
        type: 'check.flagged',
        createdAt: check.createdAt,
        payloadJson: event.payloadJson,
      })
      expect(await repo.getEvent(other.id, event.id)).toBeNull()
      const deliveries = await repo.pendingFor(event.id)
      expect(keys(deliveries)).toEqual(
        keys([subscribed, alsoSubscribed].map((endpointId) => ({ eventId: event.id, endpointId }))),
      )

      // A write that fails stores neither the check nor its event nor any delivery: one transaction.
      const clash = { ...sampleCheck(tenant.id, at(2001), 'review'), id: check.id }
      const lost = {
        ...checkFlaggedEvent(clash, newWebhookEventId()),
        subjectId: `chk_${crypto.randomUUID()}`,
      }
      await expect(ports.checks.insert(clash, undefined, [lost])).rejects.toThrow()
      expect(await repo.getEvent(tenant.id, lost.id)).toBeNull()
      expect(await repo.pendingFor(lost.id)).toEqual([])

      // The same subject's event written again (a retried write) adds nothing.
      const again = checkFlaggedEvent(check, newWebhookEventId())
      await store.atomic(outboxQueries(again))
      expect(await repo.getEvent(tenant.id, again.id)).toBeNull()
      expect(await repo.pendingFor(event.id)).toHaveLength(2)
    })

    it('leases a due delivery to one claimer at a time and lets another take it over once the lease has run out', async (t) => {
      const { repo, endpoint, pending } = await setup(t)
      const e = await endpoint()
      const ids = [
        await pending(e, at(2002, 0)),
        await pending(e, at(2002, 1)),
        await pending(e, at(2002, 2)),
      ]
      const notYet = await pending(e, at(2002, 3600))
      const now = at(2002, 60)
      const leaseUntil = at(2002, 90)

      const first = await repo.claimDue(now, leaseUntil, 2)
      // Oldest due first, with what an attempt needs.
      expect(first.map((d) => d.eventId)).toEqual(ids.slice(0, 2))
      expect(first[0]).toMatchObject({
        endpointId: e,
        attempts: 0,
        eventType: 'webhook.test',
        url: `https://hooks.example.com/${e}`,
        secretSealed: SEALED,
        previousSecretSealed: null,
        failingSince: null,
      })
      expect(JSON.parse(first[0]!.payloadJson)).toMatchObject({ type: 'webhook.test' })
      // Leased deliveries are not handed out again while the lease holds, by either claim.
      const second = await repo.claimDue(now, leaseUntil, 10)
      expect(second.map((d) => d.eventId)).toEqual([ids[2]])
      expect(await repo.claimDue(at(2002, 89), at(2002, 120), 10)).toEqual([])
      expect(await repo.claimOne(ids[0]!, e, at(2002, 89), at(2002, 89), at(2002, 120))).toBeNull()
      // Once it has run out (its holder died), the next claimer takes every one of them over.
      const after = await repo.claimDue(at(2002, 91), at(2002, 121), 10)
      expect(after.map((d) => d.eventId)).toEqual(ids)
      expect(after.map((d) => d.eventId)).not.toContain(notYet)
    })

    it('never leases one delivery to two claimers that ask at the same time', async (t) => {
      const { repo, endpoint, pending } = await setup(t)
      const e = await endpoint()
      const ids: string[] = []
      for (let i = 0; i < 12; i++) ids.push(await pending(e, at(2003, i)))
      const now = at(2003, 60)
      const claims = await Promise.all(
        Array.from({ length: 4 }, () => repo.claimDue(now, at(2003, 90), 5)),
      )
      const all = claims.flat().map((d) => d.eventId)
      expect(new Set(all).size).toBe(all.length)
      expect(all.sort()).toEqual([...ids].sort())
      // A queue message's claim of one of them finds it leased.
      expect(await repo.claimOne(ids[0]!, e, now, now, at(2003, 90))).toBeNull()
    })

    it("shares the slots between endpoints: one endpoint's older backlog gets its share, the others' deliveries the rest", async (t) => {
      const { repo, endpoint, pending } = await setup(t)
      const slow = await endpoint()
      const other = await endpoint()
      // A receiver timing out: its backlog is the oldest due work.
      const backlog: string[] = []
      for (let i = 0; i < 20; i++) backlog.push(await pending(slow, at(2010, i)))
      const others = [await pending(other, at(2010, 30)), await pending(other, at(2010, 31))]
      const now = at(2010, 60)
      const lease = at(2010, 90)
      const first = await repo.claimDue(now, lease, 8, { perEndpoint: 3, inFlight: new Map() })
      expect(first.map((d) => d.eventId)).toEqual([...backlog.slice(0, 3), ...others])
      // With its share in flight the slow endpoint gets nothing more, however old its backlog.
      await pending(other, at(2010, 40))
      const next = await repo.claimDue(now, lease, 8, {
        perEndpoint: 3,
        inFlight: new Map([
          [slow, 3],
          [other, 2],
        ]),
      })
      expect(next.map((d) => d.endpointId)).toEqual([other])
      // Without a share, oldest due first as before.
      const rest = await repo.claimDue(now, lease, 4)
      expect(rest.map((d) => d.eventId)).toEqual(backlog.slice(3, 7))
    })

    it('does not lease a delivery whose endpoint is disabled, and leases it again once re-enabled', async (t) => {
      const { repo, tenant, endpoint, pending } = await setup(t)
      const e = await endpoint()
      const id = await pending(e, at(2004))
      await repo.updateEndpoint(tenant.id, e, { status: 'disabled', updatedAt: at(2004, 1) })
      expect(await repo.claimDue(at(2004, 60), at(2004, 90), 10)).toEqual([])
      expect(await repo.claimOne(id, e, at(2004, 60), at(2004, 60), at(2004, 90))).toBeNull()
      await repo.updateEndpoint(tenant.id, e, { status: 'enabled', updatedAt: at(2004, 2) })
      expect((await repo.claimOne(id, e, at(2004, 60), at(2004, 60), at(2004, 90)))?.eventId).toBe(
        id,
      )
    })

    it('logs each attempt, drops the lease, schedules the retry and keeps the failure streak', async (t) => {
      const { repo, tenant, endpoint, pending } = await setup(t)
      const e = await endpoint()
      const id = await pending(e, at(2005))
      const [due] = await repo.claimDue(at(2005, 10), at(2005, 40), 10)
      await repo.recordAttempt(
        attempt(due!, 'retry', at(2005, 11), { nextAttemptAt: at(2005, 16) }),
      )
      // Not due before its retry, though no longer leased; due then, with the attempt counted.
      expect(await repo.claimDue(at(2005, 15), at(2005, 45), 10)).toEqual([])
      const [retry] = await repo.claimDue(at(2005, 16), at(2005, 46), 10)
      expect(retry).toMatchObject({ eventId: id, attempts: 1, failingSince: at(2005, 11) })
      await repo.recordAttempt(attempt(retry!, 'delivered', at(2005, 17)))
      expect(await repo.claimDue(at(2006), at(2006, 30), 10)).toEqual([])
      expect(await repo.pendingFor(id)).toEqual([])

      const log = await repo.listAttempts(tenant.id, e, { limit: 10 })
      expect(
        log.items.map((a) => [a.eventId, a.attempt, a.statusCode, a.error, a.nextAttemptAt]),
      ).toEqual([
        [id, 2, 204, null, null],
        [id, 1, 500, 'HTTP 500', at(2005, 16)],
      ])
      expect(log.items[0]).toMatchObject({
        eventType: 'webhook.test',
        endpointId: e,
        durationMs: 12,
      })
      expect(await repo.listAttempts(tenant.id, newWebhookEndpointId(), { limit: 10 })).toEqual({
        items: [],
        next: null,
      })
      // The success ended the streak: the next failure starts a new one.
      const next = await pending(e, at(2005, 20))
      const [third] = await repo.claimDue(at(2005, 21), at(2005, 51), 10)
      expect(third).toMatchObject({ eventId: next, failingSince: null })
    })

    it('records several attempts in one write as if one by one: the streak restarts after a success, and any disabling holds', async (t) => {
      const { repo, tenant, endpoint, pending } = await setup(t)
      const e = await endpoint()
      for (let i = 0; i < 4; i++) await pending(e, at(2007, i))
      const due = await repo.claimDue(at(2007, 10), at(2007, 40), 10)
      expect(due).toHaveLength(4)
      await repo.recordAttempts([
        attempt(due[0]!, 'retry', at(2007, 11), { nextAttemptAt: at(2007, 100) }),
        attempt(due[1]!, 'delivered', at(2007, 12)),
        attempt(due[2]!, 'retry', at(2007, 13), { nextAttemptAt: at(2007, 100) }),
        attempt(due[3]!, 'failed', at(2007, 14)),
      ])
      const again = await repo.claimDue(at(2007, 100), at(2007, 130), 10)
      expect(again.map((d) => [d.eventId, d.attempts, d.failingSince]).sort()).toEqual(
        [
          [due[0]!.eventId, 1, at(2007, 13)],
          [due[2]!.eventId, 1, at(2007, 13)],
        ].sort(),
      )
      expect((await repo.listAttempts(tenant.id, e, { limit: 10 })).items).toHaveLength(4)

      await repo.recordAttempts([
        attempt(again[0]!, 'failed', at(2007, 101), { disableEndpoint: 'answered 410 Gone' }),
        attempt(again[1]!, 'delivered', at(2007, 102)),
      ])
      expect(await repo.getEndpoint(tenant.id, e)).toMatchObject({
        status: 'disabled',
        disabledReason: 'answered 410 Gone',
      })
    })

    it('redelivers an event under the same webhook-id with a fresh schedule, keeping the attempt log', async (t) => {
      const { store, repo, tenant, endpoint } = await setup(t)
      const ports = storagePorts(store)
      const e = await endpoint()
      const check = sampleCheck(tenant.id, at(2008), 'review')
      const event = checkFlaggedEvent(check, newWebhookEventId())
      await ports.checks.insert(check, undefined, [event])
      const [due] = await repo.claimDue(at(2008, 10), at(2008, 40), 10)
      expect(due?.eventId).toBe(event.id)
      await repo.recordAttempt(attempt(due!, 'failed', at(2008, 11)))
      expect(await repo.claimDue(at(2009), at(2009, 30), 10)).toEqual([])

      expect(await repo.redeliver(tenant.id, event.id, undefined, at(2008, 20))).toEqual([e])
      const [again] = await repo.claimDue(at(2008, 20), at(2008, 50), 10)
      expect(again).toMatchObject({ eventId: event.id, endpointId: e, attempts: 0 })
      expect(again!.payloadJson).toBe(event.payloadJson)
      expect((await repo.listAttempts(tenant.id, e, { limit: 10 })).items).toHaveLength(1)
      // Another tenant cannot redeliver it.
      const other = await ensureTenant(store.db, `t-${crypto.randomUUID()}`, new Date())
      expect(await repo.redeliver(other.id, event.id, undefined, at(2008, 30))).toEqual([])
    })
  })
}
