import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { LIKERT_LABELS } from "../../server/surveys/defaults";
import { formatVnDate } from "../../server/rules/dates";
import { formatNumber } from "../../server/rules/numbers";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Kết quả khảo sát — Bồi Dưỡng" }];

const READERS = ["centre_admin", "lecturer", "committee", "organisation_board"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...READERS]);
  return withAppErrors(() => context.services.surveys.results(viewer, idParam(params, "id")));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  return actionResult(
    async () => {
      return await context.services.surveys.updateSettings(viewer, idParam(params, "id"), {
        minGroup: Number(form.get("minGroup")),
        requiredForCertificate: form.get("required") === "on",
        closesOn: String(form.get("closesOn") ?? "") || null,
      });
    },
    ({ message }) => ({ ok: false as const, problems: [message] }),
  );
}

const LIKERT_COLOURS = ["#a50f15", "#e3702d", "#b9b9b9", "#6fae7e", "#1f6f3a"];

export default function SurveyResults() {
  const { survey, results, comments } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <>
      <p className="lesson-meta">
        <Link to="/khao-sat">Khảo sát</Link> › {survey.className}
      </p>
      <h1>{survey.title}</h1>
      <p className="lead">
        {survey.centre}
        {survey.lecturerName ? ` · Giảng viên: ${survey.lecturerName}` : ""} · {results.responses} phiếu
      </p>
      {survey.pending ? (
        <p className="muted" role="note">
          Còn {survey.pending} phiếu đã gửi đang được niêm phong. Để không ai đoán được ý kiến của một người qua sự thay đổi của kết quả,
          phiếu được công bố theo đợt, mỗi đợt ít nhất {survey.minGroup} phiếu, xáo trộn thứ tự; phần còn lại được công bố khi phiếu đóng
          {survey.closesOn ? ` (sau ngày ${formatVnDate(survey.closesOn)})` : ""}, nếu đủ {survey.minGroup} phiếu.
        </p>
      ) : null}
      {results.hidden ? (
        <p className="form-error" role="status">
          Mới công bố {results.responses} phiếu, ít hơn {results.minGroup} phiếu tối thiểu: kết quả chưa hiện để giữ kín người trả lời.
        </p>
      ) : (
        <>
          <h2>Điểm trung bình theo nhóm (thang 1–5)</h2>
          <figure className="card" aria-label="Biểu đồ điểm trung bình theo nhóm">
            <svg
              viewBox={`0 0 420 ${results.sections.length * 34 + 10}`}
              role="img"
              aria-label={results.sections.map((x) => `${x.label}: ${x.mean ?? "—"}`).join(", ")}
              style={{ width: "100%", maxWidth: "40rem" }}
            >
              {results.sections.map((x, i) => (
                <g key={x.section}>
                  <text x={0} y={i * 34 + 20} fontSize="13">
                    {x.label}
                  </text>
                  <rect x={170} y={i * 34 + 6} width={((x.mean ?? 0) / 5) * 200} height={20} fill="#1f6f3a" />
                  <text x={175 + ((x.mean ?? 0) / 5) * 200} y={i * 34 + 21} fontSize="13">
                    {x.mean === null ? "—" : formatNumber(x.mean)}
                  </text>
                </g>
              ))}
            </svg>
          </figure>
          <h2>Từng câu hỏi</h2>
          <ScrollRegion label="Kết quả từng câu hỏi">
            <table className="data" aria-label="Kết quả từng câu hỏi">
              <thead>
                <tr>
                  <th scope="col">Câu hỏi</th>
                  <th scope="col">Điểm TB</th>
                  <th scope="col">Phân bố</th>
                </tr>
              </thead>
              <tbody>
                {results.questions.map((q) => (
                  <tr key={q.key}>
                    <td>
                      {q.text}
                      <br />
                      <span className="muted">{q.sectionLabel}</span>
                    </td>
                    <td>{q.mean === null ? "—" : formatNumber(q.mean)}</td>
                    <td style={{ minWidth: "12rem" }}>
                      {q.type === "likert" ? (
                        <div
                          style={{ display: "flex", height: "1.2rem", borderRadius: 4, overflow: "hidden" }}
                          role="img"
                          aria-label={q.counts.map((c, i) => `${LIKERT_LABELS[i]}: ${c}`).join(", ")}
                        >
                          {q.counts.map((c, i) =>
                            c ? (
                              <span key={i} title={`${LIKERT_LABELS[i]}: ${c}`} style={{ flex: c, background: LIKERT_COLOURS[i] }} />
                            ) : null,
                          )}
                        </div>
                      ) : (
                        q.options.map((o, i) => (
                          <div key={o}>
                            {o}: {q.counts[i] ?? 0}
                          </div>
                        ))
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <h2>Ý kiến của học viên</h2>
          {comments.map((c) => (
            <div key={c.question} className="card">
              <strong>{c.question}</strong>
              {c.texts.length ? (
                <ul>
                  {c.texts.map((t, i) => (
                    <li key={i}>{t}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">Không có ý kiến.</p>
              )}
            </div>
          ))}
        </>
      )}
      {survey.canEdit ? (
        <Form method="post" className="form card">
          <h2>Cài đặt phiếu</h2>
          {a && !a.ok ? <ProblemList problems={a.problems} spaced /> : a?.ok ? <Notice>Đã lưu.</Notice> : null}
          <div className="field">
            <label htmlFor="minGroup">Số phiếu tối thiểu để hiện kết quả</label>
            <input id="minGroup" name="minGroup" type="number" min={3} max={100} defaultValue={survey.minGroup} />
          </div>
          <div className="field">
            <label htmlFor="closesOn">Ngày đóng phiếu (để trống: chưa đóng)</label>
            <input id="closesOn" name="closesOn" type="date" defaultValue={survey.closesOn ?? ""} />
          </div>
          <label className="choice">
            <input type="checkbox" name="required" defaultChecked={survey.requiredForCertificate} /> Phải gửi phiếu trước khi tải giấy chứng
            nhận
          </label>
          <button className="button button--secondary" type="submit">
            Lưu cài đặt
          </button>
        </Form>
      ) : null}
    </>
  );
}
