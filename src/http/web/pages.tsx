/**
 * @module http/web/pages
 * The web page's HTML, rendered on the server with hono/jsx. It holds only what is the same for every
 * visitor: labels, help text and empty containers. Tenant data is fetched and drawn by the page script
 * (`client-script.ts`) with the API key from the browser session, which the server never sees outside an
 * Authorization header; so without JavaScript the page is readable but does not act.
 */
import type { Child, FC } from 'hono/jsx'
import { allCountries } from '../../core/countries'
import { BATCH_STATUSES } from '../../core/ports'
import { REGIMES, VERDICTS } from '../../core/schemas'

export const VERDICT_WORDS: Record<(typeof VERDICTS)[number], string> = {
  prohibited: 'Prohibited',
  high_risk: 'High risk',
  review: 'Review',
  clear: 'Clear',
}

/** Built once per process or isolate: 249 options, the same on every request. */
const COUNTRY_OPTIONS = allCountries()

/** Asset URLs carry a digest of their content, so a deploy is never served a stale script. */
export type AssetUrls = { script: string; style: string }

const Layout: FC<{ title: string; assets: AssetUrls; page: string; children?: Child }> = ({
  title,
  assets,
  page,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <title>{title}</title>
      <link rel="stylesheet" href={assets.style} />
      <script src={assets.script} defer />
    </head>
    <body data-page={page}>
      <a class="skip no-print" href="#main">
        Skip to content
      </a>
      <header class="site no-print">
        <p class="brand">
          <a href="/">dualuse</a> <span>export control screening</span>
        </p>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href="/#check">Check</a>
            </li>
            <li>
              <a href="/#batch">Batch</a>
            </li>
            <li>
              <a href="/#history">History</a>
            </li>
            <li>
              <a href="/docs">API reference</a>
            </li>
          </ul>
        </nav>
      </header>
      <section class="key no-print" aria-labelledby="key-heading">
        <h2 id="key-heading" class="visually-hidden">
          Access
        </h2>
        {/* Its own form, so Enter here submits nothing else; the input has no name, so even a form
            submitted without the script (which the CSP's form-action 'none' blocks) could not put the
            key in a URL. */}
        <form id="key-form" class="key-form">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="du_…"
            aria-describedby="key-help"
          />
          <button type="button" id="key-forget" class="secondary">
            Forget key
          </button>
          <p id="key-help" class="help">
            Kept in this browser tab only (session storage) and sent only in the Authorization
            header to this site; never in a link, a cookie or a log. Create one with{' '}
            <code>npm run -s dualuse -- keys create --tenant NAME</code>.
          </p>
        </form>
      </section>
      {/* Not <noscript>: this also shows when the script fails to load; the script hides it on start. */}
      <p id="needs-script" class="notice">
        Checking, uploading and history need JavaScript: the page calls the API from your browser
        with your key, which never leaves this tab otherwise. The API itself is described at{' '}
        <a href="/docs">/docs</a>.
      </p>
      <main id="main">{children}</main>
    </body>
  </html>
)

const Field: FC<{ id: string; label: string; hint?: string; children?: Child }> = ({
  id,
  label,
  hint,
  children,
}) => (
  <div class="field">
    <label for={id}>{label}</label>
    {children}
    {hint ? (
      <p class="help" id={`${id}-hint`}>
        {hint}
      </p>
    ) : null}
  </div>
)

const CountryInput: FC<{ id: string; required?: boolean; hinted?: boolean }> = ({
  id,
  required,
  hinted,
}) => (
  <input
    id={id}
    name={id}
    list="countries"
    required={required}
    autocomplete="off"
    pattern="[A-Za-z]{2}"
    maxlength={2}
    class="country"
    aria-describedby={hinted ? `${id}-hint` : undefined}
  />
)

const VerdictOptions: FC<{ withError?: boolean }> = ({ withError }) => (
  <>
    <option value="">All verdicts</option>
    {VERDICTS.map((v) => (
      <option value={v}>{VERDICT_WORDS[v]}</option>
    ))}
    {withError ? <option value="error">Error rows</option> : null}
  </>
)

const CheckSection: FC = () => (
  <section id="check" aria-labelledby="check-heading">
    <h2 id="check-heading">Check one line</h2>
    <form id="check-form" class="stack">
      <Field id="description" label="Goods description">
        <textarea id="description" name="description" required maxlength={2000} rows={3} />
      </Field>
      <div class="row">
        <Field id="destination" label="Destination" hint="ISO country code, e.g. RU, KZ, DE.">
          <CountryInput id="destination" required hinted />
        </Field>
        <Field id="regime" label="Regime">
          <select id="regime" name="regime">
            {REGIMES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </Field>
      </div>
      <details class="more">
        <summary>More details (optional)</summary>
        <div class="row">
          <Field id="origin" label="Origin">
            <CountryInput id="origin" />
          </Field>
          <Field id="final_destination" label="Final destination">
            <CountryInput id="final_destination" />
          </Field>
          <Field id="hs_code" label="Declared HS code">
            <input id="hs_code" name="hs_code" inputmode="decimal" maxlength={16} />
          </Field>
          <Field id="reference" label="Reference">
            <input id="reference" name="reference" maxlength={200} />
          </Field>
        </div>
      </details>
      <datalist id="countries">
        {COUNTRY_OPTIONS.map((c) => (
          <option value={c.code}>{c.name}</option>
        ))}
      </datalist>
      <p>
        <button type="submit">Check</button>
      </p>
    </form>
    <div id="check-result" role="status" class="result" aria-live="polite" />
  </section>
)

const BatchSection: FC = () => (
  <section id="batch" aria-labelledby="batch-heading">
    <h2 id="batch-heading">Check a batch file</h2>
    <p class="help">
      CSV (comma, semicolon or tab) or JSON Lines with a <code>description</code> column and
      optionally <code>reference</code>, <code>destination</code>, <code>hs_code</code>,{' '}
      <code>origin</code>, <code>final_destination</code>, <code>regime</code>. Row numbers are the
      file's lines, the header being line 1.
    </p>
    <form id="batch-form" class="stack">
      <div class="row">
        <Field id="batch-file" label="Batch file">
          <input
            id="batch-file"
            name="file"
            type="file"
            required
            accept=".csv,.tsv,.txt,.jsonl,.ndjson,text/csv,application/x-ndjson"
          />
        </Field>
        <Field
          id="batch-destination"
          label="Destination for rows without one"
          hint="Optional ISO country code."
        >
          <CountryInput id="batch-destination" hinted />
        </Field>
      </div>
      <p>
        <button type="submit">Upload</button>
      </p>
    </form>
    <div id="batch-status" role="status" aria-live="polite" class="batch-status" />
    <div id="batch-results" hidden>
      <div class="toolbar">
        <div class="field inline">
          <label for="batch-verdict">Show</label>
          <select id="batch-verdict">
            <VerdictOptions withError />
          </select>
        </div>
        <p class="downloads">
          Download all results:{' '}
          <a id="download-csv" href="/" download>
            CSV
          </a>{' '}
          ·{' '}
          <a id="download-jsonl" href="/" download>
            JSONL
          </a>
        </p>
      </div>
      <p id="batch-shown" class="help" />
      {/* Focusable so a keyboard can scroll a table wider than a phone. */}
      <section class="table-scroll" aria-labelledby="batch-caption" tabindex={0}>
        <table id="batch-table">
          <caption id="batch-caption">Batch results, one row per input line</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Reference</th>
              <th scope="col">Goods description</th>
              <th scope="col">Destination</th>
              <th scope="col">Verdict</th>
              <th scope="col">Risk</th>
              <th scope="col">HS reading</th>
              <th scope="col">Decisive entry</th>
              <th scope="col">First reason</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </section>
    </div>
    <dialog id="row-dialog" aria-labelledby="row-dialog-title">
      <div class="dialog-head">
        <h3 id="row-dialog-title">Row</h3>
        <button type="button" id="row-dialog-close" class="secondary">
          Close
        </button>
      </div>
      <div id="row-dialog-body" />
    </dialog>
  </section>
)

const HistorySection: FC = () => (
  <section id="history" aria-labelledby="history-heading">
    <h2 id="history-heading">History</h2>
    <form id="history-form" class="row">
      <Field id="history-verdict" label="Check verdict">
        <select id="history-verdict" name="verdict">
          <VerdictOptions />
        </select>
      </Field>
      <Field id="history-reference" label="Check reference">
        <input id="history-reference" name="reference" maxlength={200} />
      </Field>
      <Field id="history-name" label="Batch name">
        <input id="history-name" name="name" maxlength={255} />
      </Field>
      <Field id="history-batch-status" label="Batch status">
        <select id="history-batch-status" name="status">
          <option value="">All statuses</option>
          {BATCH_STATUSES.map((st) => (
            <option value={st}>{st[0]!.toUpperCase() + st.slice(1)}</option>
          ))}
        </select>
      </Field>
      <Field id="history-from" label="From">
        <input id="history-from" name="from" type="date" />
      </Field>
      <Field id="history-to" label="To">
        <input id="history-to" name="to" type="date" />
      </Field>
      <p class="field-button">
        <button type="submit">Show</button>
      </p>
    </form>
    <p class="help">
      Newest first, filtered by the server: verdict and reference pick checks, name (any part of it)
      and status pick batches, and the dates pick both, as whole days in your time zone. A batch is
      named after its uploaded file.
    </p>
    <div id="history-status" role="status" aria-live="polite" />
    <h3 id="history-checks-heading">Checks</h3>
    <section class="table-scroll" aria-labelledby="history-checks-heading" tabindex={0}>
      <table id="history-checks">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Reference</th>
            <th scope="col">Goods description</th>
            <th scope="col">Destination</th>
            <th scope="col">Verdict</th>
            <th scope="col">Risk</th>
            <th scope="col">Record</th>
          </tr>
        </thead>
        <tbody />
      </table>
    </section>
    <p>
      <button type="button" id="history-checks-more" class="secondary" hidden>
        Load more checks
      </button>
    </p>
    <h3 id="history-batches-heading">Batches</h3>
    <section class="table-scroll" aria-labelledby="history-batches-heading" tabindex={0}>
      <table id="history-batches">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Rows</th>
            <th scope="col">Verdicts</th>
            <th scope="col">Results</th>
          </tr>
        </thead>
        <tbody />
      </table>
    </section>
    <p>
      <button type="button" id="history-batches-more" class="secondary" hidden>
        Load more batches
      </button>
    </p>
  </section>
)

export const HomePage: FC<{ assets: AssetUrls }> = ({ assets }) => (
  <Layout title="dualuse: export control screening" assets={assets} page="home">
    <h1>Export control screening</h1>
    <p class="lead">
      Describe goods as on the invoice and name where they go: the answer is a verdict with the
      reasons, the HS reading and the controlled-list entries behind it, each with its source. Every
      check is stored for your records.
    </p>
    <CheckSection />
    <BatchSection />
    <HistorySection />
  </Layout>
)

/**
 * A stored check as a record to file: filled in by the script from GET /v1/checks/{id}, laid out for
 * paper by the print stylesheet.
 */
export const CheckPage: FC<{ assets: AssetUrls; id: string }> = ({ assets, id }) => (
  <Layout title={`Check ${id}: dualuse`} assets={assets} page="check">
    <article id="record" class="record" data-check-id={id}>
      <h1>Export control check record</h1>
      <p class="no-print">
        <a href="/#history">Back to history</a>{' '}
        <button type="button" id="print" class="secondary">
          Print
        </button>
      </p>
      <dl class="meta">
        <dt>Check</dt>
        <dd>
          <code>{id}</code>
        </dd>
      </dl>
      <div id="record-body" role="status" aria-live="polite">
        <p>Enter your API key above to load this check.</p>
      </div>
    </article>
  </Layout>
)
