/**
 * List version imports take bodies up to LIST_IMPORT_MAX_BYTES (8 MiB by default), read after the key
 * is checked; every other request body keeps the 64 KiB limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIST_IMPORT_MAX_BYTES } from '../../src/core/lists/ports'
import { BODY_LIMIT_BYTES } from '../../src/http/app'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
beforeAll(async () => {
  h = await makeScreeningHarness()
})
afterAll(() => h.close())

async function tenantWithList(id: string) {
  const { key } = await h.tenant()
  const res = await h.send(key, 'POST', '/v1/lists', {
    id,
    name: 'Large list',
    mode: 'watch',
    legal_status: 'guidance',
    source: 'test',
  })
  expect(res.status).toBe(201)
  return key
}

/** A CSV of `n` distinct valid entries: HS-6 subheadings and 8-digit lines under them. */
function largeCsv(n: number): string {
  const hs6 = h.engine.catalogue.hs.map((x) => x.code).filter((c) => /^\d{6}$/.test(c))
  const lines = ['code,title,category']
  for (const suffix of ['', '10', '90'])
    for (const code of hs6) {
      if (lines.length > n) break
      lines.push(`${code}${suffix},Goods of ${code}${suffix} with a long enough title,cat`)
    }
  expect(lines.length - 1).toBe(n)
  return `${lines.join('\n')}\n`
}

async function expectTooLarge(res: Response, limit: number) {
  expect(res.status).toBe(413)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  expect(((await res.json()) as { detail: string }).detail).toContain(String(limit))
}

describe('POST /v1/lists/{id}/versions body limit', () => {
  it('imports a list of 10,000 entries, far over 64 KiB', async () => {
    const key = await tenantWithList('large_watch')
    const csv = largeCsv(10_000)
    expect(csv.length).toBeGreaterThan(BODY_LIMIT_BYTES * 4)
    const res = await h.send(key, 'POST', '/v1/lists/large_watch/versions', csv, 'text/csv')
    expect(res.status).toBe(201)
    expect(((await res.json()) as { entry_count: number }).entry_count).toBe(10_000)
    const entries = await h.send(key, 'GET', '/v1/lists/large_watch/versions')
    expect(((await entries.json()) as { data: { entry_count: number }[] }).data[0]).toMatchObject({
      entry_count: 10_000,
    })
  }, 60_000)

  it('answers 413 problem over LIST_IMPORT_MAX_BYTES and stores nothing', async () => {
    const key = await tenantWithList('too_large')
    const body = `code,title,category\n${'8482.10,Ball bearings,b\n'.repeat(LIST_IMPORT_MAX_BYTES / 20)}`
    expect(body.length).toBeGreaterThan(LIST_IMPORT_MAX_BYTES)
    await expectTooLarge(
      await h.send(key, 'POST', '/v1/lists/too_large/versions', body, 'text/csv'),
      LIST_IMPORT_MAX_BYTES,
    )
    const versions = await h.send(key, 'GET', '/v1/lists/too_large/versions')
    expect(((await versions.json()) as { data: unknown[] }).data).toEqual([])
  })

  it('keeps the 64 KiB limit on every other body, the list itself included', async () => {
    const key = await tenantWithList('small_only')
    const padding = 'x'.repeat(BODY_LIMIT_BYTES)
    await expectTooLarge(
      await h.send(key, 'POST', '/v1/checks', { description: padding, destination: 'KZ' }),
      BODY_LIMIT_BYTES,
    )
    await expectTooLarge(
      await h.send(key, 'POST', '/v1/lists', {
        id: 'other',
        name: padding,
        mode: 'watch',
        legal_status: 'guidance',
        source: 'test',
      }),
      BODY_LIMIT_BYTES,
    )
    await expectTooLarge(
      await h.send(key, 'POST', '/v1/suppressions', { scope: { reference: 'r' }, reason: padding }),
      BODY_LIMIT_BYTES,
    )
  })

  it('checks the key before reading a large import', async () => {
    const res = await h.app.request('/v1/lists/any_list/versions', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: 'Bearer du_not_a_key' },
      body: 'x'.repeat(BODY_LIMIT_BYTES * 2),
    })
    expect(res.status).toBe(401)
  })
})
