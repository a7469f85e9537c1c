import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/labels";
import { parseExamForm } from "../../server/exams/form";
import { REVIEW_POLICY_LABEL, type ReviewPolicy } from "../../server/exams/review";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Bài kiểm tra của lớp — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor"]);
  return withAppErrors(async () => {
    const outline = await context.services.curricula.classOutline(viewer, idParam(params, "id"));
    const exams = await context.services.exams.examsForClass(viewer, idParam(params, "id"));
    return {
      klass: outline.klass,
      lessons: outline.lessons,
      exams: exams.map((e) => ({
        ...e,
        opens_at: String(e.opens_at),
        closes_at: String(e.closes_at),
        results_released_at: e.results_released_at ? new Date(e.results_released_at).toISOString() : null,
        closed: new Date(e.closes_at) < new Date(),
        papers: Number(e.papers),
        submitted: Number(e.submitted),
        awaiting: Number(e.awaiting),
        essays: Number(e.essays),
      })),
      canCreate: viewer.roles.some((g) => g.role === "centre_admin" || g.role === "admin"),
      canGrade: viewer.roles.some((g) => g.role === "centre_admin" || g.role === "lecturer" || g.role === "admin"),
      canTime: viewer.roles.some((g) => g.role === "centre_admin" || g.role === "proctor" || g.role === "admin"),
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const classId = idParam(params, "id");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  return actionResult(
    async () => {
      // Per exam: what trainees see after submitting, and an early release of the answers.
      if (intent === "review-policy" || intent === "release") {
        const examId = Number(form.get("examId"));
        const exams = await context.services.exams.examsForClass(viewer, classId);
        if (!exams.some((e) => e.id === examId))
          return data(
            { errors: { policy: "Không có bài kiểm tra này trong lớp." } as Record<string, string>, created: null },
            { status: 404 },
          );
        if (intent === "release") {
          await context.services.exams.releaseResults(viewer, examId);
          return {
            errors: {} as Record<string, string>,
            created: "Đã công bố đáp án: học viên đã nộp bài xem được điểm, đáp án và giải thích.",
          };
        }
        const r = await context.services.exams.setReviewPolicy(viewer, examId, String(form.get("reviewPolicy") ?? "") as ReviewPolicy);
        return {
          errors: {} as Record<string, string>,
          created: r.changed ? "Đã lưu chế độ xem lại bài." : "Chế độ xem lại bài không thay đổi.",
        };
      }
      const progress = await context.services.curricula.classProgress(viewer, classId);
      const parsed = parseExamForm(
        form,
        classId,
        progress.lessons.map((l) => l.number),
      );
      if (!parsed.ok) return data({ errors: parsed.errors, created: null as string | null }, { status: 400 });
      const id = await context.services.exams.createExam(viewer, parsed.value);
      const papers = await context.services.exams.generatePapers(viewer, id);
      return { errors: {} as Record<string, string>, created: `Đã tạo bài kiểm tra và sinh sẵn ${papers.created} đề cho học viên.` };
    },
    ({ status, message }) => {
      const key = intent === "review-policy" || intent === "release" ? "policy" : "form";
      return data({ errors: { [key]: message } as Record<string, string>, created: null }, { status });
    },
  );
}

export default function ClassExams() {
  const { klass, lessons, exams, canCreate, canGrade, canTime } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const err = (k: string) => a?.errors?.[k];
  return (
    <>
      <ClassRecordsTabs classId={klass.id} className={klass.name} />
      <h1>Bài kiểm tra của lớp</h1>
      {a?.created ? <Notice>{a.created}</Notice> : null}
      {err("policy") ? <Notice tone="error">{err("policy")}</Notice> : null}
      <ScrollRegion label="Các bài kiểm tra">
        <table className="data" aria-label="Các bài kiểm tra">
          <thead>
            <tr>
              <th scope="col">Bài kiểm tra</th>
              <th scope="col">Thời gian</th>
              <th scope="col">Đã nộp</th>
              <th scope="col">Việc cần làm</th>
            </tr>
          </thead>
          <tbody>
            {exams.map((e) => (
              <tr key={e.id}>
                <td>
                  {e.title} {e.kind === "practice" ? <span className="badge">luyện tập</span> : null}
                </td>
                <td>
                  {formatDateTime(e.opens_at)} – {formatDateTime(e.closes_at)} ({e.duration_minutes} phút)
                </td>
                <td>
                  {e.submitted}/{e.papers}
                  {e.awaiting ? <span className="badge"> {e.awaiting} chờ chấm tự luận</span> : null}
                </td>
                <td>
                  <ul className="link-list" style={{ margin: 0, paddingLeft: "1rem" }}>
                    <li>
                      <Link to={`/kiem-tra/${e.id}/ket-qua`}>Xem kết quả</Link>
                    </li>
                    {canGrade && e.essays ? (
                      <li>
                        <Link to={`/kiem-tra/${e.id}/cham-tu-luan`}>Chấm tự luận</Link>
                      </li>
                    ) : null}
                    {canTime ? (
                      <li>
                        <Link to={`/kiem-tra/${e.id}/cong-gio`}>Cộng giờ làm bài</Link>
                      </li>
                    ) : null}
                    {canCreate ? (
                      <li>
                        <Link to={`/kiem-tra/${e.id}/cham-lai`}>Sửa đáp án, chấm lại</Link>
                      </li>
                    ) : null}
                  </ul>
                  {canCreate ? null : <span className="muted">Xem lại: {REVIEW_POLICY_LABEL[e.review_policy].toLowerCase()}</span>}
                  {e.results_released_at ? (
                    <span className="muted"> · đã công bố đáp án lúc {formatDateTime(e.results_released_at)}</span>
                  ) : null}
                  {canCreate ? (
                    <Form method="post" className="review-policy-form" aria-label={`Chế độ xem lại bài: ${e.title}`}>
                      <input type="hidden" name="examId" value={e.id} />
                      <label className="muted" htmlFor={`rp-${e.id}`}>
                        Học viên xem lại bài:
                      </label>
                      <select id={`rp-${e.id}`} name="reviewPolicy" defaultValue={e.review_policy}>
                        {(Object.keys(REVIEW_POLICY_LABEL) as ReviewPolicy[])
                          .filter((k) => e.kind === "practice" || k !== "answers_after_submit")
                          .map((k) => (
                            <option key={k} value={k}>
                              {REVIEW_POLICY_LABEL[k]}
                            </option>
                          ))}
                      </select>
                      <button className="button button--secondary" name="intent" value="review-policy" disabled={busy}>
                        Lưu
                      </button>
                      {e.review_policy === "answers_after_close" && !e.closed && !e.results_released_at ? (
                        <button className="button button--secondary" name="intent" value="release" disabled={busy}>
                          Công bố đáp án ngay
                        </button>
                      ) : null}
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {canCreate ? (
        <Form method="post" className="card form" style={{ maxWidth: "40rem", marginTop: "1rem" }}>
          <h2 style={{ marginTop: 0 }}>Tạo bài kiểm tra</h2>
          {err("form") ? <Notice tone="error">{err("form")}</Notice> : null}
          <div className="field">
            <label htmlFor="title">Tên bài kiểm tra</label>
            <input id="title" name="title" defaultValue={`Kiểm tra cuối khóa — ${klass.name}`} />
            {err("title") ? <p className="error">{err("title")}</p> : null}
          </div>
          <div className="field">
            <label htmlFor="kind">Loại</label>
            <select id="kind" name="kind" defaultValue="official">
              <option value="official">Chính thức (1 lần làm)</option>
              <option value="practice">Luyện tập (làm nhiều lần)</option>
            </select>
          </div>
          <div className="actions">
            <div className="field">
              <label htmlFor="opensAt">Mở lúc</label>
              <input id="opensAt" name="opensAt" type="datetime-local" required />
            </div>
            <div className="field">
              <label htmlFor="closesAt">Đóng lúc</label>
              <input id="closesAt" name="closesAt" type="datetime-local" required />
              {err("closesAt") ? <p className="error">{err("closesAt")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="durationMinutes">Thời gian làm bài (phút)</label>
              <input id="durationMinutes" name="durationMinutes" type="number" min={5} max={300} defaultValue={45} />
            </div>
          </div>
          <fieldset>
            <legend>Ma trận đề: số câu mỗi bài (Bài {lessons.join(", ")}), mỗi câu 1 điểm</legend>
            <div className="actions">
              {[
                ["perLessonNhanBiet", "Nhận biết", 2],
                ["perLessonThongHieu", "Thông hiểu", 2],
                ["perLessonVanDung", "Vận dụng", 1],
              ].map(([name, label, def]) => (
                <div className="field" key={name as string}>
                  <label htmlFor={name as string}>{label}</label>
                  <input
                    id={name as string}
                    name={name as string}
                    type="number"
                    min={0}
                    max={20}
                    defaultValue={def as number}
                    style={{ width: "6rem" }}
                  />
                </div>
              ))}
            </div>
            {err("perLessonNhanBiet") ? <p className="error">{err("perLessonNhanBiet")}</p> : null}
          </fieldset>
          <fieldset>
            <legend>Câu tự luận (giảng viên chấm theo thang điểm ghi trong câu hỏi)</legend>
            <div className="actions">
              <div className="field">
                <label htmlFor="essayCount">Số câu tự luận</label>
                <input
                  id="essayCount"
                  name="essayCount"
                  type="number"
                  min={0}
                  max={5}
                  defaultValue={0}
                  style={{ width: "6rem" }}
                  aria-invalid={err("essayCount") ? true : undefined}
                />
                {err("essayCount") ? <p className="error">{err("essayCount")}</p> : null}
              </div>
              <div className="field">
                <label htmlFor="essayPoints">Điểm mỗi câu tự luận</label>
                <input
                  id="essayPoints"
                  name="essayPoints"
                  type="number"
                  step="0.5"
                  min={0.5}
                  max={50}
                  defaultValue={5}
                  style={{ width: "6rem" }}
                  aria-invalid={err("essayPoints") ? true : undefined}
                />
                {err("essayPoints") ? <p className="error">{err("essayPoints")}</p> : null}
              </div>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="reviewPolicy">Học viên xem lại bài sau khi nộp</label>
            <select id="reviewPolicy" name="reviewPolicy" defaultValue="">
              <option value="">Theo loại: luyện tập xem đáp án ngay; chính thức chỉ xem điểm</option>
              {(Object.keys(REVIEW_POLICY_LABEL) as (keyof typeof REVIEW_POLICY_LABEL)[]).map((k) => (
                <option key={k} value={k}>
                  {REVIEW_POLICY_LABEL[k]}
                </option>
              ))}
            </select>
            {err("reviewPolicy") ? <p className="error">{err("reviewPolicy")}</p> : null}
            <p className="hint">
              Đáp án không bao giờ được gửi tới máy học viên trước thời điểm chế độ này cho phép. Sửa được sau khi tạo.
            </p>
          </div>
          <div className="actions">
            <div className="field">
              <label htmlFor="passMark">Điểm đạt (thang 10)</label>
              <input id="passMark" name="passMark" type="number" step="0.5" min={0} max={10} defaultValue={5} style={{ width: "6rem" }} />
            </div>
            <div className="field">
              <label htmlFor="accessCode">Mã vào phòng (không bắt buộc)</label>
              <input id="accessCode" name="accessCode" />
            </div>
          </div>
          <label className="choice">
            <input type="checkbox" name="shuffle" defaultChecked /> Trộn thứ tự câu hỏi và phương án cho mỗi học viên
          </label>
          <button className="button" type="submit" disabled={busy}>
            Tạo và sinh đề
          </button>
        </Form>
      ) : null}
    </>
  );
}
