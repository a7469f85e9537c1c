/** Vietnamese labels for statuses shown in several pages. */
export const LESSON_STATUS: Record<string, string> = {
  draft: "Bản nháp",
  submitted: "Chờ duyệt",
  returned: "Bị trả lại",
  published: "Đang dùng",
  superseded: "Bản cũ",
};

export function formatDateTime(iso: string | Date | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
}
