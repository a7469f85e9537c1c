/** Vietnamese labels for statuses shown in several pages. */
export const LESSON_STATUS: Record<string, string> = {
  draft: "Bản nháp",
  submitted: "Chờ duyệt",
  returned: "Bị trả lại",
  published: "Đang dùng",
  superseded: "Bản cũ",
};

/** Kept here for the pages that import it from labels; the formatting lives in ./format. */
export { formatDateTime } from "./format";

export const QUESTION_STATUS: Record<string, string> = {
  draft: "Bản nháp",
  submitted: "Chờ duyệt",
  approved: "Đã duyệt",
  retired: "Ngừng dùng",
};

export const QUESTION_LEVEL: Record<string, string> = {
  nhan_biet: "Nhận biết",
  thong_hieu: "Thông hiểu",
  van_dung: "Vận dụng",
};

/** A question's use (issue 13, item 2); the same labels as server/questions/use.ts. */
export const QUESTION_USE: Record<string, string> = {
  both: "Cả hai",
  practice: "Ôn tập",
  exam: "Thi",
};

export const QUESTION_TYPE: Record<string, string> = {
  single: "Một lựa chọn",
  multiple: "Nhiều lựa chọn",
  true_false: "Đúng/Sai",
  essay: "Tự luận",
};

/**
 * A result in one label (issue 14, item 5): "Chưa đạt" alone, or "Đạt · xếp loại Khá".
 * The failing band ("Không đạt") is never printed beside "Chưa đạt": it says the same twice.
 */
export function resultLabel(passed: boolean | null, band: string | null): string {
  if (passed === null) return "";
  if (!passed) return "Chưa đạt";
  return band ? `Đạt · xếp loại ${band}` : "Đạt";
}

/**
 * Question types found in imported files that this platform cannot represent (GIFT and
 * Moodle XML names, server/questions/formats): listed in the import preview in Vietnamese.
 */
export const UNSUPPORTED_QUESTION_TYPE: Record<string, string> = {
  numerical: "Câu trả lời dạng số",
  matching: "Ghép đôi",
  short_answer: "Trả lời ngắn",
  shortanswer: "Trả lời ngắn",
  missing_word: "Điền từ còn thiếu",
  cloze: "Điền khuyết (cloze)",
  multianswer: "Điền khuyết (cloze)",
  description: "Đoạn mô tả (không phải câu hỏi)",
  calculated: "Câu tính toán",
  calculatedsimple: "Câu tính toán",
  calculatedmulti: "Câu tính toán nhiều lựa chọn",
  randomsamatch: "Ghép đôi ngẫu nhiên",
  ddwtos: "Kéo thả vào văn bản",
  ddimageortext: "Kéo thả vào hình",
  ddmarker: "Kéo thả điểm đánh dấu",
  gapselect: "Chọn từ điền vào chỗ trống",
  ordering: "Sắp xếp thứ tự",
  random: "Câu ngẫu nhiên",
  unknown: "Không rõ loại",
};

/** The Vietnamese name of any question type, supported or not; never the raw English code. */
export function questionTypeLabel(type: string): string {
  return QUESTION_TYPE[type] ?? UNSUPPORTED_QUESTION_TYPE[type] ?? `Loại chưa hỗ trợ (${type})`;
}
