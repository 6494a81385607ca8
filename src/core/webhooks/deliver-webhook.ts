/**
 * @module webhooks/deliver-webhook
 * One attempt to deliver one event to one endpoint, and its consequences: delivered on 2xx; on
 * anything else another attempt on the retry schedule, or given up when it is spent; the endpoint
 * disabled when it answers 410 Gone or has failed for 5 days. The same verb serves the Node loop and
 * the Worker's queue consumer; only who calls it, and when, differs (the Node loop makes attempts with
 * `attemptWebhook` and records several in one write).
 */

import type { Logger } from '../ports'
import { type UrlPolicy, urlRefusal } from './endpoint-url'
import type { AttemptRecord, DueDelivery, WebhookPost, WebhookRepo } from './ports'
import { DISABLE_AFTER_FAILING_MS, retryDelayMs } from './retry-schedule'
import type { SecretBox } from './secret-box'
import { type HmacSha256Base64, signedHeaders, signingKey } from './signing'

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
  /** How the POST is sent: `fetchPost` (the global fetch) unless the runtime has a cheaper one. */
  post?: WebhookPost
  /** The HMAC behind the signatures: Web Crypto unless the runtime has a cheaper one. */
  hmac?: HmacSha256Base64
  /** Opened signing keys, kept briefly; without it every attempt opens its secrets again. */
  keys?: SigningKeyCache
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
  const record = await attemptWebhook(deps, due)
  await deps.repo.recordAttempt(record)
  return record
}

/**
 * Attempts `due` (a delivery its caller has leased) and returns what to record, without recording it:
 * the caller must pass it to `repo.recordAttempt(s)` while it still holds the lease. Never throws for
 * the receiver's faults.
 */
export async function attemptWebhook(
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
  return {
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
}

async function send(deps: DelivererDeps, due: DueDelivery, now: Date): Promise<Sent> {
  // DNS may have changed since the endpoint was saved: judge the target again before every attempt.
  const refusal = await urlRefusal(due.url, deps.policy)
  if (refusal) return { statusCode: null, error: `not sent: the URL ${refusal}` }
  let headers: Record<string, string>
  try {
    if (!deps.secrets) return { statusCode: null, error: 'not sent: WEBHOOK_SECRET_KEY is not set' }
    const keys = [await openKey(deps, deps.secrets, due.secretSealed, due.endpointId)]
    if (
      due.previousSecretSealed &&
      due.previousSecretExpiresAt &&
      Date.parse(due.previousSecretExpiresAt) > now.getTime()
    )
      keys.push(await openKey(deps, deps.secrets, due.previousSecretSealed, due.endpointId))
    headers = await signedHeaders(
      keys,
      due.eventId,
      Math.floor(now.getTime() / 1000),
      due.payloadJson,
      deps.hmac,
    )
  } catch {
    // The message names no secret; the cause (a changed key) is the operator's to fix.
    return { statusCode: null, error: 'not sent: the signing secret cannot be opened' }
  }
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS
  try {
    const res = await (deps.post ?? fetchPost)({
      url: due.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'dualuse-webhooks/1',
        ...headers,
      },
      body: due.payloadJson,
      timeoutMs,
      readLimit: RESPONSE_READ_LIMIT,
    })
    if (res.status >= 200 && res.status < 300) return { statusCode: res.status, error: null }
    const excerpt = res.body
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

function openKey(
  deps: DelivererDeps,
  box: SecretBox,
  sealed: string,
  endpointId: string,
): Promise<Uint8Array> {
  const open = async () => signingKey(await box.open(sealed, endpointId))
  return deps.keys ? deps.keys.get(sealed, endpointId, open) : open()
}

/**
 * Opened signing keys by sealed secret and endpoint, each kept `ttlMs` at most. Opening costs an
 * AES-GCM decryption (a thread-pool job on Node) per secret per attempt, more than signing; a
 * rotation seals a new secret, so a cached key is never used in place of a newer one, and the TTL
 * bounds how long a deleted endpoint's key stays in memory. At most `max` keys (oldest dropped).
 */
export type SigningKeyCache = {
  get(sealed: string, endpointId: string, open: () => Promise<Uint8Array>): Promise<Uint8Array>
}

export function signingKeyCache(opts: {
  ttlMs: number
  max: number
  now?: () => number
}): SigningKeyCache {
  const now = opts.now ?? Date.now
  const entries = new Map<string, { key: Promise<Uint8Array>; expires: number }>()
  return {
    get(sealed, endpointId, open) {
      const id = `${endpointId} ${sealed}`
      const hit = entries.get(id)
      if (hit && hit.expires > now()) return hit.key
      entries.delete(id)
      // The promise is kept, so attempts starting together open the secret once.
      const key = open()
      key.catch(() => entries.delete(id))
      entries.set(id, { key, expires: now() + opts.ttlMs })
      while (entries.size > opts.max) entries.delete(entries.keys().next().value!)
      return key
    },
  }
}

/** `WebhookPost` over the runtime's global fetch (Workers, and the default elsewhere). */
export const fetchPost: WebhookPost = async ({ url, headers, body, timeoutMs, readLimit }) => {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    // A redirect could lead anywhere, past the address checks: 3xx is a failed attempt.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  })
  return { status: res.status, body: await readLimited(res, readLimit) }
}

/** The first `limit` bytes of the body as text; the rest is never read. */
async function readLimited(res: Response, limit: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < limit) {
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
  const all = new Uint8Array(Math.min(size, limit))
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
  // fetch wraps the socket's error in `cause`; node:http hands it over directly.
  const own = (err as { code?: unknown } | null)?.code
  const detail =
    typeof own === 'string'
      ? own
      : typeof cause?.code === 'string'
        ? cause.code
        : typeof cause?.message === 'string'
          ? cause.message
          : err instanceof Error
            ? err.message
            : String(err)
  return `network error: ${detail}`.slice(0, 300)
}

/**
 * The one log line of an attempt, on both runtimes: ids, status and outcome only, never the URL (it
 * may carry a token of the receiver's) nor any header. Delivered at info, anything else at error.
 */
export function logWebhookAttempt(logger: Logger, record: AttemptRecord): void {
  logger[record.outcome === 'delivered' ? 'info' : 'error']({
    msg: 'webhook attempt',
    event_id: record.eventId,
    endpoint_id: record.endpointId,
    attempt: record.attempt,
    status_code: record.statusCode,
    outcome: record.outcome,
    error: record.error ?? undefined,
    next_attempt_at: record.nextAttemptAt ?? undefined,
    endpoint_disabled: record.disableEndpoint ?? undefined,
  })
}
