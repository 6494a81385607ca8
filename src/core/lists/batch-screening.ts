/**
 * @module lists/batch-screening
 * An HTTP batch is checked with its tenant's screening context (issue 12) as it stood when the batch
 * was sealed: `recordBatchScreening` names it on the batch (versions by label, settings by digest, the
 * seal time), and `batchScreeningInput` gives the runners (the Node loop, the Workers consumer) that
 * context for every chunk. Fixed at seal time because a chunk may be checked twice (a runner that
 * died, a queue redelivery) and must then give the same lines, and because a batch's rows should all
 * be read by the same rules: a list imported halfway would otherwise apply to half the file.
 */
import type { BatchContextRef } from '../ports'
import { loadScreeningContext, recordedContext } from './load-screening-context'
import type { ScreeningDeps } from './ports'
import type { BatchScreening, ScreeningContextData, ScreeningInput } from './types'

/** What a batch's rows are checked with, as the checks made at `at` would record it. */
export function batchScreeningOf(
  deps: Pick<ScreeningDeps, 'builtInLists'>,
  data: ScreeningContextData,
  at: string,
): BatchScreening {
  const lists: Record<string, string> = {}
  for (const l of deps.builtInLists()) lists[l.id] = l.version
  for (const d of [...data.operator, ...data.tenant]) lists[d.list.id] = d.version.version
  return { key: data.key, at, lists, settings: data.settingsDigest }
}

/**
 * The tenant's context in effect at `at`, as recorded on a batch being sealed. Side effect: keeps
 * the context data cached by revision (as a check would).
 */
export async function recordBatchScreening(
  deps: ScreeningDeps,
  tenantId: string,
  at: string,
): Promise<BatchScreening> {
  return batchScreeningOf(deps, await loadScreeningContext(deps, tenantId), at)
}

/**
 * The context a batch's rows are checked with, or undefined for a batch sealed without one (before
 * batches had contexts, or where the deployment has no screening store: the catalogue alone).
 * While the tenant has changed nothing since the seal, that is its current context (one revision
 * read, and check threads already hold it); after a change, the recorded versions are read back as a
 * replay reads them. Kept per batch in `deps.contexts`, so a runner reads it once per process or isolate.
 * @throws AppError UNPROCESSABLE when a version or settings it names is no longer stored.
 */
export async function batchScreeningInput(
  deps: ScreeningDeps | undefined,
  batch: BatchContextRef,
): Promise<ScreeningInput | undefined> {
  const recorded = batch.screening
  if (!deps || !recorded) return undefined
  const cacheKey = `batch:${batch.tenantId}:${batch.id}`
  let data = deps.contexts.get(cacheKey)
  if (!data) {
    const current = await loadScreeningContext(deps, batch.tenantId)
    data =
      current.key === recorded.key
        ? current
        : await recordedContext(deps, {
            tenantId: batch.tenantId,
            at: recorded.at,
            lists: recorded.lists,
            settings: recorded.settings,
            key: cacheKey,
            what: `batch ${batch.id}`,
          })
    deps.contexts.set(cacheKey, data)
  }
  return { data, at: recorded.at }
}
