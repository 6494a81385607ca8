/**
 * The browser tests' world: the real `npm start` server on a fresh SQLite file, tenants and keys made
 * with the real `dualuse keys create`, and Debian's Chromium driven by playwright-core (which downloads
 * nothing). Every page is watched for requests to another origin, uncaught errors and console errors
 * (a CSP violation is reported there), so each test can assert the page stayed clean.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { expect } from 'vitest'
import {
  freePort,
  KEY_PATTERN,
  ROOT,
  type Started,
  startProcess,
  stopProcess,
} from '../runtime/spawn-server'

/** Debian's package (`apt-get install chromium`); BROWSER_PATH points elsewhere if needed. */
export const CHROMIUM = process.env['BROWSER_PATH'] || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Screenshots for the README, rewritten only on request so a test run leaves the tree clean. */
export const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1'
const SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots')

export function screenshotPath(name: string): string | undefined {
  if (!SCREENSHOTS) return undefined
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}

export type Server = { base: string; dbPath: string; started: Started }

export async function startServer(dir: string): Promise<Server> {
  const port = await freePort()
  const dbPath = join(dir, 'dualuse.db')
  const started = startProcess({ PORT: String(port), DATABASE_PATH: dbPath })
  // The first start prints the first tenant's key once it serves: both mean it is ready.
  await started.until((out) => out.includes('"msg":"listening"') && KEY_PATTERN.test(out), 120_000)
  return { base: `http://127.0.0.1:${port}`, dbPath, started }
}

export async function stopServer(server: Server | undefined): Promise<void> {
  if (server) await stopProcess(server.started)
}

/** A new tenant and its key, made by the CLI on the server's database while it runs. */
export function newKey(server: Server): Promise<string> {
  const tenant = `web-${crypto.randomUUID().slice(0, 8)}`
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/dualuse.js', 'keys', 'create', '--tenant', tenant],
      { cwd: ROOT, env: { ...process.env, DATABASE_PATH: server.dbPath } },
      (err, stdout, stderr) => {
        const key = KEY_PATTERN.exec(stdout)?.[0]
        if (err || !key) reject(new Error(`keys create failed: ${err?.message}\n${stderr}`))
        else resolve(key)
      },
    )
  })
}

/** The API, called directly, to make data a test then finds through the page. */
export async function api(
  server: Server,
  key: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${key}`)
  return fetch(server.base + path, { ...init, headers })
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set BROWSER_PATH)`)
  // launch() gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 })
}

export type Watched = {
  page: Page
  context: BrowserContext
  /** URLs requested from any origin but the server's (blocked, so nothing reaches them). */
  offOrigin: string[]
  pageErrors: string[]
  consoleErrors: string[]
  /** Fails the test if the page left its origin, threw, or logged an error (a CSP violation, a 4xx fetch). */
  expectClean(): void
}

export async function openPage(
  browser: Browser,
  server: Server,
  path: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
    ...options,
  })
  const offOrigin: string[] = []
  const pageErrors: string[] = []
  const consoleErrors: string[] = []
  const origin = new URL(server.base).origin
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      offOrigin.push(route.request().url())
      return route.abort('blockedbyclient')
    },
  )
  const page = await context.newPage()
  page.on('pageerror', (err) => pageErrors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  await page.goto(server.base + path)
  return {
    page,
    context,
    offOrigin,
    pageErrors,
    consoleErrors,
    expectClean() {
      expect(offOrigin).toEqual([])
      expect(pageErrors).toEqual([])
      expect(consoleErrors).toEqual([])
    },
  }
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

type AxeViolation = {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown }[]
}

/**
 * axe-core's violations of impact serious or critical on the page as it is now. axe is evaluated
 * through the DevTools protocol: `page.addScriptTag` would add an inline script, which the page's CSP
 * (rightly) refuses.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  // An expression, not a function: the tests are compiled without the DOM library.
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as AxeViolation[]
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    )
}

/** A batch file of `rows` data rows: a mix of goods and routes, so the table holds every verdict. */
export function batchCsv(rows: number): string {
  const lines = [
    ['SKF 6205-2RS deep groove ball bearing', 'RU'],
    ['Cotton T-shirts, knitted, for men', 'DE'],
    ['Fresh apples', 'CN'],
    ['Xilinx XC7A35T FPGA', 'RU'],
    ['Hydraulic excavator, 20 t', 'KZ'],
    ['Ball bearings 6204 for electric motors', 'AE'],
  ] as const
  const out = ['reference,description,destination']
  for (let i = 0; i < rows; i++) {
    const [description, destination] = lines[i % lines.length]!
    out.push(`R-${String(i + 1).padStart(3, '0')},"${description}",${destination}`)
  }
  return `${out.join('\n')}\n`
}
