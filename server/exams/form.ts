import { z } from "zod";
import type { ExamInput } from "./service";
import { DEFAULT_POLICY } from "./scoring";
import { REVIEW_POLICIES, reviewPolicyProblem } from "./review";

/** The "create a test" form → ExamInput. Times are entered in Vietnam's time (UTC+7). */
const vnTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Nhập ngày giờ đầy đủ.")
  .transform((s) => new Date(`${s}:00+07:00`));

/** Fields older forms (and scripts) do not send. */
const DEFAULTS: Record<string, string | undefined> = { essayCount: "0", essayPoints: "2", reviewPolicy: "" };

const schema = z.object({
  title: z.string().trim().min(3, "Nhập tên bài kiểm tra.").max(200),
  kind: z.enum(["official", "practice"]),
  opensAt: vnTime,
  closesAt: vnTime,
  durationMinutes: z.coerce.number({ error: "Nhập số phút." }).int().min(5, "Ít nhất 5 phút.").max(300, "Nhiều nhất 300 phút."),
  perLessonNhanBiet: z.coerce.number().int().min(0).max(20),
  perLessonThongHieu: z.coerce.number().int().min(0).max(20),
  perLessonVanDung: z.coerce.number().int().min(0).max(20),
  passMark: z.coerce.number().min(0).max(10),
  essayCount: z.coerce
    .number({ error: "Nhập số câu tự luận." })
    .int("Số câu tự luận là số nguyên.")
    .min(0, "Số câu tự luận không âm.")
    .max(5, "Nhiều nhất 5 câu tự luận."),
  essayPoints: z.coerce
    .number({ error: "Nhập điểm mỗi câu tự luận." })
    .min(0.5, "Mỗi câu tự luận ít nhất 0,5 điểm.")
    .max(50, "Mỗi câu tự luận nhiều nhất 50 điểm."),
  // "": the default of the exam's kind (server/exams/review.ts, defaultReviewPolicy).
  reviewPolicy: z.union([z.literal(""), z.enum(REVIEW_POLICIES)], { error: "Chọn chế độ xem lại bài." }),
  accessCode: z.string().trim().max(20).optional(),
  shuffle: z.literal("on").optional(),
});

export function parseExamForm(
  form: FormData,
  classId: number,
  lessons: number[],
): { ok: true; value: ExamInput } | { ok: false; errors: Record<string, string> } {
  const parsed = schema.safeParse(
    Object.fromEntries(
      [
        "title",
        "kind",
        "opensAt",
        "closesAt",
        "durationMinutes",
        "perLessonNhanBiet",
        "perLessonThongHieu",
        "perLessonVanDung",
        "passMark",
        "accessCode",
        "shuffle",
        "essayCount",
        "essayPoints",
        "reviewPolicy",
      ].map((k) => [k, form.get(k) ?? DEFAULTS[k]]),
    ),
  );
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
    return { ok: false, errors };
  }
  const d = parsed.data;
  if (d.closesAt <= d.opensAt) return { ok: false, errors: { closesAt: "Giờ đóng phải sau giờ mở." } };
  const policyProblem = d.reviewPolicy ? reviewPolicyProblem(d.kind, d.reviewPolicy) : null;
  if (policyProblem) return { ok: false, errors: { reviewPolicy: policyProblem } };
  const levels = [
    ["nhan_biet", d.perLessonNhanBiet],
    ["thong_hieu", d.perLessonThongHieu],
    ["van_dung", d.perLessonVanDung],
  ] as const;
  const blueprint: ExamInput["blueprint"] = lessons.flatMap((lesson) =>
    levels.filter(([, n]) => n > 0).map(([level, count]) => ({ lesson, level, count, points: 1 })),
  );
  // Essays: any lesson, "vận dụng" (docs/grading.md).
  if (d.essayCount > 0) blueprint.push({ lesson: 0, level: "van_dung", count: d.essayCount, points: d.essayPoints, type: "essay" });
  if (!blueprint.length) return { ok: false, errors: { perLessonNhanBiet: "Ma trận đề cần ít nhất một câu." } };
  return {
    ok: true,
    value: {
      classId,
      title: d.title,
      kind: d.kind,
      opensAt: d.opensAt,
      closesAt: d.closesAt,
      durationMinutes: d.durationMinutes,
      blueprint,
      shuffleQuestions: d.shuffle === "on",
      shuffleOptions: d.shuffle === "on",
      policy: { ...DEFAULT_POLICY, passMark: d.passMark },
      accessCode: d.accessCode || null,
      reviewPolicy: d.reviewPolicy || undefined,
    },
  };
}
