/**
 * @module http/web/client-script
 * The page's one script, served as /web/app.js (same origin, so the CSP needs no 'unsafe-inline').
 * It is plain browser JavaScript kept as a string: the app runs on Workers too, which have no file
 * system to read it from, and a function's `.toString()` would carry the bundler's helpers (wrangler's
 * keepNames inserts `__name(...)` calls that do not exist in the browser).
 *
 * Rules it keeps:
 * - The API key lives in sessionStorage and travels only in the Authorization header: never in a URL,
 *   a cookie or the console.
 * - Text from the API is added with textContent (through `h`), never parsed as HTML.
 * - Big batches: the results table reads the CSV as a stream and stops after TABLE_LIMIT rows; a row's
 *   full result is found by streaming the JSONL, so neither file is held whole.
 * Written without template literals, so the TS string around it needs no escaping.
 */
export const WEB_SCRIPT = String.raw`'use strict'
;(() => {
  const KEY_STORE = 'dualuse.apiKey'
  const TABLE_LIMIT = 1000
  const POLL_MS = 400
  const VERDICT_WORDS = {
    prohibited: 'Prohibited',
    high_risk: 'High risk',
    review: 'Review',
    clear: 'Clear',
    error: 'Error',
  }
  const LEGAL_WORDS = {
    in_force: 'law in force',
    guidance: 'official guidance, not itself a prohibition',
    reported: 'press report, not verified law',
    snapshot: 'snapshot of a list',
  }
  const EFFECT_WORDS = {
    prohibited: 'Prohibits',
    high_risk: 'High risk',
    review: 'Review',
    clear: 'Clear',
    info: 'For information',
  }

  const byId = (id) => document.getElementById(id)

  function append(node, kids) {
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false || kid === '') continue
      if (Array.isArray(kid)) append(node, kid)
      else node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)))
    }
  }

  function h(tag, attrs, ...kids) {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue
      if (name === 'class') node.className = value
      else node.setAttribute(name, value === true ? '' : String(value))
    }
    append(node, kids)
    return node
  }

  // ---- the key ----------------------------------------------------------------------------------

  function apiKey() {
    try {
      return sessionStorage.getItem(KEY_STORE) || ''
    } catch {
      return ''
    }
  }

  function storeKey(value) {
    try {
      if (value) sessionStorage.setItem(KEY_STORE, value)
      else sessionStorage.removeItem(KEY_STORE)
    } catch {
      // Storage disabled: the key then lives only in the field, for this page.
    }
  }

  const keyInput = byId('api-key')
  const currentKey = () => apiKey() || keyInput.value.trim()

  class ApiError extends Error {
    constructor(problem, status) {
      super(problem.detail || problem.title || 'HTTP ' + status)
      this.problem = problem
      this.status = status
    }
  }

  /** fetch on this origin with the key; a problem+json answer becomes an ApiError. */
  async function api(path, init) {
    const key = currentKey()
    if (!key) throw new ApiError({ detail: 'Enter your API key first.' }, 0)
    const headers = new Headers((init && init.headers) || {})
    headers.set('Authorization', 'Bearer ' + key)
    // no-store: tenant data is not left in the browser's HTTP cache on a shared desk.
    const res = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' })
    if (!res.ok) {
      let problem = {}
      try {
        problem = await res.json()
      } catch {
        // Not JSON (a proxy's page): the status alone.
      }
      throw new ApiError(problem, res.status)
    }
    return res
  }

  function problemView(err) {
    const issues = (err && err.problem && err.problem.errors) || []
    return h(
      'div',
      { class: 'problem' },
      h('p', null, h('strong', null, 'Error: '), err instanceof Error ? err.message : String(err)),
      issues.length
        ? h('ul', null, issues.map((i) => h('li', null, h('code', null, i.pointer), ' ', i.message)))
        : null,
    )
  }

  // ---- formatting -------------------------------------------------------------------------------

  /** 848210 → 8482.10, 8482101000 → 8482.10.1000: as codes are written on invoices. */
  function hs(code) {
    const s = String(code || '')
    if (!/^\d{5,}$/.test(s)) return s
    return [s.slice(0, 4), s.slice(4, 6), s.slice(6)].filter(Boolean).join('.')
  }

  const pct = (x) => (x > 0 && x < 0.005 ? 'under 1%' : Math.round(x * 100) + '%')
  const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : /h$/.test(word) ? 'es' : 's')

  /** ISO-8601 UTC as a person reads it, with the zone said. */
  function when(iso) {
    return String(iso || '').replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')
  }

  function badge(verdict) {
    return h('span', { class: 'verdict v-' + verdict }, VERDICT_WORDS[verdict] || verdict)
  }

  function source(text) {
    return /^https?:\/\/\S+$/.test(text) ? h('a', { href: text, rel: 'noreferrer' }, text) : text
  }

  /** A check result (API or a batch row) as sections; record lays it out for filing. */
  function resultView(r, record) {
    const out = document.createDocumentFragment()
    const Hn = record ? 'h2' : 'h3'
    const cls = r.classification || { candidates: [] }
    const top = cls.candidates[0]
    out.append(
      h(
        'p',
        { class: 'verdict-line' },
        badge(r.verdict),
        h('span', { class: 'risk' }, 'risk score ', h('strong', null, r.risk_score), ' of 100'),
      ),
    )

    out.append(h(Hn, null, 'HS reading'))
    if (top) {
      out.append(
        h(
          'p',
          null,
          h('strong', { class: 'hs' }, hs(top.hs6)),
          ' ',
          top.title,
          ' (',
          pct(top.score),
          ' of the belief',
          typeof cls.confidence === 'number'
            ? '; calibrated chance the heading is right ' + pct(cls.confidence)
            : '',
          ')',
        ),
        h(
          'ul',
          { class: 'evidence', 'aria-label': 'Evidence' },
          top.evidence.map((e) => h('li', null, e)),
        ),
      )
      const rest = cls.candidates.slice(1)
      if (rest.length) {
        const list = h(
          'ul',
          null,
          rest.map((c) =>
            h('li', null, h('span', { class: 'hs' }, hs(c.hs6)), ' ', c.title, ' (' + pct(c.score) + ')'),
          ),
        )
        out.append(
          record
            ? h('div', null, h('p', null, 'Other readings weighed:'), list)
            : h('details', null, h('summary', null, 'Other readings weighed'), list),
        )
      }
    } else {
      out.append(h('p', null, 'The goods were not read as any HS subheading.'))
    }
    if (cls.declared_code) {
      const agree =
        cls.declared_code_consistent === true
          ? 'agrees with the reading'
          : cls.declared_code_consistent === false
            ? 'disagrees with the reading'
            : ''
      out.append(h('p', null, 'Declared code ', h('strong', { class: 'hs' }, hs(cls.declared_code)), ' ', agree))
    }

    if (r.destination) {
      out.append(h(Hn, null, 'Route'), h('p', null, r.destination.note))
    }

    out.append(h(Hn, null, 'List matches'))
    if (!r.matches.length) {
      out.append(h('p', null, 'No controlled-list entry matched.'))
    } else {
      out.append(
        // Focusable, so a keyboard can scroll it sideways on a phone.
        h(
          'section',
          { class: 'table-scroll', tabindex: 0, 'aria-label': 'List matches' },
          h(
            'table',
            { class: 'matches' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['List', 'Entry', 'Legal status', 'On this route'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              null,
              r.matches.map((m) =>
                h(
                  'tr',
                  null,
                  h('td', null, m.list_name),
                  h(
                    'td',
                    null,
                    h('span', { class: 'hs' }, hs(m.entry_code)),
                    ' ',
                    m.title,
                    m.tier ? ' (tier ' + m.tier + ')' : '',
                  ),
                  h('td', null, h('span', { class: 'legal legal-' + m.legal_status }, LEGAL_WORDS[m.legal_status] || m.legal_status)),
                  h(
                    'td',
                    null,
                    m.applies === false ? 'Does not decide: ' + (m.why_not_applied || '') : 'Applies',
                  ),
                ),
              ),
            ),
          ),
        ),
      )
    }

    out.append(h(Hn, null, 'Reasons, in the order that explains the verdict'))
    out.append(
      h(
        'ol',
        { class: 'reasons' },
        r.reasons.map((reason) =>
          h(
            'li',
            null,
            h('p', null, h('strong', { class: 'effect effect-' + reason.effect }, EFFECT_WORDS[reason.effect] || reason.effect), ': ', reason.text),
            h('p', { class: 'source' }, 'Source: ', source(reason.source)),
          ),
        ),
      ),
    )

    if (r.obligations && r.obligations.length) {
      out.append(h(Hn, null, 'What to do'), h('ul', null, r.obligations.map((o) => h('li', null, o))))
    }

    if (r.versions) {
      const rows = Object.entries(r.versions.lists || {}).map(([list, version]) =>
        h('tr', null, h('td', null, list), h('td', null, version)),
      )
      const table = h(
        'table',
        { class: 'versions' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'List'), h('th', { scope: 'col' }, 'Version'))),
        h('tbody', null, rows),
      )
      const engine = h('p', null, 'Engine ', r.versions.engine)
      out.append(
        record
          ? h('div', null, h(Hn, null, 'List versions'), engine, table)
          : h('details', null, h('summary', null, 'List versions'), engine, table),
      )
    }

    if (r.id && !record) {
      out.append(
        h('p', { class: 'stored' }, h('a', { href: '/checks/' + encodeURIComponent(r.id) }, 'Open the stored check ' + r.id + ' (printable record)')),
      )
    }
    return out
  }

  const field = (id) => {
    const el = byId(id)
    return el ? el.value.trim() : ''
  }

  async function withBusy(button, work) {
    button.disabled = true
    try {
      await work()
    } finally {
      button.disabled = false
    }
  }

  // ---- single check -----------------------------------------------------------------------------

  function setupCheck() {
    const form = byId('check-form')
    const out = byId('check-result')
    form.addEventListener('submit', (ev) => {
      ev.preventDefault()
      const body = {
        description: field('description'),
        destination: field('destination').toUpperCase(),
        regime: field('regime') || 'KZ',
      }
      for (const name of ['origin', 'final_destination']) {
        const value = field(name).toUpperCase()
        if (value) body[name] = value
      }
      for (const name of ['hs_code', 'reference']) {
        const value = field(name)
        if (value) body[name] = value
      }
      out.replaceChildren(h('p', null, 'Checking…'))
      withBusy(form.querySelector('button[type=submit]'), async () => {
        try {
          const res = await api('/v1/checks', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
          out.replaceChildren(resultView(await res.json(), false))
          refreshHistory()
        } catch (err) {
          out.replaceChildren(problemView(err))
        }
      })
    })
  }

  // ---- streams ----------------------------------------------------------------------------------

  /** Feeds decoded text to onText(text, end) until it returns false or the body ends. */
  async function readText(body, onText) {
    const reader = body.getReader()
    const decoder = new TextDecoder()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          onText(decoder.decode(), true)
          return
        }
        if (onText(decoder.decode(value, { stream: true }), false) === false) return
      }
    } finally {
      reader.cancel().catch(() => {})
    }
  }

  async function readLines(body, onLine) {
    let rest = ''
    await readText(body, (text, end) => {
      rest += text
      for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n')) {
        const line = rest.slice(0, i)
        rest = rest.slice(i + 1)
        if (line && onLine(line) === false) return false
      }
      if (end && rest) onLine(rest)
      return true
    })
  }

  /**
   * RFC 4180 records (the API's CSV: comma, quoted cells with "" and line breaks), across chunk
   * boundaries; onRecord returning false stops.
   */
  function csvParser(onRecord) {
    let cell = ''
    let record = []
    let state = 0 // 0 unquoted, 1 inside quotes, 2 a quote seen inside quotes
    let stopped = false
    const endRecord = () => {
      record.push(cell)
      cell = ''
      const done = record
      record = []
      if (onRecord(done) === false) stopped = true
    }
    return (text, end) => {
      for (let i = 0; i < text.length && !stopped; i++) {
        const ch = text[i]
        if (state === 1) {
          if (ch === '"') state = 2
          else cell += ch
          continue
        }
        if (state === 2) {
          state = 0
          if (ch === '"') {
            cell += '"'
            state = 1
            continue
          }
        }
        if (ch === '"' && cell === '') state = 1
        else if (ch === ',') {
          record.push(cell)
          cell = ''
        } else if (ch === '\n') endRecord()
        else if (ch !== '\r') cell += ch
      }
      if (end && !stopped && (cell !== '' || record.length)) endRecord()
      return !stopped
    }
  }

  // ---- batches ----------------------------------------------------------------------------------

  let batchRun = 0
  let shownBatch = null
  /** Lines in the table now, and the full results of those already read from the JSONL. */
  let shownLines = new Set()
  const rowCache = new Map()

  function setupBatch() {
    const form = byId('batch-form')
    const status = byId('batch-status')
    form.addEventListener('submit', (ev) => {
      ev.preventDefault()
      const file = byId('batch-file').files[0]
      if (!file) return
      const data = new FormData()
      data.append('file', file, file.name)
      const destination = field('batch-destination').toUpperCase()
      const query = destination ? '?destination=' + encodeURIComponent(destination) : ''
      byId('batch-results').hidden = true
      status.replaceChildren(h('p', null, 'Uploading ' + file.name + '…'))
      withBusy(form.querySelector('button[type=submit]'), async () => {
        try {
          const res = await api('/v1/batches' + query, { method: 'POST', body: data })
          const batch = await res.json()
          status.replaceChildren(
            h('p', null, 'Uploaded ' + file.name + ' as batch ' + batch.id + ': ' + batch.rows_total + ' rows.'),
          )
          await followBatch(batch)
        } catch (err) {
          status.replaceChildren(problemView(err))
        }
      })
    })
    byId('batch-verdict').addEventListener('change', () => {
      if (shownBatch) loadBatchTable().catch((err) => status.replaceChildren(problemView(err)))
    })
    byId('batch-table').addEventListener('click', (ev) => {
      const button = ev.target.closest('button[data-row]')
      if (button) openRow(Number(button.dataset.row))
    })
    for (const format of ['csv', 'jsonl']) {
      byId('download-' + format).addEventListener('click', (ev) => {
        ev.preventDefault()
        if (shownBatch) download(format).catch((err) => status.replaceChildren(problemView(err)))
      })
    }
    const dialog = byId('row-dialog')
    byId('row-dialog-close').addEventListener('click', () => dialog.close())
  }

  function progressBar() {
    const holder = byId('batch-progress')
    if (holder) return holder
    const label = h('p', { id: 'batch-progress-label' }, 'Rows checked')
    const fill = h('div', { class: 'fill' })
    const bar = h(
      'div',
      { role: 'progressbar', class: 'progress', 'aria-labelledby': 'batch-progress-label', 'aria-valuemin': 0 },
      fill,
    )
    const box = h('div', { id: 'batch-progress' }, label, bar)
    byId('batch-status').after(box)
    return box
  }

  function showProgress(batch) {
    const box = progressBar()
    const bar = box.querySelector('[role=progressbar]')
    const total = batch.rows_total
    const checked = Math.min(batch.rows_checked, total)
    bar.setAttribute('aria-valuemax', String(total))
    bar.setAttribute('aria-valuenow', String(checked))
    bar.setAttribute('aria-valuetext', checked + ' of ' + total + ' rows checked')
    // CSSOM, not a style attribute: allowed under style-src 'self'.
    bar.firstChild.style.width = total ? (100 * checked) / total + '%' : '100%'
    box.querySelector('p').textContent =
      'Batch ' + batch.id + ' (' + batch.status + '): ' + checked + ' of ' + total + ' rows checked'
  }

  function tally(batch) {
    const parts = []
    for (const v of ['prohibited', 'high_risk', 'review', 'clear']) {
      if (batch.counts[v]) parts.push(batch.counts[v] + ' ' + VERDICT_WORDS[v].toLowerCase())
    }
    if (batch.rows_failed) parts.push(batch.rows_failed + ' error rows')
    return parts.join(', ') || 'no rows'
  }

  async function followBatch(batch) {
    const run = ++batchRun
    shownBatch = null
    byId('batch-results').hidden = true
    const status = byId('batch-status')
    for (;;) {
      if (run !== batchRun) return
      showProgress(batch)
      if (batch.status !== 'queued' && batch.status !== 'running') break
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      batch = await (await api('/v1/batches/' + encodeURIComponent(batch.id))).json()
    }
    if (batch.status !== 'completed') {
      status.replaceChildren(h('p', null, 'Batch ' + batch.id + ' is ' + batch.status + '.'))
      return
    }
    shownBatch = batch
    rowCache.clear()
    status.replaceChildren(
      h('p', null, 'Batch ' + batch.id + ' completed: ' + batch.rows_total + ' rows, ' + tally(batch) + '.'),
    )
    const base = '/v1/batches/' + encodeURIComponent(batch.id) + '/results?format='
    byId('download-csv').href = base + 'csv'
    byId('download-jsonl').href = base + 'jsonl'
    await loadBatchTable()
    byId('batch-results').hidden = false
    refreshHistory()
  }

  function verdictQuery() {
    const verdict = byId('batch-verdict').value
    return verdict ? '&verdict=' + encodeURIComponent(verdict) : ''
  }

  function batchRow(o) {
    const line = Number(o.row)
    return h(
      'tr',
      null,
      h('td', null, h('button', { type: 'button', class: 'link', 'data-row': line, 'aria-label': 'Open row ' + line }, line)),
      h('td', null, o.reference),
      h('td', { class: 'wrap' }, o.description),
      h('td', null, o.destination),
      h('td', null, badge(o.error ? 'error' : o.verdict)),
      h('td', { class: 'num' }, o.risk_score),
      h('td', { class: 'wrap' }, o.hs6 ? h('span', { class: 'hs' }, hs(o.hs6)) : '', o.hs6 ? ' ' + o.hs6_title : ''),
      h('td', null, o.decisive_list ? o.decisive_list + ' ' + hs(o.decisive_entry) : ''),
      // Clamped to a few lines: the whole reasoning is one click away (the row's button).
      h('td', { class: 'wrap reason' }, h('div', { class: 'clamp' }, o.error || o.top_reason)),
    )
  }

  async function loadBatchTable() {
    const batch = shownBatch
    const res = await api('/v1/batches/' + encodeURIComponent(batch.id) + '/results?format=csv' + verdictQuery())
    const rows = document.createDocumentFragment()
    let header = null
    let count = 0
    let more = false
    const shown = new Set()
    await readText(
      res.body,
      csvParser((cells) => {
        if (!header) {
          header = cells
          return true
        }
        if (count >= TABLE_LIMIT) {
          more = true
          return false
        }
        const o = {}
        header.forEach((name, i) => {
          o[name] = cells[i] || ''
        })
        shown.add(Number(o.row))
        rows.append(batchRow(o))
        count++
        return true
      }),
    )
    if (batch !== shownBatch) return
    rowCache.clear()
    shownLines = shown
    byId('batch-table').tBodies[0].replaceChildren(rows)
    byId('batch-shown').textContent = more
      ? 'Showing the first ' + TABLE_LIMIT + ' rows; download the results for all of them.'
      : plural(count, 'row') + ' shown.'
  }

  /** The row's full result, read from the JSONL stream; the displayed rows met on the way are kept. */
  async function findRow(line) {
    if (rowCache.has(line)) return rowCache.get(line)
    const res = await api('/v1/batches/' + encodeURIComponent(shownBatch.id) + '/results?format=jsonl' + verdictQuery())
    let found = null
    await readLines(res.body, (text) => {
      const doc = JSON.parse(text)
      if (shownLines.has(doc.row)) rowCache.set(doc.row, doc)
      if (doc.row === line) {
        found = doc
        return false
      }
      return true
    })
    return found
  }

  async function openRow(line) {
    const dialog = byId('row-dialog')
    const body = byId('row-dialog-body')
    byId('row-dialog-title').textContent = 'Row ' + line
    body.replaceChildren(h('p', null, 'Loading…'))
    dialog.showModal()
    try {
      const doc = await findRow(line)
      if (!doc) body.replaceChildren(h('p', null, 'Row ' + line + ' is not in the results.'))
      else if (doc.error) body.replaceChildren(badge('error'), problemView(new ApiError(doc.error, 0)))
      else body.replaceChildren(resultView(doc, false))
      byId('row-dialog-title').textContent = 'Row ' + line + (doc && doc.reference ? ' (' + doc.reference + ')' : '')
    } catch (err) {
      body.replaceChildren(problemView(err))
    }
  }

  /** Downloads need the Authorization header, so a plain link cannot fetch them: fetch, then save a blob. */
  async function download(format) {
    const res = await api('/v1/batches/' + encodeURIComponent(shownBatch.id) + '/results?format=' + format)
    const url = URL.createObjectURL(await res.blob())
    const link = h('a', { href: url, download: 'dualuse-' + shownBatch.id + '.' + format, hidden: true })
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  }

  // ---- history ----------------------------------------------------------------------------------

  let historyLoaded = false
  let checksCursor = null
  let batchesCursor = null

  function historyFilter() {
    const from = field('history-from')
    const to = field('history-to')
    const range = {}
    // Whole local days: midnight here, sent as UTC; "to" is inclusive for the person, exclusive for the API.
    if (from) range.from = new Date(from + 'T00:00').toISOString()
    if (to) {
      const end = new Date(to + 'T00:00')
      end.setDate(end.getDate() + 1)
      range.to = end.toISOString()
    }
    return {
      verdict: field('history-verdict'),
      reference: field('history-reference'),
      name: field('history-name'),
      status: field('history-batch-status'),
      ...range,
    }
  }

  /** Bumped by each full reload, so an older answer arriving late does not draw over a newer one. */
  let historyRun = 0
  /**
   * The filters of the listing on screen, fixed when it was loaded: "Load more" continues that
   * listing with its cursor, even if the fields have been edited since.
   */
  let applied = null
  let historyBusy = false

  async function loadChecks(reset) {
    const run = historyRun
    const f = applied
    const q = new URLSearchParams({ limit: '20' })
    if (f.verdict) q.set('verdict', f.verdict)
    if (f.reference) q.set('reference', f.reference)
    if (f.from) q.set('created_from', f.from)
    if (f.to) q.set('created_to', f.to)
    if (!reset && checksCursor) q.set('cursor', checksCursor)
    const page = await (await api('/v1/checks?' + q)).json()
    if (run !== historyRun) return 0
    const tbody = byId('history-checks').tBodies[0]
    if (reset) tbody.replaceChildren()
    for (const c of page.data) {
      const input = c.input || {}
      const route = c.destination
        ? c.destination.country + (c.destination.final_destination !== c.destination.country ? ' → ' + c.destination.final_destination : '')
        : ''
      tbody.append(
        h(
          'tr',
          null,
          h('td', null, h('time', { datetime: c.created_at }, when(c.created_at))),
          h('td', null, c.reference || ''),
          h('td', { class: 'wrap' }, input.description || ''),
          h('td', null, route),
          h('td', null, badge(c.verdict)),
          h('td', { class: 'num' }, c.risk_score),
          h('td', null, h('a', { href: '/checks/' + encodeURIComponent(c.id), 'aria-label': 'View, print check ' + c.id }, 'View, print')),
        ),
      )
    }
    checksCursor = page.next_cursor
    byId('history-checks-more').hidden = !checksCursor
    return page.data.length
  }

  async function loadBatches(reset) {
    const run = historyRun
    const f = applied
    const tbody = byId('history-batches').tBodies[0]
    const q = new URLSearchParams({ limit: '20' })
    if (f.name) q.set('name', f.name)
    if (f.status) q.set('status', f.status)
    if (f.from) q.set('created_from', f.from)
    if (f.to) q.set('created_to', f.to)
    if (!reset && batchesCursor) q.set('cursor', batchesCursor)
    let page
    try {
      page = await (await api('/v1/batches?' + q)).json()
      if (run !== historyRun) return 0
      if (reset) tbody.replaceChildren()
    } catch (err) {
      if (run !== historyRun) return 0
      // A runtime without batches (501) still shows its checks.
      if (err instanceof ApiError && err.status === 501) {
        tbody.replaceChildren(h('tr', null, h('td', { colspan: 6 }, err.message)))
        byId('history-batches-more').hidden = true
        return 0
      }
      throw err
    }
    for (const b of page.data) {
      const open =
        b.status === 'completed' || b.status === 'queued' || b.status === 'running'
          ? h('button', { type: 'button', class: 'link', 'data-batch': b.id, 'aria-label': 'Show batch ' + b.id }, 'Show')
          : ''
      tbody.append(
        h(
          'tr',
          null,
          h('td', null, h('time', { datetime: b.created_at }, when(b.created_at))),
          h('td', { class: 'wrap' }, b.name || ''),
          h('td', null, b.status),
          h('td', { class: 'num' }, b.rows_checked + ' of ' + b.rows_total),
          h('td', null, tally(b)),
          h('td', null, open),
        ),
      )
    }
    batchesCursor = page.next_cursor
    byId('history-batches-more').hidden = !batchesCursor
    return page.data.length
  }

  /** Asks the server again, from the first page, with the filters as the fields now say. */
  async function loadHistory() {
    const status = byId('history-status')
    const run = ++historyRun
    applied = historyFilter()
    historyBusy = true
    status.textContent = 'Loading…'
    try {
      const [checks, batches] = await Promise.all([loadChecks(true), loadBatches(true)])
      if (run !== historyRun) return
      historyLoaded = true
      status.textContent = 'Showing ' + plural(checks, 'check') + ' and ' + plural(batches, 'batch') + '.'
    } catch (err) {
      if (run === historyRun) status.replaceChildren(problemView(err))
    } finally {
      if (run === historyRun) historyBusy = false
    }
  }

  function sameFilter(a, b) {
    return JSON.stringify(a) === JSON.stringify(b)
  }

  function refreshHistory() {
    if (historyLoaded) loadHistory()
  }

  function setupHistory() {
    const status = byId('history-status')
    const form = byId('history-form')
    // A changed filter asks the server again at once; "Show" asks again even when nothing changed
    // (new checks may have been stored), unless the change it follows is still loading (Enter in a
    // text field fires both).
    form.addEventListener('change', () => {
      if (currentKey() && !sameFilter(historyFilter(), applied)) loadHistory()
    })
    form.addEventListener('submit', (ev) => {
      ev.preventDefault()
      if (historyBusy && sameFilter(historyFilter(), applied)) return
      loadHistory()
    })
    byId('history-checks-more').addEventListener('click', () =>
      loadChecks(false).catch((err) => status.replaceChildren(problemView(err))),
    )
    byId('history-batches-more').addEventListener('click', () =>
      loadBatches(false).catch((err) => status.replaceChildren(problemView(err))),
    )
    byId('history-batches').addEventListener('click', async (ev) => {
      const button = ev.target.closest('button[data-batch]')
      if (!button) return
      try {
        const batch = await (await api('/v1/batches/' + encodeURIComponent(button.dataset.batch))).json()
        byId('batch').scrollIntoView()
        await followBatch(batch)
      } catch (err) {
        byId('batch-status').replaceChildren(problemView(err))
      }
    })
  }

  // ---- a stored check, for filing -----------------------------------------------------------------

  function inputView(input) {
    const rows = [
      ['Goods description', input.description],
      ['Destination', input.destination],
      ['Final destination', input.final_destination],
      ['Transit', (input.transit || []).join(', ')],
      ['Origin', input.origin],
      ['Declared HS code', input.hs_code && hs(input.hs_code)],
      ['Regime', input.regime],
      ['Quantity', input.quantity],
      ['Value', input.value === undefined ? '' : input.value + ' ' + (input.currency || '')],
    ].filter(([, v]) => v !== undefined && v !== null && v !== '')
    return h('dl', { class: 'meta' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))
  }

  let recordRun = 0

  async function loadRecord() {
    const body = byId('record-body')
    const id = byId('record').dataset.checkId
    if (!currentKey()) return
    const run = ++recordRun
    body.replaceChildren(h('p', null, 'Loading…'))
    try {
      const c = await (await api('/v1/checks/' + encodeURIComponent(id))).json()
      if (run !== recordRun) return
      const view = document.createDocumentFragment()
      view.append(
        h(
          'dl',
          { class: 'meta' },
          h('dt', null, 'Checked at'),
          h('dd', null, h('time', { datetime: c.created_at }, when(c.created_at))),
          h('dt', null, 'Reference'),
          h('dd', null, c.reference || 'none'),
        ),
      )
      if (c.input) view.append(h('h2', null, 'Input'), inputView(c.input))
      view.append(h('h2', null, 'Verdict'), resultView(c, true))
      view.append(
        h('p', { class: 'printed' }, 'Printed ' + when(new Date().toISOString()) + ' from ' + location.origin + '.'),
      )
      body.replaceChildren(view)
    } catch (err) {
      if (run === recordRun) body.replaceChildren(problemView(err))
    }
  }

  // ---- start ------------------------------------------------------------------------------------

  const page = document.body.dataset.page
  byId('needs-script').hidden = true
  keyInput.value = apiKey()
  keyInput.addEventListener('input', () => storeKey(keyInput.value.trim()))
  const onKey = () => {
    if (page === 'home') loadHistory()
    else if (page === 'check') loadRecord()
  }
  keyInput.addEventListener('change', onKey)
  byId('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    onKey()
  })
  byId('key-forget').addEventListener('click', () => {
    storeKey('')
    // A reload drops every tenant result drawn on the page along with the key.
    location.reload()
  })

  if (page === 'home') {
    setupCheck()
    setupBatch()
    setupHistory()
    if (apiKey()) loadHistory()
  } else if (page === 'check') {
    byId('print').addEventListener('click', () => window.print())
    loadRecord()
  }
})()
`
