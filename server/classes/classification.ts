import type { ResultOutcome } from "../db/schema-class-records";
import type { RecordsPolicy } from "./records-policy";
import { formatScore } from "../rules/numbers";

/**
 * A trainee's final result in a class (domain brief §4): attendance and conduct decide
 * eligibility, the assessment decides the band, and a failed assessment leads to a
 * re-sit (while the policy allows one) or re-study with a later class. Pure.
 */
export interface ClassificationInput {
  /** Best final score 0–10 of the class's official assessments; null when none is final. */
  score: number | null;
  /** Finished attempts (submitted and graded). */
  attempts: number;
  /** An essay still waiting for its grade. */
  pendingGrading: boolean;
  maySit: boolean;
  seriousBreach: boolean;
}

export interface Classification {
  score: number | null;
  band: string | null;
  bandLabel: string | null;
  passed: boolean;
  outcome: ResultOutcome;
  /** Why not passed, in Vietnamese; null when passed. */
  failReason: string | null;
}

export function bandFor(score: number, policy: Pick<RecordsPolicy, "bands">) {
  const bands = [...policy.bands].sort((a, b) => b.min - a.min);
  return bands.find((b) => score >= b.min - 1e-9) ?? bands[bands.length - 1]!;
}

export function classify(input: ClassificationInput, policy: RecordsPolicy): Classification {
  const none = { score: input.score, band: null, bandLabel: null, passed: false };
  if (!input.maySit)
    return {
      ...none,
      outcome: "restudy",
      failReason: `Vắng quá ${Math.round(policy.maxAbsentShare * 100)}% số tiết của chương trình: không đủ điều kiện kiểm tra, học lại với lớp sau.`,
    };
  if (input.pendingGrading && input.score === null) return { ...none, outcome: "pending", failReason: "Bài làm đang chờ chấm." };
  if (input.score === null) {
    return input.attempts === 0
      ? { ...none, outcome: "pending", failReason: "Chưa làm bài kiểm tra cuối khóa." }
      : { ...none, outcome: "pending", failReason: "Chưa có điểm." };
  }
  const band = bandFor(input.score, policy);
  const graded = { score: input.score, band: band.code, bandLabel: band.label };
  if (input.score < policy.passMark - 1e-9) {
    const resitsLeft = policy.maxResits - Math.max(0, input.attempts - 1);
    return resitsLeft > 0
      ? {
          ...graded,
          passed: false,
          outcome: "resit",
          failReason: `Điểm ${formatScore(input.score)} dưới mức đạt (${formatScore(policy.passMark)}): được kiểm tra lại.`,
        }
      : {
          ...graded,
          passed: false,
          outcome: "restudy",
          failReason: `Điểm ${formatScore(input.score)} dưới mức đạt (${formatScore(policy.passMark)}) sau khi đã kiểm tra lại: học lại với lớp sau.`,
        };
  }
  if (input.seriousBreach && policy.seriousBreachWithholds)
    return {
      ...graded,
      passed: false,
      outcome: "withheld",
      failReason: "Vi phạm nghiêm trọng nội quy lớp học: không cấp giấy chứng nhận, thông báo về đơn vị cử đi học.",
    };
  return { ...graded, passed: true, outcome: "passed", failReason: null };
}

/** 7.5 → "7,5" (Vietnamese decimal comma, one decimal): server/rules/numbers.ts. */
export { formatScore };

export const OUTCOME_LABELS: Record<ResultOutcome, string> = {
  passed: "Đạt yêu cầu",
  resit: "Kiểm tra lại",
  restudy: "Học lại",
  withheld: "Không cấp chứng nhận",
  pending: "Chưa có kết quả",
};
