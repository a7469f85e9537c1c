import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatNumber } from "../../server/rules/numbers";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Chấm bài tự luận — Bồi Dưỡng" }];

/** Essay grading for lecturers and the centre: blind queue, rubric, score and comment (docs/grading.md). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "centre_admin"]);
  return withAppErrors(() => context.services.exams.gradingQueue(viewer, idParam(params, "examId")));
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "centre_admin"]);
  const form = await request.formData();
  const attemptId = Number(form.get("attemptId"));
  const position = Number(form.get("position"));
  const raw = form.getAll("criterion").map((v) => String(v).trim().replace(",", "."));
  // An empty box is a missing score, not zero: the grader must decide every criterion.
  const blank = raw.findIndex((v) => v === "");
  if (blank >= 0) return { ok: false as const, message: `Tiêu chí ${blank + 1}: hãy nhập điểm (có thể là 0).`, saved: null };
  // 200 with ok: false so the page keeps the grader's input and shows the reason.
  return actionResult(
    async () => {
      const r = await context.services.exams.gradeEssay(viewer, attemptId, position, {
        criteria: raw.map(Number),
        comment: String(form.get("comment") ?? ""),
      });
      return { ok: true as const, message: null, saved: { ...r, attemptId, position } };
    },
    ({ message }) => ({ ok: false as const, message, saved: null }),
  );
}

export default function GradeEssays() {
  const { exam, essays, remaining } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const firstBox = useRef<HTMLInputElement>(null);
  const asked = params.get("bai");
  // Which essay is open: the one asked for, else the one just saved (its name is now shown), else the first ungraded.
  const savedIndex = a?.saved ? essays.findIndex((e) => e.attemptId === a.saved!.attemptId && e.position === a.saved!.position) : -1;
  const index = Math.max(
    0,
    asked !== null ? Math.min(essays.length - 1, Number(asked)) : savedIndex >= 0 ? savedIndex : essays.findIndex((e) => e.score === null),
  );
  const essay = essays[index];
  const justSaved = a?.saved && essay && a.saved.attemptId === essay.attemptId && a.saved.position === essay.position ? a.saved : null;
  const nextUngraded = essays.findIndex((e, i) => i !== index && e.score === null);
  useEffect(() => firstBox.current?.focus(), [index]);

  return (
    <>
      <p className="lesson-meta">
        <Link to={`/lop/${exam.classId}/kiem-tra`}>{exam.className}</Link> › {exam.title}
      </p>
      <h1>Chấm bài tự luận</h1>
      <p className="lead" role="status">
        {essays.length ? `Còn ${remaining}/${essays.length} bài chưa chấm.` : "Chưa có bài tự luận nào được nộp."} Tên học viên được ẩn khi
        chấm và chỉ hiện sau khi lưu điểm.
      </p>
      {essay ? (
        <section className="card" aria-labelledby="essay-title">
          <h2 id="essay-title" style={{ marginTop: 0 }}>
            {essay.code} · Câu {essay.position} ({formatNumber(essay.points)} điểm)
            {essay.score !== null ? <span className="badge badge--ok"> đã chấm: {formatNumber(essay.score)} điểm</span> : null}
          </h2>
          <p>
            <strong>Đề bài:</strong> {essay.stem}
          </p>
          <h3>Bài làm</h3>
          <blockquote className="card" style={{ whiteSpace: "pre-wrap", background: "#fbfaf7" }} data-testid="essay-text">
            {essay.text || <em>Học viên để trống.</em>}
          </blockquote>
          {justSaved ? (
            <Notice data-testid="grade-saved">
              Đã lưu {formatNumber(justSaved.points)} điểm cho bài của học viên <strong>{justSaved.name}</strong>.
              {justSaved.final
                ? ` Điểm cuối cùng: ${formatNumber(justSaved.final.score)} — ${justSaved.final.band}, ${justSaved.final.passed ? "đạt" : "chưa đạt"}.`
                : ` Bài làm còn ${justSaved.remainingInAttempt} câu tự luận chưa chấm.`}
            </Notice>
          ) : essay.name ? (
            <p className="muted">
              Học viên: {essay.name}
              {essay.grader ? ` · người chấm: ${essay.grader}` : ""}
            </p>
          ) : null}
          {a && !a.ok ? <Notice tone="error">{a.message}</Notice> : null}
          <Form method="post" className="form" key={`${essay.attemptId}-${essay.position}`}>
            <input type="hidden" name="attemptId" value={essay.attemptId} />
            <input type="hidden" name="position" value={essay.position} />
            <fieldset>
              <legend>
                Thang điểm (tổng {formatNumber(essay.rubric.total)}, quy về {formatNumber(essay.points)} điểm của câu)
              </legend>
              {essay.rubric.criteria.map((c, i) => (
                <div className="field" key={i}>
                  <label htmlFor={`c${i}`}>
                    {i + 1}. {c.label} (tối đa {formatNumber(c.max)})
                  </label>
                  <input
                    ref={i === 0 ? firstBox : undefined}
                    id={`c${i}`}
                    name="criterion"
                    type="number"
                    inputMode="decimal"
                    step="0.25"
                    min={0}
                    max={c.max}
                    defaultValue={essay.criteria?.[i] ?? ""}
                    style={{ maxWidth: "8rem" }}
                    required
                  />
                </div>
              ))}
              {essay.rubric.guidance.length ? (
                <div className="hint">
                  <strong>Gợi ý chấm:</strong>
                  <ul>
                    {essay.rubric.guidance.map((g, i) => (
                      <li key={i}>{g}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </fieldset>
            <div className="field">
              <label htmlFor="comment">Nhận xét cho học viên (không bắt buộc)</label>
              <textarea
                id="comment"
                name="comment"
                rows={3}
                maxLength={2000}
                defaultValue={essay.comment ?? ""}
                onKeyDown={(e) => {
                  // Ctrl+Enter saves from the comment box, so the whole form works from the keyboard.
                  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
                }}
              />
              <p className="hint">Nhấn Tab để chuyển ô, Enter (hoặc Ctrl+Enter trong ô nhận xét) để lưu.</p>
            </div>
            <div className="actions">
              <button className="button" type="submit" disabled={busy}>
                Lưu điểm
              </button>
              {nextUngraded >= 0 ? (
                <Link className="button button--secondary" to={`?bai=${nextUngraded}`}>
                  Bài chưa chấm tiếp theo →
                </Link>
              ) : null}
            </div>
          </Form>
        </section>
      ) : null}
      {essays.length ? (
        <>
          <h2>Danh sách bài</h2>
          <ol className="lesson-list">
            {essays.map((e, i) => (
              <li key={`${e.attemptId}-${e.position}`}>
                <Link to={`?bai=${i}`} aria-current={i === index ? "true" : undefined}>
                  {e.code}, câu {e.position}
                </Link>{" "}
                {e.score === null ? (
                  <span className="badge">chưa chấm</span>
                ) : (
                  <span className="badge badge--ok">{formatNumber(e.score)} điểm</span>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <p>
        <Link to={`/kiem-tra/${exam.id}/ket-qua`}>Xem kết quả bài kiểm tra</Link>
      </p>
    </>
  );
}
