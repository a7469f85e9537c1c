import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { formatVnDate, formatVnDateTime } from "../../server/rules/dates";
import { formatNumber, formatPercent } from "../../server/rules/numbers";
import { parseDashboardFilters } from "../../server/dashboards/filters";
import { ScrollRegion } from "~/components/scroll-region";
import { LEVEL_LABELS } from "../../server/rules/levels";

export const meta: MetaFunction = () => [{ title: "Bảng điều khiển — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["committee", "organisation_board", "centre_admin"]);
  return withAppErrors(() => context.services.dashboards.overview(viewer, parseDashboardFilters(new URL(request.url).searchParams)));
}

// Vietnamese writes a decimal comma: 91,4% (server/rules/numbers.ts).
const pct = (x: number | null) => formatPercent(x);
const dec = (x: number | null | undefined) => formatNumber(x);
const BANDS = [
  { key: "xuat_sac", label: LEVEL_LABELS.xuat_sac, colour: "#0b4d26" },
  { key: "gioi", label: LEVEL_LABELS.gioi, colour: "#1f6f3a" },
  { key: "kha", label: LEVEL_LABELS.kha, colour: "#6fae7e" },
  { key: "trung_binh", label: LEVEL_LABELS.trung_binh, colour: "#e3a72d" },
  { key: "khong_dat", label: LEVEL_LABELS.khong_dat, colour: "#a50f15" },
] as const;

function Verdict({ met }: { met: boolean | null }) {
  if (met === null) return <span className="badge">—</span>;
  return met ? <span className="badge badge--ok">Đạt</span> : <span className="badge badge--err">Chưa đạt</span>;
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const query = useLocation().search;
  const t = d.totals;
  const bandTotal = Math.max(
    1,
    BANDS.reduce((s, b) => s + t.bands[b.key], 0),
  );
  const barW = 360 / Math.max(1, d.trend.length);
  return (
    <>
      <h1>Bảng điều khiển bồi dưỡng chính trị</h1>
      <p className="lead">
        {d.scopeNames.join(", ")} · số liệu đến ngày {formatVnDate(d.today)}
      </p>
      <p className="muted" data-testid="computed-at">
        {d.computedAt ? `Số liệu tính lúc ${formatVnDateTime(d.computedAt)}` : "Chưa có số liệu được tính cho phạm vi này."}
      </p>

      <Form method="get" className="card no-print" aria-label="Lọc số liệu">
        <div className="cards">
          <div className="field">
            <label htmlFor="nam">Năm</label>
            <select id="nam" name="nam" defaultValue={d.filters.year}>
              {d.options.years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="quy">Quý</label>
            <select id="quy" name="quy" defaultValue={d.filters.quarter ?? ""}>
              <option value="">Cả năm</option>
              {[1, 2, 3, 4].map((q) => (
                <option key={q} value={q}>
                  Quý {["I", "II", "III", "IV"][q - 1]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="trung-tam">Trung tâm</label>
            <select id="trung-tam" name="trung-tam" defaultValue={d.filters.centreId ?? ""}>
              <option value="">Tất cả</option>
              {d.options.centres.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="chuong-trinh">Chương trình</label>
            <select id="chuong-trinh" name="chuong-trinh" defaultValue={d.filters.programme ?? ""}>
              <option value="">Tất cả</option>
              {d.options.programmes.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="giang-vien">Giảng viên</label>
            <select id="giang-vien" name="giang-vien" defaultValue={d.filters.lecturer ?? ""}>
              <option value="">Tất cả</option>
              {d.options.lecturers.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="actions">
          <button className="button" type="submit">
            Xem số liệu
          </button>
          <a className="button button--secondary" href={`/bang-dieu-khien.xlsx${query}`} download>
            Tải Excel (.xlsx)
          </a>
          <a className="button button--secondary" href={`/bang-dieu-khien/bao-cao.pdf${query}`} target="_blank" rel="noreferrer">
            Báo cáo in (PDF)
          </a>
        </div>
      </Form>

      <div className="cards">
        <div className="card">
          <strong>Lớp đã mở</strong>
          <p style={{ fontSize: "1.6rem", margin: ".2rem 0" }}>
            {d.targets.classes.actual}
            {d.targets.classes.planned !== null ? ` / ${d.targets.classes.planned} kế hoạch` : ""}
          </p>
          <Verdict met={d.targets.classes.met} />{" "}
          <span className="muted">
            {t.classes} lớp trong kỳ, {t.enrolled} học viên
          </span>
        </div>
        <div className="card">
          <strong>Tỷ lệ đạt yêu cầu</strong>
          <p style={{ fontSize: "1.6rem", margin: ".2rem 0" }}>{pct(t.passRate)}</p>
          <Verdict met={d.targets.pass.met} />{" "}
          <span className="muted">
            chỉ tiêu {d.targets.pass.target}% · {t.passed}/{t.assessed} học viên
          </span>
        </div>
        <div className="card">
          <strong>Tỷ lệ khá, giỏi</strong>
          <p style={{ fontSize: "1.6rem", margin: ".2rem 0" }}>{pct(t.goodShare)}</p>
          <Verdict met={d.targets.good.met} />{" "}
          <span className="muted">
            chỉ tiêu trên {d.targets.good.target}% · điểm TB {dec(t.meanScore)}
          </span>
        </div>
      </div>

      <h2>Xếp loại</h2>
      <figure className="card" aria-label="Biểu đồ xếp loại">
        <div
          style={{ display: "flex", height: "2rem", borderRadius: 6, overflow: "hidden", background: "#eee" }}
          role="img"
          aria-label={BANDS.map((b) => `${b.label}: ${t.bands[b.key]}`).join(", ")}
        >
          {BANDS.map((b) =>
            t.bands[b.key] ? (
              <span key={b.key} style={{ flex: t.bands[b.key], background: b.colour }} title={`${b.label}: ${t.bands[b.key]}`} />
            ) : null,
          )}
        </div>
        <figcaption className="muted" style={{ marginTop: ".5rem" }}>
          {BANDS.map((b) => (
            <span key={b.key} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
              <span aria-hidden style={{ display: "inline-block", width: 12, height: 12, background: b.colour, marginRight: 4 }} />
              {b.label} {t.bands[b.key]} ({pct(t.bands[b.key] / bandTotal)})
            </span>
          ))}
        </figcaption>
      </figure>

      <h2>Diễn biến theo quý</h2>
      <figure className="card" aria-label="Biểu đồ tỷ lệ đạt và khá giỏi theo quý">
        <svg
          viewBox="0 0 420 200"
          role="img"
          aria-label={d.trend.map((q) => `${q.label}: đạt ${pct(q.passRate)}, khá giỏi ${pct(q.goodShare)}`).join("; ")}
          style={{ width: "100%", maxWidth: "44rem" }}
        >
          {[0, 50, 100].map((v) => (
            <g key={v}>
              <line x1={40} x2={410} y1={160 - v * 1.4} y2={160 - v * 1.4} stroke="#ddd" />
              <text x={34} y={164 - v * 1.4} fontSize="11" textAnchor="end">
                {v}%
              </text>
            </g>
          ))}
          <line
            x1={40}
            x2={410}
            y1={160 - d.targets.good.target * 1.4}
            y2={160 - d.targets.good.target * 1.4}
            stroke="#a50f15"
            strokeDasharray="4 3"
          />
          {d.trend.map((q, i) => {
            const x = 46 + i * barW;
            const w = Math.min(22, barW / 2 - 4);
            const pass = (q.passRate ?? 0) * 140;
            const good = (q.goodShare ?? 0) * 140;
            return (
              <g key={q.label}>
                <rect x={x} y={160 - pass} width={w} height={pass} fill="#1f6f3a" />
                <rect x={x + w + 2} y={160 - good} width={w} height={good} fill="#e3a72d" />
                <text x={x + w} y={176} fontSize="10" textAnchor="middle">
                  {q.label.replace("Quý ", "")}
                </text>
              </g>
            );
          })}
        </svg>
        <figcaption className="muted">
          <span aria-hidden style={{ display: "inline-block", width: 12, height: 12, background: "#1f6f3a", marginRight: 4 }} />
          Tỷ lệ đạt
          <span aria-hidden style={{ display: "inline-block", width: 12, height: 12, background: "#e3a72d", margin: "0 4px 0 1rem" }} />
          Tỷ lệ khá, giỏi
          <span aria-hidden style={{ display: "inline-block", width: 18, borderTop: "2px dashed #a50f15", margin: "0 4px 3px 1rem" }} />
          Chỉ tiêu khá, giỏi {d.targets.good.target}%
        </figcaption>
      </figure>

      <h2>Ý kiến học viên (thang 1–5)</h2>
      <figure className="card" aria-label="Biểu đồ điểm khảo sát theo nhóm">
        {d.surveySections.some((s) => s.mean !== null) ? (
          <svg
            viewBox={`0 0 420 ${d.surveySections.length * 32 + 6}`}
            role="img"
            aria-label={d.surveySections.map((s) => `${s.label}: ${s.mean ?? "—"}`).join(", ")}
            style={{ width: "100%", maxWidth: "40rem" }}
          >
            {d.surveySections.map((s, i) => (
              <g key={s.section}>
                <text x={0} y={i * 32 + 19} fontSize="13">
                  {s.label}
                </text>
                <rect x={170} y={i * 32 + 5} width={((s.mean ?? 0) / 5) * 200} height={20} fill="#1f6f3a" />
                <text x={176 + ((s.mean ?? 0) / 5) * 200} y={i * 32 + 20} fontSize="13">
                  {dec(s.mean)}
                </text>
              </g>
            ))}
          </svg>
        ) : (
          <p className="muted">Chưa có phiếu khảo sát đủ số lượng tối thiểu trong kỳ.</p>
        )}
      </figure>

      <h2>Theo trung tâm</h2>
      <ScrollRegion label="Kết quả theo trung tâm">
        <table className="data" aria-label="Kết quả theo trung tâm">
          <thead>
            <tr>
              <th scope="col">Trung tâm</th>
              <th scope="col">Lớp</th>
              <th scope="col">Học viên</th>
              <th scope="col">Đạt</th>
              <th scope="col">Khá, giỏi</th>
            </tr>
          </thead>
          <tbody>
            {d.byCentre.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.classes}</td>
                <td>{c.enrolled}</td>
                <td>{pct(c.passRate)}</td>
                <td>{pct(c.goodShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <h2>Các lớp: kết quả và ý kiến học viên</h2>
      <ScrollRegion label="Kết quả và khảo sát từng lớp">
        <table className="data" aria-label="Kết quả và khảo sát từng lớp">
          <thead>
            <tr>
              <th scope="col">Lớp</th>
              <th scope="col">Kết thúc</th>
              <th scope="col">Đạt</th>
              <th scope="col">Khá, giỏi</th>
              <th scope="col">Khảo sát</th>
            </tr>
          </thead>
          <tbody>
            {d.classes.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  <br />
                  <span className="muted">{c.centre}</span>
                </td>
                <td>{formatVnDate(c.endsOn)}</td>
                <td>
                  {pct(c.passRate)}{" "}
                  <span className="muted">
                    ({c.passed}/{c.assessed})
                  </span>
                </td>
                <td>{pct(c.goodShare)}</td>
                <td>
                  {c.survey ? `${dec(c.survey.mean)} điểm · ${c.survey.responses} phiếu` : <span className="muted">chưa đủ phiếu</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      {d.lecturers.length ? (
        <>
          <h2>Giảng viên (điểm đánh giá phần giảng viên)</h2>
          <ul>
            {d.lecturers.map((l) => (
              <li key={l.name}>
                {l.name}: {dec(l.mean)} / 5 (từ {l.surveys} đợt khảo sát, dự giờ)
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Bài học và câu hỏi học viên còn yếu</h2>
      {d.weakLessons.length ? (
        <ul>
          {d.weakLessons.slice(0, 5).map((l) => (
            <li key={`${l.programme}-${l.lesson}`}>
              {l.programme.toUpperCase()} · Bài {l.lesson}: {Math.round(l.facility * 100)}% trả lời đúng ({l.n} lượt)
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Chưa có bài kiểm tra trắc nghiệm chính thức trong kỳ.</p>
      )}
      {d.weakItems.length ? (
        <ScrollRegion label="Câu hỏi có tỷ lệ đúng thấp nhất">
          <table className="data" aria-label="Câu hỏi có tỷ lệ đúng thấp nhất">
            <thead>
              <tr>
                <th scope="col">Bài</th>
                <th scope="col">Câu hỏi</th>
                <th scope="col">Tỷ lệ đúng</th>
              </tr>
            </thead>
            <tbody>
              {d.weakItems.map((it) => (
                <tr key={it.versionId}>
                  <td>{it.lesson ?? ""}</td>
                  <td>{it.stem}</td>
                  <td>
                    {Math.round(it.facility * 100)}% ({it.n})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}

      <h2>Học viên nói gì</h2>
      {d.comments.length ? (
        <ul>
          {d.comments.map((c, i) => (
            <li key={i}>
              “{c.text}”{c.count > 1 ? ` (${c.count} người)` : ""} <span className="muted">— {c.survey}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Chưa có ý kiến (hoặc các lớp chưa đủ số phiếu tối thiểu).</p>
      )}
      <p className="no-print">
        <Link to="/khao-sat">Các phiếu khảo sát →</Link>
      </p>
    </>
  );
}
