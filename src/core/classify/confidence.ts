/**
 * @module classify/confidence
 * How often a reading like this one names the right heading. A candidate's share of belief is relative
 * (it says how the candidates compare); the confidence is absolute (0.3 means about three readings in
 * ten like this one had the right HS-4), so rules can set thresholds that mean something. It also
 * weighs how much of the description the tariff texts know: a line that shares few words with any
 * tariff line is read less reliably, however its candidates compare.
 */

/**
 * Logistic model of "the first candidate's HS-4 is right" on the first candidate's score and
 * ln(1 + best text match in BM25 units). Fitted by `npx tsx scripts/calibrate.ts` on the tuning sets
 * eval/dev-tune.jsonl and eval/hsbench-descriptions.jsonl (537 readings, 334 right) once idf counted
 * headings (text strengths are lower in those units), judged on the other sets by `npm run eval`
 * (reliability table in BENCHMARKS.md). Refit whenever the classifier's scoring changes.
 */
export const CONFIDENCE_MODEL = { bias: -7.494, score: 2.275, logStrength: 2.472 }

/** The calibrated chance that the first candidate's heading is right; 0 when nothing was read. */
export function headingConfidence(
  topScore: number | undefined,
  textStrength: number,
  model: typeof CONFIDENCE_MODEL = CONFIDENCE_MODEL,
): number {
  if (topScore === undefined) return 0
  const z = model.bias + model.score * topScore + model.logStrength * Math.log1p(textStrength)
  return Math.round(1000 / (1 + Math.exp(-z))) / 1000
}
