/**
 * @module runtime/node-webhooks
 * Webhooks on the Node server: the signing-secret key, the DNS resolver of the SSRF guard, and the
 * in-process deliverer, wired into `Deps.webhooks`.
 */
import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { NodeEnv } from '../config/env'
import { AppError } from '../core/errors'
import type { Logger } from '../core/ports'
import { signingKeyCache } from '../core/webhooks/deliver-webhook'
import type { WebhookDeps } from '../core/webhooks/manage-endpoints'
import type { HostResolver, WebhookRepo } from '../core/webhooks/ports'
import { DEFAULT_RETRY_SCHEDULE } from '../core/webhooks/retry-schedule'
import { parseSecretKey, secretBox } from '../core/webhooks/secret-box'
import { newWebhookAttemptId, newWebhookEndpointId, newWebhookEventId } from '../storage/ids'
import { nodeHmacSha256Base64, nodeWebhookPost } from './node-webhook-post'
import { startWebhookDeliverer } from './webhook-deliverer'

/** Beside the database, not in it: see `webhookKey`. */
export const WEBHOOK_KEY_FILE = 'webhook-secret.key'

/**
 * Every address the system resolver gives for `host` (getaddrinfo: /etc/hosts included, as the
 * connection will use), IPv4 and IPv6 alike.
 */
export const nodeResolver: HostResolver = {
  async resolve(host) {
    const found = await lookup(host, { all: true, verbatim: true })
    return found.map((a) => a.address)
  },
}

/**
 * The key that seals signing secrets at rest. `WEBHOOK_SECRET_KEY` (32 bytes, base64) when set;
 * otherwise a key generated on first start into `webhook-secret.key` beside the database (mode 0600),
 * so that webhooks work out of the box while a copy of the database file alone (a backup, a dump)
 * still does not reveal the secrets. Created exclusively: server processes starting together agree
 * on one key. An in-memory database gets a key for the life of the process.
 * @throws AppError UPSTREAM_UNAVAILABLE naming the file when it cannot be read or written, or holds
 * no valid key.
 */
export function webhookKey(env: Pick<NodeEnv, 'WEBHOOK_SECRET_KEY' | 'DATABASE_PATH'>): Uint8Array {
  if (env.WEBHOOK_SECRET_KEY) return parseSecretKey(env.WEBHOOK_SECRET_KEY)!
  if (env.DATABASE_PATH === ':memory:') return new Uint8Array(randomBytes(32))
  const path = join(dirname(env.DATABASE_PATH), WEBHOOK_KEY_FILE)
  // Written whole to a file of this process's own, then linked into place: a link fails if the name
  // exists, so the key file appears complete or not at all. Created in place ('wx'), a process starting
  // beside this one could read it between its creation and the write, empty.
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`
  try {
    writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 })
    linkSync(draft, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new AppError(
        'UPSTREAM_UNAVAILABLE',
        `webhook key ${path} cannot be created (${(err as NodeJS.ErrnoException).code})`,
        { cause: err },
      )
  } finally {
    rmSync(draft, { force: true })
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
    chmodSync(path, 0o600)
  } catch (err) {
    throw new AppError(
      'UPSTREAM_UNAVAILABLE',
      `webhook key ${path} cannot be read (${(err as NodeJS.ErrnoException).code})`,
      { cause: err },
    )
  }
  const key = parseSecretKey(text)
  if (!key)
    throw new AppError(
      'UPSTREAM_UNAVAILABLE',
      `webhook key ${path} does not hold 32 bytes of base64 (WEBHOOK_SECRET_KEY)`,
    )
  return key
}

/** Builds `Deps.webhooks` for this process and starts its deliverer. */
export function startNodeWebhooks(
  env: NodeEnv,
  repo: WebhookRepo,
  logger: Logger,
  resolver: HostResolver = nodeResolver,
): { webhooks: WebhookDeps; stop(): Promise<void> } {
  const secrets = secretBox(webhookKey(env))
  const policy = { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true', resolver }
  const concurrency = env.WEBHOOK_DELIVERY_CONCURRENCY
  const post = nodeWebhookPost({
    maxSocketsPerHost: concurrency,
    allowPrivate: policy.allowPrivate,
  })
  const deliverer = startWebhookDeliverer({
    concurrency,
    perEndpoint: env.WEBHOOK_DELIVERY_PER_ENDPOINT,
    deliverer: {
      repo,
      secrets,
      policy,
      schedule: env.WEBHOOK_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE,
      now: () => new Date(),
      random: Math.random,
      newAttemptId: newWebhookAttemptId,
      post,
      hmac: nodeHmacSha256Base64,
      // A minute: the key of a deleted endpoint, or of a secret rotated out, is gone from memory soon after.
      keys: signingKeyCache({ ttlMs: 60_000, max: 1_000 }),
    },
    logger,
  })
  return {
    webhooks: {
      repo,
      secrets,
      policy,
      dispatch: deliverer,
      newEndpointId: newWebhookEndpointId,
      newEventId: newWebhookEventId,
    },
    stop: () => deliverer.stop().finally(() => post.close()),
  }
}
