import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { formatVnDate } from "../../server/rules/dates";
import { programmeLabel } from "../../server/classes/programme-label";

export const meta: MetaFunction = () => [{ title: "Lớp học — Bồi Dưỡng" }];

/** The classes in the viewer's scope; each opens its class home (`/lop/:id`), which leads to every page of the class. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  return withAppErrors(async () => {
    const classes = await context.services.classRecords.classesFor(viewer);
    return {
      classes: classes.map((c) => ({
        id: c.id,
        name: c.name,
        programme: programmeLabel(c.programme_code),
        centre: c.centre_name,
        from: formatVnDate(c.starts_on),
        to: formatVnDate(c.ends_on),
        trainees: c.trainees,
      })),
    };
  });
}

export default function Classes() {
  const { classes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Lớp học</h1>
      <p className="lead">
        Chọn một lớp để xem các bước của lớp: kế hoạch, đề cử, lịch học, điểm danh, kiểm tra, kết quả, giấy chứng nhận và văn bản.
      </p>
      {classes.length === 0 ? <p>Chưa có lớp nào trong phạm vi của bạn.</p> : null}
      <div className="cards">
        {classes.map((c) => (
          <Link key={c.id} to={`/lop/${c.id}`} className="card card-link">
            <strong>{c.name}</strong>
            <p>
              {c.programme} · {c.centre}
            </p>
            <p>
              {c.from && c.to ? `${c.from} – ${c.to} · ` : ""}
              {c.trainees} học viên
            </p>
          </Link>
        ))}
      </div>
    </>
  );
}
