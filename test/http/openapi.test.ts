/**
 * /openapi.json passes the repository's Redocly lint (redocly.yaml) and the conventions of
 * src/http/README.md; /docs shows the same document without script. Every new route is checked here
 * as soon as it is registered in createApp: the failures name the route and what it lacks.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Deps } from '../../src/core/deps'
import { createApp } from '../../src/http/app'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly')
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

type Schema = Record<string, unknown> & {
  $ref?: string
  description?: string
  properties?: Record<string, Schema>
}
type Operation = {
  operationId?: string
  security?: Record<string, string[]>[]
  tags?: string[]
  parameters?: { name: string; in: string; description?: string; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>
}
type Doc = {
  paths: Record<string, Record<string, Operation>>
  webhooks?: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema> }
}
type Located = { route: string; path: string; op: Operation }

// Only the request logger reads deps on these routes.
const app = createApp(() => ({ logger: { info() {}, error() {} } }) as unknown as Deps)
let doc: Doc

beforeAll(async () => {
  const res = await app.request('/openapi.json')
  expect(res.status).toBe(200)
  doc = (await res.json()) as Doc
})

function operations(): Located[] {
  const out: Located[] = []
  for (const [kind, items] of [
    ['', doc.paths],
    ['webhook ', doc.webhooks ?? {}],
  ] as const) {
    for (const [path, item] of Object.entries(items)) {
      for (const method of METHODS) {
        const op = item[method]
        if (op) out.push({ route: `${kind}${method.toUpperCase()} ${path}`, path, op })
      }
    }
  }
  return out
}

/** Every property, at any depth, that has no description; `$ref` properties are described at their target. */
function undescribed(schema: unknown, where: string, out: string[]): void {
  if (!schema || typeof schema !== 'object') return
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) undescribed(s, `${where}[${i}]`, out)
    return
  }
  const s = schema as Schema
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    if (!p.$ref && !p.description) out.push(`${where}.${name}`)
    undescribed(p, `${where}.${name}`, out)
  }
  if (s.items) undescribed(s.items, `${where}[]`, out)
  if (typeof s.additionalProperties === 'object')
    undescribed(s.additionalProperties, `${where}{}`, out)
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const)
    if (s[key]) undescribed(s[key], where, out)
}

describe('/openapi.json', () => {
  it('passes redocly lint with no errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dualuse-openapi-'))
    try {
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify(doc, null, 2))
      // redocly exits 1 when it finds errors; the JSON report on stdout says which.
      const { stdout } = await promisify(execFile)(
        REDOCLY,
        ['lint', file, '--format', 'json', '--config', join(ROOT, 'redocly.yaml')],
        {
          cwd: ROOT,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))
      const report = JSON.parse(stdout) as {
        totals: { errors: number }
        problems: {
          ruleId: string
          severity: string
          message: string
          location: { pointer: string }[]
        }[]
      }
      const errors = report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)
      expect(errors, 'redocly lint errors (run `npx redocly lint` on the document)').toEqual([])
      expect(report.totals.errors).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives every operation a unique camelCase operationId', () => {
    const missing = operations()
      .filter(({ op }) => !op.operationId)
      .map(
        ({ route }) => `${route}: add operationId (verbNoun, e.g. listChecks) to its createRoute`,
      )
    expect(missing).toEqual([])
    const ids = operations().map(({ op }) => op.operationId)
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'duplicate operationIds',
    ).toEqual([])
    const badIds = operations()
      .filter(({ op }) => !/^[a-z][a-zA-Z0-9]*$/.test(op.operationId ?? ''))
      .map(({ route, op }) => `${route}: ${op.operationId}`)
    expect(badIds, 'operationIds must be camelCase verbNoun').toEqual([])
  })

  it('declares security on every operation: a bearer key under /v1 (the root key under /v1/admin), none elsewhere', () => {
    // createApp authenticates exactly /v1/*, /v1/admin/* with the root key only; the document must say the same.
    const schemeOf = (path: string) =>
      path.startsWith('/v1/admin/') ? 'rootKeyAuth' : path.startsWith('/v1/') ? 'bearerAuth' : null
    const wrong = operations()
      .filter(({ path, op }) => {
        if (!Array.isArray(op.security)) return true
        const scheme = schemeOf(path)
        return scheme
          ? op.security.length !== 1 || !(scheme in op.security[0]!)
          : op.security.length > 0
      })
      .map(({ route, path }) => {
        const scheme = schemeOf(path)
        return `${route}: set security: ${scheme ? `[{ ${scheme}: [] }]` : '[] (public)'}`
      })
    expect(wrong).toEqual([])
    const no401 = operations()
      .filter(({ op }) => op.security?.length && !op.responses?.['401'])
      .map(({ route }) => `${route}: document the 401 (spread problemResponses)`)
    expect(no401).toEqual([])
  })

  it('describes every schema property and parameter', () => {
    const missing: string[] = []
    for (const [name, schema] of Object.entries(doc.components.schemas))
      undescribed(schema, `#/components/schemas/${name}`, missing)
    for (const { route, op } of operations()) {
      for (const p of op.parameters ?? [])
        if (!p.description && !p.schema?.description)
          missing.push(`${route}: parameter ${p.in} ${p.name}`)
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        undescribed(media.schema, `${route}: request body ${type}`, missing)
      for (const [status, r] of Object.entries(op.responses ?? {}))
        for (const [type, media] of Object.entries(r.content ?? {}))
          undescribed(media.schema, `${route}: response ${status} ${type}`, missing)
    }
    expect(missing, 'add .describe() / .meta({ description }) to these zod fields').toEqual([])
  })
})

describe('/docs', () => {
  it('renders every operation, field description and error code without any script', async () => {
    const res = await app.request('/docs')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toMatch(/<script/i)
    for (const { route, op } of operations()) {
      expect(html, route).toContain(`id="op-${op.operationId}"`)
    }
    for (const name of Object.keys(doc.components.schemas)) {
      expect(html, name).toContain(`id="schema-${name}"`)
    }
    // Field descriptions from core/schemas.ts, nested fields included (escaped as the page escapes).
    expect(html).toContain('Whose export-control rules apply: KZ (Kazakhstan), EU, US or UK.')
    expect(html).toContain('<code>classification.<wbr>candidates[].<wbr>hs6</code>')
    expect(html).toContain('Calibrated chance, 0–1, that the first candidate’s heading is right.')
    expect(html).toContain('id="problem-invalid-input"')
  })

  it('allows its one stylesheet by hash and nothing else', async () => {
    const res = await app.request('/docs')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/)
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    const html = await res.text()
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ''
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style))
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
    expect(csp).toContain(`'sha256-${hash}'`)
    expect(html.match(/<style/g)).toHaveLength(1)
    expect(html).not.toMatch(/\sstyle=/)
  })
})
