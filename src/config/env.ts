/**
 * @module config/env
 * Zod schemas for process env (Node) and bindings (Workers). Parsed once, at startup on Node and
 * before each request in the Worker; routes and core never read env themselves.
 */
import { z } from 'zod'
import { parseRetrySchedule } from '../core/webhooks/retry-schedule'
import { parseSecretKey } from '../core/webhooks/secret-box'

/**
 * Webhooks (docs/webhooks.md), the same on Node and Workers: the key that seals signing secrets at
 * rest (32 bytes, base64), `true` to let endpoints use http and loopback or private addresses
 * (development, tests), and the retry schedule in seconds (default 5,300,1800,7200,18000,36000,36000).
 */
const WebhookEnvShape = {
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== null, 'must be 32 bytes, base64 (openssl rand -base64 32)')
    .optional(),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .transform((v, ctx) => {
      const schedule = parseRetrySchedule(v)
      if (!schedule) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be comma-separated seconds, at most 20, each at most 86400',
        })
        return z.NEVER
      }
      return schedule
    })
    .optional(),
}

/**
 * The admin API's root key (docs/http.md, "Admin API"): an environment variable on Node, a secret on
 * Workers (`wrangler secret put ROOT_API_KEY`). Unset, the admin API answers 404. Long enough that
 * guessing is hopeless, and never shaped like a tenant key (`du_…`), so neither can pass for the other.
 */
const RootApiKeySchema = z
  .string()
  .min(32, 'must be at least 32 characters (openssl rand -base64 32)')
  .max(512, 'must be at most 512 characters')
  .refine((v) => !v.startsWith('du_'), 'must not start with du_, the prefix of tenant API keys')
  .optional()

export const NodeEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('var/dualuse.db'),
  CATALOGUE_PATH: z.string().min(1).default('data/build/catalogue.json'),
  /** `off` silences the per-request log line (benchmarks); errors are always logged. */
  REQUEST_LOG: z.enum(['on', 'off']).default('on'),
  /**
   * Server processes sharing the port (node:cluster). Each builds its own engine (~1.2 s, ~200 MB);
   * SQLite in WAL mode serialises their writes.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /**
   * Check threads per server process, each with its own engine (~150 MB): classification runs off
   * the event loop. 0 runs checks on the event loop (one engine, least memory). Unset: the CPUs the
   * server processes leave free, shared among them (`defaultCheckThreads` in `runtime/node.ts`).
   */
  CHECK_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /**
   * HTTP timeouts of the Node server (ms). A client gets HEADERS_TIMEOUT_MS to send its headers and
   * REQUEST_TIMEOUT_MS for the whole request (headers and body), else 408 and the connection is
   * closed: a stalled body no longer holds a connection for Node's default 300 s. An idle keep-alive
   * connection is closed after KEEP_ALIVE_TIMEOUT_MS (behind a load balancer, set it above the
   * balancer's idle timeout). The headers timeout is capped at the request timeout.
   */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Per-tenant fairness on /v1 (http/tenant-limits.ts, counted per server process): requests of one
   * tenant in flight at once, and a token bucket of TENANT_RATE_PER_SECOND requests per second with
   * bursts of TENANT_BURST. Past either, 429 with Retry-After. Defaults in DEFAULT_TENANT_LIMITS.
   */
  TENANT_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(8),
  TENANT_RATE_PER_SECOND: z.coerce.number().positive().max(1_000_000).default(50),
  TENANT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /**
   * Webhook attempts in flight at once on Node (docs/webhooks.md). Deliveries share the server's CPU
   * with checks: 16 kept POST /v1/checks at 85–90 % of its rate with a busy endpoint on 2 CPUs, 64 at
   * 72–94 % while delivering without lag (BENCHMARKS.md); raise it where cores are free.
   */
  WEBHOOK_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * Of those, at most this many to one endpoint at once (capped at the concurrency; default: all but a
   * quarter, 12 of 16): a receiver that answers slowly or times out holds no more, and the other
   * endpoints' deliveries go on.
   */
  WEBHOOK_DELIVERY_PER_ENDPOINT: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * HTTP batches (docs/batch.md, "Over HTTP"): an upload over BATCH_MAX_ROWS rows or BATCH_MAX_BYTES
   * bytes is refused with 413 and nothing stored; batches (rows and results) are deleted
   * BATCH_RETENTION_DAYS after they were created.
   */
  BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(1_000_000),
  BATCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(256 * 1024 * 1024)
    .default(256 * 1024 * 1024),
  BATCH_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /**
   * Largest body of a list version import, `POST /v1/lists/{id}/versions` (docs/lists.md): 8 MiB by
   * default, 64 KiB (the limit of every other request body) to 64 MiB. Over it: 413, nothing stored.
   */
  LIST_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(64 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  ...WebhookEnvShape,
  ROOT_API_KEY: RootApiKeySchema,
})
export type NodeEnv = z.infer<typeof NodeEnvSchema>

const D1BindingSchema = z.custom<import('@cloudflare/workers-types').D1Database>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { prepare?: unknown }).prepare === 'function',
  { message: 'must be a D1 database binding' },
)

const R2BindingSchema = z.custom<import('@cloudflare/workers-types').R2Bucket>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { put?: unknown }).put === 'function' &&
    typeof (v as { list?: unknown }).list === 'function',
  { message: 'must be an R2 bucket binding' },
)

const QueueBindingSchema = z.custom<import('@cloudflare/workers-types').Queue>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { sendBatch?: unknown }).sendBatch === 'function',
  { message: 'must be a Queue producer binding' },
)

export const WorkerBindingsSchema = z.object({
  DB: D1BindingSchema,
  /**
   * HTTP batches (docs/batch.md, "On Workers"): chunk rows and results in the R2 bucket BATCHES, one
   * message per chunk on BATCH_QUEUE. Without both, /v1/batches answers 501 and checks still work.
   * The limits and retention are the Node variables of the same names (strings in `[vars]`).
   */
  BATCHES: R2BindingSchema.optional(),
  BATCH_QUEUE: QueueBindingSchema.optional(),
  BATCH_MAX_ROWS: NodeEnvSchema.shape.BATCH_MAX_ROWS,
  BATCH_MAX_BYTES: NodeEnvSchema.shape.BATCH_MAX_BYTES,
  BATCH_RETENTION_DAYS: NodeEnvSchema.shape.BATCH_RETENTION_DAYS,
  /** As on Node (a string in `[vars]`). */
  LIST_IMPORT_MAX_BYTES: NodeEnvSchema.shape.LIST_IMPORT_MAX_BYTES,
  /**
   * Webhooks (docs/webhooks.md): deliveries go through WEBHOOK_QUEUE; WEBHOOK_SECRET_KEY is a secret
   * (`wrangler secret put`), without which the endpoints API answers 501; the rest as on Node.
   */
  WEBHOOK_QUEUE: QueueBindingSchema.optional(),
  ...WebhookEnvShape,
  /**
   * Re-checks (docs/lists.md, "Re-checks"): one message per page of a job on RECHECK_QUEUE. Without
   * it, new list versions start no re-check and /v1/rechecks answers 501.
   */
  RECHECK_QUEUE: QueueBindingSchema.optional(),
  ROOT_API_KEY: RootApiKeySchema,
})
export type WorkerBindings = z.infer<typeof WorkerBindingsSchema>

/** Formats a failed env parse without values: bindings and secrets never reach a log. */
export function describeEnvError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ')
}
