/**
 * @module webhooks/ports
 * The ports of outbound webhooks (issue 10): endpoint and event storage with its outbox of
 * deliveries, host name resolution for the SSRF guard, and the "deliver soon" hint. Storage
 * implements the repo on SQLite and D1; each runtime supplies the resolver and the dispatcher.
 */

/** Event types an endpoint may subscribe to. `webhook.test` is sent on request to one endpoint only. */
export const WEBHOOK_EVENT_TYPES = [
  'check.flagged',
  'batch.completed',
  'batch.failed',
  'check.verdict_changed',
] as const
export type SubscribableEventType = (typeof WEBHOOK_EVENT_TYPES)[number]
export type WebhookEventType = SubscribableEventType | 'webhook.test'

export type EndpointStatus = 'enabled' | 'disabled'

export type StoredEndpoint = {
  id: string
  tenantId: string
  url: string
  description: string | null
  events: SubscribableEventType[]
  status: EndpointStatus
  /** Why the endpoint was disabled (by the deliverer or by a PATCH), null while enabled. */
  disabledReason: string | null
  createdAt: string
  updatedAt: string
}

/**
 * An event as stored and sent. `payloadJson` is the exact body every delivery sends
 * (`{type, timestamp, data}`), so a retry signs the same bytes.
 */
export type StoredEvent = {
  id: string
  tenantId: string
  type: WebhookEventType
  createdAt: string
  payloadJson: string
}

/**
 * An event to write in the same atomic write as the state change it announces, with one pending
 * delivery per enabled endpoint of the tenant subscribed to its type. `subjectId` (the check or
 * batch) makes the write idempotent: a second event of the same type for the same subject is dropped.
 */
export type OutboxEvent = StoredEvent & { subjectId: string }

export type Page<T, C = { createdAt: string; id: string }> = { items: T[]; next: C | null }
export type Cursor = { createdAt: string; id: string }

/** One attempt to deliver one event to one endpoint, as the delivery log shows it. */
export type DeliveryAttempt = {
  id: string
  eventId: string
  eventType: WebhookEventType
  endpointId: string
  /** 1 for the first attempt of this delivery. */
  attempt: number
  attemptedAt: string
  statusCode: number | null
  durationMs: number
  /** Why it failed (a network error, a refused address, a non-2xx status), null when delivered. */
  error: string | null
  /** When the next attempt is due; null when delivered or given up. */
  nextAttemptAt: string | null
}

/** A delivery claimed for an attempt, with what the attempt needs. */
/** A deliverer's slots per endpoint: at most `perEndpoint` each, counting those already in flight. */
export type EndpointShare = {
  perEndpoint: number
  inFlight: ReadonlyMap<string, number>
}

export type DueDelivery = {
  eventId: string
  endpointId: string
  tenantId: string
  /** Attempts made before this one. */
  attempts: number
  eventType: WebhookEventType
  payloadJson: string
  url: string
  /** Sealed (`SecretBox`) signing secrets: the current one, and the rotated-out one while valid. */
  secretSealed: string
  previousSecretSealed: string | null
  previousSecretExpiresAt: string | null
  /** Since when every attempt to this endpoint has failed; null after a success. */
  failingSince: string | null
}

/** What one attempt did, written with its consequences in one atomic write. */
export type AttemptRecord = {
  id: string
  eventId: string
  eventType: WebhookEventType
  endpointId: string
  tenantId: string
  attempt: number
  attemptedAt: string
  statusCode: number | null
  durationMs: number
  error: string | null
  outcome: 'delivered' | 'retry' | 'failed'
  nextAttemptAt: string | null
  /** Set to disable the endpoint (410, or failing for too long), with the reason. */
  disableEndpoint: string | null
}

export type EndpointPatch = {
  url?: string
  events?: SubscribableEventType[]
  description?: string | null
  status?: EndpointStatus
  updatedAt: string
}

export interface WebhookRepo {
  /** Stores a new endpoint with its sealed signing secret. */
  createEndpoint(endpoint: StoredEndpoint, secretSealed: string): Promise<void>
  /** The tenant's endpoint, or null (unknown or another tenant's). */
  getEndpoint(tenantId: string, id: string): Promise<StoredEndpoint | null>
  listEndpoints(
    tenantId: string,
    filter: { limit: number; after?: Cursor },
  ): Promise<Page<StoredEndpoint>>
  /** Applies `patch`; enabling clears the disabled reason and the failure streak. Null if not found. */
  updateEndpoint(tenantId: string, id: string, patch: EndpointPatch): Promise<StoredEndpoint | null>
  /** Deletes the endpoint with its deliveries and their attempts; false if not found. */
  deleteEndpoint(tenantId: string, id: string): Promise<boolean>
  /**
   * Makes `secretSealed` the signing secret and keeps the current one as the previous secret until
   * `previousExpiresAt`. False if not found.
   */
  rotateSecret(
    tenantId: string,
    id: string,
    secretSealed: string,
    previousExpiresAt: string,
    now: string,
  ): Promise<boolean>

  getEvent(tenantId: string, id: string): Promise<StoredEvent | null>
  listEvents(
    tenantId: string,
    filter: { type?: WebhookEventType; limit: number; after?: Cursor },
  ): Promise<Page<StoredEvent>>
  /** Stores `event` with one pending delivery to `endpointId` only (the `webhook.test` event). */
  recordTestEvent(event: StoredEvent, endpointId: string): Promise<void>
  /**
   * Schedules the event again, now: to `endpointId`, or to every enabled endpoint subscribed to its
   * type. Returns the endpoint ids scheduled (none if the event is unknown to the tenant).
   */
  redeliver(
    tenantId: string,
    eventId: string,
    endpointId: string | undefined,
    now: string,
  ): Promise<string[]>
  /** The endpoint's delivery attempts, newest first. */
  listAttempts(
    tenantId: string,
    endpointId: string,
    filter: { limit: number; after?: Cursor },
  ): Promise<Page<DeliveryAttempt>>

  // The deliverer's side. A delivery is attempted by whoever holds its lease (`leaseUntil`).
  /**
   * Leases up to `limit` pending deliveries due by `now` to enabled endpoints, oldest due first. With
   * `share`, no endpoint gets more than `share.perEndpoint` less what the caller already has in flight
   * to it (`share.inFlight`), so one slow receiver cannot take every slot.
   */
  claimDue(
    now: string,
    leaseUntil: string,
    limit: number,
    share?: EndpointShare,
  ): Promise<DueDelivery[]>
  /** Leases one pending delivery if it is due by `dueBy` and not leased (a queue message's target). */
  claimOne(
    eventId: string,
    endpointId: string,
    now: string,
    dueBy: string,
    leaseUntil: string,
  ): Promise<DueDelivery | null>
  /** Writes the attempt, the delivery's new state and the endpoint's, atomically; drops the lease. */
  recordAttempt(record: AttemptRecord): Promise<void>
  /**
   * `recordAttempt` for several attempts in one atomic write (a deliverer that sends many at once):
   * `records` in the order they were made, so an endpoint's failure streak and any disabling come out
   * as if they had been recorded one by one.
   */
  recordAttempts(records: readonly AttemptRecord[]): Promise<void>
  /** Pending deliveries due before `before` and not leased (for a sweep that re-sends them). */
  overdue(before: string, limit: number): Promise<{ eventId: string; endpointId: string }[]>
  /** Pending deliveries of one event (to enqueue them right after the outbox write). */
  pendingFor(eventId: string): Promise<{ eventId: string; endpointId: string }[]>
}

/**
 * Sends one delivery: a POST of `body` with `headers` to `url`, following no redirect, given up after
 * `timeoutMs`. Resolves with the status and at most the first `readLimit` bytes of the response body
 * as text (the rest is never read); rejects on a network error (with a `code`, or a `cause` with one)
 * or a timeout (an error named `TimeoutError`). Both runtimes default to `fetch`; the Node server
 * passes its own (`runtime/node-webhook-post.ts`).
 */
export type WebhookPost = (request: {
  url: string
  headers: Record<string, string>
  body: string
  timeoutMs: number
  readLimit: number
}) => Promise<{ status: number; body: string }>

/** Resolves a host name to its IP addresses (every A and AAAA record the runtime would connect to). */
export interface HostResolver {
  resolve(host: string): Promise<string[]>
}

/**
 * "Deliver soon": told the ids of events just written by an outbox write. The Node deliverer wakes
 * up; the Worker enqueues their deliveries. A lost hint delays delivery, never loses it (the Node
 * loop polls, the Worker's cron sweeps). Never rejects: it runs after the outbox write has
 * committed, so implementations log their own failures rather than fail the request.
 */
export interface WebhookDispatch {
  dispatched(eventIds: string[]): void | Promise<void>
}
