import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { TEMPLATE_FIELDS, TEMPLATE_LABELS, type TemplateKey } from "../../server/classes/official-documents-templates";
import { formatVnDate } from "../../server/rules/dates";
import { ScrollRegion } from "~/components/scroll-region";
import { BirthDatesToFix } from "~/components/birth-dates-to-fix";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Thông báo, báo cáo — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  return withAppErrors(() => context.services.classRecords.documents(viewer, idParam(params, "id")));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  const templates = Object.fromEntries((Object.keys(TEMPLATE_LABELS) as TemplateKey[]).map((k) => [k, String(form.get(k) ?? "")]));
  return actionResult(
    async () => {
      const r = await context.services.classRecords.saveTemplates(viewer, idParam(params, "id"), templates);
      return r.ok ? { ok: true, problems: [] as string[] } : r;
    },
    ({ message }) => ({ ok: false, problems: [message] }),
  );
}

export default function Documents() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const numberOf = (docType: string, unitId: number) => d.numbered.find((n) => n.docType === docType && n.unitId === unitId);
  const link = (q: string) => `/lop/${d.klass.id}/van-ban/tai?${q}`;
  const report = numberOf("BC", 0);
  return (
    <>
      <ClassRecordsTabs classId={d.klass.id} className={d.klass.name} />
      <h1>Thông báo, báo cáo</h1>
      <p className="lead">
        Văn bản theo thể thức của Đảng, số văn bản cấp lần đầu khi tải về và giữ nguyên khi in lại. Kết quả lấy theo lần tính gần nhất.
      </p>
      <BirthDatesToFix people={d.birthDatesToFix} documents="Thông báo và báo cáo" />
      <h2>Thông báo kết quả học tập gửi đơn vị cử học viên</h2>
      <ScrollRegion label="Thông báo kết quả theo đơn vị">
        <table className="data" aria-label="Thông báo kết quả theo đơn vị">
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col">Học viên</th>
              <th scope="col">Số văn bản</th>
              <th scope="col">Tải về</th>
            </tr>
          </thead>
          <tbody>
            {d.units.map((u) => {
              const n = numberOf("TB", u.unitId);
              return (
                <tr key={u.unitId}>
                  <td>{u.unitName}</td>
                  <td>{u.count}</td>
                  <td>{n ? `${n.label}, ngày ${formatVnDate(n.issuedOn)}` : "chưa cấp số"}</td>
                  <td>
                    {d.canEdit ? (
                      <span className="actions">
                        <a href={link(`loai=thong-bao&don-vi=${u.unitId}&dinh-dang=pdf`)} aria-label={`Thông báo cho ${u.unitName} (PDF)`}>
                          PDF
                        </a>
                        <a
                          href={link(`loai=thong-bao&don-vi=${u.unitId}&dinh-dang=docx`)}
                          aria-label={`Thông báo cho ${u.unitName} (Word)`}
                        >
                          Word
                        </a>
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <h2>Báo cáo kết quả lớp học gửi Thường trực cấp ủy</h2>
      <p>{report ? `Số ${report.label}, ngày ${formatVnDate(report.issuedOn)}.` : "Chưa cấp số."}</p>
      <p className="actions">
        {d.canEdit ? (
          <>
            <a className="button" href={link("loai=bao-cao&dinh-dang=pdf")}>
              Báo cáo (PDF)
            </a>
            <a className="button button--secondary" href={link("loai=bao-cao&dinh-dang=docx")}>
              Báo cáo (Word)
            </a>
          </>
        ) : null}
        <a className="button button--secondary" href={`/lop/${d.klass.id}/ket-qua-hoc-tap.xlsx`}>
          Danh sách kết quả (Excel)
        </a>
      </p>
      <h2>Mẫu văn bản</h2>
      <p className="muted">Có thể dùng các trường: {TEMPLATE_FIELDS.map((f) => `{${f}}`).join(", ")}.</p>
      {a?.ok ? <Notice>Đã lưu mẫu văn bản.</Notice> : null}
      {a && !a.ok ? (
        <div className="form-error" role="alert">
          <ul style={{ margin: 0 }}>
            {a.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="card form">
        {(Object.keys(TEMPLATE_LABELS) as TemplateKey[]).map((k) => (
          <div className="field" key={k}>
            <label htmlFor={k}>{TEMPLATE_LABELS[k]}</label>
            <textarea id={k} name={k} rows={3} defaultValue={d.templates[k]} disabled={!d.canEdit} />
          </div>
        ))}
        {d.canEdit ? (
          <button className="button" type="submit" disabled={busy}>
            Lưu mẫu
          </button>
        ) : null}
      </Form>
    </>
  );
}
