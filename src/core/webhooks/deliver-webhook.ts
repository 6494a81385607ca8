/**
 * @module webhooks/deliver-webhook
 * One attempt to deliver one event to one endpoint, and its consequences: delivered on 2xx; on
 * anything else another attempt on the retry schedule, or given up when it is spent; the endpoint
 * disabled when it answers 410 Gone or has failed for 5 days. The same verb serves the Node loop and
 * the Worker's queue consumer; only who calls it, and when, differs.
 */

import { type UrlPolicy, urlRefusal } from './endpoint-url'
import type { AttemptRecord, DueDelivery, WebhookRepo } from './ports'
import { DISABLE_AFTER_FAILING_MS, retryDelayMs } from './retry-schedule'
import type { SecretBox } from './secret-box'
import { webhookHeaders } from './signing'

/** Standard Webhooks' recommendation: a receiver answers quickly and works after answering. */
export const DELIVERY_TIMEOUT_MS = 10_000
/** The most of a response body that is read (and the start of it kept in the log): receivers' bodies are not ours to store. */
export const RESPONSE_READ_LIMIT = 4096
const ERROR_BODY_EXCERPT = 200

export type DelivererDeps = {
  repo: WebhookRepo
  secrets: SecretBox | null
  policy: UrlPolicy
  schedule: readonly number[]
  now: () => Date
  random: () => number
  newAttemptId: () => string
  /** The runtime's fetch (tests may pass their own; both runtimes use the global one). */
  fetch?: typeof fetch
  timeoutMs?: number
}

type Sent = { statusCode: number | null; error: string | null }

/**
 * Attempts `due` (a delivery its caller has leased) and records the attempt with the delivery's and
 * the endpoint's new state. Never throws for the receiver's faults; returns what was recorded.
 */
export async function deliverWebhook(
  deps: DelivererDeps,
  due: DueDelivery,
): Promise<AttemptRecord> {
  const attemptedAt = deps.now()
  const started = performance.now()
  const sent = await send(deps, due, attemptedAt)
  const durationMs = Math.round(performance.now() - started)
  const attempt = due.attempts + 1
  const at = attemptedAt.toISOString()
  const delivered = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300

  let outcome: AttemptRecord['outcome'] = 'delivered'
  let nextAttemptAt: string | null = null
  let disableEndpoint: string | null = null
  if (!delivered) {
    if (sent.statusCode === 410) {
      outcome = 'failed'
      disableEndpoint = `the endpoint answered 410 Gone at ${at}`
    } else {
      const delay = retryDelayMs(deps.schedule, attempt, deps.random())
      outcome = delay === null ? 'failed' : 'retry'
      if (delay !== null) nextAttemptAt = new Date(attemptedAt.getTime() + delay).toISOString()
      const failingSince = due.failingSince ? Date.parse(due.failingSince) : attemptedAt.getTime()
      if (attemptedAt.getTime() - failingSince >= DISABLE_AFTER_FAILING_MS)
        disableEndpoint = `every delivery has failed since ${new Date(failingSince).toISOString()} (5 days)`
    }
  }
  const record: AttemptRecord = {
    id: deps.newAttemptId(),
    eventId: due.eventId,
    eventType: due.eventType,
    endpointId: due.endpointId,
    tenantId: due.tenantId,
    attempt,
    attemptedAt: at,
    statusCode: sent.statusCode,
    durationMs,
    error: sent.error,
    outcome,
    nextAttemptAt,
    disableEndpoint,
  }
  await deps.repo.recordAttempt(record)
  return record
}

async function send(deps: DelivererDeps, due: DueDelivery, now: Date): Promise<Sent> {
  // DNS may have changed since the endpoint was saved: judge the target again before every attempt.
  const refusal = await urlRefusal(due.url, deps.policy)
  if (refusal) return { statusCode: null, error: `not sent: the URL ${refusal}` }
  let headers: Record<string, string>
  try {
    if (!deps.secrets) return { statusCode: null, error: 'not sent: WEBHOOK_SECRET_KEY is not set' }
    const secrets = [await deps.secrets.open(due.secretSealed, due.endpointId)]
    if (
      due.previousSecretSealed &&
      due.previousSecretExpiresAt &&
      Date.parse(due.previousSecretExpiresAt) > now.getTime()
    )
      secrets.push(await deps.secrets.open(due.previousSecretSealed, due.endpointId))
    headers = await webhookHeaders(
      secrets,
      due.eventId,
      Math.floor(now.getTime() / 1000),
      due.payloadJson,
    )
  } catch {
    // The message names no secret; the cause (a changed key) is the operator's to fix.
    return { statusCode: null, error: 'not sent: the signing secret cannot be opened' }
  }
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS
  try {
    const res = await (deps.fetch ?? fetch)(due.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'dualuse-webhooks/1',
        ...headers,
      },
      body: due.payloadJson,
      // A redirect could lead anywhere, past the address checks: 3xx is a failed attempt.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await readLimited(res)
    if (res.status >= 200 && res.status < 300) return { statusCode: res.status, error: null }
    const excerpt = body
      .replace(/[^\x20-\x7e]+/g, ' ')
      .trim()
      .slice(0, ERROR_BODY_EXCERPT)
    const what =
      res.status >= 300 && res.status < 400 ? 'redirect not followed' : `HTTP ${res.status}`
    return { statusCode: res.status, error: excerpt ? `${what}: ${excerpt}` : what }
  } catch (err) {
    return { statusCode: null, error: describeFetchError(err, timeoutMs) }
  }
}

/** The first `RESPONSE_READ_LIMIT` bytes of the body as text; the rest is never read. */
async function readLimited(res: Response): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < RESPONSE_READ_LIMIT) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // A body cut short says nothing more than its status.
  } finally {
    reader.cancel().catch(() => {})
  }
  const all = new Uint8Array(Math.min(size, RESPONSE_READ_LIMIT))
  let offset = 0
  for (const c of chunks) {
    const part = c.subarray(0, all.length - offset)
    all.set(part, offset)
    offset += part.length
    if (offset >= all.length) break
  }
  return new TextDecoder().decode(all)
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `timed out after ${timeoutMs / 1000} s`
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown }) : undefined
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : err instanceof Error
          ? err.message
          : String(err)
  return `network error: ${detail}`.slice(0, 300)
}
