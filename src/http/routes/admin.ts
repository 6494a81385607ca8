/**
 * @module http/routes/admin
 * The admin API (issue 12 item 7): tenants and their API keys, managed without a shell on the server
 * (there is none on Workers). Authorised by the root key (`ROOT_API_KEY`), never by a tenant key; a
 * tenant route never takes the root key either. Without a root key configured every route here answers
 * 404, as if the API did not exist. A new key appears once, in the response that creates it; listings
 * show its public prefix only. Neither the root key nor a tenant key is ever logged.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import {
  type AdminDeps,
  createTenant,
  createTenantKey,
  listTenantKeys,
  revokeKey,
  TENANT_NAME_RE,
} from '../../core/admin/manage-tenants'
import type { ApiKeyInfo, Tenant } from '../../core/admin/ports'
import type { Deps } from '../../core/deps'
import { AppError } from '../../core/errors'
import type { AppEnv } from '../env'
import { ProblemSchema, problemResponses } from '../problem'
import { validationHook } from '../validate'

/** Every admin path; `app.ts` keeps tenant authentication and tenant limits off these. */
export const ADMIN_PATH = /^\/v1\/admin(\/|$)/

const BEARER_RE = /^Bearer\s+(\S+)\s*$/i

/** The OpenAPI security scheme of the admin routes, registered beside the tenant `bearerAuth`. */
export const ROOT_KEY_SCHEME = 'rootKeyAuth'

/**
 * Mounted on `/v1/admin/*` before bodies are read: 404 when no root key is configured (the API does
 * not exist on this deployment), 401 unless the bearer token is the root key. Tenant keys are refused
 * like any other wrong token; the comparison is constant-time (`core/admin/root-key.ts`).
 */
export const adminGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const admin = c.get('deps').admin
  if (!admin) throw new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)
  const match = BEARER_RE.exec(c.req.header('authorization') ?? '')
  if (!match || !(await admin.verifyRootKey(match[1]!)))
    throw new AppError(
      'UNAUTHENTICATED',
      'send Authorization: Bearer <root key>; the admin API does not take tenant API keys',
    )
  await next()
}

const problemContent = { 'application/problem+json': { schema: ProblemSchema } }
const { 401: _tenant401, 404: _tenant404, ...commonProblems } = problemResponses
const adminProblems = {
  ...commonProblems,
  401: {
    description: 'Missing or wrong root key (a tenant API key is refused too).',
    content: problemContent,
  },
  404: {
    description:
      'No such tenant or key, or the admin API is not enabled on this deployment (no `ROOT_API_KEY`).',
    content: problemContent,
  },
}

const TenantSchema = z
  .object({
    id: z.string().meta({
      description: 'The tenant’s id, for its keys’ paths.',
      example: 'ten_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
    }),
    name: z.string().meta({ description: 'The tenant’s unique name.', example: 'acme' }),
    created_at: z.string().meta({ description: 'When the tenant was created (ISO 8601, UTC).' }),
  })
  .openapi('Tenant')

const TenantListSchema = z
  .object({ data: z.array(TenantSchema).meta({ description: 'Every tenant, oldest first.' }) })
  .openapi('TenantList')

const ApiKeySchema = z
  .object({
    id: z.string().meta({
      description: 'The key’s id: the part after `du_` in the key, used to revoke it.',
      example: '0f3a9c2e7b1d4a68',
    }),
    name: z.string().nullable().meta({
      description: 'Who or what holds the key; null for keys created without a name (CLI).',
      example: 'erp-production',
    }),
    prefix: z.string().meta({
      description:
        'The public start of the key (`du_<id>_`), to tell keys apart; not usable alone.',
      example: 'du_0f3a9c2e7b1d4a68_',
    }),
    created_at: z.string().meta({ description: 'When the key was created (ISO 8601, UTC).' }),
    last_used_at: z.string().nullable().meta({
      description:
        'When the key last authenticated a request, to about a minute; null if not used since this was recorded.',
    }),
    revoked_at: z
      .string()
      .nullable()
      .meta({ description: 'When the key was revoked; null while it works.' }),
  })
  .openapi('ApiKey')

const ApiKeyListSchema = z
  .object({
    data: z
      .array(ApiKeySchema)
      .meta({ description: 'The tenant’s keys, revoked ones included, oldest first.' }),
  })
  .openapi('ApiKeyList')

const NewApiKeySchema = z
  .object({
    id: ApiKeySchema.shape.id,
    name: z.string().meta({ description: 'The name given to the key.', example: 'erp-production' }),
    key: z.string().meta({
      description:
        'The API key, for `Authorization: Bearer`. Shown only in this response: it is stored hashed and cannot be read again.',
      example: 'du_0f3a9c2e7b1d4a68_Vq3…',
    }),
    prefix: ApiKeySchema.shape.prefix,
    created_at: ApiKeySchema.shape.created_at,
  })
  .openapi('NewApiKey')

const CreateTenantBodySchema = z
  .strictObject({
    name: z
      .string()
      .regex(TENANT_NAME_RE, 'letters, digits, `.`, `_` or `-`, starting with a letter or digit')
      .max(64)
      .meta({
        description:
          'A unique name: letters, digits, `.`, `_` and `-`, at most 64 characters, starting with a letter or digit.',
        example: 'acme',
      }),
  })
  .openapi('TenantCreate')

const CreateKeyBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).meta({
      description:
        'Who or what will hold the key (an application, an environment), up to 100 characters; shown in listings and never secret.',
      example: 'erp-production',
    }),
  })
  .openapi('ApiKeyCreate')

const TenantIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The tenant’s id (`ten_…`), from `GET /v1/admin/tenants`.',
      example: 'ten_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
    }),
})

const KeyIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The key’s id, from `GET /v1/admin/tenants/{id}/keys` (the part after `du_`).',
      example: '0f3a9c2e7b1d4a68',
    }),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})
const security = [{ [ROOT_KEY_SCHEME]: [] }]
const tags = ['Admin']

const createTenantRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tenants',
  operationId: 'createTenant',
  tags,
  summary: 'Create a tenant',
  description:
    'A tenant owns checks, batches and webhooks, which no other tenant sees. Give it a key next.',
  security,
  request: { body: jsonBody(CreateTenantBodySchema) },
  responses: {
    201: json(TenantSchema, 'The new tenant.'),
    409: { description: 'A tenant has this name already.', content: problemContent },
    ...adminProblems,
  },
})

const listTenantsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/tenants',
  operationId: 'listTenants',
  tags,
  summary: 'List tenants',
  security,
  responses: { 200: json(TenantListSchema, 'Every tenant, oldest first.'), ...adminProblems },
})

const createKeyRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tenants/{id}/keys',
  operationId: 'createApiKey',
  tags,
  summary: 'Create an API key for a tenant',
  description:
    'Issues a named key. The response is the only place the key appears: it is stored as a SHA-256 hash.',
  security,
  request: { params: TenantIdParamSchema, body: jsonBody(CreateKeyBodySchema) },
  responses: { 201: json(NewApiKeySchema, 'The new key, shown once.'), ...adminProblems },
})

const listKeysRoute = createRoute({
  method: 'get',
  path: '/v1/admin/tenants/{id}/keys',
  operationId: 'listApiKeys',
  tags,
  summary: 'List a tenant’s API keys',
  description: 'Names, prefixes, creation, last use and revocation; never the keys themselves.',
  security,
  request: { params: TenantIdParamSchema },
  responses: { 200: json(ApiKeyListSchema, 'The tenant’s keys.'), ...adminProblems },
})

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/keys/{id}',
  operationId: 'revokeApiKey',
  tags,
  summary: 'Revoke an API key',
  description:
    'The key stops working at once (on a Node server with several processes, within 0.1 s in the others). Revoking a revoked key succeeds and changes nothing.',
  security,
  request: { params: KeyIdParamSchema },
  responses: { 204: { description: 'Revoked.' }, ...adminProblems },
})

const tenantJson = (t: Tenant) => ({ id: t.id, name: t.name, created_at: t.createdAt })
const keyJson = (k: ApiKeyInfo) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  created_at: k.createdAt,
  last_used_at: k.lastUsedAt,
  revoked_at: k.revokedAt,
})

/** The verbs' context; `adminGate` has already answered 404 where `admin` is absent. */
const ctx = (deps: Deps) => ({ admin: deps.admin as AdminDeps, clock: deps.clock })

export const adminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createTenantRoute, async (c) => {
    const tenant = await createTenant(ctx(c.get('deps')), c.req.valid('json').name)
    return c.json(tenantJson(tenant), 201)
  })
  .openapi(listTenantsRoute, async (c) => {
    const tenants = await ctx(c.get('deps')).admin.repo.listTenants()
    return c.json({ data: tenants.map(tenantJson) }, 200)
  })
  .openapi(createKeyRoute, async (c) => {
    const { name } = c.req.valid('json')
    const { info, key } = await createTenantKey(ctx(c.get('deps')), c.req.valid('param').id, name)
    return c.json({ id: info.id, name, key, prefix: info.prefix, created_at: info.createdAt }, 201)
  })
  .openapi(listKeysRoute, async (c) => {
    const keys = await listTenantKeys(ctx(c.get('deps')), c.req.valid('param').id)
    return c.json({ data: keys.map(keyJson) }, 200)
  })
  .openapi(revokeKeyRoute, async (c) => {
    await revokeKey(ctx(c.get('deps')), c.req.valid('param').id)
    return c.body(null, 204)
  })

adminRoutes.openAPIRegistry.registerComponent('securitySchemes', ROOT_KEY_SCHEME, {
  type: 'http',
  scheme: 'bearer',
  description:
    'The root key (`ROOT_API_KEY`: an environment variable on Node, a Worker secret on Workers). Only for `/v1/admin`; tenant routes refuse it.',
})
