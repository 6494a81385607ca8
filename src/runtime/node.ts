/**
 * @module runtime/node
 * `npm start`: the embedded default. Parses env once, loads the catalogue, checks and migrates SQLite,
 * builds the engine, listens, and only then provisions the first tenant; with `WEB_CONCURRENCY > 1`
 * the primary process supervises the server processes instead of serving.
 *
 * Start-up faults end with one line on stderr (`dualuse: cannot start: …`, naming the path, port or
 * variable) and exit code 1; `DEBUG` adds the stack. See docs/http.md, "Operations".
 */
import cluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'
import { serve } from '@hono/node-server'
import { describeEnvError, type NodeEnv, NodeEnvSchema } from '../config/env'
import { adminDeps } from '../core/admin/manage-tenants'
import { batchReadings } from '../core/batch/check-chunk'
import type { Deps } from '../core/deps'
import type { Engine } from '../core/engine'
import { type CatalogueSummary, summarizeCatalogue } from '../core/engine'
import { AppError } from '../core/errors'
import type { ChunkChecker, GoodsChecker } from '../core/ports'
import { createApp } from '../http/app'
import { storagePorts } from '../storage'
import { cachedApiKeys } from '../storage/auth-cache'
import { newBatchId, newCheckId } from '../storage/ids'
import type { SqliteStore } from '../storage/sqlite'
import { startBatchRunner } from './batch-runner'
import { readEngine } from './catalogue-file'
import { startCheckPool } from './check-pool'
import { checkChunkOn, checkerOf } from './checker'
import { eventLogger, jsonLogger } from './logger'
import { readNodeBody } from './node-body'
import { nodeSha256Hex } from './node-hash'
import { openServerStore, provisionFirstTenant, sqliteHealthProbe } from './node-store'
import { startNodeWebhooks } from './node-webhooks'
import { startRecheckRunner } from './recheck-runner'
import { contextDataCache, registerNow, screeningDeps } from './screening-deps'

/** A start-up fault: the process refuses to start (one line on stderr). */
const EXIT_START_FAULT = 1
/** The primary gave up: its server processes kept dying and none was serving. */
const EXIT_SUPERVISION_FAILED = 2

/** A fault whose message is already the one line to print. */
class StartFault extends Error {}

/** Messages between the primary and a server process (node:cluster IPC). */
type FromServer = { type: 'ready' } | { type: 'start-fault'; message: string }
type ToServer = { type: 'go' }

async function announceFirstTenant(store: SqliteStore): Promise<void> {
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

function parseEnv(raw: NodeJS.ProcessEnv): NodeEnv {
  // zod coerces '' to 0: `PORT=` would listen on a random port and `CHECK_THREADS=` would silently
  // mean no thread. An empty variable is a mistake, so it is refused like any other bad value.
  const empty = Object.keys(NodeEnvSchema.shape).filter((name) => raw[name] === '')
  if (empty.length > 0) {
    throw new StartFault(
      `invalid environment: ${empty.map((n) => `${n}: is empty (unset it to use the default)`).join('; ')}`,
    )
  }
  const parsed = NodeEnvSchema.safeParse(raw)
  if (!parsed.success)
    throw new StartFault(`invalid environment: ${describeEnvError(parsed.error)}`)
  return parsed.data
}

/** The one line a start-up fault prints, without the `dualuse: ` prefix. */
function describeStartFault(err: unknown): string {
  const known = err instanceof StartFault || err instanceof AppError
  let text = err instanceof Error ? err.message : String(err)
  // "a check thread could not start" alone does not say why; its cause does.
  if (err instanceof AppError && err.code === 'INTERNAL' && err.cause instanceof Error) {
    text += `: ${err.cause.message}`
  }
  return `cannot start: ${known ? '' : 'unexpected error: '}${text.replace(/\s+/g, ' ').trim()}`
}

/**
 * Ends the process on a start-up fault. A server process under a primary hands its line to the
 * primary, which prints it once however many processes fail alike, or logs it with the death.
 */
function failStart(err: unknown): void {
  const line = describeStartFault(err)
  if (process.env['DEBUG']) console.error(err)
  if (cluster.isWorker && process.send) {
    const message: FromServer = { type: 'start-fault', message: line }
    process.send(message, undefined, {}, () => process.exit(EXIT_START_FAULT))
    return
  }
  console.error(`dualuse: ${line}`)
  process.exit(EXIT_START_FAULT)
}

/** Where and how to listen: address, and HTTP timeouts (docs/http.md, "Limits and timeouts"). */
function serverListen(env: NodeEnv) {
  return {
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
}

/** Listens, or fails with a sentence naming the port or host (the server's 'error' has a stack). */
function listen(app: { fetch: (req: Request) => Response | Promise<Response> }, env: NodeEnv) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ ...serverListen(env), fetch: app.fetch }, () => resolve(server))
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${env.HOST}:${env.PORT}`
      const reasons: Record<string, string> = {
        EADDRINUSE: `port ${env.PORT} is in use (PORT, on ${where})`,
        EACCES: `no permission to listen on port ${env.PORT} (PORT, on ${where})`,
        EADDRNOTAVAIL: `address ${env.HOST} is not on this machine (HOST)`,
        ENOTFOUND: `host ${env.HOST} does not resolve (HOST)`,
      }
      reject(
        new StartFault(
          reasons[err.code ?? ''] ?? `cannot listen on ${where}: ${err.code ?? err.message}`,
        ),
      )
    })
  })
}

/** Waits for the primary's go-ahead: it provisions the first tenant once one process is serving. */
function reportReady(): Promise<void> {
  if (!cluster.isWorker || !process.send) return Promise.resolve()
  return new Promise((resolve) => {
    const onMessage = (message: ToServer) => {
      if (message?.type !== 'go') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    process.send?.({ type: 'ready' } satisfies FromServer)
  })
}

/** One server process: everything is checked before anything is printed or provisioned. */
async function serveProcess(env: NodeEnv): Promise<void> {
  const started = performance.now()
  const checkThreads = env.CHECK_THREADS ?? defaultCheckThreads(env.WEB_CONCURRENCY)
  // The catalogue first: it is the likeliest fault (not built, truncated) and reading it writes
  // nothing. With CHECK_THREADS=0 the engine is built here, with the prebuilt text index; else the
  // threads build theirs and report the versions and lists, all this thread needs (check-pool.ts).
  let checker: GoodsChecker & { close?(): Promise<void> }
  let checkChunk: ChunkChecker
  let batchEnded: (batchId: string) => void
  let summary: CatalogueSummary
  if (checkThreads === 0) {
    const engine = readEngine(env.CATALOGUE_PATH)
    summary = summarizeCatalogue(engine.catalogue)
    checker = checkerOf(engine)
    ;({ checkChunk, batchEnded } = onEventLoop(engine))
  } else {
    const pool = await startCheckPool({
      cataloguePath: env.CATALOGUE_PATH,
      threads: checkThreads,
      logger: eventLogger,
    })
    summary = pool.summary
    checker = pool
    checkChunk = pool.checkChunk
    batchEnded = pool.endBatch
  }
  const loadMs = Math.round(performance.now() - started)
  // The primary of several processes has checked the whole file already; each process still
  // proves it can write before serving.
  const store = await openServerStore(env.DATABASE_PATH, { quickCheck: cluster.isPrimary })

  // One set of deps for the process: the engine index and the database handle live as long as it does.
  const ports = storagePorts(store, { sha256Hex: nodeSha256Hex })
  // Webhooks: the secret key (a start-up fault if unreadable) and the deliverer, in every process
  // (leases in SQLite keep each delivery to one of them).
  // A delivered attempt is a line per delivery, like a request line: printed when REQUEST_LOG is on
  // (the delivery log keeps every attempt either way); failed attempts always print.
  const hooks = startNodeWebhooks(
    env,
    ports.webhookRepo,
    jsonLogger({ requests: env.REQUEST_LOG === 'on' }),
  )
  // Issue 12: the catalogue's lists registered as versions before serving (idempotent by content).
  const builtInLists = summary.lists
  const hsCodes = summary.hsCodes
  const screening = screeningDeps({
    repo: ports.screeningRepo,
    hsCodes: () => hsCodes,
    builtInLists: () => builtInLists,
    ready: await registerNow(ports.screeningRepo, builtInLists),
    contexts: contextDataCache(),
    importMaxBytes: env.LIST_IMPORT_MAX_BYTES,
  })
  // Batches run in every server process; a lease in SQLite keeps each batch to one of them.
  const runner = startBatchRunner({
    repo: ports.batchRepo,
    checkChunk,
    batchEnded,
    screening,
    logger: eventLogger,
    concurrency: checkThreads + 1,
    retentionDays: env.BATCH_RETENTION_DAYS,
  })
  // Re-checks (issue 12 item 5) run in every server process too; a lease in SQLite keeps each job
  // to one of them. Jobs written by `dualuse lists import` are found by polling.
  const recheckRunner = startRecheckRunner({
    deps: {
      repo: ports.recheckRepo,
      checker,
      screening,
      clock: { now: () => new Date() },
      ids: { checkId: newCheckId },
      logger: eventLogger,
      webhooks: hooks.webhooks,
    },
    concurrency: checkThreads + 1,
  })
  const apiKeys = cachedApiKeys(ports.apiKeys, {
    sha256Hex: nodeSha256Hex,
    changedElsewhere: store.changedElsewhere,
  })
  const deps: Deps = {
    ...ports,
    apiKeys,
    // A key revoked through the admin API is revoked on this process's own connection, which
    // `changedElsewhere` does not report: the cache is dropped at once instead.
    admin: adminDeps(env.ROOT_API_KEY, ports.tenantAdmin, apiKeys.clear),
    health: sqliteHealthProbe(store, { logger: eventLogger }),
    checker,
    clock: { now: () => new Date() },
    ids: { checkId: newCheckId },
    logger: jsonLogger({ requests: env.REQUEST_LOG === 'on' }),
    batches: {
      repo: ports.batchRepo,
      queue: runner,
      limits: { maxRows: env.BATCH_MAX_ROWS, maxBytes: env.BATCH_MAX_BYTES },
      newId: newBatchId,
    },
    webhooks: hooks.webhooks,
    screening,
    rechecks: { repo: ports.recheckRepo, queue: recheckRunner },
  }
  const app = createApp(() => deps, {
    readBody: readNodeBody,
    tenantLimits: {
      maxInFlight: env.TENANT_MAX_IN_FLIGHT,
      ratePerSecond: env.TENANT_RATE_PER_SECOND,
      burst: env.TENANT_BURST,
    },
  })
  const server = await listen(app, env)
  // Only now, with every check passed and the port held: a key printed by a start that then
  // failed would be lost, and the next start would print none.
  if (cluster.isWorker) await reportReady()
  else await announceFirstTenant(store)
  // Before "listening" is printed: a supervisor may send SIGTERM as soon as it reads that line, and a
  // signal arriving before the handler is registered would kill the process without a clean stop.
  const shutdown = () => {
    server.close()
    void Promise.allSettled([runner.stop(), recheckRunner.stop()])
      .finally(() => hooks.stop())
      .finally(() => Promise.allSettled([checker.close?.(), store.close()]))
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  const address = server.address()
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'listening',
      url: `http://${typeof address === 'object' && address ? `${address.address}:${address.port}` : `${env.HOST}:${env.PORT}`}`,
      pid: process.pid,
      database: env.DATABASE_PATH,
      catalogue_load_ms: loadMs,
      check_threads: checkThreads,
      versions: checker.versions,
    }),
  )
}

/** Rows checked on the event loop between yields, when there are no check threads (CHECK_THREADS=0). */
const ROWS_PER_TURN = 25

/**
 * Batch chunks checked on the event loop, a few rows per turn, so /healthz and /v1/checks are
 * answered between them. The readings of the batch being checked are kept until the runner ends it
 * (core/batch/check-chunk.ts `batchReadings`); /v1/checks read afresh.
 */
function onEventLoop(engine: Engine): {
  checkChunk: ChunkChecker
  batchEnded: (batchId: string) => void
} {
  const readings = batchReadings(engine)
  const checkChunk: ChunkChecker = async (rows, screening, batchId) => {
    const lines: string[] = []
    const outcomes: Awaited<ReturnType<ChunkChecker>>['outcomes'] = []
    const cache = readings.of(batchId)
    for (let i = 0; i < rows.length; i += ROWS_PER_TURN) {
      await new Promise((resolve) => setImmediate(resolve))
      const part = checkChunkOn(engine, rows.slice(i, i + ROWS_PER_TURN), screening, cache)
      lines.push(...part.lines)
      outcomes.push(...part.outcomes)
    }
    return { lines, outcomes }
  }
  return { checkChunk, batchEnded: (batchId) => readings.end(batchId) }
}

/** A dead server process is replaced at once; one that dies again soon waits 1 s, 2 s, … 30 s. */
const MAX_RESPAWN_DELAY_MS = 30_000
/** A process that served this long has "stayed up": its slot's back-off starts over. */
const STABLE_MS = 60_000
/** Deaths counted over this window to decide that the service cannot be kept up. */
const DEATH_WINDOW_MS = 60_000
/** How long the primary waits for its processes to stop on SIGTERM before it kills them. */
const STOP_GRACE_MS = 10_000

type Slot = {
  index: number
  worker?: Worker
  startedAt: number
  ready: boolean
  /** Deaths in a row without staying up `STABLE_MS`. */
  streak: number
  fault?: string
  timer?: NodeJS.Timeout
}

/**
 * The primary of `WEB_CONCURRENCY` server processes sharing the port. It checks and migrates the
 * database once, forks, provisions the first tenant when the first process serves, replaces
 * processes that die (each death one JSON line on stderr), and exits non-zero when it cannot keep
 * one serving: a process that dies before any has served (a start-up fault: its line, exit 1), or
 * `3 × WEB_CONCURRENCY` deaths within a minute while none serves (exit 2). SIGTERM/SIGINT stop the
 * processes, with no respawn, and exit 0.
 *
 * Connections stay handed over round-robin by the primary (Node's default on Linux), on purpose. With
 * `NODE_CLUSTER_SCHED_POLICY=none` the processes accept from the shared socket themselves, and a
 * request that arrives just after a process died is answered by another (round-robin may hand it to
 * the dead one and leave it hanging, bench/supervision.ts); but two processes then served 0.78× the
 * checks at a p99 of 44–55 ms against 34–40 (bench/http-checks.ts, docs/http.md). A crash is rare; the
 * throughput is every request's.
 */
async function supervise(env: NodeEnv): Promise<void> {
  const store = await openServerStore(env.DATABASE_PATH, {
    quickCheck: true,
  })
  let storeOpen = true
  const closeStore = async () => {
    if (storeOpen) await store.close().catch(() => {})
    storeOpen = false
  }
  const slots: Slot[] = Array.from({ length: env.WEB_CONCURRENCY }, (_, index) => ({
    index,
    startedAt: 0,
    ready: false,
    streak: 0,
  }))
  const deaths: number[] = []
  const giveUpAfter = 3 * env.WEB_CONCURRENCY
  let everReady = false
  let announcing: Promise<void> | undefined
  let stopping = false
  let stopCode = 0

  const alive = () => slots.filter((s) => s.worker)
  const exitWhenAllStopped = (code: number) => {
    if (alive().length > 0) return
    void closeStore().finally(() => process.exit(code))
  }

  function stop(code: number): void {
    if (stopping) return
    stopping = true
    for (const slot of slots) clearTimeout(slot.timer)
    for (const slot of alive()) slot.worker?.process.kill('SIGTERM')
    setTimeout(() => {
      for (const slot of alive()) slot.worker?.process.kill('SIGKILL')
    }, STOP_GRACE_MS).unref()
    stopCode = code
    exitWhenAllStopped(code)
  }

  function giveUp(line: string, code: number): void {
    console.error(`dualuse: ${line}`)
    stop(code)
  }

  function fork(slot: Slot): void {
    const worker = cluster.fork()
    Object.assign(slot, { worker, startedAt: Date.now(), ready: false, fault: undefined })
    eventLogger.info({ msg: 'server process started', pid: worker.process.pid, slot: slot.index })
    worker.on('message', (message: FromServer) => {
      if (message?.type === 'start-fault') slot.fault = message.message
      if (message?.type === 'ready') onReady(slot, worker)
    })
    worker.on('exit', (code, signal) => {
      // Its last message (a start-up fault) may still be in the channel: read it first.
      if (worker.isConnected()) worker.once('disconnect', () => onExit(slot, worker, code, signal))
      else onExit(slot, worker, code, signal)
    })
  }

  function onReady(slot: Slot, worker: Worker): void {
    slot.ready = true
    everReady = true
    announcing ??= announceFirstTenant(store).finally(closeStore)
    announcing.then(
      () => {
        if (worker.isConnected()) worker.send({ type: 'go' } satisfies ToServer)
      },
      (err: unknown) => giveUp(describeStartFault(err), EXIT_START_FAULT),
    )
  }

  function onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return
    slot.worker = undefined
    slot.ready = false
    if (stopping) {
      exitWhenAllStopped(stopCode)
      return
    }
    const pid = worker.process.pid
    const how = signal ? `signal ${signal}` : `exit code ${code}`
    if (!everReady) {
      // Nothing has served yet: this is a start-up fault to report, not a crash to retry.
      giveUp(
        slot.fault ?? `cannot start: server process ${pid} died before it was ready (${how})`,
        EXIT_START_FAULT,
      )
      return
    }
    const now = Date.now()
    const uptimeMs = now - slot.startedAt
    slot.streak = uptimeMs >= STABLE_MS ? 1 : slot.streak + 1
    const delayMs =
      slot.streak === 1 ? 0 : Math.min(1000 * 2 ** (slot.streak - 2), MAX_RESPAWN_DELAY_MS)
    eventLogger.error({
      msg: 'server process died',
      pid,
      code,
      signal,
      uptime_ms: uptimeMs,
      ...(slot.fault ? { reason: slot.fault } : {}),
      respawn_in_ms: delayMs,
    })
    deaths.push(now)
    while (deaths.length > 0 && (deaths[0] ?? now) <= now - DEATH_WINDOW_MS) deaths.shift()
    if (deaths.length >= giveUpAfter && !slots.some((s) => s.ready)) {
      giveUp(
        `giving up: ${deaths.length} server process deaths within ${DEATH_WINDOW_MS / 1000} s and none serving; last: ${slot.fault ?? how}`,
        EXIT_SUPERVISION_FAILED,
      )
      return
    }
    slot.timer = setTimeout(() => fork(slot), delayMs)
  }

  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  for (const slot of slots) fork(slot)
}

async function main(): Promise<void> {
  const env = parseEnv(process.env)
  // Several processes: the primary checks, migrates and supervises; the forks serve, sharing the port
  // (node:cluster) and the database file.
  if (env.WEB_CONCURRENCY > 1 && cluster.isPrimary) return supervise(env)
  await serveProcess(env)
}

try {
  await main()
} catch (err) {
  failStart(err)
}
