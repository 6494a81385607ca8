/**
 * The web page in Debian's Chromium against the real Node server, as a person uses it (issue 11): one
 * check, a 300-row batch through to its table, history with filters, the printable record, a phone-sized
 * screen and no JavaScript. Every test asserts that no request left the origin, nothing threw and axe-core
 * finds no serious or critical violation. With UPDATE_SCREENSHOTS=1 it also rewrites docs/screenshots.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  api,
  batchCsv,
  launchBrowser,
  newKey,
  openPage,
  type Server,
  screenshotPath,
  seriousViolations,
  startServer,
  stopServer,
} from './harness'

let dir: string
let server: Server | undefined
let browser: Browser | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dualuse-browser-'))
  ;[server, browser] = await Promise.all([startServer(dir), launchBrowser()])
})

afterAll(async () => {
  await browser?.close()
  await stopServer(server)
  rmSync(dir, { recursive: true, force: true })
})

const BEARING = 'SKF 6205-2RS deep groove ball bearing'

/** Types the key as a person would; Enter stores it for the tab and loads what needs it. */
async function enterKey(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key)
  await page.getByLabel('API key').press('Enter')
}

async function checkOneLine(page: Page, description: string, destination: string): Promise<void> {
  await page.getByLabel('Goods description').fill(description)
  await page.getByLabel('Destination', { exact: true }).fill(destination)
  await page.getByRole('button', { name: 'Check', exact: true }).click()
}

describe('the web page in Chromium', () => {
  it('checks one line: high risk, 8482.10 and the CHP or Kazakhstan reason, in role=status', async () => {
    const key = await newKey(server!)
    const w = await openPage(browser!, server!, '/')
    const { page } = w
    await enterKey(page, key)
    await checkOneLine(page, BEARING, 'RU')

    const status = page.locator('#check-result')
    expect(await status.getAttribute('role')).toBe('status')
    await status.locator('.verdict-line .verdict').waitFor()
    expect(await status.locator('.verdict-line .verdict').textContent()).toBe('High risk')
    const text = (await status.textContent()) ?? ''
    expect(text).toMatch(/risk score \d+ of 100/)
    expect(text).toContain('8482.10')
    expect(text).toMatch(/Common High Priority|Kazakhstan/)
    // Each reason comes with its source, in the order the API gave.
    const reasons = status.locator('ol.reasons > li')
    expect(await reasons.count()).toBeGreaterThan(0)
    for (const reason of await reasons.all())
      expect(await reason.locator('.source').textContent()).toMatch(/^Source: \S/)
    // The list match shows its legal status in words.
    expect(text).toContain('official guidance')
    const stored = status.getByRole('link', { name: /Open the stored check chk_/ })
    expect(await stored.getAttribute('href')).toMatch(/^\/checks\/chk_[0-9A-Z]{26}$/)

    // The key stays in this tab's session storage: not in the URL, not in a cookie.
    expect(page.url()).not.toContain(key)
    expect(await page.evaluate("sessionStorage.getItem('dualuse.apiKey')")).toBe(key)
    expect(await w.context.cookies()).toEqual([])

    const shot = screenshotPath('check')
    if (shot) await page.locator('#check').screenshot({ path: shot })
    expect(await seriousViolations(page)).toEqual([])

    // Forget key: the key and every result drawn with it are gone.
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Forget key' }).click(),
    ])
    expect(await page.evaluate("sessionStorage.getItem('dualuse.apiKey')")).toBeNull()
    expect(await page.getByLabel('API key').inputValue()).toBe('')
    expect(await page.locator('#check-result').textContent()).toBe('')
    w.expectClean()
    await w.context.close()
  })

  it('uploads a 300-row CSV: a progress bar, then a table of 300 rows that filters, opens and downloads', async () => {
    const key = await newKey(server!)
    const w = await openPage(browser!, server!, '/')
    const { page } = w
    await enterKey(page, key)
    await page.getByLabel('Batch file', { exact: true }).setInputFiles({
      name: 'shipments.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(batchCsv(300)),
    })
    await page.getByRole('button', { name: 'Upload' }).click()

    const bar = page.getByRole('progressbar')
    await bar.waitFor()
    expect(await bar.getAttribute('aria-valuemax')).toBe('300')
    const rows = page.locator('#batch-table tbody tr')
    await expect.poll(() => rows.count(), { timeout: 90_000, interval: 200 }).toBe(300)
    expect(await bar.getAttribute('aria-valuenow')).toBe('300')
    expect(await bar.getAttribute('aria-valuetext')).toBe('300 of 300 rows checked')
    // One row per input line: the file's lines 2 to 301, in order.
    expect(await rows.first().locator('td').first().textContent()).toBe('2')
    expect(await rows.last().locator('td').first().textContent()).toBe('301')

    const shot = screenshotPath('batch')
    if (shot) {
      // The section's top: the progress bar, the filter, the downloads and the first rows.
      await page.locator('#batch-heading').evaluate((el) => el.scrollIntoView())
      await page.screenshot({ path: shot })
    }

    // The filter shows as many rows as the batch counted for that verdict.
    const batchId = /(bat_\w+)/.exec((await page.locator('#batch-status').textContent()) ?? '')?.[1]
    const batch = (await (await api(server!, key, `/v1/batches/${batchId}`)).json()) as {
      counts: Record<string, number>
    }
    expect(batch.counts['high_risk']).toBeGreaterThan(0)
    await page.getByLabel('Show', { exact: true }).selectOption('high_risk')
    await expect.poll(() => rows.count()).toBe(batch.counts['high_risk'])
    expect(await page.locator('#batch-table tbody tr .verdict').allTextContents()).toEqual(
      Array(batch.counts['high_risk']).fill('High risk'),
    )

    // A row opens its full result.
    await page.getByRole('button', { name: 'Open row 2', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Reasons, in the order that explains the verdict').waitFor()
    expect(await dialog.textContent()).toContain('8482.10')
    expect(await dialog.textContent()).toContain('R-001')
    expect(await seriousViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Close' }).click()

    // Downloads carry the key in a header, so the page fetches them and saves a blob.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV', exact: true }).click(),
    ])
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\n')
    expect(csv).toHaveLength(301)
    expect(csv[0]).toMatch(/^reference,row,description/)
    const [jsonl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'JSONL', exact: true }).click(),
    ])
    const docs = readFileSync((await jsonl.path())!, 'utf8')
      .trimEnd()
      .split('\n')
    expect(docs).toHaveLength(300)
    expect(JSON.parse(docs[0]!)).toMatchObject({ reference: 'R-001', row: 2, verdict: 'high_risk' })

    expect(await seriousViolations(page)).toEqual([])
    w.expectClean()
    await w.context.close()
  })

  it('lists history newest first and filters checks and batches on the server', async () => {
    const key = await newKey(server!)
    const post = (description: string, destination: string, reference: string) =>
      api(server!, key, '/v1/checks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ description, destination, reference }),
      })
    expect((await post(BEARING, 'RU', 'INV-A')).status).toBe(201)
    expect((await post('Cotton T-shirts, knitted, for men', 'DE', 'INV-B')).status).toBe(201)
    const upload = async (name: string) => {
      const res = await api(server!, key, `/v1/batches?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: batchCsv(6),
      })
      expect(res.status).toBe(202)
    }
    await upload('invoice-2026-11.csv')
    await upload('manifest-7.csv')
    /** The names the server lists for a query: what the table must show for the same filters. */
    const served = async (query: string) =>
      (
        (await (await api(server!, key, `/v1/batches?${query}`)).json()) as {
          data: { name: string | null }[]
        }
      ).data.map((b) => b.name ?? '')

    const w = await openPage(browser!, server!, '/')
    const { page } = w
    await enterKey(page, key)
    const checkRows = page.locator('#history-checks tbody tr')
    const batchRows = page.locator('#history-batches tbody tr')
    // What the tables list, once they show it (each filter redraws them).
    const references = (expected: string[]) =>
      expect.poll(() => checkRows.locator('td:nth-child(2)').allTextContents()).toEqual(expected)
    const names = (expected: string[]) =>
      expect.poll(() => batchRows.locator('td:nth-child(2)').allTextContents()).toEqual(expected)
    // Newest first, with the goods as they were entered and each batch's name.
    await references(['INV-B', 'INV-A'])
    expect(await checkRows.nth(1).locator('td').nth(2).textContent()).toBe(BEARING)
    await names(['manifest-7.csv', 'invoice-2026-11.csv'])
    const shown = page.getByRole('button', { name: 'Show', exact: true })

    // Batches by a part of their name, as the server finds them; the checks stay as they were.
    expect(await served('name=INVOICE')).toEqual(['invoice-2026-11.csv'])
    await page.getByLabel('Batch name', { exact: true }).fill('INVOICE')
    await page.getByLabel('Batch name', { exact: true }).press('Enter')
    await names(await served('name=INVOICE'))
    await references(['INV-B', 'INV-A'])
    await page.getByText('Showing 2 checks and 1 batch.').waitFor()

    // A changed select asks the server at once, from the first page.
    await page.getByLabel('Batch name', { exact: true }).fill('')
    await page.getByLabel('Batch status', { exact: true }).selectOption('cancelled')
    await page.getByText('Showing 2 checks and 0 batches.').waitFor()
    expect(await served('status=cancelled')).toEqual([])
    await page.getByLabel('Batch status', { exact: true }).selectOption('')
    await names(['manifest-7.csv', 'invoice-2026-11.csv'])

    await page.getByLabel('Check verdict', { exact: true }).selectOption('high_risk')
    await references(['INV-A'])
    await names(['manifest-7.csv', 'invoice-2026-11.csv'])

    await page.getByLabel('Check verdict', { exact: true }).selectOption('')
    await page.getByLabel('Check reference', { exact: true }).fill('INV-B')
    await shown.click()
    await references(['INV-B'])

    // A day range after today holds nothing; one ending today holds everything.
    await page.getByLabel('Check reference', { exact: true }).fill('')
    const day = (offset: number) => {
      const d = new Date()
      d.setDate(d.getDate() + offset)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    }
    await page.getByLabel('From', { exact: true }).fill(day(1))
    await shown.click()
    await page.getByText('Showing 0 checks and 0 batches.').waitFor()
    await page.getByLabel('From', { exact: true }).fill(day(-1))
    await page.getByLabel('To', { exact: true }).fill(day(0))
    await shown.click()
    await references(['INV-B', 'INV-A'])
    await page.getByText('Showing 2 checks and 2 batches.').waitFor()

    expect(await seriousViolations(page)).toEqual([])
    w.expectClean()
    await w.context.close()
  })

  it('opens the stored check from its result as a printable record', async () => {
    const key = await newKey(server!)
    const w = await openPage(browser!, server!, '/', { viewport: { width: 900, height: 1200 } })
    const { page } = w
    await enterKey(page, key)
    await page.getByText('More details (optional)').click()
    await page.locator('#check-form').getByLabel('Reference').fill('PO-77/2')
    await checkOneLine(page, BEARING, 'RU')
    await page.getByRole('link', { name: /Open the stored check chk_/ }).click()
    await page.waitForURL(/\/checks\/chk_/)
    const id = page.url().split('/').pop()!

    const record = page.locator('#record')
    await record.locator('.verdict-line .verdict').waitFor()
    expect(await record.locator('.verdict-line .verdict').textContent()).toBe('High risk')
    const text = (await record.textContent()) ?? ''
    const stored = (await (await api(server!, key, `/v1/checks/${id}`)).json()) as {
      created_at: string
      versions: { engine: string; lists: Record<string, string> }
      reasons: { text: string; source: string }[]
    }
    // The input, the verdict, the reasons with their sources, the list versions and the time.
    expect(text).toContain(BEARING)
    expect(text).toContain('PO-77/2')
    expect(text).toContain(stored.created_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))
    for (const reason of stored.reasons) {
      expect(text).toContain(reason.text)
      expect(text).toContain(reason.source)
    }
    expect(text).toContain(`Engine ${stored.versions.engine}`)
    for (const [list, version] of Object.entries(stored.versions.lists)) {
      expect(text).toContain(list)
      expect(text).toContain(version)
    }
    expect(await seriousViolations(page)).toEqual([])

    // On paper: no navigation, key field or buttons; the record alone.
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header.site').isVisible()).toBe(false)
    expect(await page.getByLabel('API key').isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false)
    expect(
      await record
        .getByRole('heading', { name: 'Reasons, in the order that explains the verdict' })
        .isVisible(),
    ).toBe(true)
    const shot = screenshotPath('print')
    if (shot) await page.screenshot({ path: shot, fullPage: true })
    w.expectClean()
    await w.context.close()
  })

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const key = await newKey(server!)
    const w = await openPage(browser!, server!, '/', {
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    const { page } = w
    await enterKey(page, key)
    await checkOneLine(page, BEARING, 'RU')
    await page.locator('#check-result .verdict-line .verdict').waitFor()
    // Expressions, not functions: this test is compiled without the DOM library.
    const widths = (await page.evaluate(
      '({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    )) as { page: number; viewport: number }
    expect(widths.page).toBeLessThanOrEqual(widths.viewport)
    expect(await seriousViolations(page)).toEqual([])
    w.expectClean()
    await w.context.close()
  })

  it('is readable without JavaScript and says what needs it', async () => {
    const w = await openPage(browser!, server!, '/', { javaScriptEnabled: false })
    const { page } = w
    await page.getByText('Checking, uploading and history need JavaScript').waitFor()
    for (const label of ['API key', 'Goods description', 'Batch file'])
      expect(await page.getByLabel(label, { exact: true }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Check', exact: true }).isVisible()).toBe(true)
    w.expectClean()
    await w.context.close()
  })
})
