/**
 * @module lists/types
 * Lists as living data (issue 12): list versions and their entries, a tenant's own lists, its
 * suppressions and settings, and the screening context a check is made with. Everything a check
 * reads from here is immutable once written (versions, suppressions by creation time, settings by
 * digest), so a stored check can be replayed against exactly what it recorded.
 */
import { z } from 'zod'
import { isCountryCode } from '../countries'
import { LEGAL_STATUSES, type LegalStatus } from '../schemas'

/**
 * `builtin`: a catalogue list, weighed by the rules in `core/rules`. `blocking`: its entries make a
 * check at least `review`, `prohibited` when the version's legal status is `in_force`. `watch`: its
 * matches are shown, never decide.
 */
export const LIST_MODES = ['builtin', 'blocking', 'watch'] as const
export type ListMode = (typeof LIST_MODES)[number]
export const OWN_LIST_MODES = ['blocking', 'watch'] as const
export type OwnListMode = (typeof OWN_LIST_MODES)[number]

/** `''` is the operator: built-in lists and lists imported by `dualuse lists import`, for every tenant. */
export const OPERATOR = ''

/** A list's id: lower-case letters, digits and `_`, as the catalogue's own ids. */
export const ListIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,63}$/,
    'must be 2 to 64 lower-case letters, digits or _, first a letter',
  )

export const CountryListSchema = z
  .array(
    z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .refine((s) => isCountryCode(s), { message: 'must be an ISO 3166-1 alpha-2 country code' }),
  )
  .max(50)

export type ListMeta = {
  owner: string
  id: string
  name: string
  mode: ListMode
  legalStatus: LegalStatus
  source: string
  /** The list applies only on routes reaching one of these countries; empty for every route. */
  destinations: string[]
  createdAt: string
  createdBy: string
}

/** One entry as imported and stored. `category` is the tier or category column of the file. */
export type ImportedEntry = {
  code: string
  title: string
  category: string | null
  /** Words or phrases that match the description directly (whole words, case-insensitive). */
  patterns: string[]
  partial: boolean
  text: string | null
  derivation: string | null
}

export type EntryChange = {
  code: string
  before: Pick<ImportedEntry, 'title' | 'category' | 'patterns'>
  after: Pick<ImportedEntry, 'title' | 'category' | 'patterns'>
}

/** What a version changed against the one before it (the first version adds every entry). */
export type ListDiff = {
  previous_version: string | null
  added: { code: string; title: string }[]
  removed: { code: string; title: string }[]
  changed: EntryChange[]
}

export type ListVersionMeta = {
  id: string
  owner: string
  listId: string
  seq: number
  version: string
  effectiveDate: string | null
  legalStatus: LegalStatus
  source: string
  entryCount: number
  contentHash: string
  diff: ListDiff
  createdAt: string
  createdBy: string
}

/** A list version with its entries, as a check needs it (plain data: it crosses to check threads). */
export type ListVersionData = {
  list: Pick<ListMeta, 'owner' | 'id' | 'name' | 'mode' | 'destinations'>
  version: Pick<ListVersionMeta, 'version' | 'legalStatus' | 'source' | 'contentHash'>
  entries: ImportedEntry[]
}

export const SuppressionScopeSchema = z
  .object({
    reference: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Only checks with exactly this `reference`.'),
    description: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe(
        'Only checks of this description (compared without case and extra spaces, as typed otherwise).',
      ),
    hs6: z
      .string()
      .trim()
      .transform((s) => s.replace(/[. ]/g, ''))
      .refine((s) => /^\d{6}$/.test(s), { message: 'must be an HS-6 code, e.g. 8482.10' })
      .optional()
      .describe(
        'Only matches whose entry covers this HS-6 subheading when the goods were read (or declared) as it.',
      ),
    list_id: z.string().max(64).optional().describe('Only matches on this list.'),
    entry_code: z
      .string()
      .trim()
      .transform((s) => s.replace(/[. ]/g, ''))
      .pipe(z.string().min(2).max(20))
      .optional()
      .describe('Only matches of this list entry (its code as in `matches[].entry_code`).'),
    maker: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe(
        'Only lines whose maker is this one (compared without case and punctuation): a component maker named in the description, by its name or an alias (`Texas Instruments`, `TI`), or the maker of a part number the classifier read (as the evidence names it). With `part_family`, the maker of that part number.',
      ),
    part_family: z
      .string()
      .trim()
      // `TPS5xxx`, `STM32F4*`: trailing lower-case x's and stars are the wildcard people write.
      .transform((s) =>
        s
          .replace(/[x*]+$/, '')
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, ''),
      )
      .pipe(
        z
          .string()
          .min(2, 'must have at least 2 letters or digits')
          .max(32, 'must have at most 32 letters or digits'),
      )
      .optional()
      .describe(
        'Only matches that rest on a part number the classifier read (part-number family evidence) starting with this (`TPS5`, `TPS5xxx`, `STM32F4*`: case and dashes are ignored, trailing lower-case `x`s or `*` are wildcards), on an entry covering the subheading that part number was read as. Lines whose part number the classifier did not read are not in scope.',
      ),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), {
    message:
      'give at least one of reference, description, hs6, list_id, entry_code, maker, part_family',
  })

export type SuppressionScope = z.output<typeof SuppressionScopeSchema>

export type Suppression = {
  id: string
  tenantId: string
  scope: SuppressionScope
  reason: string
  /** The reason the tenant gave for letting it hide an in-force prohibition; null if it may not. */
  acceptInForce: string | null
  expiresAt: string | null
  createdAt: string
  createdBy: string
  deletedAt: string | null
  deletedBy: string | null
}

/** Today's thresholds (core/rules, core/match-lists): a tenant with no settings is checked with these. */
export const DEFAULT_SETTINGS = {
  /** Candidates below this score are not matched to the CHP list (match-lists `MIN_MATCH_SCORE`). */
  min_chp_match_score: 0.05,
  /** Readings that are possible but not strong ask for review (rules `isPossibleReading`). */
  weak_matches_raise_review: true,
  /**
   * Countries, beyond the sanctioned, embargoed and transshipment destinations (which always do),
   * where a line that cannot be read with confidence is reviewed rather than left clear.
   */
  unreadable_review_countries: [] as string[],
  /** Stored checks of the last this many days are re-checked when a list gains a version (0: none). */
  recheck_days: 90,
} as const

/**
 * Re-checks (issue 12 item 5): how far back a new list version re-checks stored checks. It decides
 * no verdict, so it is not part of the settings digest checks record.
 */
export const RecheckDaysSchema = z
  .number()
  .int()
  .min(0)
  .max(3650)
  .describe(
    'Days of stored checks re-checked when a list gains a version (your own, or the operator’s); 0 turns re-checks off. Default 90.',
  )

export const TenantSettingsSchema = z
  .object({
    min_chp_match_score: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'Minimum classification score (0–1) of a reading for it to match the Common High Priority list; declared codes and part-number evidence always match. Default 0.05.',
      ),
    weak_matches_raise_review: z
      .boolean()
      .describe(
        'Whether a plausible but not first reading of a controlled entry, or a CHP reading that is not strong, asks for `review`. Default true.',
      ),
    unreadable_review_countries: CountryListSchema.describe(
      'Countries where a line that cannot be read with confidence is reviewed, in addition to the sanctioned, embargoed and transshipment destinations, where it always is. Default none.',
    ),
    // Settings stored before re-checks existed lack it: they read as the default.
    recheck_days: RecheckDaysSchema.default(DEFAULT_SETTINGS.recheck_days),
  })
  .strict()

export type TenantSettings = z.output<typeof TenantSettingsSchema>

export const LegalStatusSchema = z.enum(LEGAL_STATUSES)

/** What one check is made with beyond the engine: plain data, so it can cross to a check thread. */
export type ScreeningContextData = {
  /**
   * Identifies this data: equal keys, equal data. A check thread keeps compiled contexts by key and
   * the caller sends the data only to a thread that lacks it.
   */
  key: string
  /** Operator versions in effect that differ from the engine's catalogue (label or content). */
  operator: ListVersionData[]
  /** The tenant's own lists, each at its version in effect. */
  tenant: ListVersionData[]
  suppressions: Suppression[]
  settings: TenantSettings
  settingsDigest: string
}

/** The screening context handed to a checker with a request: the data and the time of the check. */
export type ScreeningInput = { data: ScreeningContextData; at: string }

/**
 * What an HTTP batch's rows are checked with, recorded on the batch when it is sealed: the tenant's
 * screening context as it stood then, named as a check names it (list versions by label, settings by
 * digest), and that time. Every row is checked with it, however long the batch takes and whatever the
 * tenant changes meanwhile, so a chunk checked twice (a crash, a redelivery) gives the same lines.
 */
export type BatchScreening = {
  /** The context's key at seal time (`tenant@revision`): while it is still current, its data is. */
  key: string
  /** The seal time (ISO 8601): the rows' suppressions and expiries are weighed at it. */
  at: string
  /** Each list's version label, as `versions.lists` of a check made then. */
  lists: Record<string, string>
  /** Digest of the settings in effect then, as `versions.settings`. */
  settings: string
}
