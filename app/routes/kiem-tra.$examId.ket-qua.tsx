import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { QUESTION_LEVEL } from "~/lib/labels";
import { formatVnDate } from "../../server/rules/dates";
import { formatNumber, formatPercent, formatScore } from "../../server/rules/numbers";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Kết quả kiểm tra — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer"]);
  return withAppErrors(() => context.services.exams.results(viewer, idParam(params, "examId")));
}

export default function ExamResults() {
  const { exam, trainees, summary, items } = useLoaderData<typeof loader>();
  const maxBin = Math.max(1, ...summary.distribution);
  return (
    <>
      <h1>Kết quả: {exam.title}</h1>
      <p className="lead">{exam.className}</p>
      <div className="cards">
        <div className="card">
          <strong>Đã nộp</strong>
          <p>
            {summary.submitted}/{summary.enrolled} học viên
          </p>
          <p className="muted">{summary.graded} học viên đã có điểm; tính lần làm bài có điểm cao nhất của mỗi người.</p>
          {summary.awaitingGrading ? (
            <p>
              <Link to={`/kiem-tra/${exam.id}/cham-tu-luan`}>{summary.awaitingGrading} bài chờ chấm tự luận</Link>
            </p>
          ) : null}
        </div>
        <div className="card">
          <strong>Tỷ lệ đạt</strong>
          <p>
            {formatPercent(summary.passRate)} (điểm đạt ≥ {formatNumber(exam.passMark)})
          </p>
        </div>
        <div className="card">
          <strong>Điểm trung bình</strong>
          <p>{formatNumber(summary.mean)}</p>
        </div>
      </div>
      <h2>Phân bố điểm</h2>
      <figure className="card" aria-label="Biểu đồ phân bố điểm">
        <svg
          viewBox="0 0 440 170"
          role="img"
          aria-label={`Số học viên theo điểm: ${summary.distribution.map((n, i) => `${i} điểm: ${n}`).join(", ")}`}
          style={{ width: "100%", maxWidth: "40rem" }}
        >
          {summary.distribution.map((n, i) => {
            const h = (n / maxBin) * 120;
            return (
              <g key={i}>
                <rect x={10 + i * 39} y={140 - h} width={30} height={h} fill={i >= exam.passMark ? "#1f6f3a" : "#a50f15"} />
                <text x={25 + i * 39} y={158} textAnchor="middle" fontSize="12">
                  {i}
                </text>
                {n ? (
                  <text x={25 + i * 39} y={135 - h} textAnchor="middle" fontSize="12">
                    {n}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
        <figcaption className="muted">
          Xếp loại: {exam.bands.map((b) => `${b.label} ${summary.bandCounts[b.code] ?? 0}`).join(" · ")}
        </figcaption>
      </figure>
      <p>
        <a className="button button--secondary" href={`/kiem-tra/${exam.id}/ket-qua.xlsx`} download>
          Tải kết quả (.xlsx)
        </a>
      </p>
      <h2>Học viên</h2>
      <ScrollRegion label="Kết quả từng học viên">
        <table className="data" aria-label="Kết quả từng học viên">
          <thead>
            <tr>
              <th scope="col">Họ và tên</th>
              <th scope="col">Ngày sinh</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Điểm</th>
              <th scope="col">Xếp loại</th>
              <th scope="col">Biên nhận</th>
            </tr>
          </thead>
          {trainees.map((t) => (
            // One body per trainee: the counted attempt, then the others under it.
            <tbody key={t.personId}>
              <tr>
                <td>
                  {t.name}
                  {t.attempts > 1 ? (
                    <span className="muted">
                      {" "}
                      · {t.attempts} lần nộp, tính lần {t.score === null ? "—" : t.attemptNo}
                    </span>
                  ) : null}
                </td>
                <td>{formatVnDate(t.birthDate)}</td>
                <td>{t.unit}</td>
                <td>{t.score === null ? "—" : formatScore(t.score)}</td>
                <td>{t.band ?? (t.awaitingGrading ? "Chờ chấm tự luận" : "Chưa nộp")}</td>
                <td>{t.receipt ?? ""}</td>
              </tr>
              {t.others.map((o) => (
                <tr key={o.attemptId} className="muted" data-other-attempt="">
                  <td style={{ paddingLeft: "1.5rem" }}>Lần {o.attemptNo} (không tính)</td>
                  <td />
                  <td />
                  <td>{o.score === null ? "—" : formatScore(o.score)}</td>
                  <td>{o.band ?? (o.awaitingGrading ? "Chờ chấm tự luận" : "")}</td>
                  <td>{o.receipt ?? ""}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </ScrollRegion>
      <h2>Phân tích câu hỏi (khó nhất trước)</h2>
      <ScrollRegion label="Phân tích câu hỏi">
        <table className="data" aria-label="Phân tích câu hỏi">
          <thead>
            <tr>
              <th scope="col">Bài</th>
              <th scope="col">Câu hỏi</th>
              <th scope="col">Tỷ lệ đúng</th>
              <th scope="col">Độ phân biệt</th>
              <th scope="col">Lượt chọn từng phương án</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, 50).map((it) => (
              <tr key={it.versionId}>
                <td>
                  {it.lesson} · {it.level ? QUESTION_LEVEL[it.level] : ""}
                </td>
                <td>
                  {it.stem}
                  {it.corrected ? <span className="badge"> đáp án đã sửa</span> : null}
                </td>
                <td>{formatPercent(it.facility, 0)}</td>
                <td>{formatNumber(it.discrimination)}</td>
                <td>
                  {it.options.map((o, i) => (
                    <span key={i} style={{ fontWeight: o.correct ? 700 : 400 }}>
                      {String.fromCharCode(65 + i)}: {it.optionCounts[i] ?? 0}
                      {o.correct ? " ✓" : ""}
                      {i < it.options.length - 1 ? " · " : ""}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p>
        <Link to="/lop">← Lớp học</Link>
      </p>
    </>
  );
}
