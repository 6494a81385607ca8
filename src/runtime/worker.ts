/**
 * @module runtime/worker
 * Cloudflare Workers entry: the same `createApp` over D1 (kysely-d1). Bindings are parsed with zod
 * before the app sees them; wrong bindings give a 500 problem, not a crash.
 */

import artifact from 'dualuse:catalogue'
import type {
  Response as CfResponse,
  ExecutionContext,
  ExportedHandler,
} from '@cloudflare/workers-types'
import { describeEnvError, WorkerBindingsSchema } from '../config/env'
import type { GoodsChecker } from '../core/ports'
import { createApp } from '../http/app'
import { PROBLEM_CONTENT_TYPE } from '../http/problem'
import { storagePorts } from '../storage'
import { d1Store } from '../storage/d1'
import { newCheckId } from '../storage/ids'
import { createChecker } from './checker'
import { jsonLogger } from './logger'

// Lives for the isolate's lifetime: indexing the catalogue takes about a second, so it is built on
// the first request that needs it rather than at module evaluation (which has a startup time limit).
let checker: GoodsChecker | undefined
const lazyChecker: GoodsChecker = {
  get versions() {
    checker ??= createChecker(artifact)
    return checker.versions
  },
  get lists() {
    checker ??= createChecker(artifact)
    return checker.lists
  },
  check: (request) => {
    checker ??= createChecker(artifact)
    return checker.check(request)
  },
}

const logger = jsonLogger()

const app = createApp<Env>((env) => ({
  // D1Dialect is a thin wrapper: building the store per request costs nothing.
  ...storagePorts(d1Store(env.DB)),
  checker: lazyChecker,
  clock: { now: () => new Date() },
  ids: { checkId: newCheckId },
  logger,
}))

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

// workers-types and the DOM/undici types disagree on Request/Response; at runtime they are the same objects.
export default {
  fetch: (request, env, ctx) =>
    handleFetch(request as unknown as Request, env, ctx) as unknown as Promise<CfResponse>,
} satisfies ExportedHandler<Env>
