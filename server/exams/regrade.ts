import type { StoredOption } from "../db/schema";

/**
 * Regrading after a key correction. Pure: the service loads the attempts, grades them
 * with the old and the corrected keys, and this module says what would change.
 */
export interface Outcome {
  score: number | null;
  band: string | null;
  passed: boolean | null;
}

export interface RegradeChange {
  attemptId: number;
  before: Outcome;
  after: Outcome;
}

/** Attempts whose score, band or pass would change, in the given order. */
export function changedOutcomes(rows: { attemptId: number; before: Outcome; after: Outcome }[]): RegradeChange[] {
  return rows.filter((r) => r.before.score !== r.after.score || r.before.band !== r.after.band || r.before.passed !== r.after.passed);
}

export type KeyCheck = { ok: true; options: StoredOption[] } | { ok: false; message: string };

/**
 * Builds the corrected options of a question from the indexes now considered correct
 * (stored order). Texts stay as they are: a correction changes the key, never the
 * question the trainees read. Correct options weigh equally, as in the seed banks.
 */
export function correctedOptions(type: string, options: StoredOption[], correct: number[]): KeyCheck {
  if (type === "essay") return { ok: false, message: "Câu tự luận không có đáp án để sửa; hãy chấm lại bài tự luận." };
  const picked = [...new Set(correct)].filter((i) => Number.isInteger(i) && i >= 0 && i < options.length).sort((a, b) => a - b);
  if (!picked.length) return { ok: false, message: "Chọn ít nhất một phương án đúng." };
  if (type !== "multiple" && picked.length !== 1) return { ok: false, message: "Câu một lựa chọn chỉ có đúng một phương án đúng." };
  const weight = Math.round((1 / picked.length) * 1e5) / 1e5;
  const next = options.map((o, i) => ({ ...o, fraction: picked.includes(i) ? weight : 0 }));
  if (next.every((o, i) => o.fraction === options[i]!.fraction))
    return { ok: false, message: "Đáp án mới giống đáp án hiện hành; không có gì để chấm lại." };
  return { ok: true, options: next };
}
