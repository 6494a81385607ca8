/**
 * @module webhooks/events
 * The events a tenant's integrations hear about, built as Standard Webhooks payloads
 * (`{type, timestamp, data}`) from the state that caused them. Pure.
 */
import type { StoredCheck } from '../ports'
import type { CheckResult } from '../schemas'
import type { OutboxEvent, StoredEvent, WebhookEventType } from './ports'

/** Serialized once: every delivery and retry sends (and signs) these exact bytes. */
function payloadJson(type: WebhookEventType, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, data })
}

/** Whether a check's verdict announces itself as `check.flagged`: anything but `clear`. */
export function isFlagged(result: Pick<CheckResult, 'verdict'>): boolean {
  return result.verdict !== 'clear'
}

/**
 * `check.flagged` for a stored check: its id, reference, verdict, risk score, top HS-6 code, the entry
 * that decided the verdict, the first reason, and the check's path on this API.
 */
export function checkFlaggedEvent(check: StoredCheck, eventId: string): OutboxEvent {
  const r = check.result
  const decisive = r.matches.find((m) => m.applies !== false)
  const data = {
    id: check.id,
    reference: r.reference,
    verdict: r.verdict,
    risk_score: r.risk_score,
    hs6: r.classification.candidates[0]?.hs6 ?? null,
    decisive_entry: decisive
      ? { list_id: decisive.list_id, entry_code: decisive.entry_code, title: decisive.title }
      : null,
    first_reason: r.reasons[0]?.text ?? null,
    url: `/v1/checks/${check.id}`,
  }
  return {
    id: eventId,
    tenantId: check.tenantId,
    type: 'check.flagged',
    createdAt: check.createdAt,
    subjectId: check.id,
    payloadJson: payloadJson('check.flagged', check.createdAt, data),
  }
}

/** What a list version changed in one re-issued check: the applying matches gained and lost. */
export type VerdictChange = {
  recheck_id: string
  list_id: string
  version: string
  previous_version: string | null
  /** Matches that decide in the new check and did not in the old (list, entry, title). */
  matches_added: { list_id: string; entry_code: string; title: string }[]
  matches_removed: { list_id: string; entry_code: string; title: string }[]
  /** The engine differs from the one that made the old check: it may share in the change. */
  engine_changed: boolean
}

/**
 * `check.verdict_changed` for a check a re-check re-issued: the new check's id, the one it
 * supersedes, the reference, both verdicts, the new risk score, the list changes that caused it, and
 * the new check's path. Its subject is the old check, which is superseded at most once, so the event
 * is written once however often its page is.
 */
export function checkVerdictChangedEvent(
  check: StoredCheck,
  previous: { id: string; verdict: CheckResult['verdict'] },
  changes: VerdictChange,
  eventId: string,
): OutboxEvent {
  const r = check.result
  const data = {
    id: check.id,
    previous_id: previous.id,
    reference: r.reference,
    previous_verdict: previous.verdict,
    verdict: r.verdict,
    risk_score: r.risk_score,
    changes,
    url: `/v1/checks/${check.id}`,
  }
  return {
    id: eventId,
    tenantId: check.tenantId,
    type: 'check.verdict_changed',
    createdAt: check.createdAt,
    subjectId: previous.id,
    payloadJson: payloadJson('check.verdict_changed', check.createdAt, data),
  }
}

export type BatchEventInput = {
  id: string
  tenantId: string
  status: 'completed' | 'failed'
  counts: Record<string, number>
  at: string
}

/** `batch.completed` or `batch.failed`: the batch's id, final status, counts per verdict, its path. */
export function batchEvent(batch: BatchEventInput, eventId: string): OutboxEvent {
  const type = batch.status === 'completed' ? 'batch.completed' : 'batch.failed'
  return {
    id: eventId,
    tenantId: batch.tenantId,
    type,
    createdAt: batch.at,
    subjectId: batch.id,
    payloadJson: payloadJson(type, batch.at, {
      id: batch.id,
      status: batch.status,
      counts: batch.counts,
      url: `/v1/batches/${batch.id}`,
    }),
  }
}

/** `webhook.test`: sent to one endpoint on request, to try an integration. */
export function testEvent(
  tenantId: string,
  endpointId: string,
  eventId: string,
  at: string,
): StoredEvent {
  return {
    id: eventId,
    tenantId,
    type: 'webhook.test',
    createdAt: at,
    payloadJson: payloadJson('webhook.test', at, {
      endpoint_id: endpointId,
      message: 'This is a test event from dualuse.',
    }),
  }
}
