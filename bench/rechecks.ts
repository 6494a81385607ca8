/**
 * Re-check bench (issue 12 item 5): seeds N stored checks of one tenant into a SQLite database through
 * the real store (real results of the eval/dev.jsonl descriptions to six destinations, each made once
 * with the engine and its screening context, then stored N times over the last 60 days with their own
 * ids; a multi-row insert is the fast seeding path), then, in a fresh child process, imports a new
 * version of the tenant's blocking list that turns about one check in ten from clear to review, and
 * times the re-check it starts on the Node path (the check-thread pool and the re-check runner) to
 * completion. Reports rows/s and the child's peak RSS (VmHWM, all threads) for each N.
 *
 *   npm run -s bench:rechecks [-- --sizes 20000,100000 --threads 1]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { summarizeCatalogue } from '../src/core/engine'
import { loadScreeningContext } from '../src/core/lists/load-screening-context'
import {
  createTenantList,
  importListVersion,
  registerBuiltInLists,
} from '../src/core/lists/manage-lists'
import { parseListFile } from '../src/core/lists/parse-list-file'
import type { CheckRequest } from '../src/core/schemas'
import { DEFAULT_CATALOGUE_PATH, readCatalogue, readEngine } from '../src/runtime/catalogue-file'
import { startCheckPool } from '../src/runtime/check-pool'
import { checkerOf } from '../src/runtime/checker'
import { openMigratedStore } from '../src/runtime/node-store'
import { startRecheckRunner } from '../src/runtime/recheck-runner'
import {
  contextDataCache,
  hsCodeBook,
  registerNow,
  screeningDeps,
} from '../src/runtime/screening-deps'
import { storagePorts } from '../src/storage'
import { newCheckId, newWebhookEventId } from '../src/storage/ids'
import { ensureTenant } from '../src/storage/repos/tenant-repo'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url))
const DEV_SET = fileURLToPath(new URL('../eval/dev.jsonl', import.meta.url))
const DESTINATIONS = ['DE', 'KZ', 'AM', 'TR', 'CN', 'AE']
const TENANT = 'bench-rechecks'
const LIST_ID = 'bench_denied'
/** Rows per multi-row insert while seeding: 12 columns each, far under SQLite's parameter limit. */
const SEED_CHUNK = 500

const quiet = {
  info() {},
  error(f: Record<string, unknown>) {
    console.error(JSON.stringify(f))
  },
}

function templates(): CheckRequest[] {
  const lines = readFileSync(DEV_SET, 'utf8').split('\n').filter(Boolean)
  const out: CheckRequest[] = []
  for (const [i, line] of lines.entries()) {
    const { description } = JSON.parse(line) as { description: string }
    for (const destination of DESTINATIONS)
      out.push({ description, destination, reference: `INV-${i}-${destination}` } as CheckRequest)
  }
  return out
}

/** Seed mode: N stored checks, and the HS codes of the new list version (in a sidecar file). */
async function seed(db: string, rows: number): Promise<void> {
  const engine = readEngine()
  const checker = checkerOf(engine)
  const store = await openMigratedStore(db)
  const at = new Date()
  const ports = storagePorts(store)
  await registerBuiltInLists(
    { repo: ports.screeningRepo },
    engine.catalogue.lists,
    at.toISOString(),
  )
  const tenant = await ensureTenant(store.db, TENANT, at)
  const screening = screeningDeps({
    repo: ports.screeningRepo,
    hsCodes: () => engine.catalogue.hs.map((h) => h.code),
    builtInLists: () => engine.catalogue.lists,
    ready: () => Promise.resolve(),
    contexts: contextDataCache(),
  })
  const data = await loadScreeningContext(screening, tenant.id)
  const made = templates().map((request) => {
    const result = checker.check(request, { data, at: at.toISOString() }) as Awaited<
      ReturnType<typeof checker.check>
    >
    return { request, result, json: JSON.stringify(result) }
  })
  // The new version lists the top HS-6 reading of clear checks until about one in ten would change.
  const codes = new Set<string>()
  let covered = 0
  for (const t of made) {
    const hs6 = t.result.classification.candidates[0]?.hs6
    if (t.result.verdict !== 'clear' || !hs6) continue
    if (!codes.has(hs6)) {
      if (covered >= made.length / 10) continue
      codes.add(hs6)
    }
    covered++
  }
  const span = 60 * 86_400_000
  const start = at.getTime() - span
  for (let i = 0; i < rows; i += SEED_CHUNK) {
    const values = []
    for (let j = i; j < Math.min(rows, i + SEED_CHUNK); j++) {
      const t = made[j % made.length]!
      const id = newCheckId()
      values.push({
        id,
        tenant_id: tenant.id,
        reference: t.result.reference,
        verdict: t.result.verdict,
        risk_score: t.result.risk_score,
        request_json: JSON.stringify(t.request),
        result_json: `{"id":${JSON.stringify(id)},${t.json.slice(1)}`,
        engine_version: t.result.versions.engine,
        list_versions_json: JSON.stringify(t.result.versions.lists),
        created_at: new Date(start + Math.floor((j * span) / rows)).toISOString(),
        supersedes: null,
        recheck_id: null,
      })
    }
    await store.db.insertInto('check').values(values).execute()
  }
  await store.close()
  process.stdout.write(
    `${JSON.stringify({ codes: [...codes], templates: made.length, covered })}\n`,
  )
}

/** Run mode: imports the list version and times its re-check on the Node path. */
async function run(db: string, codes: string[], threads: number): Promise<void> {
  const summary = summarizeCatalogue(readCatalogue())
  const store = await openMigratedStore(db)
  const ports = storagePorts(store)
  const screening = screeningDeps({
    repo: ports.screeningRepo,
    hsCodes: () => summary.hsCodes,
    builtInLists: () => summary.lists,
    ready: await registerNow(ports.screeningRepo, summary.lists),
    contexts: contextDataCache(),
  })
  const pool = await startCheckPool({ cataloguePath: DEFAULT_CATALOGUE_PATH, threads })
  const tenant = await ensureTenant(store.db, TENANT, new Date())
  const runner = startRecheckRunner({
    deps: {
      repo: ports.recheckRepo,
      checker: pool,
      screening,
      clock: { now: () => new Date() },
      ids: { checkId: newCheckId },
      logger: quiet,
      webhooks: { newEventId: newWebhookEventId, dispatch: { dispatched() {} } },
    },
    concurrency: threads + 1,
    pollMs: 50,
  })
  const actor = { name: 'bench', keyId: null }
  const now = () => new Date().toISOString()
  const list = await createTenantList(
    screening,
    tenant.id,
    actor,
    {
      id: LIST_ID,
      name: 'Bench denied',
      mode: 'blocking',
      legal_status: 'guidance',
      source: 'bench',
    },
    now(),
  )
  const csv = `code,title,category\n${codes.map((c) => `${c},Denied ${c},bench`).join('\n')}\n`
  const parsed = parseListFile(csv, 'csv', hsCodeBook(summary.hsCodes))
  const started = performance.now()
  const { version } = await importListVersion(screening, list, parsed, actor, now(), {
    recheck: true,
  })
  const [job] = await ports.recheckRepo.forVersion(version.id, tenant.id)
  if (!job) throw new Error('no re-check was created')
  runner.enqueue([job])
  let done = job
  while (done.status !== 'completed' && done.status !== 'failed') {
    await new Promise((r) => setTimeout(r, 100))
    done = (await ports.recheckRepo.byId(job.id))!
  }
  const seconds = (performance.now() - started) / 1000
  await runner.stop()
  await pool.close()
  await store.close()
  process.stdout.write(
    `${JSON.stringify({ status: done.status, total: done.checksTotal, done: done.checksDone, changed: done.changed, seconds })}\n`,
  )
}

async function child(args: string[]): Promise<{ out: string; peakMb: number; seconds: number }> {
  const started = performance.now()
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/rechecks.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let peakKb = 0
  // VmHWM is the process's own high-water mark (all threads); polling only needs the last value.
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8')
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
    } catch {
      // Ended between two polls.
    }
  }, 50)
  let out = ''
  proc.stdout.on('data', (d) => {
    out += d
  })
  const [code] = (await once(proc, 'exit')) as [number]
  clearInterval(poll)
  if (code !== 0) throw new Error(`bench child ${args.join(' ')} exited ${code}`)
  return {
    out: out.trim(),
    peakMb: Math.round(peakKb / 1024),
    seconds: (performance.now() - started) / 1000,
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      db: { type: 'string' },
      rows: { type: 'string' },
      codes: { type: 'string' },
      sizes: { type: 'string', default: '20000,100000' },
      threads: { type: 'string', default: String(Math.max(1, availableParallelism() - 1)) },
    },
  })
  const threads = Number(values.threads)
  if (values.child === 'seed') return seed(values.db!, Number(values.rows))
  if (values.child === 'run') return run(values.db!, values.codes!.split(','), threads)

  mkdirSync(OUT_DIR, { recursive: true })
  console.log(
    `threads ${threads}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  for (const size of values.sizes!.split(',').map(Number)) {
    const db = `${OUT_DIR}rechecks-${size}.db`
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
    const seeded = await child(['--child', 'seed', '--db', db, '--rows', String(size)])
    const {
      codes,
      templates: t,
      covered,
    } = JSON.parse(seeded.out) as {
      codes: string[]
      templates: number
      covered: number
    }
    const ran = await child([
      '--child',
      'run',
      '--db',
      db,
      '--codes',
      codes.join(','),
      '--threads',
      String(threads),
    ])
    const r = JSON.parse(ran.out) as {
      status: string
      total: number
      done: number
      changed: number
      seconds: number
    }
    console.log(
      JSON.stringify({
        stored_checks: size,
        seeded_in_s: Number(seeded.seconds.toFixed(1)),
        list_codes: codes.length,
        changing_templates: `${covered}/${t}`,
        status: r.status,
        checks_done: r.done,
        changed: r.changed,
        recheck_s: Number(r.seconds.toFixed(1)),
        rows_per_s: Math.round(r.done / r.seconds),
        peak_rss_mb: ran.peakMb,
        load_average: loadavg()[0]!.toFixed(1),
      }),
    )
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
  }
}

await main()
