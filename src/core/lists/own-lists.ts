/**
 * @module lists/own-lists
 * Lists that are not the catalogue's: a tenant's own lists and lists the operator imported under a new
 * id. They are `ControlList`s to the matcher and the rules, tagged here with their mode (a WeakMap, so
 * the catalogue's list type stays as it is). Whether one of their matches can decide is said here,
 * for `rules/applicability`.
 */
import type { ControlList } from '../catalogue/types'
import { countryName } from '../countries'
import type { CheckRequest } from '../schemas'

export type OwnListInfo = {
  mode: 'blocking' | 'watch'
  /** The operator's (every tenant) or the tenant's own. */
  owner: 'operator' | 'tenant'
  destinations: readonly string[]
  /** Entry code → the normalized phrases that match it in a description. */
  patterns: Map<string, string[]>
  /** Every entry by code, control codes included (a pattern match names its entry). */
  entries: Map<string, { code: string; title: string; category: string | null }>
}

const own = new WeakMap<ControlList, OwnListInfo>()

export function tagOwnList(list: ControlList, info: OwnListInfo): ControlList {
  own.set(list, info)
  return list
}

/** The mode of a tenant's or operator-imported list; undefined for a catalogue list. */
export function ownListInfo(list: ControlList): OwnListInfo | undefined {
  return own.get(list)
}

type Route = { request: CheckRequest }

function routeCountries(request: CheckRequest): string[] {
  return [request.destination, ...(request.transit ?? []), request.final_destination ?? '']
}

/** Whether a match on an own list can decide this check, and if not, why. */
export function ownListApplicability(
  ctx: Route,
  list: ControlList,
  info: OwnListInfo,
): { applies: true } | { applies: false; because: string } {
  const whose = info.owner === 'tenant' ? 'your' : 'the operator’s'
  if (info.mode === 'watch')
    return {
      applies: false,
      because: `${list.name} is ${whose} watch list: its matches are shown for information and never change the verdict.`,
    }
  if (info.destinations.length > 0) {
    const route = routeCountries(ctx.request)
    if (!info.destinations.some((c) => route.includes(c)))
      return {
        applies: false,
        because: `${list.name} applies only on routes reaching ${info.destinations.map(countryName).join(', ')}; this route does not.`,
      }
  }
  return { applies: true }
}

/** Lower case, letters and digits only, single spaces: how patterns and descriptions are compared. */
export function normalizePhrase(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
