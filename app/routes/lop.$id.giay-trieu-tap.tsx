import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, failureResponse, withAppErrors } from "~/lib/app-errors.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { idParam } from "~/lib/params.server";
import { formatVnDate, parseVnDate } from "../../server/rules/dates";
import styles from "~/styles/class-plan.css?url";
import { ScrollRegion } from "~/components/scroll-region";
import { BirthDatesToFix } from "~/components/birth-dates-to-fix";
import { ActionNotice, Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Giấy triệu tập và hồ sơ mở lớp — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  return withAppErrors(async () => {
    const p = await context.services.classPlan.classPapers(viewer, idParam(params, "id"));
    return {
      ...p,
      klass: { ...p.klass, dates: `${formatVnDate(p.klass.startsOn)} – ${formatVnDate(p.klass.endsOn)}` },
      trainees: p.trainees.map((t) => ({ ...t, birthDate: formatVnDate(t.birthDate) })),
    };
  });
}

/** The date printed on the decision to open the class (issue 14: it was dated after the class ran). */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  const date = parseVnDate(String(form.get("decisionDate") ?? ""));
  if (!date) return { ok: false, message: "Ngày ký quyết định không hợp lệ: nhập dạng ngày/tháng/năm, ví dụ 02/03/2026." };
  return actionResult(
    async () => {
      await context.services.classPlan.setDecisionDate(viewer, idParam(params, "id"), date);
      return { ok: true, message: `Đã đặt ngày ký quyết định: ${formatVnDate(date)}.` };
    },
    (f) => {
      if (f.status !== 400) throw failureResponse(f);
      return { ok: false, message: f.message };
    },
  );
}

const DOC_NAMES: Record<string, string> = { QĐ: "Quyết định mở lớp", GTT: "Giấy triệu tập" };

/** The confirmation and the two formats; a plain form so the browser downloads the file. */
function PrintForm({ classId, personId, label }: { classId: number; personId?: number; label: string }) {
  const id = `confirm-${personId ?? "all"}`;
  return (
    <form method="post" action={`/lop/${classId}/in-giay-trieu-tap`} className="decide" aria-label={label}>
      {personId ? <input type="hidden" name="personId" value={personId} /> : null}
      <label className="check-option" htmlFor={id}>
        <input id={id} type="checkbox" name="confirm" value="1" required /> Tôi hiểu: mật khẩu ban đầu của học viên chưa đăng nhập sẽ được
        tạo mới, mật khẩu in trước đó hết hiệu lực.
      </label>
      <div className="actions">
        <button className="button" type="submit" name="format" value="pdf">
          {label} (PDF)
        </button>
        <button className="button button--secondary" type="submit" name="format" value="docx">
          Bản Word (.docx)
        </button>
      </div>
    </form>
  );
}

export default function ClassPapers() {
  const { klass, documents, trainees, birthDatesToFix, decisionDate } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  const opened = params.get("mo-lop");
  return (
    <>
      <ClassRecordsTabs classId={klass.id} className={klass.name} />
      <h1>Giấy triệu tập và hồ sơ mở lớp</h1>
      <p className="lead">
        {klass.name}
        {klass.cohortLabel && !klass.name.toLocaleLowerCase("vi").includes(klass.cohortLabel.toLocaleLowerCase("vi"))
          ? ` · ${klass.cohortLabel}`
          : ""}{" "}
        · {klass.dates} · {klass.venue ?? "chưa có địa điểm"}
      </p>
      {opened ? <Notice>Đã mở lớp và xếp {opened} học viên. In giấy triệu tập để cấp mật khẩu ban đầu.</Notice> : null}
      <BirthDatesToFix people={birthDatesToFix} documents="Quyết định và giấy triệu tập" />
      <section className="card" aria-labelledby="docs-title">
        <h2 id="docs-title" style={{ marginTop: 0 }}>
          Văn bản của lớp
        </h2>
        {documents.length ? (
          <ul>
            {documents.map((d) => (
              <li key={d.doc_type}>
                {DOC_NAMES[d.doc_type] ?? d.doc_type}: số {d.label}, ngày {formatVnDate(d.issued_on)}
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" className="actions" aria-label="Ngày ký quyết định mở lớp">
          <div className="field" style={{ margin: 0 }}>
            <label htmlFor="decisionDate">Ngày ký quyết định mở lớp</label>
            <input
              id="decisionDate"
              name="decisionDate"
              defaultValue={formatVnDate(decisionDate)}
              key={decisionDate}
              inputMode="numeric"
              size={10}
              aria-describedby="decision-date-hint"
            />
          </div>
          <button className="button button--secondary" type="submit" disabled={busy}>
            Lưu ngày ký
          </button>
        </Form>
        <p id="decision-date-hint" className="muted" style={{ marginTop: ".2rem" }}>
          Quyết định mở lớp phải có trước ngày khai giảng ({formatVnDate(klass.startsOn)}); mặc định là hôm nay, hoặc 7 ngày trước khai
          giảng nếu lớp đã học.
        </p>
        <ActionNotice result={done} />
        <div className="actions">
          <a className="button button--secondary" href={`/lop/${klass.id}/tep/quyet-dinh.pdf`} target="_blank" rel="noreferrer">
            Quyết định mở lớp (PDF)
          </a>
          <a className="button button--secondary" href={`/lop/${klass.id}/tep/quyet-dinh.docx`}>
            Quyết định (.docx)
          </a>
          <a className="button button--secondary" href={`/lop/${klass.id}/tep/danh-sach.xlsx`}>
            Danh sách học viên (.xlsx)
          </a>
          <Link className="button button--secondary" to={`/lop/${klass.id}/so-do-cho-ngoi`}>
            Sơ đồ chỗ ngồi
          </Link>
        </div>
      </section>
      <section className="card" aria-labelledby="callup-title">
        <h2 id="callup-title" style={{ marginTop: 0 }}>
          In giấy triệu tập cả lớp
        </h2>
        <p style={{ marginTop: 0 }}>Mỗi học viên một trang, có tên đăng nhập, mật khẩu ban đầu và mã QR để đăng nhập.</p>
        <PrintForm classId={klass.id} label="In giấy triệu tập cả lớp" />
      </section>
      <h2>Học viên ({trainees.length})</h2>
      <ScrollRegion label="Học viên của lớp">
        <table className="data" aria-label="Học viên của lớp">
          <thead>
            <tr>
              <th scope="col">TT</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Ngày sinh</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Tài khoản</th>
              <th scope="col">Giấy triệu tập</th>
            </tr>
          </thead>
          <tbody>
            {trainees.map((t, i) => (
              <tr key={t.personId}>
                <td>{i + 1}</td>
                <td>{t.fullName}</td>
                <td>{t.birthDate}</td>
                <td>{t.unitName}</td>
                <td>
                  {t.username ? <code>{t.username}</code> : <span className="muted">cấp khi in giấy</span>}
                  {t.awaitingFirstLogin === false ? <div className="muted">đã tự đặt mật khẩu</div> : null}
                </td>
                <td>
                  <details>
                    <summary>In riêng</summary>
                    <PrintForm classId={klass.id} personId={t.personId} label={`Giấy triệu tập của ${t.fullName}`} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
