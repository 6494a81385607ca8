/**
 * @module lists/replay-check
 * Replays a stored check against exactly what it recorded: the same request, each list at the version
 * it names, its settings by digest and the suppressions as they stood at its time. Re-checks (issue 12
 * item 5) build on this; it stores nothing.
 */
import type { Deps } from '../deps'
import { AppError } from '../errors'
import type { StoredCheck } from '../ports'
import type { CheckResult } from '../schemas'
import { replayContext } from './load-screening-context'

export type Replay = {
  check: StoredCheck
  result: CheckResult & { id: string }
  /** The replay gives the stored result, byte for byte. */
  same: boolean
  /** The engine that made the check is not the one that replayed it: a difference may come from it. */
  engineChanged: boolean
}

/**
 * Replays the tenant's check `id`.
 * @throws AppError NOT_FOUND (no such check for this tenant), NOT_IMPLEMENTED (no screening store),
 * UNPROCESSABLE (a version or settings it names is not stored).
 */
export async function replayCheck(
  deps: Pick<Deps, 'checks' | 'checker' | 'screening'>,
  tenantId: string,
  id: string,
): Promise<Replay> {
  const check = await deps.checks.get(tenantId, id)
  if (!check) throw new AppError('NOT_FOUND', `no check ${id}`)
  if (!deps.screening)
    throw new AppError('NOT_IMPLEMENTED', 'lists as data are not available on this deployment')
  const data = await replayContext(deps.screening, check)
  const replayed = await deps.checker.check(check.request, { data, at: check.createdAt })
  const result = { id: check.id, ...replayed }
  return {
    check,
    result,
    same: JSON.stringify(result) === check.resultJson,
    engineChanged: check.result.versions.engine !== deps.checker.versions.engine,
  }
}
