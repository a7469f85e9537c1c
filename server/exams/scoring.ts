import { createHash, createHmac } from "node:crypto";
import type { QuestionType, StoredOption } from "../db/schema";
import { scoreAnswer, type PartialCreditRule } from "../questions/grading";
import { LEVEL_LABELS } from "../rules/levels";

/**
 * Scores, bands and receipts. Pure. The score scale (0–10, one decimal), the pass mark
 * and the bands are policy data (domain brief §4), passed in, never constants here.
 */
export interface GradingPolicy {
  scale: number;
  passMark: number;
  /** Highest first: the first band whose minimum the score reaches. */
  bands: { code: string; label: string; min: number }[];
  partialCredit: PartialCreditRule;
}

export const DEFAULT_POLICY: GradingPolicy = {
  scale: 10,
  passMark: 5,
  bands: [
    { code: "gioi", label: LEVEL_LABELS.gioi, min: 9 },
    { code: "kha", label: LEVEL_LABELS.kha, min: 7 },
    { code: "trung_binh", label: LEVEL_LABELS.trung_binh, min: 5 },
    { code: "khong_dat", label: LEVEL_LABELS.khong_dat, min: 0 },
  ],
  partialCredit: "all_or_nothing",
};

export interface GradedItem {
  type: QuestionType;
  options: StoredOption[];
  points: number;
  chosen: number[];
  /** An essay's grade in the item's points; null while the essay awaits grading. */
  essayPoints?: number | null;
}

/** Points earned on one item: objective items by the key, essays by the grader. */
export function itemEarned(i: GradedItem, policy: GradingPolicy): number {
  if (i.type === "essay") return Math.min(i.points, Math.max(0, i.essayPoints ?? 0));
  return i.points * scoreAnswer(i.type, i.options, i.chosen, policy.partialCredit);
}

/**
 * Grades a paper. `pending` counts essays not yet graded: while it is above zero the
 * score is provisional (the objective part only) and must not be published as final.
 */
export function gradeAttempt(items: GradedItem[], policy: GradingPolicy) {
  const max = items.reduce((s, i) => s + i.points, 0);
  const earned = Math.round(items.reduce((s, i) => s + itemEarned(i, policy), 0) * 1e6) / 1e6;
  const pending = items.filter((i) => i.type === "essay" && (i.essayPoints === null || i.essayPoints === undefined)).length;
  // Round half up to one decimal on the policy's scale; integer arithmetic avoids 0.1-float drift.
  const score = max > 0 ? Math.round((earned / max) * policy.scale * 10 + 1e-9) / 10 : 0;
  const band = policy.bands.find((b) => score >= b.min) ?? policy.bands[policy.bands.length - 1]!;
  return { earned, max, score, passed: score >= policy.passMark, band: band.code, bandLabel: band.label, pending };
}

/**
 * The receipt: a short code derived from the attempt id and its submitted answers, so
 * a trainee can later prove what was submitted. Crockford base32, 12 characters.
 *
 * With `key` (every receipt issued since decision 018) the code is an HMAC under the
 * server's receipt key: nobody without the key can compute it, so the public check page
 * cannot be used to confirm a guess about someone's answers. Without a key it is the
 * unkeyed hash of receipts issued before; those stay in the database and still verify.
 */
export function receiptCode(
  attemptId: number,
  answers: { position: number; chosen: number[]; text?: string | null }[],
  key?: Buffer,
): string {
  // An essay's text joins the canonical form only when present, so receipts of papers
  // without essays are the same as before essays existed.
  const canonical = JSON.stringify([
    attemptId,
    [...answers]
      .sort((a, b) => a.position - b.position)
      .map((a) => (a.text ? [a.position, [...a.chosen].sort((x, y) => x - y), a.text] : [a.position, [...a.chosen].sort((x, y) => x - y)])),
  ]);
  const digest = key ? createHmac("sha256", key).update(canonical).digest() : createHash("sha256").update(canonical).digest();
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 12) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 12) break;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}
