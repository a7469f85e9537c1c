import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { formatVnDate } from "../../server/rules/dates";

export const meta: MetaFunction = () => [{ title: "Lớp học — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer"]);
  const classes = await context.services.curricula.classesFor(viewer);
  return {
    classes: classes.map((c) => ({ id: c.id, name: c.name, programme: c.programme_code.toUpperCase(), centre: c.centre_name, from: formatVnDate(c.starts_on), to: formatVnDate(c.ends_on), trainees: Number(c.trainees) })),
  };
}

export default function Classes() {
  const { classes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Lớp học</h1>
      {classes.length === 0 ? <p>Chưa có lớp nào trong phạm vi của bạn.</p> : null}
      <div className="cards">
        {classes.map((c) => (
          <Link key={c.id} to={`/lop/${c.id}/tien-do`} className="card card-link">
            <strong>{c.name}</strong>
            <p>
              {c.programme} · {c.centre}
            </p>
            <p>
              {c.from} – {c.to} · {c.trainees} học viên · xem tiến độ tự học
            </p>
          </Link>
        ))}
      </div>
    </>
  );
}
