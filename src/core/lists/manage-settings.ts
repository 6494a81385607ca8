/**
 * @module lists/manage-settings
 * A tenant's thresholds for review versus clear. Defaults are today's behaviour; a change is stored
 * with its digest (checks record the digest, a replay reads the settings back by it) and audited.
 */
import { type Actor, change } from './manage-lists'
import type { ScreeningDeps } from './ports'
import { DEFAULT_SETTINGS, type TenantSettings } from './types'
import { settingsDigest } from './versions'

export function defaultSettings(): TenantSettings {
  return {
    ...DEFAULT_SETTINGS,
    unreadable_review_countries: [...DEFAULT_SETTINGS.unreadable_review_countries],
  }
}

/** The tenant's settings in effect and their digest (the defaults when never set). */
export async function getSettings(
  deps: Pick<ScreeningDeps, 'repo'>,
  tenantId: string,
): Promise<{ settings: TenantSettings; digest: string }> {
  const stored = await deps.repo.getSettings(tenantId)
  if (stored) return stored
  const settings = defaultSettings()
  return { settings, digest: await settingsDigest(settings) }
}

/**
 * Changes some settings; the others keep their values. Side effects: the new settings, their snapshot
 * by digest, the audit record (before and after) and the tenant's revision, in one write.
 */
export async function patchSettings(
  deps: Pick<ScreeningDeps, 'repo' | 'newId'>,
  tenantId: string,
  actor: Actor,
  patch: Partial<TenantSettings>,
  at: string,
): Promise<{ settings: TenantSettings; digest: string }> {
  const before = await getSettings(deps, tenantId)
  const settings: TenantSettings = { ...before.settings }
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined) (settings as Record<string, unknown>)[k] = v
  }
  settings.unreadable_review_countries = [...new Set(settings.unreadable_review_countries)].sort()
  const digest = await settingsDigest(settings)
  await deps.repo.putSettings(
    tenantId,
    settings,
    digest,
    at,
    change(deps, at, tenantId, actor, {
      action: 'settings.changed',
      subjectType: 'settings',
      subjectId: tenantId,
      detail: { before: before.settings, after: settings, digest },
    }),
  )
  return { settings, digest }
}
