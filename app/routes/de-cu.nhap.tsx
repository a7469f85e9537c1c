import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, appFailure, withAppErrors } from "~/lib/app-errors.server";
import { readUploadForm, TABLE_LIMITS } from "~/lib/upload.server";
import { formatVnDate } from "../../server/rules/dates";
import styles from "~/styles/class-plan.css?url";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Gửi danh sách đề cử — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const VERDICT: Record<string, string> = { eligible: "Đủ điều kiện", needs_override: "Cần xét ngoại lệ", ineligible: "Không đủ điều kiện" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["unit_secretary"]);
  return withAppErrors(() => context.services.classPlan.nominationForm(viewer));
}

type Issue = { row: number; column: string; message: string };
type Result =
  | { step: "error"; error: string }
  | {
      step: "preview";
      batchId: string;
      fileName: string;
      programmeName: string;
      totalRows: number;
      issues: Issue[];
      rows: { row: number; name: string; birth: string; unit: string; existing: boolean; verdict: string; notes: string[] }[];
    }
  | { step: "done"; count: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["unit_secretary"]);
  let form: FormData;
  try {
    form = await readUploadForm(request, TABLE_LIMITS.maxBytes, "Hãy chia nhỏ danh sách.");
  } catch (e) {
    const { status, message } = appFailure(e);
    return data<Result>({ step: "error", error: message }, { status });
  }
  // A refusal answers 200 with the message: the page shows it in place.
  return actionResult(
    async () => {
      if (form.get("intent") === "commit") {
        const count = await context.services.classPlan.commitNominationImport(viewer, String(form.get("batchId")));
        return data<Result>({ step: "done", count });
      }
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        return data<Result>({ step: "error", error: "Hãy chọn tệp danh sách đề cử (.xlsx hoặc .csv)." });
      const planItemId = Number(form.get("planItemId")) || null;
      const preview = await context.services.classPlan.previewNominationImport(
        viewer,
        { programmeCode: String(form.get("programmeCode") ?? ""), planItemId, unitId: Number(form.get("unitId")) || null },
        { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      );
      return data<Result>({
        step: "preview",
        batchId: preview.batchId,
        fileName: preview.fileName,
        programmeName: preview.programmeName,
        totalRows: preview.totalRows,
        issues: preview.issues,
        rows: preview.rows.map((r) => ({
          row: r.row,
          name: r.fullName,
          birth: formatVnDate(r.birthDate),
          unit: r.unitName,
          existing: r.existing,
          verdict: r.verdict,
          notes: r.checks.filter((c) => c.status !== "pass").map((c) => `${c.label}: ${c.message}`),
        })),
      });
    },
    ({ message }) => data<Result>({ step: "error", error: message }),
  );
}

export default function ImportNominations() {
  const ctx = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const nav = useNavigation();
  const busy = nav.state !== "idle";

  if (result?.step === "done") {
    return (
      <>
        <h1>Đã gửi {result.count} người được đề cử</h1>
        <Notice>Ban Tổ chức sẽ thẩm định từng người theo điều kiện của chương trình. Kết quả hiện ở trang Đề cử đi học.</Notice>
        <div className="actions">
          <Link className="button" to="/de-cu">
            Xem kết quả thẩm định
          </Link>
          <Link className="button button--secondary" to="/de-cu/nhap">
            Gửi danh sách khác
          </Link>
        </div>
      </>
    );
  }

  return (
    <>
      <p className="lesson-meta">
        <Link to="/de-cu">Đề cử đi học</Link> › Gửi danh sách từ tệp
      </p>
      <h1>Gửi danh sách đề cử</h1>
      <p className="lead">
        Tải lên danh sách theo mẫu (Excel hoặc CSV). Hệ thống kiểm tra từng dòng; chưa có gì được gửi cho tới khi bạn xác nhận.
      </p>
      {result?.step === "error" ? (
        <div className="form-error" role="alert">
          <p style={{ margin: 0 }}>{result.error}</p>
        </div>
      ) : null}

      {result?.step === "preview" ? (
        <section aria-labelledby="preview-title" className="card">
          <h2 id="preview-title">Kết quả kiểm tra tệp “{result.fileName}”</h2>
          <p>
            {result.totalRows} dòng, chương trình {result.programmeName}:{" "}
            <span className="badge badge--ok">{result.rows.length} hợp lệ</span>{" "}
            {result.issues.length ? <span className="badge badge--err">{result.issues.length} lỗi</span> : null}
          </p>
          {result.issues.length ? (
            <>
              <p>Sửa các lỗi sau trong tệp rồi tải lên lại. Chưa có ai được gửi đi.</p>
              <ScrollRegion label="Các lỗi trong tệp">
                <table className="data" aria-label="Các lỗi trong tệp">
                  <thead>
                    <tr>
                      <th scope="col">Dòng</th>
                      <th scope="col">Cột</th>
                      <th scope="col">Cần sửa</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.issues.map((i, n) => (
                      <tr key={n}>
                        <td>{i.row}</td>
                        <td>{i.column}</td>
                        <td>{i.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </>
          ) : (
            <Form method="post" className="actions" style={{ margin: "1rem 0" }}>
              <input type="hidden" name="intent" value="commit" />
              <input type="hidden" name="batchId" value={result.batchId} />
              <button className="button" type="submit" disabled={busy}>
                Gửi {result.rows.length} người được đề cử
              </button>
            </Form>
          )}
          {result.rows.length ? (
            <>
              <h3>Các dòng hợp lệ và điều kiện dự học (để tham khảo)</h3>
              <ul className="checks" aria-label="Các dòng hợp lệ">
                {result.rows.map((r) => (
                  <li key={r.row} style={{ display: "block", borderTop: "1px solid var(--line)", paddingTop: ".4rem" }}>
                    <strong>{r.name}</strong>{" "}
                    <span className="muted">
                      — dòng {r.row}, sinh ngày {r.birth}
                      {r.existing ? ", đã có trong hệ thống" : ""}
                    </span>{" "}
                    <span
                      className={
                        r.verdict === "eligible"
                          ? "badge badge--ok"
                          : r.verdict === "needs_override"
                            ? "badge badge--warn"
                            : "badge badge--err"
                      }
                    >
                      {VERDICT[r.verdict]}
                    </span>
                    {r.notes.map((n) => (
                      <div key={n} className="muted" style={{ fontSize: ".9rem" }}>
                        {n}
                      </div>
                    ))}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <div className="card">
        <Form method="post" encType="multipart/form-data" className="form">
          <input type="hidden" name="intent" value="preview" />
          {ctx.units.length > 1 ? (
            <div className="field">
              <label htmlFor="unitId">Đơn vị cử đi học (khi tệp không có cột Đơn vị)</label>
              <select id="unitId" name="unitId">
                {ctx.units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <input type="hidden" name="unitId" value={ctx.units[0]?.id} />
          )}
          <div className="field">
            <label htmlFor="programmeCode">Chương trình</label>
            <select id="programmeCode" name="programmeCode" required>
              {ctx.programmes.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.code.toUpperCase()} — {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="planItemId">Lớp theo kế hoạch</label>
            <select id="planItemId" name="planItemId">
              <option value="">(chưa chọn lớp)</option>
              {ctx.planItems.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="file">Tệp danh sách (.xlsx hoặc .csv, tối đa 10 MB)</label>
            <input id="file" name="file" type="file" accept=".xlsx,.csv" required />
            <p className="hint">
              Chưa có mẫu? <a href="/de-cu/mau.xlsx">Tải tệp mẫu Excel</a> (cột bắt buộc: Họ và tên, Ngày sinh).
            </p>
          </div>
          <button className="button" type="submit" disabled={busy}>
            {busy && nav.formData?.get("intent") === "preview" ? "Đang kiểm tra…" : "Kiểm tra tệp"}
          </button>
        </Form>
      </div>
    </>
  );
}
