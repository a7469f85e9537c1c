import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam, searchId } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { QrScanner } from "~/components/class-records/qr-scanner";
import { ATTENDANCE_LABELS, ATTENDANCE_STATUSES } from "../../server/classes/attendance-labels";
import { PART_LABELS } from "../../server/classes/timetable";
import { formatVnDate } from "../../server/rules/dates";
import type { AttendanceStatus } from "../../server/db/schema-class-records";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Điểm danh — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  const buoi = searchId(new URL(request.url).searchParams, "buoi");
  return withAppErrors(async () => {
    const b = await context.services.classRecords.attendanceBoard(viewer, idParam(params, "id"), buoi);
    return {
      klass: b.klass,
      canMark: b.canMark,
      totalPeriods: b.totalPeriods,
      maxAbsentShare: b.policy.maxAbsentShare,
      sessions: b.sessions.map((s) => ({
        id: s.id,
        label: `Buổi ${s.seq} — ${PART_LABELS[s.part]} ${formatVnDate(s.on_date)}: ${s.title}`,
      })),
      current: b.current ? { id: b.current.id, seq: b.current.seq } : null,
      trainees: b.trainees,
    };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor"]);
  const form = await request.formData();
  const sessionId = Number(form.get("sessionId"));
  return actionResult(
    async () => {
      if (form.get("intent") === "scan") {
        const r = await context.services.classRecords.scanTrainee(viewer, sessionId, String(form.get("payload") ?? ""));
        return r.ok
          ? { ok: true, message: r.already ? `${r.fullName} đã được điểm danh trước đó.` : `Đã điểm danh: ${r.fullName} — có mặt.` }
          : { ok: false, message: r.message };
      }
      await context.services.classRecords.markAttendance(viewer, {
        sessionId,
        personId: Number(form.get("personId")),
        status: String(form.get("status")) as AttendanceStatus,
      });
      return { ok: true, message: "Đã lưu." };
    },
    ({ message }) => ({ ok: false, message }),
  );
}

function MarkSelect({
  sessionId,
  personId,
  name,
  status,
  disabled,
}: {
  sessionId: number;
  personId: number;
  name: string;
  status: AttendanceStatus | null;
  disabled: boolean;
}) {
  const f = useFetcher<typeof action>();
  const value = (f.formData?.get("status") as string | undefined) ?? status ?? "";
  return (
    <f.Form method="post">
      <input type="hidden" name="sessionId" value={sessionId} />
      <input type="hidden" name="personId" value={personId} />
      <select
        name="status"
        aria-label={`Điểm danh ${name}`}
        value={value}
        disabled={disabled}
        onChange={(e) => f.submit(e.currentTarget.form)}
        style={{ minHeight: 44 }}
      >
        <option value="" disabled>
          — chưa điểm danh —
        </option>
        {ATTENDANCE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {ATTENDANCE_LABELS[s]}
          </option>
        ))}
      </select>
      {f.data && !f.data.ok ? <span className="error"> {f.data.message}</span> : null}
    </f.Form>
  );
}

export default function AttendanceBoard() {
  const d = useLoaderData<typeof loader>();
  const scan = useFetcher<typeof action>();
  const navigate = useNavigate();
  const [scanned, setScanned] = useState(0);
  const present = d.trainees.filter((t) => t.status === "co_mat" || t.status === "di_muon").length;
  return (
    <>
      <ClassRecordsTabs classId={d.klass.id} className={d.klass.name} />
      <h1>Điểm danh</h1>
      {d.sessions.length === 0 ? (
        <p>
          Lớp chưa có lịch học. <Link to={`/lop/${d.klass.id}/lich-hoc`}>Xếp lịch học</Link> trước khi điểm danh.
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor="buoi">Buổi học</label>
            <select id="buoi" value={d.current?.id ?? ""} onChange={(e) => navigate(`?buoi=${e.target.value}`)}>
              {d.sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          {d.current && d.canMark ? (
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Quét mã học viên</h2>
              <p className="muted">Quét mã QR cá nhân của học viên (mục “Điểm danh” trên điện thoại của học viên) để ghi có mặt.</p>
              <QrScanner
                paused={scan.state !== "idle"}
                onCode={(payload) => {
                  setScanned((n) => n + 1);
                  scan.submit({ intent: "scan", sessionId: String(d.current!.id), payload }, { method: "post" });
                }}
              />
              {scan.data ? (
                <p
                  className={scan.data.ok ? "notice-ok" : "form-error"}
                  role="status"
                  aria-live="polite"
                  data-testid="scan-result"
                  data-scans={scanned}
                >
                  {scan.data.message}
                </p>
              ) : null}
              <p className="actions">
                <Link
                  className="button button--secondary"
                  to={`/lop/${d.klass.id}/diem-danh/chieu?buoi=${d.current.id}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  Chiếu mã điểm danh của lớp
                </Link>
              </p>
            </div>
          ) : null}
          <p>
            Có mặt {present}/{d.trainees.length}. Học viên vắng quá {Math.round(d.maxAbsentShare * 100)}% số tiết ({d.totalPeriods} tiết)
            không đủ điều kiện kiểm tra.
          </p>
          <ScrollRegion label="Danh sách điểm danh">
            <table className="data" aria-label="Danh sách điểm danh">
              <thead>
                <tr>
                  <th scope="col">Họ và tên</th>
                  <th scope="col">Buổi này</th>
                  <th scope="col">Tiết vắng</th>
                </tr>
              </thead>
              <tbody>
                {d.trainees.map((t) => (
                  <tr key={t.id}>
                    <td>
                      {t.fullName}
                      <br />
                      <span className="muted">{t.unitName}</span>
                    </td>
                    <td>
                      {d.current ? (
                        <MarkSelect sessionId={d.current.id} personId={t.id} name={t.fullName} status={t.status} disabled={!d.canMark} />
                      ) : null}
                    </td>
                    <td>
                      {t.summary.absentPeriods}
                      {!t.summary.maySit ? (
                        <>
                          {" "}
                          <span className="badge badge--err">không đủ điều kiện kiểm tra</span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </>
  );
}
