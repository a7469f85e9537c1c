import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.manifest.shortName ?? "Chương trình"} — Bồi Dưỡng` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return withAppErrors(() => context.services.curricula.programmeOutline(viewer, params.programme!));
}

function minutes(seconds: number) {
  return seconds >= 60 ? `${Math.round(seconds / 60)} phút` : seconds > 0 ? "dưới 1 phút" : "";
}

export default function ProgrammeOutline() {
  const { manifest, lessons, periods, examGate, className } = useLoaderData<typeof loader>();
  const done = lessons.filter((l) => l.progress.completed).length;
  return (
    <>
      <p className="lesson-meta">
        <Link to="/hoc-tap">Học tập</Link> › {manifest.shortName}
      </p>
      <h1>{manifest.name}</h1>
      <p className="lead">
        Theo Hướng dẫn {manifest.guideline.number} của {manifest.guideline.issuer}. {periods.total} tiết ({periods.sessions} buổi).{" "}
        {className ? `Lớp: ${className}.` : ""}
      </p>
      <div className="card">
        <p style={{ marginTop: 0 }}>
          Đã học xong <strong>{done}</strong>/{lessons.length} bài
        </p>
        <div className="progress" role="img" aria-label={`Đã học xong ${done} trên ${lessons.length} bài`}>
          <span style={{ width: `${lessons.length ? (100 * done) / lessons.length : 0}%` }} />
        </div>
        {examGate ? (
          <p role="status" style={{ marginBottom: 0 }}>
            {examGate.open
              ? `Bạn đã học đủ các bài bắt buộc để dự ${manifest.assessmentLabel.toLowerCase()}.`
              : `Để dự ${manifest.assessmentLabel.toLowerCase()}, cần học xong: ${examGate.missing.map((n) => `Bài ${n}`).join(", ")}.`}
          </p>
        ) : null}
      </div>
      <h2>Các bài học</h2>
      <ol className="lesson-list">
        {lessons.map((l) => (
          <li key={l.id} className="card">
            <Link to={`/hoc-tap/${manifest.code}/${l.slug}`}>
              <strong>
                Bài {l.number}. {l.title}
              </strong>
            </Link>
            <p className="muted" style={{ margin: ".25rem 0" }}>
              {l.periods} tiết{l.unconfirmed ? " (số tiết mặc định, chờ xác nhận)" : ""} · {l.summary}
            </p>
            <span className={`status status--${l.progress.completed ? "done" : l.progress.opened ? "opened" : "none"}`}>
              {l.progress.completed ? "✓ Đã học xong" : l.progress.opened ? "Đang học" : "Chưa học"}
              {l.progress.seconds ? ` · ${minutes(l.progress.seconds)}` : ""}
            </span>
          </li>
        ))}
      </ol>
      <h2>Hoạt động trên lớp</h2>
      <ul>
        {manifest.activities.map((a) => (
          <li key={a.code}>
            {a.title} — {a.periods} tiết
          </li>
        ))}
      </ul>
      <p className="muted">Đánh giá: {manifest.assessmentLabel}.</p>
    </>
  );
}
