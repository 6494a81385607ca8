/**
 * @module lists/manage-suppressions
 * A tenant marks a match as reviewed and settled: later checks in the suppression's scope keep the
 * match, name the suppression and do not let it raise the verdict (`screen-with-context.ts`). A
 * suppression is never edited: it is created, and may be deleted; both are audited.
 */
import { AppError } from '../errors'
import { type Actor, change } from './manage-lists'
import type { ScreeningDeps } from './ports'
import type { Suppression, SuppressionScope } from './types'

/**
 * Creates a suppression. `accept_in_force` (a reason) lets it hide a match on a list in force;
 * without it such matches still decide.
 * @throws AppError INVALID_INPUT when `expires_at` is not in the future.
 */
export async function createSuppression(
  deps: Pick<ScreeningDeps, 'repo' | 'newId'>,
  tenantId: string,
  actor: Actor,
  input: {
    scope: SuppressionScope
    reason: string
    expires_at?: string
    accept_in_force?: string
  },
  at: string,
): Promise<Suppression> {
  if (input.expires_at !== undefined && input.expires_at <= at)
    throw new AppError('INVALID_INPUT', '/expires_at: must be in the future', {
      details: [{ pointer: '/expires_at', message: 'must be in the future' }],
    })
  const s: Suppression = {
    id: deps.newId('sup'),
    tenantId,
    scope: input.scope,
    reason: input.reason,
    acceptInForce: input.accept_in_force ?? null,
    expiresAt: input.expires_at ?? null,
    createdAt: at,
    createdBy: actor.name,
    deletedAt: null,
    deletedBy: null,
  }
  await deps.repo.insertSuppression(
    s,
    change(deps, at, tenantId, actor, {
      action: 'suppression.created',
      subjectType: 'suppression',
      subjectId: s.id,
      detail: {
        scope: s.scope,
        reason: s.reason,
        accept_in_force: s.acceptInForce,
        expires_at: s.expiresAt,
      },
    }),
  )
  return s
}

/**
 * Deletes a suppression: checks made from now on are no longer settled by it (checks made before keep
 * what they recorded, and a replay of them still applies it).
 * @throws AppError NOT_FOUND when the tenant has no such suppression, or it is deleted already.
 */
export async function deleteSuppression(
  deps: Pick<ScreeningDeps, 'repo' | 'newId'>,
  tenantId: string,
  actor: Actor,
  id: string,
  at: string,
): Promise<void> {
  const deleted = await deps.repo.deleteSuppression(
    tenantId,
    id,
    at,
    actor.name,
    change(deps, at, tenantId, actor, {
      action: 'suppression.deleted',
      subjectType: 'suppression',
      subjectId: id,
      detail: {},
    }),
  )
  if (!deleted) throw new AppError('NOT_FOUND', `no suppression ${id}`)
}
