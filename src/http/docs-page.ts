/**
 * @module http/docs-page
 * GET /docs: a self-contained API reference rendered in the browser from /openapi.json. No CDN and no
 * bundled UI framework: @scalar/hono-api-reference ≤ 0.9.48 loads its script from cdn.jsdelivr.net
 * by default, which breaks offline use and would add megabytes to the Worker bundle if vendored.
 */
import type { ErrorCode } from '../core/errors'
import { PROBLEMS, problemType } from './problem'

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const problemRows = (Object.keys(PROBLEMS) as ErrorCode[])
  .map((code) => {
    const { status, title } = PROBLEMS[code]
    const anchor = problemType(code).split('#')[1]!
    return `<tr id="${anchor}"><td><code>${code}</code></td><td>${status}</td><td>${escapeHtml(title)}</td></tr>`
  })
  .join('')

// The script only uses textContent and createElement: spec strings are never parsed as HTML.
const SCRIPT = `
const $ = (tag, attrs = {}, ...kids) => { const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const k of kids) el.append(k instanceof Node ? k : document.createTextNode(String(k))); return el; };
let spec;
const deref = (s) => { let seen = 0; while (s && s.$ref && seen++ < 20) s = spec.components.schemas[s.$ref.split('/').pop()]; return s || {}; };
function typeOf(s) { s = s || {}; if (s.$ref) return s.$ref.split('/').pop();
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeOf).join(' | ');
  if (s.type === 'array') return typeOf(s.items) + '[]';
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type || 'any'; }
function schemaTable(schema) { const s = deref(schema); const props = s.properties || {};
  if (!Object.keys(props).length) return $('p', {}, $('code', {}, typeOf(schema)));
  const req = new Set(s.required || []); const t = $('table', {}, $('tr', {}, $('th', {}, 'field'), $('th', {}, 'type'), $('th', {}, 'description')));
  for (const [name, p] of Object.entries(props)) { const d = deref(p);
    t.append($('tr', {}, $('td', {}, $('code', {}, name + (req.has(name) ? '' : '?'))), $('td', {}, $('code', {}, typeOf(p))),
      $('td', {}, d.description || p.description || ''))); }
  return t; }
function op(path, method, o) { const sec = $('section', { class: 'op', id: (o.operationId || method + path).replace(/[^a-zA-Z0-9]/g, '-') });
  sec.append($('h3', {}, $('span', { class: 'm ' + method }, method.toUpperCase()), ' ', $('code', {}, path), ' ', o.summary || ''));
  if (o.description) sec.append($('p', {}, o.description));
  if (o.security && o.security.length) sec.append($('p', { class: 'auth' }, 'Requires Authorization: Bearer <API key>'));
  const params = o.parameters || [];
  if (params.length) { const t = $('table', {}, $('tr', {}, $('th', {}, 'parameter'), $('th', {}, 'in'), $('th', {}, 'type'), $('th', {}, 'description')));
    for (const p of params) t.append($('tr', {}, $('td', {}, $('code', {}, p.name + (p.required ? '' : '?'))), $('td', {}, p.in), $('td', {}, $('code', {}, typeOf(p.schema))), $('td', {}, p.description || (p.schema && p.schema.description) || '')));
    sec.append($('h4', {}, 'Parameters'), t); }
  const body = o.requestBody && o.requestBody.content && o.requestBody.content['application/json'];
  if (body) { sec.append($('h4', {}, 'Request body (application/json)'), schemaTable(body.schema));
    const ex = body.schema && (deref(body.schema).example || body.example); if (ex) sec.append($('pre', {}, JSON.stringify(ex, null, 2))); }
  sec.append($('h4', {}, 'Responses'));
  for (const [status, r] of Object.entries(o.responses || {})) { const ct = Object.keys(r.content || {})[0];
    const line = $('p', {}, $('b', {}, status), ' ', r.description || '', ct ? ' — ' : '', ct ? $('code', {}, ct + ': ' + typeOf(r.content[ct].schema)) : '');
    sec.append(line); }
  return sec; }
fetch('/openapi.json').then((r) => r.json()).then((s) => { spec = s; const main = document.getElementById('ops'); const nav = document.getElementById('nav');
  document.getElementById('title').textContent = s.info.title + ' ' + s.info.version;
  document.getElementById('intro').textContent = s.info.description || '';
  for (const [path, item] of Object.entries(s.paths)) for (const [method, o] of Object.entries(item)) { const sec = op(path, method, o); main.append(sec);
    nav.append($('li', {}, $('a', { href: '#' + sec.id }, method.toUpperCase() + ' ' + path))); }
  const schemas = document.getElementById('schemas');
  for (const [name, sch] of Object.entries(s.components.schemas || {})) schemas.append($('h3', { id: 'schema-' + name }, name), schemaTable(sch));
}).catch((e) => { document.getElementById('ops').textContent = 'Could not load /openapi.json: ' + e; });
`

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d232a}
nav{width:260px;padding:1rem;border-right:1px solid #ddd;height:100vh;overflow:auto;position:sticky;top:0;font-size:13px}
nav ul{list-style:none;padding:0}main{padding:1rem 2rem;max-width:960px}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f5f5;padding:.5rem;overflow:auto}.op{border-top:1px solid #ddd;padding-top:.5rem}
.m{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:13px}.get{background:#2b7a3d}.post{background:#1f5fa8}
.delete{background:#a8321f}.auth{color:#8a5a00}`

/**
 * The page's CSP: it may talk to this origin only (proof, in the browser, that nothing comes from a
 * CDN), and no other site may frame it.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"

/** The whole page; the same string on every request, built once per process or isolate. */
export const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>dualuse API reference</title>
<style>${STYLE}</style></head><body>
<nav><b>dualuse API</b><ul id="nav"></ul><a href="/openapi.json">openapi.json</a> · <a href="#errors">Errors</a></nav>
<main><h1 id="title">dualuse API</h1><p id="intro"></p><div id="ops"></div>
<h2 id="errors">Errors</h2><p>Every error is an RFC 9457 <code>application/problem+json</code> document with
<code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>instance</code>, <code>code</code>,
<code>requestId</code> and, for invalid input, <code>errors[{pointer, message}]</code>. The <code>type</code> links here.</p>
<table><tr><th>code</th><th>status</th><th>title</th></tr>${problemRows}</table>
<h2>Schemas</h2><div id="schemas"></div></main>
<script>${SCRIPT}</script></body></html>`
