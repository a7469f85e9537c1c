import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/labels";
import { formatNumber } from "../../server/rules/numbers";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Sửa đáp án và chấm lại — Bồi Dưỡng" }];

/**
 * Key correction: pick a question the exam used, mark the right options, see a dry run
 * of who would change, then confirm (docs/grading.md, decision 011).
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "committee"]);
  return withAppErrors(() => context.services.exams.examQuestions(viewer, idParam(params, "examId")));
}

type Change = {
  attemptId: number;
  name: string;
  before: { score: number | null; passed: boolean | null };
  after: { score: number | null; passed: boolean | null };
  beforeLabel: string | null;
  afterLabel: string | null;
};

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "committee"]);
  const form = await request.formData();
  const examId = idParam(params, "examId");
  const versionId = Number(form.get("versionId"));
  const correct = form.getAll("correct").map(Number);
  const reason = String(form.get("reason") ?? "");
  return actionResult(
    async () => {
      if (form.get("intent") === "apply") {
        // Confirm exactly what the dry run showed: a key changed after it needs a new dry run.
        if (String(form.get("previewed") ?? "") !== JSON.stringify([...correct].sort((x, y) => x - y)))
          return {
            ok: false as const,
            applied: null,
            affected: 0,
            preview: null,
            previewed: null,
            message: "Đáp án đã đổi sau khi chạy thử; hãy bấm “Chạy thử” lại trước khi xác nhận.",
            versionId,
          };
        const r = await context.services.exams.regradeApply(viewer, examId, versionId, correct, reason);
        return {
          ok: true as const,
          applied: r.changes.length,
          affected: r.affected,
          preview: null as Change[] | null,
          previewed: null as string | null,
          message: null,
          versionId,
        };
      }
      const p = await context.services.exams.regradePreview(viewer, examId, versionId, correct);
      return {
        ok: true as const,
        applied: null,
        affected: p.affected,
        preview: p.changes as Change[],
        previewed: JSON.stringify(p.correct),
        message: null,
        versionId,
      };
    },
    ({ message }) => ({ ok: false as const, applied: null, affected: 0, preview: null, previewed: null, message, versionId }),
  );
}

const letter = (i: number) => String.fromCharCode(65 + i);
const vn = (n: number | null) => formatNumber(n);

export default function Regrade() {
  const { exam, questions, history } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const chosenId = Number(params.get("cau")) || a?.versionId || null;
  const q = questions.find((x) => x.versionId === chosenId);

  return (
    <>
      <p className="lesson-meta">
        <Link to={`/lop/${exam.classId}/kiem-tra`}>{exam.className}</Link> › {exam.title}
      </p>
      <h1>Sửa đáp án và chấm lại</h1>
      <p className="lead">
        Câu hỏi trong đề đã phát không bị sửa; đáp án đúng được ghi thành một lần sửa của bài kiểm tra này. Hệ thống chạy thử để liệt kê học
        viên bị thay đổi điểm, chỉ áp dụng khi bạn xác nhận.
      </p>
      {a?.applied !== null && a?.applied !== undefined ? (
        <Notice data-testid="regrade-done">
          Đã sửa đáp án và chấm lại {a.affected} bài; {a.applied} học viên thay đổi điểm hoặc xếp loại.
        </Notice>
      ) : null}
      {!q ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Chọn câu hỏi cần sửa đáp án</h2>
          <ol className="lesson-list">
            {questions.map((x) => (
              <li key={x.versionId}>
                <Link to={`?cau=${x.versionId}`}>
                  Bài {x.lesson} · {x.stem}
                </Link>{" "}
                <span className="muted">
                  (đáp án: {x.correct.map(letter).join(", ")}; {x.papers} đề, {x.submitted} bài đã nộp)
                </span>
                {x.corrected ? <span className="badge"> đã sửa</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <section className="card" aria-labelledby="q-title">
          <h2 id="q-title" style={{ marginTop: 0 }}>
            {q.stem}
          </h2>
          <p className="muted">
            Bài {q.lesson} · mã {q.key} · có trong {q.papers} đề ({q.submitted} bài đã nộp) · đáp án hiện hành:{" "}
            {q.correct.map(letter).join(", ")}. Bài nộp sau khi sửa được chấm theo đáp án mới.
          </p>
          {a && !a.ok ? <Notice tone="error">{a.message}</Notice> : null}
          <Form method="post" className="form">
            <input type="hidden" name="versionId" value={q.versionId} />
            {a?.previewed ? <input type="hidden" name="previewed" value={a.previewed} /> : null}
            <fieldset>
              <legend>Phương án đúng theo đáp án đã sửa</legend>
              {q.options.map((o, i) => (
                <label key={i} className="choice">
                  <input
                    type={q.type === "multiple" ? "checkbox" : "radio"}
                    name="correct"
                    value={i}
                    defaultChecked={q.correct.includes(i)}
                  />
                  <span>
                    <strong>{letter(i)}.</strong> {o}
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="reason">Lý do và căn cứ sửa đáp án</label>
              <input id="reason" name="reason" required minLength={5} placeholder="Ví dụ: theo Điều lệ Đảng 2011, Điều 5" />
            </div>
            {a?.preview ? (
              <div role="region" aria-label="Kết quả chạy thử" data-testid="regrade-preview">
                <h3>
                  Chạy thử: {a.preview.length ? `${a.preview.length} học viên thay đổi` : "không học viên nào thay đổi điểm"} (trong{" "}
                  {a.affected} bài có câu này)
                </h3>
                {a.preview.length ? (
                  <ScrollRegion label="Học viên thay đổi điểm">
                    <table className="data">
                      <thead>
                        <tr>
                          <th scope="col">Học viên</th>
                          <th scope="col">Điểm trước → sau</th>
                          <th scope="col">Xếp loại trước → sau</th>
                          <th scope="col">Kết quả</th>
                        </tr>
                      </thead>
                      <tbody>
                        {a.preview.map((c) => (
                          <tr key={c.attemptId}>
                            <td>{c.name}</td>
                            <td>
                              {vn(c.before.score)} → <strong>{vn(c.after.score)}</strong>
                            </td>
                            <td>
                              {c.beforeLabel} → {c.afterLabel}
                            </td>
                            <td>
                              {c.before.passed ? "Đạt" : "Chưa đạt"} → {c.after.passed ? "Đạt" : "Chưa đạt"}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollRegion>
                ) : null}
                <p className="hint">Xác nhận sẽ ghi lần sửa đáp án, cập nhật điểm của các học viên trên và ghi nhật ký.</p>
              </div>
            ) : null}
            <div className="actions">
              <button className="button button--secondary" type="submit" name="intent" value="preview" disabled={busy}>
                Chạy thử
              </button>
              {a?.preview ? (
                <button className="button" type="submit" name="intent" value="apply" disabled={busy}>
                  Xác nhận sửa đáp án và chấm lại
                </button>
              ) : null}
              <Link className="button button--secondary" to=".">
                Chọn câu khác
              </Link>
            </div>
          </Form>
        </section>
      )}
      {history.length ? (
        <>
          <h2>Các lần sửa đáp án</h2>
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                {formatDateTime(h.at)} · {h.by ?? "hệ thống"}: {h.reason} ({h.changed} học viên thay đổi điểm)
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to={`/kiem-tra/${exam.id}/ket-qua`}>Xem kết quả bài kiểm tra</Link>
      </p>
    </>
  );
}
