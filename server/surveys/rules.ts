import type { SurveyQuestion } from "../db/schema-surveys";
import { SECTION_LABELS } from "./defaults";

/** Pure survey rules: answer validation and results with the small-group rule. */

export interface AnswerInput {
  [questionKey: string]: string | undefined;
}
export interface CleanAnswer {
  key: string;
  section: SurveyQuestion["section"];
  value: number | null;
  text: string | null;
}

const MAX_TEXT = 2000;

/** Checks a submitted form against the survey's questions; Vietnamese problems name the question. */
export function validateAnswers(questions: SurveyQuestion[], input: AnswerInput): { answers: CleanAnswer[]; problems: string[] } {
  const problems: string[] = [];
  const answers: CleanAnswer[] = [];
  questions.forEach((q, i) => {
    const raw = (input[q.key] ?? "").toString().normalize("NFC").trim();
    const label = `Câu ${i + 1}`;
    if (q.type === "text") {
      if (!raw) {
        if (q.required) problems.push(`${label}: hãy viết ý kiến của anh/chị.`);
        return;
      }
      if (raw.length > MAX_TEXT) problems.push(`${label}: ý kiến dài quá ${MAX_TEXT} ký tự, hãy rút gọn.`);
      else answers.push({ key: q.key, section: q.section, value: null, text: raw });
      return;
    }
    const required = q.required !== false;
    if (!raw) {
      if (required) problems.push(`${label}: chưa chọn mức đánh giá.`);
      return;
    }
    const n = Number(raw);
    const max = q.type === "likert" ? 5 : (q.options?.length ?? 0);
    const min = q.type === "likert" ? 1 : 0;
    if (!Number.isInteger(n) || n < min || n > (q.type === "likert" ? max : max - 1)) {
      problems.push(`${label}: lựa chọn không hợp lệ, hãy chọn lại.`);
      return;
    }
    answers.push({ key: q.key, section: q.section, value: n, text: null });
  });
  return { answers, problems };
}

export interface StatRow {
  question_key: string;
  value: number;
  n: number;
}

export interface QuestionResult {
  key: string;
  text: string;
  section: string;
  sectionLabel: string;
  type: SurveyQuestion["type"];
  n: number;
  /** Likert: mean 1–5, two decimals. */
  mean: number | null;
  /** Likert: counts for 1..5; choice: counts per option. */
  counts: number[];
  options: string[];
}

export type SurveyResults =
  | { hidden: true; responses: number; minGroup: number }
  | {
      hidden: false;
      responses: number;
      minGroup: number;
      questions: QuestionResult[];
      sections: { section: string; label: string; mean: number | null }[];
    };

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Results of one survey from its counters. Below the minimum group size nothing but
 * the count is returned: with three answers a lecturer could guess who wrote what.
 */
export function summarise(questions: SurveyQuestion[], stats: StatRow[], responses: number, minGroup: number): SurveyResults {
  if (responses < minGroup) return { hidden: true, responses, minGroup };
  const byKey = new Map<string, StatRow[]>();
  for (const s of stats) byKey.set(s.question_key, [...(byKey.get(s.question_key) ?? []), s]);
  const results: QuestionResult[] = questions
    .filter((q) => q.type !== "text")
    .map((q) => {
      const rows = byKey.get(q.key) ?? [];
      const size = q.type === "likert" ? 5 : (q.options?.length ?? 0);
      const counts = Array.from({ length: size }, () => 0);
      for (const r of rows) {
        const idx = q.type === "likert" ? r.value - 1 : r.value;
        if (idx >= 0 && idx < size) counts[idx]! += r.n;
      }
      const n = counts.reduce((a, b) => a + b, 0);
      const mean = q.type === "likert" && n ? round2(counts.reduce((s, c, i) => s + c * (i + 1), 0) / n) : null;
      return {
        key: q.key,
        text: q.text,
        section: q.section,
        sectionLabel: SECTION_LABELS[q.section],
        type: q.type,
        n,
        mean,
        counts,
        options: q.options ?? [],
      };
    });
  const sections = sectionMeans(results);
  return { hidden: false, responses, minGroup, questions: results, sections };
}

/** Mean per section, weighting every Likert answer equally. */
export function sectionMeans(results: Pick<QuestionResult, "section" | "type" | "counts">[]) {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const r of results) {
    if (r.type !== "likert") continue;
    const a = acc.get(r.section) ?? { sum: 0, n: 0 };
    r.counts.forEach((c, i) => {
      a.sum += c * (i + 1);
      a.n += c;
    });
    acc.set(r.section, a);
  }
  return [...acc.entries()].map(([section, a]) => ({
    section,
    label: SECTION_LABELS[section as SurveyQuestion["section"]] ?? section,
    mean: a.n ? round2(a.sum / a.n) : null,
  }));
}

/** Template questions typed by staff: checks keys, types and options before a template is saved. */
export function checkQuestions(questions: SurveyQuestion[]): string[] {
  const problems: string[] = [];
  if (!questions.length) problems.push("Phiếu phải có ít nhất một câu hỏi.");
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const label = `Câu ${i + 1}`;
    if (!q.text.trim()) problems.push(`${label}: thiếu nội dung câu hỏi.`);
    if (seen.has(q.key)) problems.push(`${label}: mã câu “${q.key}” bị trùng.`);
    seen.add(q.key);
    if (q.type === "choice" && (q.options?.length ?? 0) < 2) problems.push(`${label}: câu lựa chọn cần ít nhất hai phương án.`);
  });
  return problems;
}

/**
 * How many pending (sealed) answers of an anonymous survey to release now (decision 017).
 * Every release is a group of at least `minGroup`, so neither the database (one
 * transaction, one day, shuffled rows per release) nor the difference of the results
 * before and after a release narrows an answer down to fewer than `minGroup` people:
 * - while open, once `2 × minGroup` wait, all but `minGroup` of them (chosen at random)
 *   are released and the rest stays sealed, so that what remains at closing is never a
 *   group smaller than the minimum;
 * - once closed, everything waiting is released if it is at least `minGroup`; fewer can
 *   only mean the whole survey stayed below the minimum (or the minimum was raised),
 *   and then, as the small-group rule says, nothing of it is shown: the answers stay
 *   sealed (kept, counted, never opened) until the minimum is met or lowered.
 */
export function releaseCount(pending: number, minGroup: number, closed: boolean): number {
  if (pending < minGroup) return 0;
  if (closed) return pending;
  return pending >= 2 * minGroup ? pending - minGroup : 0;
}
