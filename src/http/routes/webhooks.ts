/**
 * @module http/routes/webhooks
 * Outbound webhooks (issue 10): the tenant's endpoints (create, list, get, change, delete, rotate the
 * secret, send a test event), each endpoint's delivery log, and the events (list, get, redeliver).
 * Everything is tenant-scoped: another tenant's endpoint or event is reported as not found. A signing
 * secret appears only in the responses that create it (create, rotate); never in logs or errors.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Deps } from '../../core/deps'
import { AppError } from '../../core/errors'
import {
  createWebhookEndpoint,
  redeliverEvent,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
  type WebhookDeps,
} from '../../core/webhooks/manage-endpoints'
import {
  type DeliveryAttempt,
  type StoredEndpoint,
  type StoredEvent,
  WEBHOOK_EVENT_TYPES,
} from '../../core/webhooks/ports'
import type { AppEnv } from '../env'
import { decodePosition, encodePosition, NextCursorSchema, pageParams } from '../pagination'
import { ProblemSchema, problemResponses } from '../problem'
import { validationHook } from '../validate'

const problemContent = { 'application/problem+json': { schema: ProblemSchema } }
const webhookProblems = {
  ...problemResponses,
  501: {
    description: 'Webhooks are not configured on this deployment (no `WEBHOOK_SECRET_KEY`).',
    content: problemContent,
  },
}
const urlProblem = {
  422: {
    description:
      'The URL may not receive webhooks: not https, or its host is (or resolves to) a loopback, private, link-local, unique-local, multicast or cloud metadata address. `errors[0].pointer` is `/url`.',
    content: problemContent,
  },
}

const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({
  description: 'An event type an endpoint can subscribe to (docs/webhooks.md, "Events").',
})

const EndpointSchema = z
  .object({
    id: z
      .string()
      .meta({ example: 'whe_01JS4Y8Z6T9V5C3M2N1P0Q7R8S', description: 'The endpoint’s id.' }),
    url: z.string().meta({
      example: 'https://hooks.example.com/dualuse',
      description: 'Where events are POSTed.',
    }),
    description: z.string().nullable().meta({ description: 'Your note on what this endpoint is.' }),
    events: z.array(EventTypeSchema).meta({ description: 'The event types it receives.' }),
    status: z.enum(['enabled', 'disabled']).meta({
      description: 'Only enabled endpoints receive events; a disabled one keeps its pending ones.',
    }),
    disabled_reason: z
      .string()
      .nullable()
      .meta({ description: 'Why the endpoint was disabled (410 Gone, 5 days failing, the API).' }),
    created_at: z.string().meta({ description: 'When it was created (ISO 8601, UTC).' }),
    updated_at: z.string().meta({ description: 'When it was last changed (ISO 8601, UTC).' }),
  })
  .openapi('WebhookEndpoint')

const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().meta({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'The signing secret (Standard Webhooks). Shown only in this response: store it now.',
  }),
}).openapi('WebhookEndpointWithSecret')

const EndpointListSchema = z
  .object({
    data: z.array(EndpointSchema).meta({ description: 'The endpoints, newest first.' }),
    next_cursor: NextCursorSchema,
  })
  .openapi('WebhookEndpointList')

const EventSchema = z
  .object({
    id: z.string().meta({
      example: 'evt_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
      description:
        'The event’s id: the `webhook-id` header of its deliveries, the deduplication key.',
    }),
    type: z.enum([...WEBHOOK_EVENT_TYPES, 'webhook.test']).meta({ description: 'What happened.' }),
    timestamp: z.string().meta({ description: 'When it happened (ISO 8601, UTC).' }),
    data: z.record(z.string(), z.unknown()).meta({
      description: 'The check or batch it is about; its fields per type are in docs/webhooks.md.',
    }),
  })
  .openapi('WebhookEvent', {
    example: {
      id: 'evt_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
      type: 'check.flagged',
      timestamp: '2026-12-06T21:00:00.000Z',
      data: {
        id: 'chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
        reference: 'INV-1042/3',
        verdict: 'high_risk',
        risk_score: 70,
        hs6: '848210',
        decisive_entry: { list_id: 'chp', entry_code: '848210', title: 'Ball bearings' },
        first_reason: 'Ball bearings are on the Common High Priority list (tier 3.B).',
        url: '/v1/checks/chk_01JS4Y8Z6T9V5C3M2N1P0Q7R8S',
      },
    },
  })

const EventListSchema = z
  .object({
    data: z.array(EventSchema).meta({ description: 'The events, newest first.' }),
    next_cursor: NextCursorSchema,
  })
  .openapi('WebhookEventList')

const AttemptSchema = z
  .object({
    id: z.string().meta({ description: 'The attempt’s id.' }),
    event_id: z.string().meta({ description: 'The event it delivered (its `webhook-id`).' }),
    event_type: z.string().meta({ description: 'That event’s type.' }),
    attempt: z.number().int().meta({ description: '1 for the first attempt of this delivery.' }),
    attempted_at: z.string().meta({ description: 'When it was made (ISO 8601, UTC).' }),
    status_code: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The receiver's status; null if none came back." }),
    duration_ms: z
      .number()
      .int()
      .meta({ description: 'From sending to the answer (or the failure), in milliseconds.' }),
    error: z.string().nullable().meta({
      description:
        'Why it failed: `HTTP <status>` with the start of the body, a timeout, a network error, or `not sent: …` (a refused address); null when delivered.',
    }),
    next_attempt_at: z
      .string()
      .nullable()
      .meta({ description: 'When the next attempt is due; null when delivered or given up.' }),
  })
  .openapi('WebhookDeliveryAttempt')

const AttemptListSchema = z
  .object({
    data: z.array(AttemptSchema).meta({ description: 'The attempts, newest first.' }),
    next_cursor: NextCursorSchema,
  })
  .openapi('WebhookDeliveryAttemptList')

const CreateBodySchema = z
  .strictObject({
    url: z.string().max(2048).meta({
      example: 'https://hooks.example.com/dualuse',
      description:
        'An https URL whose host is not (and does not resolve to) a private, loopback, link-local or metadata address.',
    }),
    events: z
      .array(EventTypeSchema)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .meta({ description: 'The event types to receive (at least one).' }),
    description: z.string().max(500).optional().meta({ description: 'A note of yours.' }),
  })
  .openapi('WebhookEndpointCreate')

const PatchBodySchema = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .optional()
      .meta({ description: 'A new URL, checked like a new endpoint’s.' }),
    events: z
      .array(EventTypeSchema)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .optional()
      .meta({ description: 'The event types to receive from now on.' }),
    description: z
      .string()
      .max(500)
      .nullable()
      .optional()
      .meta({ description: 'A new note; null clears it.' }),
    status: z
      .enum(['enabled', 'disabled'])
      .optional()
      .meta({ description: 'Re-enabling resumes the deliveries that waited for it.' }),
  })
  .openapi('WebhookEndpointUpdate')

const RedeliverBodySchema = z
  .strictObject({
    endpoint_id: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'Only to this endpoint; by default every enabled subscriber.' }),
  })
  .openapi('WebhookRedeliver')

const idParam = (example: string, description: string) =>
  z.object({
    id: z
      .string()
      .max(64)
      .meta({ param: { name: 'id', in: 'path', description }, example, description }),
  })
const EndpointIdSchema = idParam('whe_01JS4Y8Z6T9V5C3M2N1P0Q7R8S', 'The endpoint’s id.')
const EventIdSchema = idParam('evt_01JS4Y8Z6T9V5C3M2N1P0Q7R8S', 'The event’s id.')

const PageQuerySchema = z.object({
  ...pageParams('Items'),
})
const EventsQuerySchema = PageQuerySchema.extend({
  type: z
    .enum([...WEBHOOK_EVENT_TYPES, 'webhook.test'])
    .optional()
    .meta({ description: 'Only events of this type.' }),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
})
const security = [{ bearerAuth: [] }]
const tags = ['Webhooks']

const createEndpointRoute = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints',
  operationId: 'createWebhookEndpoint',
  tags,
  summary: 'Create a webhook endpoint',
  description:
    'Registers a URL to receive the chosen events, signed per Standard Webhooks. The URL must be https and must not be (or resolve to) a private address. The response carries the signing secret, shown only here.',
  security,
  request: { body: jsonBody(CreateBodySchema) },
  responses: {
    201: json(EndpointWithSecretSchema, 'The endpoint, enabled, with its signing secret.'),
    ...webhookProblems,
    ...urlProblem,
  },
})

const listEndpointsRoute = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints',
  operationId: 'listWebhookEndpoints',
  tags,
  summary: 'List webhook endpoints, newest first',
  description: "The tenant's endpoints, without their secrets.",
  security,
  request: { query: PageQuerySchema },
  responses: { 200: json(EndpointListSchema, 'One page of endpoints.'), ...webhookProblems },
})

const getEndpointRoute = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'getWebhookEndpoint',
  tags,
  summary: 'Get a webhook endpoint',
  description: 'The endpoint, its subscriptions and status (and why it was disabled), no secret.',
  security,
  request: { params: EndpointIdSchema },
  responses: { 200: json(EndpointSchema, 'The endpoint.'), ...webhookProblems },
})

const updateEndpointRoute = createRoute({
  method: 'patch',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'updateWebhookEndpoint',
  tags,
  summary: 'Change a webhook endpoint',
  description:
    'Changes the URL (checked like a new one), the events, the description, or the status. Enabling a disabled endpoint clears its failure record and resumes its pending deliveries.',
  security,
  request: { params: EndpointIdSchema, body: jsonBody(PatchBodySchema) },
  responses: {
    200: json(EndpointSchema, 'The endpoint as changed.'),
    ...webhookProblems,
    ...urlProblem,
  },
})

const deleteEndpointRoute = createRoute({
  method: 'delete',
  path: '/v1/webhook-endpoints/{id}',
  operationId: 'deleteWebhookEndpoint',
  tags,
  summary: 'Delete a webhook endpoint',
  description: 'Deletes the endpoint, its pending deliveries and its delivery log. Events stay.',
  security,
  request: { params: EndpointIdSchema },
  responses: { 204: { description: 'Deleted.' }, ...webhookProblems },
})

const rotateSecretRoute = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{id}/rotate-secret',
  operationId: 'rotateWebhookEndpointSecret',
  tags,
  summary: 'Rotate the signing secret',
  description:
    'Issues a new signing secret, shown only in this response. For 24 hours the old secret keeps signing beside the new one (two signatures in `webhook-signature`), so receivers can switch without losing messages.',
  security,
  request: { params: EndpointIdSchema },
  responses: {
    200: json(EndpointWithSecretSchema, 'The endpoint with its new secret.'),
    ...webhookProblems,
  },
})

const testEndpointRoute = createRoute({
  method: 'post',
  path: '/v1/webhook-endpoints/{id}/test',
  operationId: 'testWebhookEndpoint',
  tags,
  summary: 'Send a test event',
  description:
    'Stores a `webhook.test` event and delivers it to this endpoint only, like any other event (the delivery log shows the outcome).',
  security,
  request: { params: EndpointIdSchema },
  responses: { 202: json(EventSchema, 'The test event, queued.'), ...webhookProblems },
})

const listAttemptsRoute = createRoute({
  method: 'get',
  path: '/v1/webhook-endpoints/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  summary: "An endpoint's delivery log, newest first",
  description:
    'Every attempt to deliver an event to this endpoint: when, the status code, how long it took, the error, and when the next attempt is due.',
  security,
  request: { params: EndpointIdSchema, query: PageQuerySchema },
  responses: { 200: json(AttemptListSchema, 'One page of attempts.'), ...webhookProblems },
})

const listEventsRoute = createRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'listEvents',
  tags,
  summary: 'List events, newest first',
  description:
    "Every event of the tenant, whether or not an endpoint subscribed to it: each as its webhook payload with the event's id.",
  security,
  request: { query: EventsQuerySchema },
  responses: { 200: json(EventListSchema, 'One page of events.'), ...webhookProblems },
})

const getEventRoute = createRoute({
  method: 'get',
  path: '/v1/events/{id}',
  operationId: 'getEvent',
  tags,
  summary: 'Get an event',
  description:
    'The event as its webhooks carry it: `id` (the `webhook-id`), `type`, `timestamp`, `data`.',
  security,
  request: { params: EventIdSchema },
  responses: { 200: json(EventSchema, 'The event.'), ...webhookProblems },
})

const redeliverRoute = createRoute({
  method: 'post',
  path: '/v1/events/{id}/redeliver',
  operationId: 'redeliverEvent',
  tags,
  summary: 'Deliver an event again',
  description:
    'Schedules the event again, now, with a fresh retry schedule: to one endpoint, or to every enabled endpoint subscribed to its type. The `webhook-id` stays the same, so receivers that deduplicate by it will ignore a copy they already processed.',
  security,
  request: { params: EventIdSchema, body: jsonBody(RedeliverBodySchema, false) },
  responses: {
    202: json(
      z
        .object({
          endpoint_ids: z
            .array(z.string())
            .meta({ description: 'The endpoints the event is scheduled for.' }),
        })
        .openapi('WebhookRedeliveries'),
      'The endpoints it was scheduled for (none when no enabled endpoint subscribes to it).',
    ),
    ...webhookProblems,
  },
})

function webhooksOf(deps: Deps): WebhookDeps {
  if (!deps.webhooks)
    throw new AppError('NOT_IMPLEMENTED', 'webhooks are not available on this deployment')
  return deps.webhooks
}

const ctx = (deps: Deps) => ({ webhooks: webhooksOf(deps), clock: deps.clock })

function endpointJson(e: StoredEndpoint): z.infer<typeof EndpointSchema> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    status: e.status,
    disabled_reason: e.disabledReason,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  }
}

function eventJson(e: StoredEvent): z.infer<typeof EventSchema> {
  return { id: e.id, ...(JSON.parse(e.payloadJson) as Omit<z.infer<typeof EventSchema>, 'id'>) }
}

function attemptJson(a: DeliveryAttempt): z.infer<typeof AttemptSchema> {
  return {
    id: a.id,
    event_id: a.eventId,
    event_type: a.eventType,
    attempt: a.attempt,
    attempted_at: a.attemptedAt,
    status_code: a.statusCode,
    duration_ms: a.durationMs,
    error: a.error,
    next_attempt_at: a.nextAttemptAt,
  }
}

export const webhooksRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(createEndpointRoute, async (c) => {
    const deps = c.get('deps')
    const { endpoint, secret } = await createWebhookEndpoint(
      ctx(deps),
      c.get('principal').tenantId,
      c.req.valid('json'),
    )
    c.header('Location', `/v1/webhook-endpoints/${endpoint.id}`)
    return c.json({ ...endpointJson(endpoint), secret }, 201)
  })
  .openapi(listEndpointsRoute, async (c) => {
    const q = c.req.valid('query')
    const page = await webhooksOf(c.get('deps')).repo.listEndpoints(c.get('principal').tenantId, {
      limit: q.limit,
      after: q.cursor === undefined ? undefined : decodePosition(q.cursor),
    })
    return c.json(
      {
        data: page.items.map(endpointJson),
        next_cursor: page.next ? encodePosition(page.next) : null,
      },
      200,
    )
  })
  .openapi(getEndpointRoute, async (c) => {
    const { id } = c.req.valid('param')
    const endpoint = await webhooksOf(c.get('deps')).repo.getEndpoint(
      c.get('principal').tenantId,
      id,
    )
    if (!endpoint) throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
    return c.json(endpointJson(endpoint), 200)
  })
  .openapi(updateEndpointRoute, async (c) => {
    const { id } = c.req.valid('param')
    const endpoint = await updateWebhookEndpoint(
      ctx(c.get('deps')),
      c.get('principal').tenantId,
      id,
      c.req.valid('json'),
    )
    return c.json(endpointJson(endpoint), 200)
  })
  .openapi(deleteEndpointRoute, async (c) => {
    const { id } = c.req.valid('param')
    const deleted = await webhooksOf(c.get('deps')).repo.deleteEndpoint(
      c.get('principal').tenantId,
      id,
    )
    if (!deleted) throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
    return c.body(null, 204)
  })
  .openapi(rotateSecretRoute, async (c) => {
    const { id } = c.req.valid('param')
    const { endpoint, secret } = await rotateWebhookSecret(
      ctx(c.get('deps')),
      c.get('principal').tenantId,
      id,
    )
    return c.json({ ...endpointJson(endpoint), secret }, 200)
  })
  .openapi(testEndpointRoute, async (c) => {
    const { id } = c.req.valid('param')
    const event = await sendTestEvent(ctx(c.get('deps')), c.get('principal').tenantId, id)
    return c.json(eventJson(event), 202)
  })
  .openapi(listAttemptsRoute, async (c) => {
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    const tenantId = c.get('principal').tenantId
    const { repo } = webhooksOf(c.get('deps'))
    if (!(await repo.getEndpoint(tenantId, id)))
      throw new AppError('NOT_FOUND', `no webhook endpoint ${id}`)
    const page = await repo.listAttempts(tenantId, id, {
      limit: q.limit,
      after: q.cursor === undefined ? undefined : decodePosition(q.cursor),
    })
    return c.json(
      {
        data: page.items.map(attemptJson),
        next_cursor: page.next ? encodePosition(page.next) : null,
      },
      200,
    )
  })
  .openapi(listEventsRoute, async (c) => {
    const q = c.req.valid('query')
    const page = await webhooksOf(c.get('deps')).repo.listEvents(c.get('principal').tenantId, {
      type: q.type,
      limit: q.limit,
      after: q.cursor === undefined ? undefined : decodePosition(q.cursor),
    })
    return c.json(
      {
        data: page.items.map(eventJson),
        next_cursor: page.next ? encodePosition(page.next) : null,
      },
      200,
    )
  })
  .openapi(getEventRoute, async (c) => {
    const { id } = c.req.valid('param')
    const event = await webhooksOf(c.get('deps')).repo.getEvent(c.get('principal').tenantId, id)
    if (!event) throw new AppError('NOT_FOUND', `no event ${id}`)
    return c.json(eventJson(event), 200)
  })
  .openapi(redeliverRoute, async (c) => {
    const { id } = c.req.valid('param')
    // The body is optional (no Content-Type: `{}`): to every subscriber.
    const body = c.req.valid('json')
    const scheduled = await redeliverEvent(
      ctx(c.get('deps')),
      c.get('principal').tenantId,
      id,
      body.endpoint_id,
    )
    return c.json({ endpoint_ids: scheduled }, 202)
  })
