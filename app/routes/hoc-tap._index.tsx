import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Học tập — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return { programmes: await context.services.curricula.programmesFor(viewer) };
}

export default function Study() {
  const { programmes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Học tập</h1>
      {programmes.length === 0 ? <p>Bạn chưa được ghi danh vào lớp nào. Khi trung tâm xếp lớp, các bài học sẽ hiện ở đây.</p> : null}
      <div className="cards">
        {programmes.map((p) => (
          <Link key={p.code} to={`/hoc-tap/${p.code}`} className="card card-link">
            <strong>{p.shortName}</strong>
            <p>{p.name}</p>
            <p>
              {p.lessons} bài · {p.totalPeriods} tiết · đã học xong {p.completed}/{p.lessons}
            </p>
            <div className="progress" role="img" aria-label={`Đã học xong ${p.completed} trên ${p.lessons} bài`}>
              <span style={{ width: `${p.lessons ? (100 * p.completed) / p.lessons : 0}%` }} />
            </div>
          </Link>
        ))}
      </div>
    </>
  );
}
