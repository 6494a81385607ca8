/**
 * @module schemas
 * Zod schemas for the check verb's input and output. HTTP, CLI and batch rows share them; the field names
 * are the public contract (DESIGN §2): add fields freely, rename none.
 */
import { z } from 'zod'
import { isCountryCode } from './countries'

export const REGIMES = ['KZ', 'EU', 'US', 'UK'] as const
export const VERDICTS = ['prohibited', 'high_risk', 'review', 'clear'] as const
export const LEGAL_STATUSES = ['in_force', 'guidance', 'reported', 'snapshot'] as const
/**
 * A reason either pushes the verdict (a verdict value) or only informs: `info` says why something shown
 * in the result (a list match, a weak reading) does not change the verdict on this route.
 */
export const REASON_EFFECTS = [...VERDICTS, 'info'] as const

export type Regime = (typeof REGIMES)[number]
export type Verdict = (typeof VERDICTS)[number]
export type LegalStatus = (typeof LEGAL_STATUSES)[number]
export type ReasonEffect = (typeof REASON_EFFECTS)[number]

const CountryCodeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => /^[A-Z]{2}$/.test(s) && isCountryCode(s), {
    message: 'must be an ISO 3166-1 alpha-2 country code, e.g. RU, KZ, DE',
  })

/** A declared HS / TN VED code: 4 to 10 digits; dots and spaces are allowed and dropped. */
export const HsCodeSchema = z
  .string()
  .trim()
  .refine((s) => /^[0-9][0-9. ]*$/.test(s), {
    message: 'must contain only digits, dots and spaces, e.g. 8482.10 or 8482 10 100 0',
  })
  .transform((s) => s.replace(/[. ]/g, ''))
  .refine((s) => s.length >= 4 && s.length <= 10, {
    message: 'must have 4 to 10 digits',
  })

export const CheckRequestSchema = z
  .object({
    description: z
      .string()
      .trim()
      .min(1, 'must not be empty: describe the goods as on the invoice')
      .max(2000, 'must be at most 2000 characters')
      .describe(
        'The goods as written on the invoice or manifest line, in free text (1–2000 characters).',
      ),
    destination: CountryCodeSchema.describe(
      'Country the goods are shipped to (ISO 3166-1 alpha-2, e.g. KZ; lower case is accepted).',
    ),
    final_destination: CountryCodeSchema.optional().describe(
      'Country where the goods end up, if not the destination (ISO 3166-1 alpha-2); defaults to the destination.',
    ),
    transit: z
      .array(CountryCodeSchema)
      .max(20, 'at most 20 transit countries')
      .optional()
      .describe('Countries the goods pass through on the way (ISO 3166-1 alpha-2, at most 20).'),
    origin: CountryCodeSchema.optional().describe(
      'Country where the goods were made (ISO 3166-1 alpha-2); some rules (e.g. EU-made goods under regime KZ) depend on it.',
    ),
    hs_code: HsCodeSchema.optional().describe(
      'The HS / TN VED code declared for the goods, 4 to 10 digits (dots and spaces allowed); compared with the reading of the description.',
    ),
    regime: z
      .enum(REGIMES)
      .default('KZ')
      .describe('Whose export-control rules apply: KZ (Kazakhstan), EU, US or UK.'),
    reference: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('Your own reference for the line (invoice and line number, SKU…), echoed back.'),
    quantity: z
      .number()
      .nonnegative()
      .finite()
      .optional()
      .describe('Quantity shipped; recorded with the check, not used by the rules.'),
    value: z
      .number()
      .nonnegative()
      .finite()
      .optional()
      .describe('Value of the line in `currency`; recorded with the check, not used by the rules.'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional()
      .describe('ISO 4217 currency code of `value`, e.g. USD.'),
  })
  .strict()

export type CheckRequest = z.output<typeof CheckRequestSchema>
export type CheckRequestInput = z.input<typeof CheckRequestSchema>

export const CandidateSchema = z.object({
  hs6: z
    .string()
    .describe('HS 2022 subheading read from the description, six digits (e.g. 848210).'),
  title: z.string().describe('The nomenclature title of that subheading.'),
  score: z.number().describe('Strength of this reading, 0–1; candidates come strongest first.'),
  evidence: z
    .array(z.string())
    .describe(
      'What the reading rests on: matched words, part numbers or codes, each with its source.',
    ),
})

export const MatchSchema = z.object({
  list_id: z.string().describe('Id of the controlled list (see `GET /v1/lists`), e.g. `chp`.'),
  list_name: z.string().describe('Name of that list.'),
  entry_code: z.string().describe('The list entry hit: an HS code prefix or the entry’s own code.'),
  title: z.string().describe('Title of the list entry.'),
  tier: z
    .string()
    .nullable()
    .describe('The entry’s tier where the list has tiers (CHP 1 to 4.B), else null.'),
  legal_status: z
    .enum(LEGAL_STATUSES)
    .describe(
      'What the list is in law: `in_force` (law in force), `guidance` (official guidance, not itself a prohibition), `reported` (reported only, never published as law), `snapshot` (a historical snapshot).',
    ),
  score: z.number().describe('Strength of the HS reading behind the match, 0–1.'),
  evidence: z.array(z.string()).describe('What the match rests on, each piece with its source.'),
  /**
   * Whether a rule of the chosen regime weighs this entry on this route (a minor reading may still be too
   * weak to change the verdict; the clear reason then says so). Not "legally binding": a CHP
   * entry (guidance) applies to a Russian route, an in-force EU annex entry does not apply under regime
   * KZ unless the goods were made in the EU. Optional only because results stored before it lack it.
   */
  applies: z
    .boolean()
    .optional()
    .describe('Whether a rule of the chosen regime weighs this entry on this route.'),
  /** When `applies` is false: why the entry does not decide, e.g. "… binds EU exporters; the regime is KZ". */
  why_not_applied: z
    .string()
    .nullable()
    .optional()
    .describe('When `applies` is false: why the entry does not decide the verdict.'),
  /** Issue 12: the tenant settled this match; it is shown, and does not raise the verdict. */
  suppressed_by: z
    .string()
    .optional()
    .describe(
      'Id of the suppression (`sup_…`) that settled this match: it is shown and does not raise the verdict. Absent when not suppressed.',
    ),
})

export const ReasonSchema = z.object({
  rule_id: z
    .string()
    .describe('The rule that gave this reason, e.g. `chp.sanctioned_destination`.'),
  effect: z
    .enum(REASON_EFFECTS)
    .describe(
      'The verdict this reason pushes towards, or `info` when it only explains something that does not change the verdict.',
    ),
  text: z.string().describe('The reason in words a compliance officer can sign.'),
  source: z.string().describe('The legal or official source the rule rests on.'),
})

export const CheckResultSchema = z.object({
  id: z.string().optional().describe('Id of the stored check (`chk_…`).'),
  reference: z.string().nullable().describe('The request’s `reference`, or null.'),
  verdict: z
    .enum(VERDICTS)
    .describe(
      'The answer, firmest first: `prohibited`, `high_risk`, `review` (a person must look) or `clear`.',
    ),
  risk_score: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe('0–100: the verdict’s base score raised by the strength of the decisive reading.'),
  classification: z
    .object({
      candidates: z
        .array(CandidateSchema)
        .describe('HS readings of the description, strongest first.'),
      /**
       * Calibrated chance, 0–1, that the first candidate's heading is right (reliability table in
       * BENCHMARKS.md). Optional: results stored before engine 0.2.0 lack it.
       */
      confidence: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('Calibrated chance, 0–1, that the first candidate’s heading is right.'),
      declared_code: z
        .string()
        .nullable()
        .describe('The declared `hs_code`, digits only, or null when none was sent.'),
      declared_code_consistent: z
        .boolean()
        .nullable()
        .describe(
          'Whether the declared code agrees with the reading of the description; null when none was declared.',
        ),
    })
    .describe('How the description was read in the HS nomenclature.'),
  matches: z
    .array(MatchSchema)
    .describe('Controlled-list entries the readings hit, each with its legal status.'),
  destination: z
    .object({
      country: z.string().describe('The destination as checked (ISO 3166-1 alpha-2).'),
      final_destination: z
        .string()
        .describe('The final destination as checked; the destination when none was sent.'),
      transit: z.array(z.string()).describe('The transit countries as checked.'),
      category: z
        .enum(['sanctioned', 'embargoed', 'transshipment', 'other'])
        .describe(
          'What the route reaches: `sanctioned` (RU/BY), `embargoed` (e.g. IR, KP, SY, CU), `transshipment` (a known transshipment point) or `other`.',
        ),
      note: z.string().describe('The route’s category in words.'),
    })
    .describe('The route as the rules saw it.'),
  reasons: z
    .array(ReasonSchema)
    .describe('Every reason, in the order that explains the verdict: deciding reasons first.'),
  obligations: z
    .array(z.string())
    .describe('What the exporter must do before shipping, e.g. obtain an end-user certificate.'),
  versions: z
    .object({
      engine: z.string().describe('Version of the screening engine.'),
      lists: z
        .record(z.string(), z.string())
        .describe(
          'Version of each controlled list, by list id: the built-in lists and, for checks made with them, your own lists.',
        ),
      settings: z
        .string()
        .optional()
        .describe(
          'Digest of the tenant settings the check was made with (`GET /v1/settings` shows the current one); absent on checks made without tenant settings.',
        ),
    })
    .describe('The engine and list versions this result was made with, for the audit record.'),
})

export type Candidate = z.infer<typeof CandidateSchema>
export type ListMatch = z.infer<typeof MatchSchema>
export type Reason = z.infer<typeof ReasonSchema>
export type CheckResult = z.infer<typeof CheckResultSchema>
