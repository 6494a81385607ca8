/**
 * @module http/openapi
 * The top of `/openapi.json` (info, servers, tags); the paths and schemas come from the routes' zod
 * schemas. `/docs` renders the same document, so both always agree. Conventions: http/README.md.
 */
import type { OpenAPIObjectConfigure } from '@hono/zod-openapi'
import type { Env } from 'hono'

/** The object form of `app.doc31`'s configuration (the package does not export the type itself). */
type OpenAPIObjectConfig = Exclude<OpenAPIObjectConfigure<Env, string>, (...args: never) => unknown>

/** One tag per resource; every operation names exactly one (the reference groups by it). */
export const OPENAPI_TAGS = [
  {
    name: 'Admin',
    description:
      'Tenants and their API keys, for the operator: authorised by the root key (`ROOT_API_KEY`), not by a tenant key. Answers 404 where no root key is configured.',
  },
  {
    name: 'Audit',
    description: 'The append-only record of changes to your lists, suppressions and settings.',
  },
  {
    name: 'Batches',
    description:
      'A whole invoice or manifest file, checked line by line off the request path; poll it, then stream its results.',
  },
  {
    name: 'Checks',
    description:
      'One shipment line: checked now, stored as an immutable audit record for your tenant.',
  },
  { name: 'Health', description: 'For load balancers and uptime checks; no API key.' },
  {
    name: 'Lists',
    description: 'The controlled lists a verdict rests on, with their legal status and version.',
  },
  {
    name: 'Settings',
    description:
      'Your thresholds for review versus clear; each check records the digest of the settings it was made with.',
  },
  {
    name: 'Suppressions',
    description:
      'Matches you reviewed and settled: later checks in the scope show them as suppressed and do not let them raise the verdict.',
  },
  {
    name: 'Webhooks',
    description:
      'Endpoints that receive signed events (a batch completed, …), their deliveries and the events themselves.',
  },
]

/**
 * The package is private and ships no licence file: no rights are granted. OpenAPI 3.1 wants a `url`
 * or an SPDX `identifier`; `LicenseRef-` is SPDX's form for a licence of one's own. A variable, not a
 * literal, because the config type is the 3.0 one, whose licence has no `identifier`.
 */
const LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' }

/** `app.doc31`'s configuration: everything of the document that no route declares. */
export const OPENAPI_CONFIG: OpenAPIObjectConfig = {
  openapi: '3.1.0',
  info: {
    title: 'dualuse',
    version: '0.1.0',
    description:
      'Dual-use and sanctions screening of free-text goods descriptions: HS classification, controlled-list matching and a reasoned verdict.',
    license: LICENSE,
  },
  // Relative: the document is served by the API it describes, on whatever origin (Node, Workers,
  // behind a proxy), so a client resolves `/` against where it fetched /openapi.json.
  servers: [{ url: '/', description: 'The server that serves this document.' }],
  tags: OPENAPI_TAGS,
}
