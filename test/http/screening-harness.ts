/**
 * Harness for the lists-as-data routes (issue 12): the HTTP app on a migrated SQLite `:memory:` store
 * with the real engine (list matching is what these tests are about) and screening wired as on Node.
 */
import { readEngine } from '../../src/runtime/catalogue-file'
import { checkerOf } from '../../src/runtime/checker'
import { contextDataCache, registerNow, screeningDeps } from '../../src/runtime/screening-deps'
import { createApiKey, ensureTenant } from '../../src/storage/repos/tenant-repo'
import { makeHarness } from './harness'

// One engine per test file: building it takes a few seconds.
let engine: ReturnType<typeof readEngine> | undefined

export async function makeScreeningHarness() {
  engine ??= readEngine()
  const e = engine
  const h = await makeHarness({ checker: checkerOf(e) })
  const repo = (
    h.deps as unknown as { screeningRepo: import('../../src/core/lists/ports').ScreeningRepo }
  ).screeningRepo
  // Real time, shifted when a test moves the clock (suppression expiry).
  let shift = 0
  h.deps.clock = { now: () => new Date(Date.now() + shift) }
  h.deps.screening = screeningDeps({
    repo,
    hsCodes: () => e.catalogue.hs.map((x) => x.code),
    builtInLists: () => e.catalogue.lists,
    ready: await registerNow(repo, e.catalogue.lists),
    contexts: contextDataCache(),
  })
  /** A tenant with a named key (audit records name it). */
  const tenant = async (keyName = 'anna') => {
    const t = await ensureTenant(h.store.db, `t-${crypto.randomUUID()}`, new Date())
    const { key } = await createApiKey(h.store.db, t.id, new Date(), keyName)
    return { tenant: t, key }
  }
  const send = (key: string, method: string, path: string, body?: unknown, type?: string) =>
    h.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': type ?? 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
  const check = async (key: string, body: Record<string, unknown>) => {
    const res = await h.post(key, body)
    if (res.status !== 201) throw new Error(`check failed: ${res.status} ${await res.text()}`)
    return (await res.json()) as CheckBody
  }
  return {
    ...h,
    /** The engine its checker uses (batch runners check chunks on it). */
    engine: e,
    repo,
    tenant,
    send,
    check,
    /** Moves the harness clock (suppression expiry). */
    setNow: (d: Date) => {
      shift = d.getTime() - Date.now()
    },
  }
}

export type CheckBody = {
  id: string
  verdict: string
  matches: {
    list_id: string
    entry_code: string
    applies?: boolean
    why_not_applied?: string | null
    suppressed_by?: string
  }[]
  reasons: { rule_id: string; effect: string; text: string }[]
  versions: { engine: string; lists: Record<string, string>; settings?: string }
}
