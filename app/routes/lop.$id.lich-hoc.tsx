import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { PART_LABELS, type SessionPart } from "../../server/classes/timetable";
import { parseVnDate, formatVnDate } from "../../server/rules/dates";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Lịch học — Bồi Dưỡng" }];

const ROLES = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...ROLES]);
  return withAppErrors(async () => {
    const t = await context.services.classRecords.timetable(viewer, idParam(params, "id"));
    const rows = t.sessions.map((s) => ({
      onDate: formatVnDate(s.on_date),
      part: s.part,
      topic: s.topic,
      periods: s.periods,
      lecturerName: s.lecturer_name ?? "",
    }));
    return {
      klass: t.klass,
      rows,
      suggestion: t.suggestion.map((r) => ({ ...r, onDate: formatVnDate(r.onDate), lecturerName: "" })),
      options: t.options,
      check: t.check,
      reason: t.reason,
      canEdit: t.canEdit,
      programme: { totalPeriods: t.outline.totalPeriods, periodsPerSession: t.outline.periodsPerSession },
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  const dates = form.getAll("onDate").map(String);
  const bad = dates.flatMap((d, i) => (parseVnDate(d) ? [] : [`Buổi ${i + 1}: ngày "${d}" không hợp lệ, nhập dạng dd/mm/yyyy.`]));
  if (bad.length) return { ok: false as const, problems: bad };
  const parts = form.getAll("part").map(String);
  const topics = form.getAll("topic").map(String);
  const periods = form.getAll("periods").map((p) => Number(p));
  const lecturers = form.getAll("lecturerName").map(String);
  const rows = dates.map((d, i) => ({
    onDate: parseVnDate(d)!,
    part: (parts[i] ?? "sang") as SessionPart,
    topic: topics[i] ?? "",
    periods: periods[i] ?? 0,
    lecturerName: lecturers[i] ?? "",
  }));
  return actionResult(
    async () => {
      const r = await context.services.classRecords.saveTimetable(viewer, idParam(params, "id"), rows, String(form.get("reason") ?? ""));
      return r.ok ? { ok: true as const, problems: [] as string[] } : r;
    },
    ({ message }) => ({ ok: false as const, problems: [message] }),
  );
}

type Row = { onDate: string; part: string; topic: string; periods: number; lecturerName: string };

export default function Timetable() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [rows, setRows] = useState<Row[]>(d.rows.length ? d.rows : d.suggestion);
  useEffect(() => {
    if (a?.ok) setRows(d.rows);
  }, [a, d.rows]);
  const total = rows.reduce((s, r) => s + (Number(r.periods) || 0), 0);
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <ClassRecordsTabs classId={d.klass.id} className={d.klass.name} />
      <h1>Lịch học</h1>
      <p className="lead">
        {d.klass.programmeName}: {d.programme.totalPeriods} tiết, mỗi buổi {d.programme.periodsPerSession} tiết. Đang xếp: {rows.length}{" "}
        buổi, {total} tiết.
      </p>
      {a?.ok ? <Notice>Đã lưu lịch học.</Notice> : null}
      {a && !a.ok ? (
        <div className="form-error" role="alert">
          <p style={{ marginTop: 0 }}>Chưa lưu được lịch học:</p>
          <ul>
            {a.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {d.check.deviations.length && d.rows.length ? (
        <div className="card" role="note">
          <strong>Lịch đã lưu khác chương trình</strong>
          <ul>
            {d.check.deviations.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
          <p style={{ marginBottom: 0 }}>Lý do điều chỉnh: {d.reason ?? "—"}</p>
        </div>
      ) : null}
      <Form method="post">
        <ScrollRegion label="Các buổi học">
          <table className="data" aria-label="Các buổi học">
            <thead>
              <tr>
                <th scope="col">Buổi</th>
                <th scope="col">Ngày</th>
                <th scope="col">Sáng/chiều</th>
                <th scope="col">Nội dung</th>
                <th scope="col">Số tiết</th>
                <th scope="col">Giảng viên</th>
                {d.canEdit ? <th scope="col">Bỏ</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>
                    <input
                      name="onDate"
                      aria-label={`Ngày buổi ${i + 1}`}
                      value={r.onDate}
                      onChange={(e) => set(i, { onDate: e.target.value })}
                      size={10}
                      inputMode="numeric"
                      disabled={!d.canEdit}
                    />
                  </td>
                  <td>
                    <select
                      name="part"
                      aria-label={`Buổi ${i + 1}: sáng hay chiều`}
                      value={r.part}
                      onChange={(e) => set(i, { part: e.target.value })}
                      disabled={!d.canEdit}
                    >
                      {Object.entries(PART_LABELS).map(([k, v]) => (
                        <option key={k} value={k}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      name="topic"
                      aria-label={`Nội dung buổi ${i + 1}`}
                      value={r.topic}
                      onChange={(e) => set(i, { topic: e.target.value })}
                      disabled={!d.canEdit}
                      style={{ maxWidth: "22rem" }}
                    >
                      {d.options.map((o) => (
                        <option key={o.topic} value={o.topic}>
                          {o.title} ({o.periods} tiết)
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      name="periods"
                      type="number"
                      min={1}
                      max={10}
                      aria-label={`Số tiết buổi ${i + 1}`}
                      value={r.periods}
                      onChange={(e) => set(i, { periods: Number(e.target.value) })}
                      style={{ width: "4rem" }}
                      disabled={!d.canEdit}
                    />
                  </td>
                  <td>
                    <input
                      name="lecturerName"
                      aria-label={`Giảng viên buổi ${i + 1}`}
                      value={r.lecturerName}
                      onChange={(e) => set(i, { lecturerName: e.target.value })}
                      disabled={!d.canEdit}
                    />
                  </td>
                  {d.canEdit ? (
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setRows(rows.filter((_, j) => j !== i))}
                        aria-label={`Bỏ buổi ${i + 1}`}
                      >
                        ✕
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        {d.canEdit ? (
          <>
            <p className="actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setRows([...rows, { ...(rows[rows.length - 1] ?? d.suggestion[0]!), lecturerName: "" }])}
              >
                Thêm buổi
              </button>
              <button type="button" className="button button--secondary" onClick={() => setRows(d.suggestion)}>
                Xếp theo chương trình
              </button>
            </p>
            <div className="field">
              <label htmlFor="reason">Lý do điều chỉnh (bắt buộc khi lịch khác chương trình)</label>
              <textarea id="reason" name="reason" rows={2} defaultValue={d.reason ?? ""} />
            </div>
            <button className="button" type="submit" disabled={busy}>
              Lưu lịch học
            </button>
          </>
        ) : null}
      </Form>
    </>
  );
}
