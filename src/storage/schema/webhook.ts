import type { Insertable, Selectable } from 'kysely'

/**
 * The four webhook tables (issue 10) in one file: they are written together (the outbox) and make
 * sense only together. Timestamps ISO-8601 text.
 */

/** A tenant's webhook endpoint. Its signing secrets are sealed (`core/webhooks/secret-box.ts`). */
export interface WebhookEndpointTable {
  id: string
  tenant_id: string
  url: string
  description: string | null
  /**
   * Subscribed event types, space-separated with a space at each end (` check.flagged batch.completed `),
   * so the outbox finds subscribers with one `instr` in SQL.
   */
  events: string
  /** `enabled` or `disabled`. */
  status: string
  disabled_reason: string | null
  secret_sealed: string
  /** The rotated-out secret, which keeps signing until `previous_secret_expires_at`. */
  previous_secret_sealed: string | null
  previous_secret_expires_at: string | null
  /** Since when every attempt has failed; null after a success (disabled after 5 days). */
  failing_since: string | null
  created_at: string
  updated_at: string
}

/** Every event, whether or not an endpoint wanted it. `payload_json` is the exact body sent. */
export interface WebhookEventTable {
  id: string
  tenant_id: string
  type: string
  /** The check or batch it announces (unique per type: a repeated write adds nothing); null for tests. */
  subject_id: string | null
  payload_json: string
  created_at: string
}

/** One event to one endpoint: pending until delivered or given up. The outbox row. */
export interface WebhookDeliveryTable {
  event_id: string
  endpoint_id: string
  tenant_id: string
  /** `pending`, `delivered` or `failed`. */
  status: string
  attempts: number
  next_attempt_at: string
  /** Held by a deliverer until then; null when none holds it. */
  lease_until: string | null
  created_at: string
  updated_at: string
}

/** One attempt of a delivery: the delivery log. `created_at` is when it was made. */
export interface WebhookAttemptTable {
  id: string
  tenant_id: string
  event_id: string
  event_type: string
  endpoint_id: string
  attempt: number
  status_code: number | null
  duration_ms: number
  error: string | null
  next_attempt_at: string | null
  created_at: string
}

export type PartialDB = {
  webhook_endpoint: WebhookEndpointTable
  webhook_event: WebhookEventTable
  webhook_delivery: WebhookDeliveryTable
  webhook_attempt: WebhookAttemptTable
}
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>
export type NewWebhookEndpointRow = Insertable<WebhookEndpointTable>
export type WebhookEventRow = Selectable<WebhookEventTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>
