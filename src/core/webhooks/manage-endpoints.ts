/**
 * @module webhooks/manage-endpoints
 * The tenant's side of webhooks: create, change, rotate the secret of, and test endpoints; redeliver
 * events. Each verb checks the URL with the SSRF guard where it changes and leaves delivery to the
 * deliverer (through the outbox and the dispatch hint).
 */

import { AppError } from '../errors'
import type { Clock } from '../ports'
import { assertEndpointUrl, type UrlPolicy } from './endpoint-url'
import { testEvent } from './events'
import type {
  EndpointStatus,
  StoredEndpoint,
  StoredEvent,
  SubscribableEventType,
  WebhookDispatch,
  WebhookRepo,
} from './ports'
import type { SecretBox } from './secret-box'
import { newSigningSecret } from './signing'

/** A rotated-out secret keeps signing, beside the new one, this long. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3600_000

/** What the webhook verbs need: built by the runtime, absent where webhooks are not wired. */
export type WebhookDeps = {
  repo: WebhookRepo
  /** Null when no `WEBHOOK_SECRET_KEY` is configured: endpoints cannot be created or rotated. */
  secrets: SecretBox | null
  policy: UrlPolicy
  dispatch: WebhookDispatch
  newEndpointId: () => string
  newEventId: () => string
}

type Ctx = { webhooks: WebhookDeps; clock: Clock }

function boxOf(webhooks: WebhookDeps): SecretBox {
  if (!webhooks.secrets)
    throw new AppError(
      'NOT_IMPLEMENTED',
      'webhook endpoints need WEBHOOK_SECRET_KEY, which this deployment does not set',
    )
  return webhooks.secrets
}

/**
 * Creates an enabled endpoint for `tenantId` after checking its URL; returns it with its signing
 * secret, which is stored sealed and never shown again.
 */
export async function createWebhookEndpoint(
  { webhooks, clock }: Ctx,
  tenantId: string,
  input: { url: string; events: SubscribableEventType[]; description?: string | null },
): Promise<{ endpoint: StoredEndpoint; secret: string }> {
  const box = boxOf(webhooks)
  await assertEndpointUrl(input.url, webhooks.policy)
  const now = clock.now().toISOString()
  const endpoint: StoredEndpoint = {
    id: webhooks.newEndpointId(),
    tenantId,
    url: input.url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    status: 'enabled',
    disabledReason: null,
    createdAt: now,
    updatedAt: now,
  }
  const secret = newSigningSecret()
  await webhooks.repo.createEndpoint(endpoint, await box.seal(secret, endpoint.id))
  return { endpoint, secret }
}

/** Changes an endpoint; a new URL is checked first. NOT_FOUND for another tenant's. */
export async function updateWebhookEndpoint(
  { webhooks, clock }: Ctx,
  tenantId: string,
  id: string,
  patch: {
    url?: string
    events?: SubscribableEventType[]
    description?: string | null
    status?: EndpointStatus
  },
): Promise<StoredEndpoint> {
  if (patch.url !== undefined) await assertEndpointUrl(patch.url, webhooks.policy)
  const updated = await webhooks.repo.updateEndpoint(tenantId, id, {
    ...patch,
    events: patch.events ? [...new Set(patch.events)] : undefined,
    updatedAt: clock.now().toISOString(),
  })
  if (!updated) throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
  // Re-enabled: deliveries that waited for it are due now.
  if (patch.status === 'enabled') await webhooks.dispatch.dispatched([])
  return updated
}

/** A new signing secret; the old one keeps signing for 24 hours. Returns the new secret once. */
export async function rotateWebhookSecret(
  { webhooks, clock }: Ctx,
  tenantId: string,
  id: string,
): Promise<{ endpoint: StoredEndpoint; secret: string }> {
  const box = boxOf(webhooks)
  const now = clock.now()
  const secret = newSigningSecret()
  const rotated = await webhooks.repo.rotateSecret(
    tenantId,
    id,
    await box.seal(secret, id),
    new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS).toISOString(),
    now.toISOString(),
  )
  const endpoint = rotated ? await webhooks.repo.getEndpoint(tenantId, id) : null
  if (!endpoint) throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
  return { endpoint, secret }
}

/** Stores a `webhook.test` event with one delivery to the endpoint, and hints the deliverer. */
export async function sendTestEvent(
  { webhooks, clock }: Ctx,
  tenantId: string,
  id: string,
): Promise<StoredEvent> {
  const endpoint = await webhooks.repo.getEndpoint(tenantId, id)
  if (!endpoint) throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
  const event = testEvent(tenantId, id, webhooks.newEventId(), clock.now().toISOString())
  await webhooks.repo.recordTestEvent(event, id)
  await webhooks.dispatch.dispatched([event.id])
  return event
}

/**
 * Schedules an event again, now, to one endpoint of the tenant or to every enabled endpoint
 * subscribed to its type. Returns the endpoint ids. NOT_FOUND for an unknown event or endpoint.
 */
export async function redeliverEvent(
  { webhooks, clock }: Ctx,
  tenantId: string,
  eventId: string,
  endpointId?: string,
): Promise<string[]> {
  if (!(await webhooks.repo.getEvent(tenantId, eventId)))
    throw new AppError('NOT_FOUND', `no event ${eventId}`)
  if (endpointId !== undefined && !(await webhooks.repo.getEndpoint(tenantId, endpointId)))
    throw new AppError('NOT_FOUND', `no webhook endpoint ${endpointId}`)
  const scheduled = await webhooks.repo.redeliver(
    tenantId,
    eventId,
    endpointId,
    clock.now().toISOString(),
  )
  if (scheduled.length > 0) await webhooks.dispatch.dispatched([eventId])
  return scheduled
}
