/**
 * Runs the `workers` vitest project (workerd through @cloudflare/vitest-pool-workers), with one narrow
 * retry: workerd sometimes segfaults while Miniflare tears a test file's runtime down (workerd issue
 * 6763, open upstream; seen here once in CI: every test that reported had passed, one file's runtime
 * died, vitest exited 1 with "Worker exited unexpectedly"). That crash says nothing about our code, so
 * the files that did not finish are run again, once. Anything else (a failed test, a second crash,
 * a crash beside a failure) fails as before.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const POOL_CRASH = 'Worker exited unexpectedly'

type FileReport = { name: string; status: string; assertionResults: { status: string }[] }
type JsonReport = { numFailedTests: number; testResults: FileReport[] }

type Run = { exitCode: number; output: string; report: JsonReport | undefined }

async function runVitest(files: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'dualuse-workers-'))
  const reportFile = join(dir, 'report.json')
  const args = [
    'vitest',
    'run',
    '--project',
    'workers',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...files,
  ]
  const child = spawn('npx', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk
    process.stdout.write(chunk)
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk
    process.stderr.write(chunk)
  })
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => resolve(code ?? 1)),
  )
  let report: JsonReport | undefined
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport
  } catch {
    report = undefined // vitest died before writing it: not the crash we retry
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { exitCode, output, report }
}

/** Test files whose tests did not all pass (not run, cut short, or failed). */
function unfinishedFiles(report: JsonReport, allFiles: string[]): string[] {
  const passed = new Set(
    report.testResults
      .filter(
        (file) =>
          file.status === 'passed' && file.assertionResults.every((t) => t.status === 'passed'),
      )
      .map((file) => relative(process.cwd(), file.name)),
  )
  return allFiles.filter((file) => !passed.has(file))
}

function listWorkerTestFiles(): string[] {
  const dir = 'test/workers'
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name))
    .sort()
}

const first = await runVitest([])
if (first.exitCode === 0) process.exit(0)

const onlyThePoolCrash =
  first.output.includes(POOL_CRASH) &&
  first.report !== undefined &&
  first.report.numFailedTests === 0
if (!onlyThePoolCrash) process.exit(first.exitCode)

const again = unfinishedFiles(first.report as JsonReport, listWorkerTestFiles())
console.error(
  `\nworkerd exited while tearing a test file down (no test failed); running again, once: ${again.join(' ') || '(all files had finished)'}\n`,
)
if (again.length === 0) process.exit(0)
const second = await runVitest(again)
process.exit(second.exitCode)
