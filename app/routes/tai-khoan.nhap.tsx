import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, appFailure } from "~/lib/app-errors.server";
import { readUploadForm, TABLE_LIMITS } from "~/lib/upload.server";
import { formatVnDate } from "../../server/rules/dates";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Cấp tài khoản học viên — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireRole(context, request, ["centre_admin"]);
  return null;
}

type Issue = { row: number; column: string; message: string };
type ActionResult =
  | { step: "error"; error: string; issues?: Issue[] }
  | {
      step: "preview";
      batchId: string;
      fileName: string;
      validCount: number;
      totalRows: number;
      issues: Issue[];
      sample: { row: number; name: string; birth: string; unit: string; username: string }[];
    }
  | { step: "done"; credentials: { row: number; name: string; birth: string; unit: string; username: string; password: string }[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  let form: FormData;
  try {
    form = await readUploadForm(request, TABLE_LIMITS.maxBytes, "Hãy chia nhỏ danh sách.");
  } catch (e) {
    const { status, message } = appFailure(e);
    return data<ActionResult>({ step: "error", error: message }, { status });
  }
  return actionResult(
    async () => {
      if (form.get("intent") === "commit") {
        const creds = await context.services.accounts.commitTraineeImport(viewer, String(form.get("batchId")), {
          onlyValid: form.get("onlyValid") === "1",
        });
        return data<ActionResult>({
          step: "done",
          credentials: creds.map((c) => ({
            row: c.row,
            name: c.fullName,
            birth: formatVnDate(c.birthDate),
            unit: c.unitName,
            username: c.username,
            password: c.password,
          })),
        });
      }
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        return data<ActionResult>({ step: "error", error: "Hãy chọn tệp danh sách học viên (.xlsx hoặc .csv)." }, { status: 400 });
      const preview = await context.services.accounts.previewTraineeImport(viewer, {
        name: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      return data<ActionResult>({
        step: "preview",
        batchId: preview.batchId,
        fileName: preview.fileName,
        validCount: preview.rows.length,
        totalRows: preview.totalRows,
        issues: preview.issues,
        sample: preview.rows.slice(0, 200).map((r) => ({
          row: r.row,
          name: r.fullName,
          birth: formatVnDate(r.birthDate),
          unit: r.unitName,
          username: r.username ?? "(tự cấp)",
        })),
      });
    },
    ({ status, message, error }) =>
      data<ActionResult>({ step: "error", error: message, issues: (error as { issues?: Issue[] }).issues }, { status }),
  );
}

function IssueTable({ issues }: { issues: Issue[] }) {
  return (
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
          {issues.map((i, n) => (
            <tr key={n}>
              <td>{i.row}</td>
              <td>{i.column}</td>
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function downloadCsv(rows: { name: string; birth: string; unit: string; username: string; password: string }[]) {
  const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [
    ["Họ và tên", "Ngày sinh", "Đơn vị", "Tên đăng nhập", "Mật khẩu ban đầu"],
    ...rows.map((r) => [r.name, r.birth, r.unit, r.username, r.password]),
  ];
  const blob = new Blob(["\uFEFF" + lines.map((l) => l.map(esc).join(",")).join("\r\n")], { type: "text/csv;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "tai-khoan-hoc-vien.csv";
  a.click();
  URL.revokeObjectURL(a.href);
}

export default function ImportTrainees() {
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const busy = nav.state !== "idle";

  if (result?.step === "done") {
    return (
      <>
        <h1>Đã cấp {result.credentials.length} tài khoản</h1>
        <p className="notice-ok no-print" role="status">
          Mật khẩu ban đầu chỉ hiện một lần ở đây. Hãy in hoặc tải danh sách ngay; học viên phải đổi mật khẩu ở lần đăng nhập đầu.
        </p>
        <div className="actions no-print">
          <button className="button" type="button" onClick={() => window.print()}>
            In danh sách
          </button>
          <button className="button button--secondary" type="button" onClick={() => downloadCsv(result.credentials)}>
            Tải tệp CSV
          </button>
          <a className="button button--secondary" href="/tai-khoan/nhap">
            Nhập danh sách khác
          </a>
        </div>
        <h2>Danh sách tài khoản học viên</h2>
        <ScrollRegion label="Danh sách tài khoản học viên">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">STT</th>
                <th scope="col">Họ và tên</th>
                <th scope="col">Ngày sinh</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Tên đăng nhập</th>
                <th scope="col">Mật khẩu ban đầu</th>
              </tr>
            </thead>
            <tbody>
              {result.credentials.map((c, i) => (
                <tr key={c.username}>
                  <td>{i + 1}</td>
                  <td>{c.name}</td>
                  <td>{c.birth}</td>
                  <td>{c.unit}</td>
                  <td>
                    <code>{c.username}</code>
                  </td>
                  <td>
                    <code>{c.password}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </>
    );
  }

  return (
    <>
      <h1>Cấp tài khoản học viên</h1>
      <p className="lead">
        Tải lên danh sách học viên theo mẫu. Hệ thống kiểm tra từng dòng trước khi tạo tài khoản; chưa có gì được lưu cho tới khi bạn xác
        nhận.
      </p>
      {result?.step === "error" ? (
        <div className="form-error" role="alert">
          <p style={{ margin: 0 }}>{result.error}</p>
        </div>
      ) : null}
      {result?.step === "error" && result.issues?.length ? <IssueTable issues={result.issues} /> : null}

      {result?.step === "preview" ? (
        <section aria-labelledby="preview-title" className="card">
          <h2 id="preview-title">Kết quả kiểm tra tệp “{result.fileName}”</h2>
          <p>
            {result.totalRows} dòng dữ liệu: <span className="badge badge--ok">{result.validCount} hợp lệ</span>{" "}
            {result.issues.length ? <span className="badge badge--err">{result.issues.length} lỗi</span> : null}
          </p>
          {result.issues.length ? (
            <>
              <p>Sửa các lỗi sau trong tệp rồi tải lên lại, hoặc chỉ nhập các dòng hợp lệ (các dòng lỗi bị bỏ qua):</p>
              <IssueTable issues={result.issues} />
            </>
          ) : (
            <p>Tất cả các dòng đều hợp lệ.</p>
          )}
          {result.validCount > 0 ? (
            <Form method="post" className="actions" style={{ marginTop: "1rem" }}>
              <input type="hidden" name="intent" value="commit" />
              <input type="hidden" name="batchId" value={result.batchId} />
              {result.issues.length ? <input type="hidden" name="onlyValid" value="1" /> : null}
              <button className="button" type="submit" disabled={busy}>
                {result.issues.length ? `Chỉ nhập ${result.validCount} dòng hợp lệ` : `Nhập ${result.validCount} học viên và cấp tài khoản`}
              </button>
            </Form>
          ) : null}
          {result.sample.length ? (
            <details style={{ marginTop: "1rem" }}>
              <summary>Xem các dòng hợp lệ</summary>
              <ScrollRegion label="Các dòng hợp lệ">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">Dòng</th>
                      <th scope="col">Họ và tên</th>
                      <th scope="col">Ngày sinh</th>
                      <th scope="col">Đơn vị</th>
                      <th scope="col">Tên đăng nhập</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.sample.map((r) => (
                      <tr key={r.row}>
                        <td>{r.row}</td>
                        <td>{r.name}</td>
                        <td>{r.birth}</td>
                        <td>{r.unit}</td>
                        <td>{r.username}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </details>
          ) : null}
        </section>
      ) : null}

      <div className="card">
        <Form method="post" encType="multipart/form-data" className="form">
          <input type="hidden" name="intent" value="preview" />
          <div className="field">
            <label htmlFor="file">Tệp danh sách (.xlsx hoặc .csv, tối đa 10 MB)</label>
            <input id="file" name="file" type="file" accept=".xlsx,.csv" required />
            <p className="hint">
              Chưa có mẫu? <a href="/tai-khoan/mau.xlsx">Tải tệp mẫu Excel</a> (cột bắt buộc: Họ và tên, Ngày sinh, Đơn vị).
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
