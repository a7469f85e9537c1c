import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime, resultLabel } from "~/lib/labels";
import { formatNumber } from "../../server/rules/numbers";
import { StemContent } from "~/components/question-stem";

export const meta: MetaFunction = () => [{ title: "Xem lại bài làm — Bồi Dưỡng" }];

/**
 * The trainee's review of a submitted paper, as the exam's review policy allows: the
 * service sends the key and the answers only once the policy permits (server/exams/review.ts).
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const exam = (await context.services.exams.examsForTrainee(viewer)).find((e) => e.id === idParam(params, "examId"));
  if (!exam?.attemptId || exam.state !== "submitted") throw new Response("Bạn chưa nộp bài kiểm tra này.", { status: 404 });
  const { attemptId, canRetake } = exam;
  return withAppErrors(async () => ({ ...(await context.services.exams.review(viewer, attemptId)), canRetake }));
}

const letter = (i: number) => String.fromCharCode(65 + i);
const points = (n: number) => formatNumber(n);
const chosenLetters = (options: { chosen: boolean }[]) => options.flatMap((o, i) => (o.chosen ? [letter(i)] : [])).join(", ");
const correctLetters = (options: { correct: boolean }[]) => options.flatMap((o, i) => (o.correct ? [letter(i)] : [])).join(", ");

export default function ReviewAttempt() {
  const r = useLoaderData<typeof loader>();
  return (
    <>
      <p className="lesson-meta">
        <Link to="/thi">Bài kiểm tra</Link> › <Link to={`/thi/${r.examId}`}>{r.title}</Link>
      </p>
      <h1>Xem lại bài làm</h1>
      <section className="card" aria-labelledby="sum-title">
        <h2 id="sum-title" style={{ marginTop: 0 }}>
          Kết quả
        </h2>
        {r.score !== null ? (
          <p data-testid="final-score">
            Điểm: <strong>{formatNumber(r.score)}</strong> · <strong>{resultLabel(r.passed, r.band)}</strong>
          </p>
        ) : null}
        {r.notice ? <p role="status">{r.notice}</p> : null}
        <p className="muted">
          Mã biên nhận: <span className="receipt">{r.receipt}</span>
        </p>
        {r.items ? null : <p className="muted">Bài kiểm tra đóng lúc {formatDateTime(r.closesAt)}.</p>}
        {r.canRetake ? (
          <p>
            <Link className="button button--secondary" to={`/thi/${r.examId}`}>
              Làm lại bài
            </Link>
          </p>
        ) : null}
      </section>
      {r.items ? (
        <ol className="selfcheck__list" style={{ listStyle: "none", padding: 0 }}>
          {r.items.map((it) => (
            <li key={it.position} className="card" data-testid="review-item">
              <h2 className="exam-qnum" style={{ marginTop: 0 }}>
                Câu {it.position} · {points(it.earned)}/{points(it.points)} điểm
                {it.corrected ? <span className="badge"> đáp án đã được sửa</span> : null}
              </h2>
              <div className="exam-stem">
                <StemContent stem={it.stem} html={it.stemHtml} />
              </div>
              {it.type === "essay" ? (
                <>
                  <h3>Bài làm của bạn</h3>
                  <blockquote style={{ whiteSpace: "pre-wrap" }}>{it.text || <em>Để trống.</em>}</blockquote>
                  {it.comment ? (
                    <p>
                      <strong>Nhận xét của giảng viên:</strong> {it.comment}
                    </p>
                  ) : null}
                </>
              ) : (
                <ul style={{ listStyle: "none", padding: 0 }}>
                  {it.options.map((o, i) => (
                    <li key={i} className={`choice${o.correct ? " is-correct" : o.chosen ? " is-wrong" : ""}`}>
                      <span>
                        <strong>{letter(i)}.</strong> {o.text}
                        {o.chosen ? " — bạn chọn" : ""}
                        {o.correct ? " ✓ đáp án đúng" : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {it.type !== "essay" ? (
                <p data-testid="review-key">
                  Bạn chọn: <strong>{chosenLetters(it.options) || "không trả lời"}</strong> · Đáp án đúng:{" "}
                  <strong>{correctLetters(it.options)}</strong>
                </p>
              ) : null}
              {it.explanation && it.type !== "essay" ? (
                <p className="review-explanation">
                  <strong>Giải thích:</strong> {it.explanation}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      <p>
        <Link to="/thi">← Về danh sách bài kiểm tra</Link>
      </p>
    </>
  );
}
