/**
 * The definitions behind every count and rate the product shows (docs/surveys-and-dashboards.md,
 * "Figure definitions"; decision 019). Pure, so the dashboard's SQL, the exam results page,
 * the class documents and the invariant test all follow the same written rules.
 */
import { LEVEL_CODES } from "./levels";

/**
 * Which of a trainee's finished attempts at one test counts. The product has one rule,
 * "best" (docs/class-records.md: "the best score counts"; a re-sit can only help); the
 * other two are here so a later per-test setting changes data, not code.
 */
export type AttemptRule = "best" | "first" | "last";
export const ATTEMPT_RULE: AttemptRule = "best";

export interface AttemptLike {
  attemptNo: number;
  /** Final score; null while an essay awaits grading (or the attempt is not finished). */
  score: number | null;
}

/**
 * The counted attempt among those with a final score, or null when none has one.
 * Best: the highest score, the earlier attempt on a tie. First/last: by attempt number.
 */
export function countedAttempt<T extends AttemptLike>(attempts: readonly T[], rule: AttemptRule = ATTEMPT_RULE): T | null {
  const final = attempts.filter((a) => a.score !== null).sort((a, b) => a.attemptNo - b.attemptNo);
  if (!final.length) return null;
  if (rule === "first") return final[0]!;
  if (rule === "last") return final[final.length - 1]!;
  return final.reduce((best, a) => (a.score! > best.score! ? a : best));
}

/** The five bands of the committee's chart; every assessed trainee is in exactly one. */
export const CHART_BANDS = LEVEL_CODES;
export type ChartBand = (typeof CHART_BANDS)[number];
export const GOOD_BANDS: readonly ChartBand[] = ["xuat_sac", "gioi", "kha"];

export interface ResultLike {
  /** class_result.outcome; "pending" is "Chưa có kết quả". */
  outcome: string;
  score: number | null;
  band: string | null;
  passed: boolean;
}

/**
 * A trainee has a result when the class's computed result is anything but "Chưa có kết
 * quả". A row written outside the results service (an import, the province generator)
 * carries no outcome; it has a result when it has a score.
 */
export function hasResult(r: ResultLike): boolean {
  return r.outcome !== "pending" || r.score !== null;
}

/**
 * One classification per assessed trainee: not passed (whatever the band, e.g. a withheld
 * certificate or re-study) is "khong_dat"; a pass is its band, a band outside the chart's
 * codes counting as "trung_binh". So the chart adds up to the assessed, and khá/giỏi are
 * passes only.
 */
export function chartBand(r: Pick<ResultLike, "band" | "passed">): ChartBand {
  if (!r.passed) return "khong_dat";
  return r.band === "xuat_sac" || r.band === "gioi" || r.band === "kha" ? r.band : "trung_binh";
}

export function isGood(r: Pick<ResultLike, "band" | "passed">): boolean {
  return GOOD_BANDS.includes(chartBand(r));
}
