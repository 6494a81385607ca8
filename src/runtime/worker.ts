/**
 * @module runtime/worker
 * Cloudflare Workers entry: the same `createApp` over D1 (kysely-d1). Bindings are parsed with zod
 * before the app sees them; wrong bindings give a 500 problem, not a crash. `queue` and `scheduled`
 * dispatch each queue and cron schedule to its own module (batches: `worker-batches.ts`; re-checks:
 * `worker-rechecks.ts`).
 */

import type {
  Response as CfResponse,
  ExecutionContext,
  ExportedHandler,
  MessageBatch,
} from '@cloudflare/workers-types'
import { describeEnvError, WorkerBindingsSchema } from '../config/env'
import { adminDeps } from '../core/admin/manage-tenants'
import type { ScreeningRepo } from '../core/lists/ports'
import type { GoodsChecker } from '../core/ports'
import { createApp } from '../http/app'
import { PROBLEM_CONTENT_TYPE } from '../http/problem'
import { storagePorts } from '../storage'
import { d1Store } from '../storage/d1'
import { newCheckId } from '../storage/ids'
import { r2ChunkBodies } from '../storage/r2'
import { checkerOf } from './checker'
import { jsonLogger } from './logger'
import { contextDataCache, registerLazily, screeningDeps } from './screening-deps'
import {
  BATCH_PURGE_CRON,
  BATCH_QUEUE_NAME,
  consumeBatchQueue,
  purgeExpiredBatches,
  workerBatches,
} from './worker-batches'
import { workerEngine } from './worker-engine'
import {
  consumeRecheckQueue,
  RECHECK_QUEUE_NAME,
  RECHECK_SWEEP_CRON,
  sweepRechecks,
  workerRechecks,
} from './worker-rechecks'
import {
  consumeWebhookQueue,
  sweepWebhooks,
  WEBHOOK_QUEUE_NAME,
  WEBHOOK_SWEEP_CRON,
  workerWebhooks,
} from './worker-webhooks'

// The engine is built on first use and lives for the isolate (worker-engine.ts).
const lazyChecker: GoodsChecker = {
  get versions() {
    return checkerOf(workerEngine()).versions
  },
  get lists() {
    return checkerOf(workerEngine()).lists
  },
  check: (request, screening) => checkerOf(workerEngine()).check(request, screening),
}

const logger = jsonLogger()

// Issue 12, for the isolate's lifetime: built-in lists are registered as versions on the first
// request that needs them (module evaluation may not touch D1), and tenants' screening context data
// is kept by revision.
const registerBuiltIns = registerLazily(() => workerEngine().catalogue.lists)
const screeningContexts = contextDataCache()
/** `Deps.screening` over D1, for requests and for the batch consumer (the same isolate-wide caches). */
const workerScreening = (repo: ScreeningRepo, env: Env) =>
  screeningDeps({
    repo,
    hsCodes: () => workerEngine().catalogue.hs.map((h) => h.code),
    builtInLists: () => workerEngine().catalogue.lists,
    ready: registerBuiltIns(repo),
    contexts: screeningContexts,
    // A string in `[vars]`, checked with the other bindings (`WorkerBindingsSchema`) before use.
    importMaxBytes: WorkerBindingsSchema.shape.LIST_IMPORT_MAX_BYTES.parse(
      (env as { LIST_IMPORT_MAX_BYTES?: unknown }).LIST_IMPORT_MAX_BYTES,
    ),
  })

const app = createApp<Env>((env) => {
  // D1Dialect is a thin wrapper: building the store per request costs nothing.
  const ports = storagePorts(d1Store(env.DB), {
    chunkBodies: env.BATCHES ? r2ChunkBodies(env.BATCHES) : undefined,
  })
  return {
    ...ports,
    checker: lazyChecker,
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger,
    batches: workerBatches(env, ports.batchRepo),
    webhooks: workerWebhooks(env, ports.webhookRepo, logger),
    // Re-checks (issue 12 item 5): pages through RECHECK_QUEUE; unbound, versions start none.
    rechecks: workerRechecks(env, ports.recheckRepo, logger),
    // A secret (`wrangler secret put ROOT_API_KEY`); unset, the admin API answers 404.
    admin: adminDeps(env.ROOT_API_KEY, ports.tenantAdmin),
    screening: workerScreening(ports.screeningRepo, env),
  }
})

async function handleFetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const parsed = WorkerBindingsSchema.safeParse(env)
  if (!parsed.success) {
    logger.error({ msg: 'invalid bindings', error: describeEnvError(parsed.error) })
    const body = {
      type: '/docs#problem-internal',
      title: 'Internal error',
      status: 500,
      detail: 'internal error',
      instance: new URL(request.url).pathname,
      code: 'INTERNAL',
    }
    return new Response(JSON.stringify(body), {
      status: 500,
      headers: { 'Content-Type': PROBLEM_CONTENT_TYPE },
    })
  }
  return app.fetch(request, env, ctx)
}

/** Bindings for work off the request path: wrong ones throw, so the platform retries or reports. */
function checkedBindings(env: Env): Env {
  const parsed = WorkerBindingsSchema.safeParse(env)
  if (!parsed.success) {
    const error = describeEnvError(parsed.error)
    logger.error({ msg: 'invalid bindings', error })
    throw new Error(`invalid bindings: ${error}`)
  }
  return env
}

// workers-types and the DOM/undici types disagree on Request/Response; at runtime they are the same objects.
export default {
  fetch: (request, env, ctx) =>
    handleFetch(request as unknown as Request, env, ctx) as unknown as Promise<CfResponse>,
  // One branch per queue this Worker consumes (wrangler.toml [[queues.consumers]]).
  queue: async (batch: MessageBatch<unknown>, env) => {
    switch (batch.queue) {
      case BATCH_QUEUE_NAME:
        return consumeBatchQueue(
          batch,
          checkedBindings(env),
          logger,
          workerScreening(storagePorts(d1Store(env.DB)).screeningRepo, env),
        )
      case WEBHOOK_QUEUE_NAME:
        return consumeWebhookQueue(batch, checkedBindings(env), logger)
      case RECHECK_QUEUE_NAME:
        return consumeRecheckQueue(batch, checkedBindings(env), logger)
      default:
        // Retried, then dropped by the platform: a consumer wired in wrangler.toml with no branch here.
        throw new Error(`no consumer for queue ${batch.queue}`)
    }
  },
  // One branch per schedule (wrangler.toml [triggers] crons), told apart by the cron string.
  scheduled: async (controller, env) => {
    switch (controller.cron) {
      case BATCH_PURGE_CRON:
        await purgeExpiredBatches(checkedBindings(env), logger)
        return
      case WEBHOOK_SWEEP_CRON:
        await sweepWebhooks(checkedBindings(env), logger)
        return
      case RECHECK_SWEEP_CRON:
        await sweepRechecks(checkedBindings(env), logger)
        return
      default:
        logger.error({ msg: 'no handler for cron schedule', cron: controller.cron })
    }
  },
} satisfies ExportedHandler<Env>
