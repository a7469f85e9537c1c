import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asResponse, requireRole } from "~/lib/guards.server";
import { formatVnDate } from "../../server/rules/dates";

export const meta: MetaFunction = () => [{ title: "Sổ lớp — Bồi Dưỡng" }];

/** The class register: timetable, attendance, results, certificates and documents of each class. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  try {
    const classes = await context.services.classRecords.classesFor(viewer);
    return { classes: classes.map((c) => ({ ...c, from: formatVnDate(c.starts_on), to: formatVnDate(c.ends_on), programme: c.programme_code.toUpperCase() })) };
  } catch (e) {
    throw asResponse(e);
  }
}

export default function ClassRegisterIndex() {
  const { classes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Sổ lớp</h1>
      <p className="lead">Lịch học, điểm danh, rèn luyện, kết quả học tập, giấy chứng nhận, thông báo và báo cáo của từng lớp.</p>
      {classes.length === 0 ? <p>Chưa có lớp nào trong phạm vi của bạn.</p> : null}
      <div className="cards">
        {classes.map((c) => (
          <div key={c.id} className="card">
            <strong>{c.name}</strong>
            <p className="muted">
              {c.programme} · {c.centre_name} · {c.from} – {c.to} · {c.trainees} học viên
            </p>
            <p className="actions">
              <Link to={`/lop/${c.id}/lich-hoc`}>Lịch học</Link>
              <Link to={`/lop/${c.id}/diem-danh`}>Điểm danh</Link>
              <Link to={`/lop/${c.id}/ket-qua-hoc-tap`}>Kết quả</Link>
              <Link to={`/lop/${c.id}/chung-chi`}>Giấy chứng nhận</Link>
              <Link to={`/lop/${c.id}/van-ban`}>Thông báo, báo cáo</Link>
            </p>
          </div>
        ))}
      </div>
    </>
  );
}
