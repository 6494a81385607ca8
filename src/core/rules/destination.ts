/**
 * @module rules/destination
 * How the route is treated. Transit through RU/BY, or a final destination there, counts as the
 * destination (DESIGN §4). Hong Kong and Macao are treated as transshipment points by product decision
 * (DESIGN §4); they are not on the 2022 FinCEN/BIS list.
 */
import type { CountryGroup } from '../catalogue/types'
import { countryName } from '../countries'
import type { CheckRequest } from '../schemas'
import { type DestinationView, EMBARGOED, SANCTIONED } from './context'

const PRODUCT_TRANSSHIPMENT = new Set(['HK', 'MO'])
const REGIME_COUNTRY: Record<string, string | null> = { KZ: 'KZ', US: 'US', UK: 'GB', EU: null }

export function viewDestination(
  request: CheckRequest,
  groups: Map<string, CountryGroup>,
): DestinationView {
  const finalDestination = request.final_destination ?? request.destination
  const transit = request.transit ?? []
  const route = [request.destination, ...transit, finalDestination]
  const base = { country: request.destination, final_destination: finalDestination, transit }

  const sanctioned = route.find((c) => SANCTIONED.has(c))
  if (sanctioned) {
    const how =
      finalDestination === sanctioned
        ? request.destination === sanctioned
          ? 'is the destination'
          : 'is the final destination'
        : 'is on the route (transit)'
    return {
      ...base,
      category: 'sanctioned',
      target: sanctioned,
      note:
        request.destination === sanctioned
          ? `${countryName(sanctioned)} is the destination.`
          : `${countryName(sanctioned)} ${how}; it is treated as the destination.`,
    }
  }
  const embargoed = route.find((c) => EMBARGOED.has(c))
  if (embargoed) {
    return {
      ...base,
      category: 'embargoed',
      target: embargoed,
      note: `${countryName(embargoed)} is under broad sanctions programmes.`,
    }
  }
  const transshipment = groups.get('transshipment_fincen_bis_2022')
  const home = REGIME_COUNTRY[request.regime]
  for (const country of [request.destination, finalDestination]) {
    if (country === home) continue
    const listed = transshipment?.members.find((m) => m.iso2 === country)
    if (listed || PRODUCT_TRANSSHIPMENT.has(country)) {
      return {
        ...base,
        category: 'transshipment',
        target: country,
        note: listed
          ? `${countryName(country)} is a common transshipment point to Russia named in the FinCEN & BIS joint alert of 28 June 2022.`
          : `${countryName(country)} is treated as a transshipment point to Russia (product rule, DESIGN §4; not on the 2022 FinCEN/BIS list).`,
      }
    }
  }
  return {
    ...base,
    category: 'other',
    target: null,
    note: `${countryName(finalDestination)} is not a sanctioned, embargoed or transshipment destination in the catalogue.`,
  }
}
