/**
 * @module rules/context
 * What every rule sees: the request, the classification, the list matches and how the destination is
 * treated. Built once per check by `checkGoods`; rules only read it.
 */
import type { CatalogueArtifact, ControlList, CountryGroup } from '../catalogue/types'
import type { Classification } from '../classify/classifier'
import type { CheckRequest, ListMatch, ReasonEffect } from '../schemas'

export type DestinationCategory = 'sanctioned' | 'embargoed' | 'transshipment' | 'other'

export type DestinationView = {
  country: string
  final_destination: string
  transit: string[]
  category: DestinationCategory
  /** The sanctioned (RU/BY) or embargoed country the goods reach, directly, in transit or finally. */
  target: string | null
  note: string
}

/** A list match with the list it came from, for rules that need the list's status and regimes. */
export type MatchedEntry = ListMatch & {
  list: ControlList
  partial: boolean
  fromDeclaredCode: boolean
  /** Rank of the HS candidate that matched (0 = first); -1 for the declared code and text matches. */
  rank: number
  /** The candidate rests on part-number, designation or code evidence. */
  explicit: boolean
  /**
   * The reading rests on what the description says the goods are (`ClassifiedCandidate.namesGoods`);
   * true for the declared code and text matches.
   */
  namesGoods: boolean
}

export type RuleContext = {
  request: CheckRequest
  classification: Classification
  matches: MatchedEntry[]
  destination: DestinationView
  groups: Map<string, CountryGroup>
  catalogue: CatalogueArtifact
}

export type RuleOutcome = {
  /** A verdict the outcome pushes towards, or `info` for an outcome that explains without deciding. */
  effect: ReasonEffect
  text: string
  source: string
  obligations?: string[]
}

export type Rule = {
  id: string
  /** One line on what the rule decides and on what it rests. */
  summary: string
  apply(ctx: RuleContext): RuleOutcome[]
}

export const SANCTIONED = new Set(['RU', 'BY'])
export const EMBARGOED = new Set(['IR', 'KP', 'SY', 'CU'])
