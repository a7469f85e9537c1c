/**
 * What a trainee may see of a submitted attempt, and when (the exam's review policy,
 * docs/decisions/023-review-policy.md). Pure, so the rule is tested on its own and the
 * service cannot drift from it.
 *
 * - none: only that the paper was submitted, with its receipt;
 * - score_only: the final score and the pass once every essay is graded;
 * - answers_after_submit (practice only): the score, and at once each question with the
 *   trainee's answer, the key and its explanation: a practice test is there to teach;
 * - answers_after_close: the score as above, and the questions with the answers, the
 *   (corrected) key and the essay feedback once the exam window closes or the centre
 *   releases them earlier.
 *
 * The answer key never reaches the trainee before `answers` is true: while other
 * trainees may still sit an official exam, a key shown to one would be shown to all.
 * That is why `answers_after_submit` is refused for an official exam.
 */
export type ReviewPolicy = "none" | "score_only" | "answers_after_submit" | "answers_after_close";
export type ExamKind = "official" | "practice";

export const REVIEW_POLICIES = [
  "none",
  "score_only",
  "answers_after_submit",
  "answers_after_close",
] as const satisfies readonly ReviewPolicy[];

export interface ReviewAccess {
  score: boolean;
  answers: boolean;
  /** Why something is not shown yet, in Vietnamese; null when everything allowed is shown. */
  notice: string | null;
}

/** The policy an exam gets when its creator does not choose one. */
export function defaultReviewPolicy(kind: ExamKind): ReviewPolicy {
  return kind === "practice" ? "answers_after_submit" : "score_only";
}

/** Why a policy does not fit an exam of this kind (Vietnamese), or null when it does. */
export function reviewPolicyProblem(kind: ExamKind, policy: ReviewPolicy): string | null {
  if (kind === "official" && policy === "answers_after_submit")
    return "Bài kiểm tra chính thức không được cho xem đáp án ngay khi nộp: học viên khác có thể vẫn đang làm bài. Chọn “xem đáp án sau khi bài kiểm tra đóng”.";
  return null;
}

export function reviewAccess(policy: ReviewPolicy, state: { final: boolean; closed: boolean; released?: boolean }): ReviewAccess {
  if (policy === "none")
    return {
      score: false,
      answers: false,
      notice: "Theo quy định của bài kiểm tra này, kết quả không được công bố trên hệ thống; trung tâm sẽ thông báo.",
    };
  if (!state.final)
    return {
      score: false,
      answers: false,
      notice: "Bài làm có câu tự luận đang chờ giảng viên chấm; điểm sẽ có sau khi giảng viên chấm xong.",
    };
  if (policy === "score_only") return { score: true, answers: false, notice: null };
  if (policy === "answers_after_submit") return { score: true, answers: true, notice: null };
  if (!state.closed && !state.released)
    return {
      score: true,
      answers: false,
      notice: "Đáp án và bài làm chi tiết được xem sau khi bài kiểm tra đóng, hoặc khi trung tâm công bố.",
    };
  return { score: true, answers: true, notice: null };
}

export const REVIEW_POLICY_LABEL: Record<ReviewPolicy, string> = {
  none: "Không công bố trên hệ thống (chỉ mã biên nhận)",
  score_only: "Chỉ xem điểm",
  answers_after_submit: "Xem điểm, đáp án và giải thích ngay sau khi nộp (bài luyện tập)",
  answers_after_close: "Xem điểm; xem đáp án và giải thích sau khi bài kiểm tra đóng hoặc khi trung tâm công bố",
};
