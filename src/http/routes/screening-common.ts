/**
 * @module http/routes/screening-common
 * What the issue-12 routes (lists, suppressions, settings, audit, replay) share: the 501 when a
 * deployment has no screening store, the problems they add, the actor of a change, and cursors.
 */
import type { Context } from 'hono'
import { AppError } from '../../core/errors'
import { type Actor, actorOf } from '../../core/lists/manage-lists'
import type { ScreeningDeps } from '../../core/lists/ports'
import type { AppEnv } from '../env'
import { ProblemSchema, problemResponses } from '../problem'

const problemContent = { 'application/problem+json': { schema: ProblemSchema } }

export const screeningProblems = {
  ...problemResponses,
  501: {
    description: 'Lists as data are not available on this deployment.',
    content: problemContent,
  },
}

export const conflictProblem = {
  409: {
    description: 'The id or version label is taken (versions are immutable), or a race was lost.',
    content: problemContent,
  },
}

export const unprocessableProblem = {
  422: {
    description: 'The stored check names a list version or settings that are not stored.',
    content: problemContent,
  },
}

export function screeningOf(c: Context<AppEnv>): ScreeningDeps {
  const screening = c.get('deps').screening
  if (!screening)
    throw new AppError('NOT_IMPLEMENTED', 'lists as data are not available on this deployment')
  return screening
}

export function actor(c: Context<AppEnv>): Promise<Actor> {
  return actorOf(screeningOf(c).repo, c.get('principal'))
}

export function nowIso(c: Context<AppEnv>): string {
  return c.get('deps').clock.now().toISOString()
}
