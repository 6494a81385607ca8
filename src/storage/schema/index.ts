/**
 * @module storage/schema
 * The database interface, one file per table, intersected here (ATP `account-manager/db/schema`).
 */
import type * as apiKey from './api-key'
import type * as batch from './batch'
import type * as batchChunk from './batch-chunk'
import type * as check from './check'
import type * as idempotencyKey from './idempotency-key'
import type * as recheck from './recheck'
import type * as screening from './screening'
import type * as tenant from './tenant'
import type * as webhook from './webhook'

export type Database = tenant.PartialDB &
  apiKey.PartialDB &
  check.PartialDB &
  idempotencyKey.PartialDB &
  batch.PartialDB &
  batchChunk.PartialDB &
  webhook.PartialDB &
  screening.PartialDB &
  recheck.PartialDB

export type { ApiKeyRow, NewApiKeyRow } from './api-key'
export type { BatchRow, NewBatchRow } from './batch'
export type { BatchChunkRow, NewBatchChunkRow } from './batch-chunk'
export type { CheckRow, NewCheckRow } from './check'
export type { IdempotencyKeyRow, NewIdempotencyKeyRow } from './idempotency-key'
export type { NewRecheckRow, RecheckRow } from './recheck'
export type { NewTenantRow, TenantRow } from './tenant'
export type {
  NewWebhookEndpointRow,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookEndpointRow,
  WebhookEventRow,
} from './webhook'
