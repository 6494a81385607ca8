/**
 * @module http/docs-page
 * GET /docs: the API reference, rendered on the server from the same OpenAPI document as /openapi.json,
 * so it reads complete without JavaScript (there is none) and in a plain screenshot or a text browser.
 * No CDN and no bundled UI: @scalar/hono-api-reference ≤ 0.9.48 loads its script from cdn.jsdelivr.net
 * by default, which breaks offline use and would add megabytes to the Worker bundle if vendored.
 * Runtime-neutral: string building and Web Crypto only.
 */
import type { ErrorCode } from '../core/errors'
import { PROBLEMS, problemType } from './problem'

/** The part of a JSON Schema (OpenAPI 3.1 dialect) the page reads. */
type Schema = {
  $ref?: string
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  items?: Schema
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  description?: string
  default?: unknown
  example?: unknown
  minimum?: number
  maximum?: number
  maxLength?: number
  maxItems?: number
}

type Parameter = {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: Schema
}
type Media = { schema?: Schema; example?: unknown }
type Response = {
  description?: string
  headers?: Record<string, { description?: string }>
  content?: Record<string, Media>
}
type Operation = {
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: Parameter[]
  requestBody?: { required?: boolean; description?: string; content?: Record<string, Media> }
  responses?: Record<string, Response>
}
type SecurityScheme = { type?: string; scheme?: string; description?: string }

/** The part of an OpenAPI 3.1 document the page reads (what `getOpenAPI31Document` returns). */
export type OpenApiDocument = {
  info: { title: string; version: string; description?: string; license?: { name: string } }
  servers?: { url: string; description?: string }[]
  tags?: { name: string; description?: string }[]
  paths?: Record<string, object>
  webhooks?: Record<string, object>
  components?: {
    schemas?: Record<string, Schema>
    securitySchemes?: Record<string, SecurityScheme>
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** Descriptions use `code` spans and nothing else of Markdown; everything is escaped first. */
function md(s: string | undefined): string {
  return esc(s ?? '').replace(/`([^`]+)`/g, '<code>$1</code>')
}

const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-')
const refName = (ref: string) => ref.split('/').pop()!
const json = (v: unknown) => esc(JSON.stringify(v))

/** An operation's place in the document, for its anchor and for the lint test's messages. */
type Located = { method: string; path: string; op: Operation; webhook: boolean }

/** Every operation under `paths` and `webhooks`, in document order. */
export function operationsOf(doc: OpenApiDocument): Located[] {
  const out: Located[] = []
  for (const [webhook, items] of [
    [false, doc.paths],
    [true, doc.webhooks],
  ] as const) {
    for (const [path, item] of Object.entries(items ?? {})) {
      for (const method of METHODS) {
        const op = (item as Record<string, unknown>)[method] as Operation | undefined
        if (op) out.push({ method, path, op, webhook })
      }
    }
  }
  return out
}

class Renderer {
  constructor(private readonly doc: OpenApiDocument) {}

  private deref(s: Schema | undefined, depth = 0): Schema {
    if (!s) return {}
    if (s.$ref && depth < 20)
      return this.deref(this.doc.components?.schemas?.[refName(s.$ref)], depth + 1)
    return s
  }

  /** The schema with `allOf` members (and their refs) merged, so `List` shows ListSummary's fields too. */
  private flat(s: Schema | undefined): Schema {
    const d = this.deref(s)
    if (!d.allOf) return d
    const properties: Record<string, Schema> = { ...d.properties }
    const required = [...(d.required ?? [])]
    for (const part of d.allOf.map((p) => this.flat(p))) {
      Object.assign(properties, part.properties)
      required.push(...(part.required ?? []))
    }
    return { ...d, allOf: undefined, properties, required }
  }

  /** A type in words; component schemas link to their section. */
  typeOf(s: Schema | undefined): string {
    if (!s) return 'any'
    if (s.$ref) return `<a href="#schema-${anchor(refName(s.$ref))}">${esc(refName(s.$ref))}</a>`
    if (s.const !== undefined) return `<code>${json(s.const)}</code>`
    if (s.enum) return s.enum.map((v) => `<code>${json(v)}</code>`).join(' | ')
    const union = s.anyOf ?? s.oneOf
    if (union) return union.map((u) => this.typeOf(u)).join(' | ')
    if (s.allOf) return s.allOf.map((u) => this.typeOf(u)).join(' &amp; ')
    const types = Array.isArray(s.type) ? s.type : [s.type ?? 'any']
    return types
      .map((t) => {
        if (t === 'array') return `${this.typeOf(s.items)}[]`
        if (t === 'object' && typeof s.additionalProperties === 'object')
          return `map of ${this.typeOf(s.additionalProperties)}`
        return esc(s.format ? `${t} (${s.format})` : t)
      })
      .join(' | ')
  }

  /** Limits and defaults a caller needs, after the description. */
  private notes(s: Schema): string {
    const notes: string[] = []
    if (s.default !== undefined) notes.push(`Default <code>${json(s.default)}</code>.`)
    if (s.minimum !== undefined && s.maximum !== undefined)
      notes.push(`Range ${s.minimum} to ${s.maximum}.`)
    else if (s.minimum !== undefined) notes.push(`At least ${s.minimum}.`)
    else if (s.maximum !== undefined) notes.push(`At most ${s.maximum}.`)
    if (s.maxLength !== undefined) notes.push(`At most ${s.maxLength} characters.`)
    if (s.maxItems !== undefined) notes.push(`At most ${s.maxItems} items.`)
    return notes.length ? ` <span class="note">${notes.join(' ')}</span>` : ''
  }

  /** The object an inline field nests (its own fields are listed under it), if any. */
  private nested(s: Schema): { schema: Schema; suffix: string } | undefined {
    if (s.$ref) return undefined
    const inner = (s.anyOf ?? s.oneOf)?.filter((u) => u.type !== 'null')
    if (inner?.length === 1) return this.nested(inner[0]!)
    if (s.properties) return { schema: s, suffix: '.' }
    if (s.items && !s.items.$ref && (s.items.properties || s.items.allOf))
      return { schema: s.items, suffix: '[].' }
    if (typeof s.additionalProperties === 'object' && s.additionalProperties.properties)
      return { schema: s.additionalProperties, suffix: '{key}.' }
    return undefined
  }

  private fieldRows(schema: Schema, prefix: string, depth: number): string {
    const s = this.flat(schema)
    const required = new Set(s.required ?? [])
    let rows = ''
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      const label = `${prefix}${name}`
      const optional = required.has(name) ? '' : '<span class="opt">optional</span>'
      const description = p.description ?? (p.$ref ? this.deref(p).description : undefined)
      // Long nested names may wrap after a dot, never inside a word.
      const wrapped = esc(label).replace(/\./g, '.<wbr>')
      rows += `<tr><td><code>${wrapped}</code> ${optional}</td><td>${this.typeOf(p)}</td><td>${md(description)}${this.notes(p)}</td></tr>`
      const inner = this.nested(p)
      if (inner && depth < 6) rows += this.fieldRows(inner.schema, label + inner.suffix, depth + 1)
    }
    return rows
  }

  /** A field table for an object schema; a one-line type for anything else. */
  fields(schema: Schema | undefined): string {
    const s = this.flat(schema)
    if (!s.properties) return `<p>${this.typeOf(schema?.$ref ? s : schema)}</p>`
    return `<table><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead><tbody>${this.fieldRows(s, '', 0)}</tbody></table>`
  }

  private security(op: Operation): string {
    if (!op.security) return ''
    if (op.security.length === 0) return '<p class="auth">Public: no API key.</p>'
    const schemes = op.security.flatMap((req) => Object.keys(req))
    const words = schemes.map((name) => {
      const scheme = this.doc.components?.securitySchemes?.[name]
      if (scheme?.type === 'http' && scheme.scheme === 'bearer')
        return '<code>Authorization: Bearer &lt;API key&gt;</code>'
      return `<code>${esc(name)}</code>`
    })
    return `<p class="auth">Requires ${words.join(' or ')}.</p>`
  }

  private parameters(op: Operation): string {
    if (!op.parameters?.length) return ''
    const rows = op.parameters
      .map((p) => {
        const optional = p.required ? '' : '<span class="opt">optional</span>'
        const description = p.description ?? p.schema?.description
        return `<tr><td><code>${esc(p.name)}</code> ${optional}</td><td>${esc(p.in)}</td><td>${this.typeOf(p.schema)}</td><td>${md(description)}${p.schema ? this.notes(p.schema) : ''}</td></tr>`
      })
      .join('')
    return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`
  }

  private requestBody(op: Operation): string {
    const body = op.requestBody
    if (!body?.content) return ''
    let out = `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${body.description ? `<p>${md(body.description)}</p>` : ''}`
    for (const [type, media] of Object.entries(body.content)) {
      const s = this.deref(media.schema)
      const isFile = s.format === 'binary'
      out += `<p><code>${esc(type)}</code>: ${isFile ? 'the file itself' : this.typeOf(media.schema)}</p>`
      if (!isFile && this.flat(media.schema).properties) out += this.fields(media.schema)
      const example = media.example ?? s.example
      if (example !== undefined) out += `<pre>${esc(JSON.stringify(example, null, 2))}</pre>`
    }
    return out
  }

  private responses(op: Operation): string {
    const rows = Object.entries(op.responses ?? {})
      .map(([status, r]) => {
        const bodies = Object.entries(r.content ?? {})
          .map(([type, m]) => {
            const s = this.deref(m.schema)
            const what = m.schema?.$ref || s.type !== 'string' ? `: ${this.typeOf(m.schema)}` : ''
            return `<code>${esc(type)}</code>${what}`
          })
          .join('<br>')
        const headers = Object.entries(r.headers ?? {})
          .map(([h, v]) => `<br>Header <code>${esc(h)}</code>: ${md(v.description)}`)
          .join('')
        return `<tr><td><b>${esc(status)}</b></td><td>${md(r.description)}${headers}</td><td>${bodies}</td></tr>`
      })
      .join('')
    return `<h4>Responses</h4><table><thead><tr><th>status</th><th>description</th><th>body</th></tr></thead><tbody>${rows}</tbody></table>`
  }

  operation({ method, path, op, webhook }: Located): string {
    const id = opAnchor({ method, path, op, webhook })
    return `<section class="op" id="${id}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
${op.summary ? `<p class="summary">${md(op.summary)}</p>` : ''}${op.description ? `<p>${md(op.description)}</p>` : ''}
${op.operationId ? `<p class="opid">operationId <code>${esc(op.operationId)}</code></p>` : ''}${this.security(op)}
${this.parameters(op)}${this.requestBody(op)}${this.responses(op)}</section>`
  }
}

function opAnchor({ method, path, op, webhook }: Located): string {
  return anchor(`op-${op.operationId ?? `${webhook ? 'webhook-' : ''}${method}${path}`}`)
}

const problemRows = (Object.keys(PROBLEMS) as ErrorCode[])
  .map((code) => {
    const { status, title } = PROBLEMS[code]
    const id = problemType(code).split('#')[1]!
    return `<tr id="${id}"><td><code>${code}</code></td><td>${status}</td><td>${esc(title)}</td></tr>`
  })
  .join('')

/** The page's only stylesheet: inline, allowed by its hash in the CSP (`docsCsp`). */
const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d232a}
nav{width:260px;flex:none;padding:1rem;border-right:1px solid #ddd;height:100vh;overflow:auto;position:sticky;top:0;font-size:13px;box-sizing:border-box}
nav ul{list-style:none;padding:0;margin:.25rem 0 1rem}main{padding:1rem 2rem;max-width:980px;min-width:0}
table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}pre{background:#f5f5f5;padding:.5rem;overflow:auto}.op{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1.5rem}
code{overflow-wrap:break-word}.m{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:13px}
.get{background:#2b7a3d}.post{background:#1f5fa8}.delete{background:#a8321f}.put,.patch{background:#6b4ba8}
.auth{color:#7a5000}.opt,.note,.opid{color:#555;font-size:13px}.summary{font-weight:600}
@media (max-width:800px){body{display:block}nav{width:auto;height:auto;position:static;border-right:0;border-bottom:1px solid #ddd}
main{padding:1rem}table{display:block;overflow-x:auto}}`

/** The whole page for `doc`. Pure: the app renders it once per process or isolate. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const r = new Renderer(doc)
  const ops = operationsOf(doc)
  const tagOf = (l: Located) => (l.webhook ? 'Webhooks' : (l.op.tags?.[0] ?? 'Other'))
  const tagNames = [...new Set([...(doc.tags ?? []).map((t) => t.name), ...ops.map(tagOf)])].filter(
    (name) => ops.some((l) => tagOf(l) === name),
  )

  let nav = ''
  let body = ''
  for (const name of tagNames) {
    const inTag = ops.filter((l) => tagOf(l) === name)
    const tag = doc.tags?.find((t) => t.name === name)
    const id = anchor(`tag-${name}`)
    nav += `<li><a href="#${id}"><b>${esc(name)}</b></a><ul>${inTag
      .map((l) => `<li><a href="#${opAnchor(l)}">${l.method.toUpperCase()} ${esc(l.path)}</a></li>`)
      .join('')}</ul></li>`
    body += `<h2 id="${id}">${esc(name)}</h2>${tag?.description ? `<p>${md(tag.description)}</p>` : ''}${inTag.map((l) => r.operation(l)).join('\n')}`
  }

  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, s]) =>
        `<section id="schema-${anchor(name)}"><h3>${esc(name)}</h3>${s.description ? `<p>${md(s.description)}</p>` : ''}${r.fields({ $ref: `#/components/schemas/${name}` })}</section>`,
    )
    .join('\n')

  const servers = (doc.servers ?? [])
    .map((s) => `<code>${esc(s.url)}</code>${s.description ? ` (${md(s.description)})` : ''}`)
    .join(', ')
  const auth = Object.values(doc.components?.securitySchemes ?? {})
    .map((s) => md(s.description))
    .join(' ')
  const { title, version, description, license } = doc.info

  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} API reference</title>
<style>${STYLE}</style></head><body>
<nav aria-label="Operations"><b>${esc(title)} API ${esc(version)}</b><ul>${nav}
<li><a href="#errors"><b>Errors</b></a></li><li><a href="#schemas"><b>Schemas</b></a></li></ul><a href="/openapi.json">openapi.json</a></nav>
<main><h1>${esc(title)} API reference <small>${esc(version)}</small></h1>
<p>${md(description)}</p>
${servers ? `<p>Base URL: ${servers}. The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>` : ''}
${auth ? `<p>Authentication: send <code>Authorization: Bearer &lt;API key&gt;</code> on every <code>/v1</code> request. ${auth}</p>` : ''}
${license ? `<p>Licence: ${esc(license.name)}.</p>` : ''}
${body}
<h2 id="errors">Errors</h2><p>Every error is an RFC 9457 <code>application/problem+json</code> document (<a href="#schema-Problem">Problem</a>) with
<code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>instance</code>, <code>code</code>,
<code>requestId</code> and, for invalid input, <code>errors[{pointer, message}]</code>. The <code>type</code> links here.</p>
<table><thead><tr><th>code</th><th>status</th><th>title</th></tr></thead><tbody>${problemRows}</tbody></table>
<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`
}

let csp: Promise<string> | undefined

/**
 * The page's CSP: no script at all, its one inline stylesheet allowed by hash (not 'unsafe-inline'),
 * nothing fetched, and no other site may frame it.
 */
export function docsCsp(): Promise<string> {
  csp ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(STYLE)).then((digest) => {
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
    return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  })
  return csp
}
