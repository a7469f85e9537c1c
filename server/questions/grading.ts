import type { QuestionType, StoredOption } from "../db/schema";

/**
 * Scoring one objective answer. Pure; the exam engine and the self-check share it.
 *
 * - single / true_false: the chosen option's fraction (1 for the right one).
 * - multiple, "all_or_nothing" (default): 1 only when exactly the correct options are chosen.
 * - multiple, "partial": the sum of the chosen options' fractions (Moodle weights; wrong
 *   options may carry negative weights), clamped to [0, 1].
 */
export type PartialCreditRule = "all_or_nothing" | "partial";

export function correctIndexes(options: StoredOption[]): number[] {
  return options.flatMap((o, i) => (o.fraction > 0 ? [i] : []));
}

export function scoreAnswer(
  type: QuestionType,
  options: StoredOption[],
  chosen: number[],
  rule: PartialCreditRule = "all_or_nothing",
): number {
  const picked = [...new Set(chosen)].filter((i) => Number.isInteger(i) && i >= 0 && i < options.length);
  if (type === "essay") return 0;
  if (type === "single" || type === "true_false") return picked.length === 1 ? Math.max(0, options[picked[0]!]!.fraction) : 0;
  if (rule === "partial") {
    const sum = picked.reduce((s, i) => s + options[i]!.fraction, 0);
    return Math.round(Math.min(1, Math.max(0, sum)) * 1e6) / 1e6;
  }
  const right = correctIndexes(options);
  return picked.length === right.length && right.every((i) => picked.includes(i)) ? 1 : 0;
}
