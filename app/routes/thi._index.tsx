import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { formatDateTime } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Bài kiểm tra — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return { exams: await context.services.exams.examsForTrainee(viewer) };
}

const STATE: Record<string, string> = {
  upcoming: "Chưa mở",
  open: "Đang mở",
  in_progress: "Đang làm",
  submitted: "Đã nộp",
  closed: "Đã đóng",
};

export default function MyExams() {
  const { exams } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Bài kiểm tra</h1>
      {exams.length === 0 ? <p>Chưa có bài kiểm tra nào cho lớp của bạn.</p> : null}
      <div className="cards">
        {exams.map((e) => (
          // A submitted paper leads to its review (score, and the answers as the policy allows); a practice test is retaken from there.
          <Link key={e.id} to={e.state === "submitted" ? `/thi/${e.id}/xem-lai` : `/thi/${e.id}`} className="card card-link">
            <strong>{e.title}</strong>
            <p>{e.className}</p>
            <p>
              {formatDateTime(e.opensAt)} – {formatDateTime(e.closesAt)} · {e.durationMinutes} phút
            </p>
            <p>
              <span className={`badge${e.state === "open" || e.state === "in_progress" ? " badge--ok" : ""}`}>{STATE[e.state]}</span>
              {e.awaitingGrading ? " · chờ chấm tự luận" : ""}
              {e.receipt ? ` · Biên nhận ${e.receipt}` : ""}
            </p>
            {e.state === "submitted" && !e.awaitingGrading && e.reviewPolicy !== "none" ? (
              <p className="muted">{e.reviewPolicy === "answers_after_submit" ? "Xem điểm, đáp án và giải thích →" : "Xem kết quả →"}</p>
            ) : null}
          </Link>
        ))}
      </div>
      <p>
        <Link to="/bien-nhan">Kiểm tra biên nhận bài làm</Link>
      </p>
    </>
  );
}
