import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Tiến độ tự học — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer"]);
  return withAppErrors(() => context.services.curricula.classProgress(viewer, idParam(params, "id")));
}

const MARK = { done: "✓", opened: "…", none: "✗" } as const;
const LABEL = { done: "đã học xong", opened: "đang học", none: "chưa mở" } as const;

export default function ClassProgress() {
  const { klass, lessons, trainees } = useLoaderData<typeof loader>();
  const behind = trainees.filter((t) => t.completed < lessons.length);
  return (
    <>
      <ClassRecordsTabs classId={klass.id} className={klass.name} />
      <h1>Tiến độ tự học</h1>
      <p>
        <Link to={`/lop/${klass.id}/kiem-tra`}>Bài kiểm tra của lớp →</Link>
      </p>
      <p className="lead">
        {klass.name} · {klass.centre}. {trainees.length} học viên; {behind.length} người chưa học xong tất cả các bài.
      </p>
      <p className="muted">Ký hiệu: ✓ đã học xong · … đang học · ✗ chưa mở. Số phút là thời gian đọc bài ghi nhận được.</p>
      <ScrollRegion label="Tiến độ tự học từng học viên">
        <table className="data matrix">
          <thead>
            <tr>
              <th scope="col">Học viên</th>
              <th scope="col">Đơn vị</th>
              {lessons.map((l) => (
                <th scope="col" key={l.id} title={l.title}>
                  Bài {l.number}
                </th>
              ))}
              <th scope="col">Xong</th>
            </tr>
          </thead>
          <tbody>
            {trainees.map((t) => (
              <tr key={t.personId}>
                <th scope="row">
                  {t.name}
                  {!t.hasAccount ? <span className="badge"> chưa có tài khoản</span> : null}
                </th>
                <td>{t.unit}</td>
                {t.cells.map((c, i) => (
                  <td
                    key={i}
                    className={c.state}
                    aria-label={`Bài ${lessons[i]!.number}: ${LABEL[c.state]}${c.minutes ? `, ${c.minutes} phút` : ""}`}
                  >
                    {MARK[c.state]}
                    {c.minutes ? <small> {c.minutes}′</small> : null}
                  </td>
                ))}
                <td>
                  {t.completed}/{lessons.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
