/**
 * @module http/routes/settings
 * GET and PATCH /v1/settings (issue 12): the tenant's thresholds for review versus clear. Defaults are
 * today's behaviour; each check records the settings' digest in `versions.settings`; changes are audited.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { getSettings, patchSettings } from '../../core/lists/manage-settings'
import { RecheckDaysSchema, TenantSettingsSchema } from '../../core/lists/types'
import type { AppEnv } from '../env'
import { validationHook } from '../validate'
import { actor, nowIso, screeningOf, screeningProblems } from './screening-common'

const SettingsBodySchema = TenantSettingsSchema.extend({
  digest: z.string().meta({
    description:
      'Digest of these settings, as recorded in `versions.settings` of the checks made with them.',
  }),
}).openapi('Settings')

// Without the stored settings' default: a PATCH that leaves `recheck_days` out must not reset it.
const SettingsPatchSchema = TenantSettingsSchema.extend({ recheck_days: RecheckDaysSchema })
  .partial()
  .strict()
  .openapi('SettingsPatch', {
    description: 'The settings to change; the others keep their values.',
  })

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/v1/settings',
  operationId: 'getSettings',
  tags: ['Settings'],
  summary: 'Your thresholds for review versus clear',
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: 'The settings in effect (the defaults until changed).',
      content: { 'application/json': { schema: SettingsBodySchema } },
    },
    ...screeningProblems,
  },
})

const patchSettingsRoute = createRoute({
  method: 'patch',
  path: '/v1/settings',
  operationId: 'updateSettings',
  tags: ['Settings'],
  summary: 'Change your thresholds',
  description: 'Applies to checks made from now on. Audited with the values before and after.',
  security: [{ bearerAuth: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: SettingsPatchSchema } } },
  },
  responses: {
    200: {
      description: 'The settings now in effect.',
      content: { 'application/json': { schema: SettingsBodySchema } },
    },
    ...screeningProblems,
  },
})

export const settingsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(getSettingsRoute, async (c) => {
    const { settings, digest } = await getSettings(screeningOf(c), c.get('principal').tenantId)
    return c.json({ ...settings, digest }, 200)
  })
  .openapi(patchSettingsRoute, async (c) => {
    const { settings, digest } = await patchSettings(
      screeningOf(c),
      c.get('principal').tenantId,
      await actor(c),
      c.req.valid('json'),
      nowIso(c),
    )
    return c.json({ ...settings, digest }, 200)
  })
