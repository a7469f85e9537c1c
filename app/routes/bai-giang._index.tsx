import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { formatDateTime } from "~/lib/labels";
import { hasRole } from "../../server/auth/scope";

export const meta: MetaFunction = () => [{ title: "Soạn, duyệt bài giảng — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  return withAppErrors(async () => {
    const lessons = await context.services.curricula.authoringList(viewer);
    const pending = hasRole(viewer, ["committee"]) ? await context.services.curricula.pendingReviews(viewer) : [];
    return { lessons, pending };
  });
}

export default function Authoring() {
  const { lessons, pending } = useLoaderData<typeof loader>();
  const programmes = [...new Set(lessons.map((l) => l.programme_code))];
  return (
    <>
      <h1>Soạn, duyệt bài giảng</h1>
      {pending.length ? (
        <section className="card" aria-labelledby="pending">
          <h2 id="pending" style={{ marginTop: 0 }}>
            Chờ duyệt ({pending.length})
          </h2>
          <ul>
            {pending.map((p) => (
              <li key={p.id}>
                <Link to={`/bai-giang/${p.lesson_id}?ban=${p.id}`}>
                  {p.programme_code.toUpperCase()} · Bài {p.position}. {p.title} — phiên bản {p.version_no}
                </Link>{" "}
                <span className="muted">
                  ({p.origin === "file" ? "cập nhật từ tệp nội dung" : p.author}, gửi {formatDateTime(p.submitted_at)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {programmes.map((code) => {
        const items = lessons.filter((l) => l.programme_code === code);
        return (
          <section key={code}>
            <h2>{items[0]!.programme_name}</h2>
            <ul className="lesson-list">
              {items.map((l) => (
                <li key={l.id} className="card">
                  <Link to={`/bai-giang/${l.id}`}>
                    <strong>
                      Bài {l.position}. {l.title}
                    </strong>
                  </Link>
                  <span className="muted"> · phiên bản đang dùng: {l.version_no}</span>
                  {Number(l.pending) ? <span className="badge badge--err"> {l.pending} chờ duyệt</span> : null}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
