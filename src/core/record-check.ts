/**
 * @module record-check
 * The stored-check verb: runs a check for a tenant and keeps it as an immutable audit record, honouring
 * an optional idempotency key. HTTP calls it per request; batch runners will call it per row.
 */
import type { Deps } from './deps'
import { AppError } from './errors'
import { sha256Hex } from './hash'
import { loadScreeningContext } from './lists/load-screening-context'
import type { StoredCheck } from './ports'
import type { CheckRequest, CheckResult } from './schemas'
import { checkFlaggedEvent, isFlagged } from './webhooks/events'

/** A claim older than this with no stored check belongs to a request that died; it may be taken over. */
const STALE_CLAIM_MS = 60_000

export type RecordedCheck = { check: StoredCheck; replayed: boolean }

/**
 * Checks `request` for `tenantId` and stores the result.
 * With `idempotencyKey`: the same key and body return the stored check (`replayed`); the same key with
 * another body is UNPROCESSABLE; a request still in flight with that key is a CONFLICT.
 * Side effects: writes the check (and the key's claim) through `deps.checks` / `deps.idempotency`;
 * a failure before the check is stored releases the claim so the caller may retry. A check whose
 * verdict is not clear is stored with its `check.flagged` event (the webhooks outbox), and the
 * deliverer is told.
 */
export async function recordCheck(
  deps: Pick<
    Deps,
    'checker' | 'checks' | 'idempotency' | 'clock' | 'ids' | 'webhooks' | 'screening'
  >,
  tenantId: string,
  request: CheckRequest,
  idempotencyKey?: string,
): Promise<RecordedCheck> {
  const now = deps.clock.now()
  if (idempotencyKey !== undefined) {
    const claim = await deps.idempotency.claim(
      tenantId,
      idempotencyKey,
      await sha256Hex(canonicalJson(request)),
      now.toISOString(),
      new Date(now.getTime() - STALE_CLAIM_MS).toISOString(),
    )
    if (claim.state === 'mismatch') {
      throw new AppError(
        'UNPROCESSABLE',
        'this Idempotency-Key was already used with a different request body',
      )
    }
    if (claim.state === 'in_flight') {
      throw new AppError(
        'CONFLICT',
        'a request with this Idempotency-Key is still in flight; retry later',
      )
    }
    if (claim.state === 'done') {
      const stored = await deps.checks.get(tenantId, claim.checkId)
      if (!stored)
        throw new AppError('INTERNAL', `idempotency key points at missing check ${claim.checkId}`)
      return { check: stored, replayed: true }
    }
  }

  try {
    const id = deps.ids.checkId()
    // The tenant's lists, suppressions and settings in effect now (issue 12), recorded in the result.
    const screening = deps.screening
      ? { data: await loadScreeningContext(deps.screening, tenantId), at: now.toISOString() }
      : undefined
    const checked = deps.checker.checkAsJson
      ? await deps.checker.checkAsJson(request, screening)
      : serialized(await deps.checker.check(request, screening))
    // The id first: it is the first field of every response built from `resultJson`.
    const check: StoredCheck = {
      id,
      tenantId,
      createdAt: now.toISOString(),
      request,
      result: { id, ...checked.result },
      resultJson: `{"id":${JSON.stringify(id)},${checked.json.slice(1)}`,
    }
    const webhooks = deps.webhooks
    if (webhooks && isFlagged(check.result)) {
      const event = checkFlaggedEvent(check, webhooks.newEventId())
      await deps.checks.insert(check, idempotencyKey, [event])
      await webhooks.dispatch.dispatched([event.id])
    } else {
      await deps.checks.insert(check, idempotencyKey)
    }
    return { check, replayed: false }
  } catch (err) {
    if (idempotencyKey !== undefined) await deps.idempotency.release(tenantId, idempotencyKey)
    throw err
  }
}

function serialized(result: CheckResult): { result: CheckResult; json: string } {
  return { result, json: JSON.stringify(result) }
}

/** Key order must not change the hash: the same body re-sent by another client library must match. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
