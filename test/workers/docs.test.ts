import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const fetchWorker = (path: string) => exports.default.fetch(`https://dualuse.test${path}`)

// The reference is rendered inside the app with Web Crypto and string building only: this proves it on
// workerd, where no node:* module exists.
describe('the API reference in workerd', () => {
  it('serves /openapi.json with servers and an operationId per operation', async () => {
    const res = await fetchWorker('/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as {
      servers: { url: string }[]
      paths: Record<string, Record<string, { operationId?: string }>>
    }
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })])
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item))
    expect(ops.length).toBeGreaterThan(0)
    expect(ops.filter((op) => !op.operationId)).toEqual([])
  })

  it('renders /docs on the server, its stylesheet allowed by hash', async () => {
    const res = await fetchWorker('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/,
    )
    const html = await res.text()
    expect(html).toContain('id="op-createCheck"')
    expect(html).toContain('Whose export-control rules apply')
    expect(html).not.toMatch(/<script/i)
  })
})
