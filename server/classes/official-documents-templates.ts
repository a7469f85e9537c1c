/**
 * The editable wording of the results notice and the class report (official-documents.ts).
 * No imports: the edit page uses these in the browser too.
 */
export const DEFAULT_TEMPLATES = {
  noticeIntro:
    "Trung tâm Chính trị thông báo kết quả học tập của học viên do {don_vi} cử tham gia {lop} (chương trình {chuong_trinh}), học tập từ ngày {tu_ngay} đến ngày {den_ngay}, như sau:",
  noticeClosing:
    "Đề nghị {don_vi} tiếp tục quan tâm, theo dõi, giúp đỡ học viên sau khóa học; những học viên chưa đạt yêu cầu được bố trí kiểm tra lại hoặc học lại với lớp sau.",
  reportIntro:
    "Thực hiện kế hoạch đào tạo, bồi dưỡng năm, Trung tâm Chính trị đã tổ chức {lop} (chương trình {chuong_trinh}) từ ngày {tu_ngay} đến ngày {den_ngay} cho {so_hoc_vien} học viên. Trung tâm báo cáo kết quả như sau:",
  reportClosing: "Trung tâm Chính trị kính báo cáo Ban Thường vụ và các ban liên quan theo dõi, chỉ đạo.",
} as const;
export type TemplateKey = keyof typeof DEFAULT_TEMPLATES;
export const TEMPLATE_LABELS: Record<TemplateKey, string> = {
  noticeIntro: "Thông báo — đoạn mở đầu",
  noticeClosing: "Thông báo — đoạn kết",
  reportIntro: "Báo cáo — đoạn mở đầu",
  reportClosing: "Báo cáo — đoạn kết",
};
export const TEMPLATE_FIELDS = ["lop", "chuong_trinh", "tu_ngay", "den_ngay", "don_vi", "so_hoc_vien"] as const;

/** Unknown placeholders in a template (a typo would print literally), for the edit form. */
export function templateProblems(text: string): string[] {
  const bad = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((f) => !(TEMPLATE_FIELDS as readonly string[]).includes(f));
  return bad.map((f) => `Trường "{${f}}" không có; dùng: ${TEMPLATE_FIELDS.map((x) => `{${x}}`).join(", ")}.`);
}

export function fillTemplate(text: string, fields: Partial<Record<(typeof TEMPLATE_FIELDS)[number], string>>): string {
  return text.replace(/\{([a-z_]+)\}/g, (all, k: string) => (fields as Record<string, string>)[k] ?? all);
}
