/**
 * @module runtime/node
 * `npm start`: the embedded default. Parses env once, migrates SQLite, loads the catalogue, builds the
 * engine, and serves `createApp` with @hono/node-server.
 */
import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import { serve } from '@hono/node-server'
import { describeEnvError, NodeEnvSchema } from '../config/env'
import type { Deps } from '../core/deps'
import { summarizeCatalogue } from '../core/engine'
import type { GoodsChecker } from '../core/ports'
import { createApp } from '../http/app'
import { storagePorts } from '../storage'
import { cachedApiKeys } from '../storage/auth-cache'
import { newCheckId } from '../storage/ids'
import { readCatalogue } from './catalogue-file'
import { startCheckPool } from './check-pool'
import { createChecker } from './checker'
import { jsonLogger } from './logger'
import { readNodeBody } from './node-body'
import { nodeSha256Hex } from './node-hash'
import { openMigratedStore, provisionFirstTenant } from './node-store'

async function announceFirstTenant(
  store: Awaited<ReturnType<typeof openMigratedStore>>,
): Promise<void> {
  const first = await provisionFirstTenant(store, new Date())
  if (first) {
    console.log(
      `Created tenant "${first.tenant}". Its API key is shown only this once; keep it:\n\n  ${first.key}\n`,
    )
  }
}

/**
 * The CPUs the server processes leave free, shared among them: on 2 CPUs, one process gets one check
 * thread and two processes get none (a thread there would only compete with the other process).
 */
function defaultCheckThreads(processes: number): number {
  const spare = availableParallelism() - processes
  return spare > 0 ? Math.max(1, Math.floor(spare / processes)) : 0
}

async function main(): Promise<void> {
  const parsed = NodeEnvSchema.safeParse(process.env)
  if (!parsed.success) {
    console.error(`invalid environment: ${describeEnvError(parsed.error)}`)
    process.exit(1)
  }
  const env = parsed.data
  // Several processes: the primary migrates and provisions once, then forks the servers, which share
  // the port (node:cluster) and the database file.
  if (env.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
    const store = await openMigratedStore(env.DATABASE_PATH)
    await announceFirstTenant(store)
    await store.close()
    for (let i = 0; i < env.WEB_CONCURRENCY; i++) cluster.fork()
    cluster.on('exit', (worker, code, signal) => {
      if (code !== 0 && signal === null) {
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'server process exited',
            pid: worker.process.pid,
            code,
          }),
        )
      }
    })
    return
  }
  const store = await openMigratedStore(env.DATABASE_PATH)
  if (cluster.isPrimary) await announceFirstTenant(store)

  const started = performance.now()
  const catalogue = readCatalogue(env.CATALOGUE_PATH)
  const checkThreads = env.CHECK_THREADS ?? defaultCheckThreads(env.WEB_CONCURRENCY)
  // Checks run on threads with their own engines (this thread then only needs the versions and
  // lists), or here with CHECK_THREADS=0.
  const checker: GoodsChecker & { close?(): Promise<void> } =
    checkThreads === 0
      ? createChecker(catalogue)
      : await startCheckPool({
          cataloguePath: env.CATALOGUE_PATH,
          threads: checkThreads,
          summary: summarizeCatalogue(catalogue),
        })
  const loadMs = Math.round(performance.now() - started)

  // One set of deps for the process: the engine index and the database handle live as long as it does.
  const ports = storagePorts(store, { sha256Hex: nodeSha256Hex })
  const deps: Deps = {
    ...ports,
    apiKeys: cachedApiKeys(ports.apiKeys, {
      sha256Hex: nodeSha256Hex,
      changedElsewhere: store.changedElsewhere,
    }),
    checker,
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger: jsonLogger({ requests: env.REQUEST_LOG === 'on' }),
  }
  const app = createApp(() => deps, {
    readBody: readNodeBody,
    tenantLimits: {
      maxInFlight: env.TENANT_MAX_IN_FLIGHT,
      ratePerSecond: env.TENANT_RATE_PER_SECOND,
      burst: env.TENANT_BURST,
    },
  })
  const listen = {
    fetch: app.fetch,
    port: env.PORT,
    hostname: env.HOST,
    serverOptions: {
      // Node refuses a headers timeout above the request timeout.
      headersTimeout: Math.min(env.HEADERS_TIMEOUT_MS, env.REQUEST_TIMEOUT_MS),
      requestTimeout: env.REQUEST_TIMEOUT_MS,
      keepAliveTimeout: env.KEEP_ALIVE_TIMEOUT_MS,
      // Node checks both timeouts on this timer (default 30 s): a stalled request would otherwise
      // live up to 30 s past its timeout.
      connectionsCheckingInterval: Math.min(1_000, env.REQUEST_TIMEOUT_MS),
    },
  }
  const server = serve(listen, (info) => {
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'listening',
        url: `http://${info.address}:${info.port}`,
        database: env.DATABASE_PATH,
        catalogue_load_ms: loadMs,
        check_threads: checkThreads,
        versions: checker.versions,
      }),
    )
  })
  const shutdown = () => {
    server.close()
    void Promise.allSettled([checker.close?.(), store.close()]).finally(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

await main()
