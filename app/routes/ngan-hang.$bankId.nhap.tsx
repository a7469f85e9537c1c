import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, appFailure, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { readUploadForm, QUESTION_LIMITS } from "~/lib/upload.server";
import { QUESTION_LEVEL, questionTypeLabel } from "~/lib/labels";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Nhập câu hỏi — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer"]);
  return withAppErrors(async () => {
    return { bank: await context.services.banks.bank(viewer, idParam(params, "bankId")) };
  });
}

type Issue = { line: number; column?: string; severity: "error" | "warning"; message: string };
type Result =
  | { step: "error"; error: string }
  | {
      step: "preview";
      batchId: string;
      fileName: string;
      valid: number;
      issues: Issue[];
      unsupported: { line: number; kind: string; name?: string }[];
      duplicates: { line: number; similarTo: string; similarity: number }[];
      sample: { line: number; stem: string; type: string; lesson: number | null; level: string | null }[];
    }
  | { step: "done"; imported: number };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer"]);
  let form: FormData;
  try {
    form = await readUploadForm(request, QUESTION_LIMITS.maxBytes, "Hãy chia ngân hàng câu hỏi thành nhiều tệp nhỏ hơn.");
  } catch (e) {
    const { status, message } = appFailure(e);
    return data<Result>({ step: "error", error: message }, { status });
  }
  return actionResult(
    async () => {
      if (form.get("intent") === "commit") {
        const r = await context.services.banks.importCommit(viewer, String(form.get("batchId")));
        return data<Result>({ step: "done", imported: r.imported });
      }
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        return data<Result>({ step: "error", error: "Hãy chọn tệp câu hỏi." }, { status: 400 });
      const p = await context.services.banks.importPreview(viewer, idParam(params, "bankId"), {
        name: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      return data<Result>({ step: "preview", ...p });
    },
    ({ status, message }) => data<Result>({ step: "error", error: message }, { status }),
  );
}

export default function ImportQuestions() {
  const { bank } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>() as Result | undefined;
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const errors = r?.step === "preview" ? r.issues.filter((i) => i.severity === "error") : [];
  const warnings = r?.step === "preview" ? r.issues.filter((i) => i.severity === "warning") : [];
  return (
    <>
      <p className="lesson-meta">
        <Link to="/ngan-hang">Ngân hàng câu hỏi</Link> › <Link to={`/ngan-hang/${bank.id}`}>{bank.name}</Link>
      </p>
      <h1>Nhập câu hỏi từ tệp</h1>
      <p className="lead">
        Nhận Word (.docx), Excel (.xlsx), CSV, GIFT, Aiken và Moodle XML. Hệ thống kiểm tra toàn bộ tệp trước; chỉ khi tệp không còn lỗi mới
        nhập, và nhập tất cả cùng lúc. Câu hỏi nhập vào ở trạng thái chờ duyệt. Quy ước soạn câu hỏi trong Word ở cuối trang.
      </p>
      {r?.step === "error" ? <Notice tone="error">{r.error}</Notice> : null}
      {r?.step === "done" ? (
        <Notice>
          Đã nhập {r.imported} câu hỏi vào {bank.name}. Các câu đang chờ Ban Tuyên giáo duyệt.{" "}
          <Link to={`/ngan-hang/${bank.id}?trang-thai=submitted`}>Xem các câu chờ duyệt</Link>
        </Notice>
      ) : null}
      {r?.step === "preview" ? (
        <section className="card" aria-labelledby="check">
          <h2 id="check" style={{ marginTop: 0 }}>
            Kết quả kiểm tra “{r.fileName}”
          </h2>
          <p>
            <span className="badge badge--ok">{r.valid} câu hợp lệ</span>{" "}
            {errors.length ? <span className="badge badge--err">{errors.length} lỗi</span> : null}{" "}
            {warnings.length ? <span className="badge">{warnings.length} cảnh báo</span> : null}
          </p>
          {errors.length ? (
            <>
              <p>Sửa các lỗi sau trong tệp rồi tải lên lại. Chưa có câu hỏi nào được nhập.</p>
              <ul className="problems" aria-label="Lỗi trong tệp" role="alert">
                {errors.map((i, n) => (
                  <li key={n}>{i.message}</li>
                ))}
              </ul>
            </>
          ) : null}
          {r.unsupported.length ? (
            <>
              <p>Các câu thuộc loại chưa hỗ trợ (sẽ không được nhập):</p>
              <ul>
                {r.unsupported.map((u, n) => (
                  <li key={n}>
                    Dòng {u.line}: {questionTypeLabel(u.kind)}
                    {u.name ? ` — ${u.name}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {warnings.length || r.duplicates.length ? (
            <details>
              <summary>Cảnh báo và câu gần trùng ({warnings.length + r.duplicates.length})</summary>
              <ul>
                {warnings.map((w, n) => (
                  <li key={`w${n}`}>{w.message}</li>
                ))}
                {r.duplicates.map((d, n) => (
                  <li key={`d${n}`}>
                    Dòng {d.line}: gần trùng ({Math.round(d.similarity * 100)}%) với câu {d.similarTo} đã có trong ngân hàng.
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {!errors.length && r.valid > 0 ? (
            <Form method="post" style={{ marginTop: "1rem" }}>
              <input type="hidden" name="intent" value="commit" />
              <input type="hidden" name="batchId" value={r.batchId} />
              <button className="button" type="submit" disabled={busy}>
                Nhập {r.valid} câu hỏi
              </button>
            </Form>
          ) : null}
          <details style={{ marginTop: "1rem" }}>
            <summary>Xem các câu đọc được</summary>
            <ScrollRegion label="Các câu đọc được">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Dòng</th>
                    <th scope="col">Bài</th>
                    <th scope="col">Mức độ</th>
                    <th scope="col">Loại</th>
                    <th scope="col">Nội dung</th>
                  </tr>
                </thead>
                <tbody>
                  {r.sample.map((q) => (
                    <tr key={q.line}>
                      <td>{q.line}</td>
                      <td>{q.lesson ?? "—"}</td>
                      <td>{q.level ? QUESTION_LEVEL[q.level] : "—"}</td>
                      <td>{questionTypeLabel(q.type)}</td>
                      <td>{q.stem}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </details>
        </section>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="card form">
        <input type="hidden" name="intent" value="preview" />
        <div className="field">
          <label htmlFor="file">Tệp câu hỏi (tối đa 20 MB)</label>
          <input id="file" name="file" type="file" accept=".docx,.xlsx,.csv,.txt,.gift,.xml" required />
        </div>
        <button className="button" type="submit" disabled={busy}>
          Kiểm tra tệp
        </button>
        {busy && nav.formData?.get("intent") === "preview" ? (
          <p role="status">
            <progress aria-label="Đang đọc và kiểm tra tệp" /> Đang đọc và kiểm tra tệp…
          </p>
        ) : null}
      </Form>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Quy ước soạn câu hỏi trong Word</h2>
        <ul>
          <li>Mỗi câu bắt đầu bằng “Câu 1.” (hoặc “Câu 1:”), các phương án trên từng dòng bắt đầu bằng “A.”, “B.”, “C.”, “D.”.</li>
          <li>Đánh dấu phương án đúng bằng dấu * ở đầu (“*B. …”), hoặc in đậm / gạch chân cả phương án, hoặc thêm dòng “Đáp án: B”.</li>
          <li>Có thể thêm các dòng “Bài: 2”, “Mức độ: Nhận biết”, “Nguồn: Điều lệ Đảng, Điều 4”, “Giải thích: …”.</li>
        </ul>
      </section>
    </>
  );
}
