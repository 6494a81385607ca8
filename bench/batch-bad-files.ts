/**
 * Bad files against a real server (issue 9): each upload must give a clear 4xx problem or clear
 * per-row errors, never a 5xx, and no batch may be left stuck. The 300 MiB body is generated while it
 * streams (no Content-Length, so the server has to count) and once more with its length declared.
 * Prints one line per file and the server's peak RSS; exits 1 if any expectation fails.
 *
 *   npm run -s bench:batch-bad-files
 */
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, vmKb } from './server-process'

const PORT = 18_921
const BASE = `http://127.0.0.1:${PORT}`
const MIB = 1024 * 1024

/** 300 MiB of well-formed CSV rows (2 KB descriptions), made as it is sent. */
function hugeCsv(totalBytes: number): ReadableStream<Uint8Array> {
  const row = new TextEncoder().encode(`R,"${'Wooden chairs '.repeat(146)}",DE\n`)
  let sent = 0
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('reference,description,destination\n'))
    },
    pull(controller) {
      const batch = new Uint8Array(row.length * 512)
      for (let i = 0; i < 512; i++) batch.set(row, i * row.length)
      controller.enqueue(batch)
      sent += batch.length
      if (sent >= totalBytes) controller.close()
    },
  })
}

function brokenQuoteCsv(): string {
  const lines = ['reference,description,destination']
  for (let i = 1; i <= 30; i++)
    lines.push(i === 10 ? `R${i},"Steel pipe 12 inch,RU` : `R${i},Wooden chairs ${i},DE`)
  return `${lines.join('\n')}\n`
}

type Case = {
  name: string
  body: () => RequestInit['body']
  type: string
  headers?: Record<string, string>
  /** A 4xx status, or 202 with this many error rows once completed. */
  expect: { status: number } | { errorRows: number; rows: number }
}

const cases: Case[] = [
  { name: 'empty file (0 bytes)', body: () => '', type: 'text/csv', expect: { status: 400 } },
  {
    name: 'binary file (64 KiB of random bytes)',
    body: () => crypto.getRandomValues(new Uint8Array(65_536)),
    type: 'text/csv',
    expect: { status: 400 },
  },
  {
    name: 'header without a description column',
    body: () => 'ref;dest\nA;RU\nB;KZ\n',
    type: 'text/csv',
    expect: { status: 400 },
  },
  {
    name: 'broken quote at line 11 of 31',
    body: brokenQuoteCsv,
    type: 'text/csv',
    expect: { errorRows: 1, rows: 30 },
  },
  {
    name: 'extra and missing columns',
    body: () =>
      'reference,description,destination\nA,Wooden chairs,DE,extra\nB,Wooden chairs\nC,Wooden chairs,DE\n',
    type: 'text/csv',
    expect: { errorRows: 2, rows: 3 },
  },
  {
    name: 'a row of 10,000 columns',
    body: () =>
      `reference,description,destination\nA,${Array(10_000).fill('x').join(',')}\nB,Wooden chairs,DE\n`,
    type: 'text/csv',
    expect: { errorRows: 1, rows: 2 },
  },
  {
    name: 'invalid JSON Lines',
    body: () => '{"description":"Wooden chairs","destination":"DE"}\n{not json\n[1,2]\n',
    type: 'application/x-ndjson',
    expect: { errorRows: 2, rows: 3 },
  },
  {
    name: '300 MiB body, streamed without Content-Length',
    body: () => hugeCsv(300 * MIB),
    type: 'text/csv',
    expect: { status: 413 },
  },
  {
    name: '300 MiB body, Content-Length declared',
    body: () => hugeCsv(300 * MIB),
    type: 'text/csv',
    headers: { 'content-length': String(300 * MIB) },
    expect: { status: 413 },
  },
]

const dir = mkdtempSync(join(tmpdir(), 'dualuse-bad-files-'))
const server = await startServer(join(dir, 'db.sqlite'), PORT)
const auth = { authorization: `Bearer ${server.key}` }
let peakKb = 0
const poll = setInterval(() => {
  peakKb = Math.max(peakKb, vmKb(server.proc.pid!, 'VmHWM'))
}, 200)
let failures = 0

async function waitCompleted(id: string) {
  for (let i = 0; i < 240; i++) {
    const b = (await (await fetch(`${BASE}/v1/batches/${id}`, { headers: auth })).json()) as {
      status: string
      rows_total: number
      rows_failed: number
    }
    if (b.status !== 'queued' && b.status !== 'running') return b
    await new Promise((r) => setTimeout(r, 250))
  }
  return null
}

try {
  for (const c of cases) {
    const started = performance.now()
    let status: number
    let detail = ''
    try {
      const res = await fetch(`${BASE}/v1/batches`, {
        method: 'POST',
        headers: { ...auth, 'content-type': c.type, ...c.headers },
        body: c.body(),
        duplex: 'half',
      } as RequestInit)
      status = res.status
      const body = (await res.json()) as { id?: string; title?: string; detail?: string }
      detail = body.detail ?? body.title ?? ''
      if (status === 202 && body.id) {
        const done = await waitCompleted(body.id)
        detail = done
          ? `${done.status}, ${done.rows_total} rows, ${done.rows_failed} error rows`
          : 'STUCK'
        const want = c.expect
        if (!done || !('rows' in want) || done.status !== 'completed')
          throw new Error(`expected ${JSON.stringify(want)}`)
        if (done.rows_total !== want.rows || done.rows_failed !== want.errorRows)
          throw new Error(`expected ${want.rows} rows with ${want.errorRows} errors`)
      } else if (!('status' in c.expect) || c.expect.status !== status) {
        throw new Error(`expected ${JSON.stringify(c.expect)}`)
      }
      console.log(
        `ok    ${c.name.padEnd(48)} ${status} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${detail}`,
      )
    } catch (err) {
      failures++
      console.log(`FAIL  ${c.name.padEnd(48)} ${(err as Error).message} (${detail})`)
    }
  }
  const health = await fetch(`${BASE}/healthz`)
  const list = (await (await fetch(`${BASE}/v1/batches?limit=100`, { headers: auth })).json()) as {
    data: { status: string }[]
  }
  const stuck = list.data.filter((b) => b.status === 'queued' || b.status === 'running')
  console.log(
    `after: /healthz ${health.status}; ${list.data.length} batches kept, ${stuck.length} stuck; server peak RSS ${Math.round(peakKb / 1024)} MB`,
  )
  if (health.status !== 200 || stuck.length > 0) failures++
} finally {
  clearInterval(poll)
  server.proc.kill('SIGTERM')
  await once(server.proc, 'exit')
  rmSync(dir, { recursive: true, force: true })
}
process.exit(failures > 0 ? 1 : 0)
