/**
 * @module rules/applicability
 * Whether a list match is weighed by a rule of the chosen regime on this route, and if not, why. A result
 * shows every entry the reading points at; this tells which of them can decide, so that no reason reads
 * as if a shown match had been overlooked. It mirrors the guards of the rules in rules.ts (a rule that
 * starts weighing a list on a new route must change this too); test/core/applicability.test.ts checks
 * that the two agree on strong readings.
 */
import type { ControlList } from '../catalogue/types'
import { countryName } from '../countries'
import { ownListApplicability, ownListInfo } from '../lists/own-lists'
import type { MatchedEntry, RuleContext } from './context'

export type Applicability = { applies: true } | { applies: false; because: string }

type RouteContext = Pick<RuleContext, 'request' | 'destination' | 'groups'>

const APPLIES: Applicability = { applies: true }

export function isEuMemberState(ctx: Pick<RuleContext, 'groups'>, country: string | undefined) {
  return !!country && !!ctx.groups.get('eu_member_states')?.members.some((m) => m.iso2 === country)
}

/** A list's name without its parenthesised detail, for sentences: "EU Reg. 833/2014 Annex XL". */
export function shortListName(list: ControlList): string {
  return list.name.replace(/\s*\(.*$/, '')
}

/**
 * The origin rule (`origin_state_ban.sanctioned`): an in-force EU annex by code weighs goods made in an
 * EU Member State on a route to Russia or Belarus under any regime, because the state of origin bans
 * their export there. Under regime EU the EU rule weighs them anyway.
 */
export function euOriginRuleCovers(ctx: RouteContext, m: MatchedEntry): boolean {
  return (
    m.list.jurisdiction === 'EU' &&
    m.legal_status === 'in_force' &&
    m.list.match === 'hs_prefix' &&
    ctx.destination.category === 'sanctioned' &&
    isEuMemberState(ctx, ctx.request.origin)
  )
}

export function applicability(ctx: RouteContext, m: MatchedEntry): Applicability {
  // A tenant's own list (or one the operator imported under a new id) decides by its own mode.
  const own = ownListInfo(m.list)
  if (own) return ownListApplicability(ctx, m.list, own)
  const { regime } = ctx.request
  const { destination } = ctx
  const name = shortListName(m.list)
  if (!m.list.regimes.includes(regime)) {
    if (euOriginRuleCovers(ctx, m)) return APPLIES
    if (m.list.jurisdiction === 'EU')
      return notApplied(`${name} binds EU exporters; the regime is ${regime}, ${euOriginGap(ctx)}.`)
    return notApplied(
      `${name} is weighed only under the ${m.list.regimes.join('/')} regime; the regime is ${regime}.`,
    )
  }
  // A list that speaks of some destinations only (UK Schedule 3A: Russia) does not decide for the others.
  const destinations = m.list.destinations
  if (
    destination.category === 'sanctioned' &&
    destinations &&
    !destinations.includes(destination.target!)
  )
    return notApplied(
      `${name} speaks of exports to ${destinations.map(countryName).join(', ')} only; the goods go to ${countryName(destination.target!)}.`,
    )
  if (destination.category === 'sanctioned') return APPLIES
  // Only the CHP list has a rule for transshipment points (chp.transshipment).
  if (destination.category === 'transshipment' && m.list.id === 'chp') return APPLIES
  if (destination.category === 'embargoed')
    return notApplied(
      `${destination.note} No list of that country programme is loaded: the route is weighed as a whole by its programme (destination.embargoed), whatever the goods.`,
    )
  const routes =
    m.list.id === 'chp' ? 'Russia, Belarus or a transshipment point' : 'Russia or Belarus'
  return notApplied(
    `${destination.note} ${name} is weighed only on routes reaching ${routes}; no rule applies to this route.`,
  )
}

/** Why the origin rule does not bring an EU list into play under a non-EU regime. */
function euOriginGap(ctx: RouteContext): string {
  const origin = ctx.request.origin
  if (!origin) return 'and no origin was given, so the rule for goods made in the EU does not apply'
  if (!isEuMemberState(ctx, origin))
    return `and the goods were made in ${countryName(origin)}, not in an EU Member State`
  return `and the goods, although made in ${countryName(origin)}, do not go to Russia or Belarus`
}

function notApplied(because: string): Applicability {
  return { applies: false, because }
}
