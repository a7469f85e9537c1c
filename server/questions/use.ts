import type { QuestionUse } from "../db/schema";

/**
 * A question's use (issue 13, item 2): the committee keeps exam items out of the
 * lesson self-check, whose verdicts reveal the key, and may keep practice items out of
 * exam papers. Pure; the labels are what lecturers see and type in import files.
 */
export const QUESTION_USES = ["both", "practice", "exam"] as const satisfies readonly QuestionUse[];

export const USE_LABELS: Record<QuestionUse, string> = {
  both: "Cả hai",
  practice: "Ôn tập",
  exam: "Thi",
};

/** Uses a lesson self-check may draw. */
export const PRACTICE_USES = ["practice", "both"] as const satisfies readonly QuestionUse[];
/** Uses an exam paper may draw. */
export const EXAM_USES = ["exam", "both"] as const satisfies readonly QuestionUse[];

export function canPractise(use: QuestionUse | undefined): boolean {
  return (use ?? "both") !== "exam";
}

export function canExamine(use: QuestionUse | undefined): boolean {
  return (use ?? "both") !== "practice";
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();

const ALIASES: Record<string, QuestionUse> = {
  "ca hai": "both",
  "on tap": "practice",
  "tu kiem tra": "practice",
  "luyen tap": "practice",
  thi: "exam",
  "kiem tra": "exam",
  both: "both",
  practice: "practice",
  exam: "exam",
};

/**
 * Reads a use from a file cell or form value ("Ôn tập", "Thi", "Cả hai", also without
 * diacritics or the English codes). Empty → undefined (the default, both); unknown → null.
 */
export function parseUse(value: string | null | undefined): QuestionUse | undefined | null {
  const v = fold(String(value ?? ""));
  if (!v) return undefined;
  return ALIASES[v] ?? null;
}
