/**
 * The webhook drills of issue 10 on the real server (`npm start`) with a real receiver: checks answered
 * while the receiver is down, the server killed with SIGKILL, both brought back — every event is
 * delivered, each verified by the reference `standardwebhooks` package; a finished batch sends
 * `batch.completed`; the signing secret never appears in the server's log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually, startReceiver } from '../http/webhook-harness'
import { freePort, KEY_PATTERN, type Started, startProcess, stopProcess } from './spawn-server'

const dir = mkdtempSync(join(tmpdir(), 'dualuse-webhook-drill-'))
const started: Started[] = []
const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const s of started) await stopProcess(s)
  for (const c of closers) await c()
  rmSync(dir, { recursive: true, force: true })
})

const LINES = [
  { description: 'Deep groove ball bearing 6205-2RS', destination: 'KZ', final_destination: 'RU' },
  { description: 'wooden dining chair', destination: 'DE' },
  { description: 'подшипник шариковый 6305', destination: 'RU', origin: 'KZ' },
  { description: 'cotton t-shirts, men', destination: 'RU' },
  { description: 'STM32F407 microcontroller integrated circuit', destination: 'AM', origin: 'US' },
  { description: 'CNC milling machine, 5-axis', destination: 'KG', hs_code: '8459.61' },
]

type Payload = { type: string; data: { id: string; status?: string } }

describe('webhooks on the real server', () => {
  it('delivers every event after a SIGKILL with the receiver down, and batch.completed', async () => {
    const port = await freePort()
    const receiverPort = await freePort()
    const env = {
      PORT: String(port),
      DATABASE_PATH: join(dir, 'db.sqlite'),
      REQUEST_LOG: 'on',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // Fast retries that outlast the restart below.
      WEBHOOK_RETRY_SCHEDULE: '1,1,2,2,2,2,2,2,2,2,2,2',
    }
    const base = `http://127.0.0.1:${port}`
    const first = startProcess(env)
    started.push(first)
    await first.until((out) => out.includes('"listening"'), 60_000)
    const key = KEY_PATTERN.exec(first.stdout())![0]
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }

    // The receiver is down: nothing listens on its port yet.
    const created = await fetch(`${base}/v1/webhook-endpoints`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        url: `http://127.0.0.1:${receiverPort}/hook`,
        events: ['check.flagged', 'batch.completed'],
      }),
    })
    expect(created.status).toBe(201)
    const endpoint = (await created.json()) as { id: string; secret: string }
    const rotated = (await (
      await fetch(`${base}/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
        method: 'POST',
        headers: { authorization: headers.authorization },
      })
    ).json()) as { secret: string }

    const flagged: string[] = []
    const clear: string[] = []
    for (let i = 0; i < 18; i++) {
      const res = await fetch(`${base}/v1/checks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...LINES[i % LINES.length], reference: `D${i}` }),
      })
      expect(res.status).toBe(201)
      const check = (await res.json()) as { id: string; verdict: string }
      ;(check.verdict === 'clear' ? clear : flagged).push(check.id)
    }
    expect(flagged.length).toBeGreaterThan(0)
    expect(clear.length).toBeGreaterThan(0)
    first.proc.kill('SIGKILL')
    await first.exited

    // Both back: the receiver on its port, the server on the same database.
    const back = await startReceiver(() => 200, receiverPort)
    closers.push(back.close)
    const second = startProcess(env)
    started.push(second)
    await second.until((out) => out.includes('"listening"'), 60_000)

    const wh = new Webhook(rotated.secret)
    const deliveredChecks = () =>
      new Set(
        back
          .accepted()
          .map((r) => (wh.verify(r.body, r.headers as Record<string, string>) as Payload).data.id),
      )
    await eventually(() => deliveredChecks().size === flagged.length, 60_000)
    expect([...deliveredChecks()].sort()).toEqual([...flagged].sort())
    for (const id of clear) expect(deliveredChecks().has(id)).toBe(false)
    // The old secret still verifies too (rotation keeps it for 24 h).
    const old = new Webhook(endpoint.secret)
    for (const r of back.accepted())
      expect(old.verify(r.body, r.headers as Record<string, string>)).toBeTruthy()

    // A batch: batch.completed when it finishes.
    const upload = await fetch(`${base}/v1/batches`, {
      method: 'POST',
      headers: { authorization: headers.authorization, 'content-type': 'text/csv' },
      body: 'reference,description,destination\nB1,wooden chair,DE\nB2,ball bearing 6305,RU\n',
    })
    expect(upload.status).toBe(202)
    const batch = (await upload.json()) as { id: string }
    await eventually(
      () => back.accepted().some((r) => (JSON.parse(r.body) as Payload).type === 'batch.completed'),
      60_000,
    )
    const done = back
      .accepted()
      .map((r) => wh.verify(r.body, r.headers as Record<string, string>) as Payload)
      .find((p) => p.type === 'batch.completed')!
    expect(done.data).toMatchObject({
      id: batch.id,
      status: 'completed',
      url: `/v1/batches/${batch.id}`,
    })

    await stopProcess(second)
    // The signing secrets never reached the log, nor the database file in clear.
    const log = first.stdout() + first.stderr() + second.stdout() + second.stderr()
    expect(log).toContain('webhook attempt')
    for (const s of [endpoint.secret, rotated.secret]) {
      expect(log).not.toContain(s.slice('whsec_'.length))
      expect(readFileSync(env.DATABASE_PATH).includes(s.slice('whsec_'.length))).toBe(false)
    }
  }, 180_000)
})
