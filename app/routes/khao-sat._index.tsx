import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { hasRole } from "../../server/auth/scope";
import { formatVnDate } from "../../server/rules/dates";
import { vnToday } from "~/lib/format";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Khảo sát — Bồi Dưỡng" }];

/** Trainees see their course surveys; centre staff and the committee see the surveys in their scope. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const s = context.services.surveys;
  return withAppErrors(async () => {
    const staff = hasRole(viewer, ["centre_admin", "lecturer", "committee", "organisation_board"]);
    const organiser = hasRole(viewer, ["centre_admin"]);
    return {
      mine: viewer.personId ? await s.mine(viewer) : [],
      managed: staff ? await s.manageList(viewer) : [],
      staff,
      organiser,
      // Today in Vietnam, from the server, so the page renders the same in the browser.
      today: vnToday(),
      templates: organiser
        ? (await s.templates(viewer)).map((t) => ({ id: t.id, name: t.name, kind: t.kind, count: t.questions.length }))
        : [],
      classes: organiser ? await s.attachableClasses(viewer) : [],
    };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const classId = Number(form.get("classId"));
  const templateId = Number(form.get("templateId"));
  const minGroup = Number(form.get("minGroup") || 5);
  const problems: string[] = [];
  if (!classId) problems.push("Hãy chọn lớp.");
  if (!templateId) problems.push("Hãy chọn mẫu phiếu.");
  if (problems.length) return { ok: false as const, problems, created: null };
  // 200 so the list below refreshes (Remix does not revalidate after a 4xx).
  return actionResult(
    async () => {
      const r = await context.services.surveys.attach(viewer, {
        classId,
        templateId,
        lecturerName: String(form.get("lecturerName") ?? ""),
        minGroup,
        requiredForCertificate: form.get("required") === "on",
      });
      return { ok: true as const, problems: [] as string[], created: r.id };
    },
    ({ message }) => ({ ok: false as const, problems: [message], created: null }),
  );
}

export default function Surveys() {
  const { mine, managed, staff, organiser, templates, classes, today } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  return (
    <>
      <h1>Khảo sát ý kiến</h1>
      {params.get("da-gui") ? (
        <Notice>
          Cảm ơn anh/chị đã gửi phiếu. Phiếu không ghi tên người trả lời; ý kiến được công bố cùng lúc với nhiều phiếu khác, không theo thứ
          tự gửi.
        </Notice>
      ) : null}
      {mine.length || !staff ? (
        <>
          <h2>Phiếu của tôi</h2>
          {mine.length ? (
            <ul className="lesson-list">
              {mine.map((m) => (
                <li key={m.id} className="card">
                  <strong>{m.title}</strong>
                  <p className="muted">{m.className}</p>
                  {m.answered ? (
                    <span className="badge badge--ok">Đã gửi</span>
                  ) : m.open ? (
                    <Link className="button" to={`/khao-sat/${m.id}`}>
                      Trả lời phiếu
                    </Link>
                  ) : (
                    <span className="badge">{m.opensOn > today ? `Mở từ ${formatVnDate(m.opensOn)}` : "Đã đóng"}</span>
                  )}
                  {m.requiredForCertificate && !m.answered ? <p className="muted">Cần gửi phiếu trước khi tải giấy chứng nhận.</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Hiện chưa có phiếu khảo sát nào dành cho anh/chị.</p>
          )}
        </>
      ) : null}
      {staff ? (
        <>
          <h2>Phiếu của các lớp</h2>
          {a?.ok ? <Notice>Đã gắn phiếu vào lớp.</Notice> : null}
          <ScrollRegion label="Phiếu khảo sát của các lớp">
            <table className="data" aria-label="Phiếu khảo sát của các lớp">
              <thead>
                <tr>
                  <th scope="col">Phiếu</th>
                  <th scope="col">Lớp</th>
                  <th scope="col">Số phiếu</th>
                  <th scope="col">Kết quả</th>
                </tr>
              </thead>
              <tbody>
                {managed.map((m) => (
                  <tr key={m.id}>
                    <td>
                      {m.title}
                      {m.required_for_certificate ? <span className="badge"> bắt buộc trước khi cấp GCN</span> : null}
                    </td>
                    <td>
                      {m.className}
                      <br />
                      <span className="muted">{m.centre}</span>
                    </td>
                    <td>
                      {m.responses}
                      {m.pending ? <span className="muted"> (+{m.pending} chờ công bố)</span> : null}
                    </td>
                    <td>
                      <Link to={`/khao-sat/${m.id}/ket-qua`}>
                        {m.responses >= m.min_group ? "Xem kết quả" : `Chưa đủ ${m.min_group} phiếu`}
                      </Link>
                    </td>
                  </tr>
                ))}
                {!managed.length ? (
                  <tr>
                    <td colSpan={4} className="muted">
                      Chưa có phiếu nào.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : null}
      {organiser ? (
        <>
          <h2>Gắn phiếu khảo sát vào lớp</h2>
          <Form method="post" className="form card">
            {a && !a.ok ? <ProblemList problems={a.problems} spaced /> : null}
            <div className="field">
              <label htmlFor="classId">Lớp</label>
              <select id="classId" name="classId" required>
                <option value="">— Chọn lớp —</option>
                {classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="templateId">Mẫu phiếu</label>
              <select id="templateId" name="templateId" required>
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.count} câu)
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="lecturerName">Giảng viên được đánh giá (nếu có)</label>
              <input id="lecturerName" name="lecturerName" autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor="minGroup">Số phiếu tối thiểu để hiện kết quả</label>
              <input id="minGroup" name="minGroup" type="number" min={3} max={100} defaultValue={5} />
              <p className="hint">Nhóm ít hơn số này sẽ không hiện kết quả, để giữ kín người trả lời.</p>
            </div>
            <label className="choice">
              <input type="checkbox" name="required" /> Học viên phải gửi phiếu trước khi tải giấy chứng nhận
            </label>
            <button className="button" type="submit" disabled={busy}>
              Gắn phiếu
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
