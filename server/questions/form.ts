import { z } from "zod";
import type { QuestionInput } from "./bank";

/** The question editor's form → a QuestionInput, with Vietnamese field errors. */
const schema = z.object({
  type: z.enum(["single", "multiple", "true_false", "essay"], { error: "Chọn loại câu hỏi." }),
  level: z.enum(["nhan_biet", "thong_hieu", "van_dung"], { error: "Chọn mức độ." }),
  lesson: z.coerce.number({ error: "Chọn bài." }).int().min(1, "Chọn bài."),
  stem: z.string().trim().min(5, "Nội dung câu hỏi quá ngắn.").max(5000, "Nội dung câu hỏi quá dài."),
  explanation: z.string().trim().max(3000).optional(),
  source: z.string().trim().min(3, "Ghi văn bản làm căn cứ (ví dụ: Điều lệ Đảng 2011, Điều 4).").max(500),
  // Absent (an older form) means both; the committee approves the use with the version.
  use: z.enum(["both", "practice", "exam"], { error: "Chọn cách sử dụng: Ôn tập, Thi hoặc Cả hai." }).default("both"),
});

export function parseQuestionForm(form: FormData): { ok: true; value: QuestionInput } | { ok: false; errors: Record<string, string> } {
  const parsed = schema.safeParse(
    Object.fromEntries(["type", "level", "lesson", "stem", "explanation", "source", "use"].map((k) => [k, form.get(k) ?? undefined])),
  );
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
  const type = parsed.success ? parsed.data.type : "single";
  const texts = type === "true_false" ? ["Đúng", "Sai"] : form.getAll("option").map((v) => String(v).trim());
  const correct = new Set(form.getAll("correct").map(Number));
  const options = texts.map((text, i) => ({ text, correct: correct.has(i) })).filter((o) => o.text !== "");
  const rightCount = options.filter((o) => o.correct).length;
  if (type !== "essay") {
    if (options.length < 2) errors.options = "Cần ít nhất hai phương án.";
    else if (rightCount === 0) errors.options = "Đánh dấu phương án đúng.";
    else if ((type === "single" || type === "true_false") && rightCount !== 1)
      errors.options = "Câu một lựa chọn chỉ có một phương án đúng.";
    else if (type === "multiple" && rightCount < 2) errors.options = "Câu nhiều lựa chọn cần ít nhất hai phương án đúng.";
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    value: {
      type: d.type,
      level: d.level,
      lesson: d.lesson,
      stem: d.stem,
      // Correct options weigh equally and sum to 1; wrong ones weigh 0.
      options:
        type === "essay" ? [] : options.map((o) => ({ text: o.text, fraction: o.correct ? Math.round((1 / rightCount) * 1e5) / 1e5 : 0 })),
      explanation: d.explanation || null,
      source: d.source,
      use: d.use,
    },
  };
}
