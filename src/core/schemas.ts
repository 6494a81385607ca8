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
      .max(2000, 'must be at most 2000 characters'),
    destination: CountryCodeSchema,
    final_destination: CountryCodeSchema.optional(),
    transit: z.array(CountryCodeSchema).max(20, 'at most 20 transit countries').optional(),
    origin: CountryCodeSchema.optional(),
    hs_code: HsCodeSchema.optional(),
    regime: z.enum(REGIMES).default('KZ'),
    reference: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    quantity: z.number().nonnegative().finite().optional(),
    value: z.number().nonnegative().finite().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .optional(),
  })
  .strict()

export type CheckRequest = z.output<typeof CheckRequestSchema>
export type CheckRequestInput = z.input<typeof CheckRequestSchema>

export const CandidateSchema = z.object({
  hs6: z.string(),
  title: z.string(),
  score: z.number(),
  evidence: z.array(z.string()),
})

export const MatchSchema = z.object({
  list_id: z.string(),
  list_name: z.string(),
  entry_code: z.string(),
  title: z.string(),
  tier: z.string().nullable(),
  legal_status: z.enum(LEGAL_STATUSES),
  score: z.number(),
  evidence: z.array(z.string()),
  /**
   * Whether a rule of the chosen regime weighs this entry on this route (a minor reading may still be too
   * weak to change the verdict; the clear reason then says so). Not "legally binding": a CHP
   * entry (guidance) applies to a Russian route, an in-force EU annex entry does not apply under regime
   * KZ unless the goods were made in the EU. Optional only because results stored before it lack it.
   */
  applies: z.boolean().optional(),
  /** When `applies` is false: why the entry does not decide, e.g. "… binds EU exporters; the regime is KZ". */
  why_not_applied: z.string().nullable().optional(),
})

export const ReasonSchema = z.object({
  rule_id: z.string(),
  effect: z.enum(REASON_EFFECTS),
  text: z.string(),
  source: z.string(),
})

export const CheckResultSchema = z.object({
  id: z.string().optional(),
  reference: z.string().nullable(),
  verdict: z.enum(VERDICTS),
  risk_score: z.number().int().min(0).max(100),
  classification: z.object({
    candidates: z.array(CandidateSchema),
    /**
     * Calibrated chance, 0–1, that the first candidate's heading is right (reliability table in
     * BENCHMARKS.md). Optional: results stored before engine 0.2.0 lack it.
     */
    confidence: z.number().min(0).max(1).optional(),
    declared_code: z.string().nullable(),
    declared_code_consistent: z.boolean().nullable(),
  }),
  matches: z.array(MatchSchema),
  destination: z.object({
    country: z.string(),
    final_destination: z.string(),
    transit: z.array(z.string()),
    category: z.enum(['sanctioned', 'embargoed', 'transshipment', 'other']),
    note: z.string(),
  }),
  reasons: z.array(ReasonSchema),
  obligations: z.array(z.string()),
  versions: z.object({ engine: z.string(), lists: z.record(z.string(), z.string()) }),
})

export type Candidate = z.infer<typeof CandidateSchema>
export type ListMatch = z.infer<typeof MatchSchema>
export type Reason = z.infer<typeof ReasonSchema>
export type CheckResult = z.infer<typeof CheckResultSchema>
