import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam, notFound, parseId } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { formatVnDate, parseVnDate } from "../../server/rules/dates";
import { vnToday } from "~/lib/format";
import { ScrollRegion } from "~/components/scroll-region";
import { BirthDatesToFix } from "~/components/birth-dates-to-fix";
import { ActionNotice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Giấy chứng nhận — Bồi Dưỡng" }];

const STATUS: Record<string, string> = { valid: "Có hiệu lực", revoked: "Đã thu hồi", superseded: "Đã cấp lại" };

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  return withAppErrors(async () => {
    const r = await context.services.classRecords.register(viewer, idParam(params, "id"));
    return { ...r, today: formatVnDate(vnToday()) };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const svc = context.services.classRecords;
  return actionResult(
    async () => {
      if (intent === "issue") {
        const date = parseVnDate(String(form.get("issuedOn") ?? ""));
        if (!date) return { ok: false, message: "Ngày cấp không hợp lệ: nhập dạng dd/mm/yyyy." };
        const r = await svc.issueForClass(viewer, idParam(params, "id"), date);
        return {
          ok: true,
          message: r.issued
            ? `Đã cấp ${r.issued} giấy chứng nhận (số ${r.numbers[0]}${r.issued > 1 ? ` đến ${r.numbers[r.numbers.length - 1]}` : ""}).`
            : "Mọi học viên đạt yêu cầu đều đã có giấy chứng nhận.",
        };
      }
      const classId = idParam(params, "id");
      const id = parseId(String(form.get("certificateId") ?? ""));
      if (id === null && (intent === "reissue" || intent === "revoke")) throw notFound("Không có giấy chứng nhận này trong lớp.");
      const reason = String(form.get("reason") ?? "");
      if (intent === "reissue") {
        const r = await svc.reissue(viewer, id!, reason, classId);
        return { ok: true, message: `Đã cấp lại: số mới ${r.number}.` };
      }
      if (intent === "revoke") {
        await svc.revoke(viewer, id!, reason, classId);
        return { ok: true, message: "Đã thu hồi giấy chứng nhận." };
      }
      return { ok: false, message: "Thao tác không hợp lệ." };
    },
    ({ message }) => ({ ok: false, message }),
  );
}

export default function CertificateRegister() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const valid = d.certificates.filter((c) => c.status === "valid").length;
  return (
    <>
      <ClassRecordsTabs classId={d.klass.id} className={d.klass.name} />
      <h1>Giấy chứng nhận</h1>
      <BirthDatesToFix people={d.birthDatesToFix} documents="Giấy chứng nhận" />
      <ActionNotice result={a} />
      {d.canEdit ? (
        <div className="card">
          <p style={{ marginTop: 0 }}>
            {d.awaiting.length
              ? `${d.awaiting.length} học viên đạt yêu cầu chưa có giấy chứng nhận: ${d.awaiting.map((x) => x.fullName).join(", ")}.`
              : "Mọi học viên đạt yêu cầu đều đã có giấy chứng nhận."}
          </p>
          <Form method="post" className="actions">
            <div className="field" style={{ margin: 0 }}>
              <label htmlFor="issuedOn">Ngày cấp</label>
              <input id="issuedOn" name="issuedOn" defaultValue={d.today} inputMode="numeric" size={10} />
            </div>
            <button className="button" name="intent" value="issue" disabled={busy || d.awaiting.length === 0}>
              Cấp giấy chứng nhận
            </button>
            {valid ? (
              <a className="button button--secondary" href={`/lop/${d.klass.id}/chung-chi.pdf`} data-testid="bulk-pdf">
                In cả lớp (PDF, {valid} giấy)
              </a>
            ) : null}
          </Form>
        </div>
      ) : null}
      <h2>Sổ cấp giấy chứng nhận</h2>
      {d.certificates.length === 0 ? <p>Chưa cấp giấy chứng nhận nào.</p> : null}
      <ScrollRegion label="Sổ cấp giấy chứng nhận">
        <table className="data" aria-label="Sổ cấp giấy chứng nhận">
          <thead>
            <tr>
              <th scope="col">Số vào sổ</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Ngày cấp</th>
              <th scope="col">Xếp loại</th>
              <th scope="col">Tình trạng</th>
              {d.canEdit ? <th scope="col">Cấp lại / thu hồi</th> : null}
            </tr>
          </thead>
          <tbody>
            {d.certificates.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={c.verifyPath} target="_blank" rel="noreferrer">
                    {c.number_label}
                  </a>
                </td>
                <td>{c.full_name}</td>
                <td>{formatVnDate(c.issued_on)}</td>
                <td>{c.classification ?? ""}</td>
                <td>
                  <span className={c.status === "valid" ? "badge badge--ok" : "badge badge--err"}>{STATUS[c.status]}</span>
                  {c.reason ? <div className="muted">Lý do: {c.reason}</div> : null}
                </td>
                {d.canEdit ? (
                  <td>
                    {c.status === "valid" ? (
                      <Form method="post" className="actions">
                        <input type="hidden" name="certificateId" value={c.id} />
                        <input
                          name="reason"
                          aria-label={`Lý do cấp lại hoặc thu hồi giấy của ${c.full_name}`}
                          placeholder="Lý do"
                          required
                          minLength={5}
                        />
                        <button className="link-button" name="intent" value="reissue" disabled={busy}>
                          Cấp lại
                        </button>
                        <button className="link-button" name="intent" value="revoke" disabled={busy}>
                          Thu hồi
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
