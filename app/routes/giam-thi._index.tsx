import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult } from "~/lib/app-errors.server";
import { formatDateTime } from "~/lib/labels";
import { ActionNotice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Coi thi trực tuyến — Bồi Dưỡng" }];

const ROLES = ["proctor", "centre_admin", "committee", "organisation_board"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...ROLES]);
  const sessions = await context.services.proctoring.sessions(viewer);
  // Centre staff see who proctors each of their sessions and can assign more.
  const staffing = await Promise.all(
    sessions.filter((s) => s.canAct).map(async (s) => ({ examId: s.id, ...(await context.services.proctoring.proctors(viewer, s.id)) })),
  );
  return { sessions, staffing, isCentre: viewer.roles.some((r) => r.role === "centre_admin" || r.role === "admin") };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  return actionResult(
    async () => {
      await context.services.proctoring.assignProctor(
        viewer,
        Number(form.get("examId")),
        String(form.get("userId") ?? ""),
        form.get("intent") !== "remove",
      );
      return { ok: true as const, message: "Đã cập nhật phân công giám thị." };
    },
    ({ message }) => ({ ok: false as const, message }),
  );
}

export default function ProctorSessions() {
  const { sessions, staffing, isCentre } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Coi thi trực tuyến</h1>
      <p className="lead">Chọn ca thi để theo dõi học viên theo thời gian thực, xử lý sự việc và in biên bản.</p>
      <ActionNotice result={result} />
      {sessions.length === 0 ? <p className="card">Chưa có ca thi nào bạn được phân công.</p> : null}
      <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
        {sessions.map((s) => {
          const staff = staffing.find((x) => x.examId === s.id);
          return (
            <li key={s.id} className="card">
              <h2 style={{ marginTop: 0, fontSize: "1.1rem" }}>
                <Link to={`/giam-thi/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="muted">
                {s.className} · {s.centreName}
                <br />
                {formatDateTime(s.opensAt)} – {formatDateTime(s.closesAt)} · {s.durationMinutes} phút · {s.enrolled} học viên
              </p>
              <p>
                {s.endedAt ? (
                  <span className="badge">Đã kết thúc</span>
                ) : s.startedAt ? (
                  <span className="badge badge--ok">Đang thi</span>
                ) : (
                  <span className="badge">Chưa bắt đầu</span>
                )}{" "}
                {s.canAct ? null : <span className="badge">Chỉ xem</span>}
              </p>
              <p className="actions">
                <Link className="button" to={`/giam-thi/${s.id}`}>
                  {s.canAct ? "Vào phòng coi thi" : "Xem phòng thi"}
                </Link>
                <a className="button button--secondary" href={`/giam-thi/${s.id}/bien-ban.pdf`}>
                  Biên bản (PDF)
                </a>
              </p>
              {isCentre && staff ? (
                <details>
                  <summary>Giám thị: {staff.assigned.length ? staff.assigned.map((a) => a.name).join(", ") : "chưa phân công"}</summary>
                  {staff.assigned.map((a) => (
                    <Form method="post" key={a.userId} className="actions">
                      <input type="hidden" name="examId" value={s.id} />
                      <input type="hidden" name="userId" value={a.userId} />
                      <input type="hidden" name="intent" value="remove" />
                      <span>{a.name}</span>
                      <button className="link-button" type="submit">
                        Bỏ phân công
                      </button>
                    </Form>
                  ))}
                  <Form method="post" className="form">
                    <input type="hidden" name="examId" value={s.id} />
                    <div className="field">
                      <label htmlFor={`proctor-${s.id}`}>Phân công giám thị</label>
                      <select id={`proctor-${s.id}`} name="userId" required>
                        {staff.candidates
                          .filter((c) => !staff.assigned.some((a) => a.userId === c.userId))
                          .map((c) => (
                            <option key={c.userId} value={c.userId}>
                              {c.name} ({c.username})
                            </option>
                          ))}
                      </select>
                    </div>
                    <button className="button button--secondary" type="submit">
                      Phân công
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
