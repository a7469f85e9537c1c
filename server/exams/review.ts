import type { ReviewPolicy } from "./service";

/**
 * What a trainee may see of a submitted attempt, and when (the exam's review policy).
 * Pure, so the rule is tested on its own and the service cannot drift from it.
 *
 * - none: only that the paper was submitted, with its receipt;
 * - score_only: the final score, band and pass once every essay is graded;
 * - answers_after_close: the score as above, and after the exam window closes the
 *   questions with the trainee's answers, the (corrected) key and the essay feedback.
 *
 * The answer key never reaches the trainee before `answers` is true: while other
 * trainees may still sit the exam, a key shown to one would be shown to all.
 */
export interface ReviewAccess {
  score: boolean;
  answers: boolean;
  /** Why something is not shown yet, in Vietnamese; null when everything allowed is shown. */
  notice: string | null;
}

export function reviewAccess(policy: ReviewPolicy, state: { final: boolean; closed: boolean }): ReviewAccess {
  if (policy === "none") return { score: false, answers: false, notice: "Theo quy định của bài kiểm tra này, kết quả không được công bố trên hệ thống; trung tâm sẽ thông báo." };
  if (!state.final) return { score: false, answers: false, notice: "Bài làm có câu tự luận đang chờ giảng viên chấm; điểm sẽ có khi chấm xong." };
  if (policy === "score_only") return { score: true, answers: false, notice: null };
  if (!state.closed) return { score: true, answers: false, notice: "Đáp án và bài làm chi tiết được xem sau khi bài kiểm tra đóng." };
  return { score: true, answers: true, notice: null };
}

export const REVIEW_POLICY_LABEL: Record<ReviewPolicy, string> = {
  none: "Không công bố trên hệ thống (chỉ mã biên nhận)",
  score_only: "Chỉ xem điểm và xếp loại",
  answers_after_close: "Xem điểm; xem đáp án và bài làm sau khi bài kiểm tra đóng",
};
