import { createHash } from "node:crypto";
import type { QuestionType, StoredOption } from "../db/schema";
import { scoreAnswer, type PartialCreditRule } from "../questions/grading";

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
    { code: "gioi", label: "Giỏi", min: 9 },
    { code: "kha", label: "Khá", min: 7 },
    { code: "trung_binh", label: "Trung bình", min: 5 },
    { code: "khong_dat", label: "Không đạt", min: 0 },
  ],
  partialCredit: "all_or_nothing",
};

export interface GradedItem {
  type: QuestionType;
  options: StoredOption[];
  points: number;
  chosen: number[];
}

export function gradeAttempt(items: GradedItem[], policy: GradingPolicy) {
  const max = items.reduce((s, i) => s + i.points, 0);
  const earned = items.reduce((s, i) => s + i.points * scoreAnswer(i.type, i.options, i.chosen, policy.partialCredit), 0);
  // Round half up to one decimal on the policy's scale; integer arithmetic avoids 0.1-float drift.
  const score = max > 0 ? Math.round((earned / max) * policy.scale * 10 + 1e-9) / 10 : 0;
  const band = policy.bands.find((b) => score >= b.min) ?? policy.bands[policy.bands.length - 1]!;
  return { earned, max, score, passed: score >= policy.passMark, band: band.code, bandLabel: band.label };
}

/**
 * The receipt: a short code derived from the attempt id and its submitted answers, so
 * a trainee can later prove what was submitted. Crockford base32, 12 characters.
 */
export function receiptCode(attemptId: number, answers: { position: number; chosen: number[] }[]): string {
  const canonical = JSON.stringify([attemptId, [...answers].sort((a, b) => a.position - b.position).map((a) => [a.position, [...a.chosen].sort((x, y) => x - y)])]);
  const digest = createHash("sha256").update(canonical).digest();
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
