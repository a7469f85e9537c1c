import { formatNumber } from "../rules/numbers";

/**
 * Essay rubrics (thang điểm chấm tự luận). Pure.
 *
 * An essay question's explanation carries its rubric, one criterion per line, with its
 * maximum in points in parentheses, the way marking guides are written:
 *
 *   - Nêu đúng bản chất giai cấp công nhân của Đảng (1 điểm)
 *   - Liên hệ trách nhiệm của bản thân (0,5 điểm)
 *
 * Lines without "(… điểm)" are guidance for the grader, shown but not scored. When no
 * line carries points the whole answer is one criterion worth the item's points. The
 * grader's criterion points are scaled to the item's points in the paper, so a rubric
 * written out of 10 fits an essay worth 3 points.
 */
export interface Criterion {
  label: string;
  max: number;
}

export interface Rubric {
  criteria: Criterion[];
  guidance: string[];
  total: number;
}

const CRITERION = /^\s*(?:[-*•+]|\d+[.)])?\s*(.+?)\s*\(\s*(\d+(?:[.,]\d+)?)\s*điểm\s*\)\s*[.;:]?\s*$/iu;

export function parseRubric(explanation: string | null | undefined, itemPoints: number): Rubric {
  const criteria: Criterion[] = [];
  const guidance: string[] = [];
  for (const raw of (explanation ?? "").normalize("NFC").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = CRITERION.exec(line);
    const max = m ? Number(m[2]!.replace(",", ".")) : 0;
    if (m && max > 0) criteria.push({ label: m[1]!, max });
    else guidance.push(line.replace(/^[-*•+]\s*/, ""));
  }
  if (!criteria.length) return { criteria: [{ label: "Toàn bài", max: itemPoints }], guidance, total: itemPoints };
  return { criteria, guidance, total: round(criteria.reduce((s, c) => s + c.max, 0)) };
}

export type RubricCheck = { ok: true; points: number } | { ok: false; message: string };

/**
 * Checks a grader's criterion scores against the rubric and converts them to the item's
 * points (two decimals). Messages name the criterion to fix.
 */
export function scoreWithRubric(rubric: Rubric, scores: number[], itemPoints: number): RubricCheck {
  if (scores.length !== rubric.criteria.length) return { ok: false, message: `Cần nhập điểm cho đủ ${rubric.criteria.length} tiêu chí.` };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const c = rubric.criteria[i]!;
    if (!Number.isFinite(s) || s < 0 || s > c.max + 1e-9)
      return { ok: false, message: `Tiêu chí ${i + 1} (“${c.label}”): điểm phải từ 0 đến ${formatPoints(c.max)}.` };
  }
  const sum = scores.reduce((a, b) => a + b, 0);
  return { ok: true, points: round((sum / rubric.total) * itemPoints) };
}

function round(n: number) {
  return Math.round(n * 100 + 1e-9) / 100;
}

/** Vietnamese decimal comma: 0,5 not 0.5. */
export function formatPoints(n: number): string {
  return formatNumber(round(n));
}
