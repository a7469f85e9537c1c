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
