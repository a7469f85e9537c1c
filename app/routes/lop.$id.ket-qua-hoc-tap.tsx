import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/labels";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { formatNumber } from "../../server/rules/numbers";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Kết quả học tập — Bồi Dưỡng" }];

const READ = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"] as const;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...READ]);
  const id = idParam(params, "id");
  return withAppErrors(async () => {
    const r = await context.services.classRecords.results(viewer, id);
    const conduct = await context.services.classRecords.conduct(viewer, id);
    return {
      ...r,
      computedAt: r.computedAt ? String(r.computedAt) : null,
      conduct: conduct.map((c) => ({ ...c, recorded_at: String(c.recorded_at) })),
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const id = idParam(params, "id");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  return actionResult(
    async () => {
      const svc = context.services.classRecords;
      if (intent === "compute") {
        const n = await svc.computeResults(viewer, id);
        return { ok: true, message: `Đã tính kết quả của ${n} học viên.`, problems: [] as string[] };
      }
      if (intent === "conduct") {
        await svc.addConduct(viewer, {
          classId: id,
          personId: Number(form.get("personId")),
          severity: form.get("severity") === "serious" ? "serious" : "minor",
          description: String(form.get("description") ?? ""),
        });
        return { ok: true, message: "Đã ghi nhận vi phạm. Hãy tính lại kết quả.", problems: [] };
      }
      if (intent === "policy") {
        const num = (k: string) => Number(String(form.get(k) ?? "").replace(",", "."));
        const current = (await svc.policy(viewer, id)).policy;
        const r = await svc.savePolicy(viewer, id, {
          ...current,
          passMark: num("passMark"),
          maxAbsentShare: num("maxAbsentPercent") / 100,
          excusedCounts: form.get("excusedCounts") === "on",
          latePeriods: num("latePeriods"),
          maxResits: num("maxResits"),
          seriousBreachWithholds: form.get("seriousBreachWithholds") === "on",
        });
        return r.ok
          ? { ok: true, message: "Đã lưu quy định. Hãy tính lại kết quả.", problems: [] }
          : { ok: false, message: "Chưa lưu được quy định:", problems: r.problems };
      }
      return { ok: false, message: "Thao tác không hợp lệ.", problems: [] };
    },
    ({ message }) => ({ ok: false, message, problems: [] }),
  );
}

export default function Results() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const passed = d.lines.filter((l) => l.outcome === "passed").length;
  return (
    <>
      <ClassRecordsTabs classId={d.klass.id} className={d.klass.name} />
      <h1>Kết quả học tập</h1>
      <p className="lead">
        Đạt yêu cầu {passed}/{d.lines.length}. {d.computedAt ? `Tính lần cuối lúc ${formatDateTime(d.computedAt)}.` : "Chưa tính kết quả."}
      </p>
      {a ? (
        <div className={a.ok ? "notice-ok" : "form-error"} role={a.ok ? "status" : "alert"}>
          {a.message}
          {a.problems.length ? (
            <ul>
              {a.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {/* A div, not a p: a form inside a paragraph is invalid HTML, the browser's parser
          moves it out, and React's hydration then finds another tree (errors #418/#423). */}
      <div className="actions">
        {d.canEdit ? (
          <Form method="post">
            <button className="button" name="intent" value="compute" disabled={busy}>
              Tính kết quả (điểm danh, rèn luyện, bài kiểm tra)
            </button>
          </Form>
        ) : null}
        <a className="button button--secondary" href={`/lop/${d.klass.id}/ket-qua-hoc-tap.xlsx`}>
          Tải danh sách (.xlsx)
        </a>
      </div>
      <ScrollRegion label="Kết quả học tập">
        <table className="data" aria-label="Kết quả học tập">
          <thead>
            <tr>
              <th scope="col">TT</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Tiết vắng</th>
              <th scope="col">Điểm</th>
              <th scope="col">Xếp loại</th>
              <th scope="col">Kết quả</th>
            </tr>
          </thead>
          <tbody>
            {d.lines.map((l, i) => (
              <tr key={l.personId}>
                <td>{i + 1}</td>
                <td>
                  {l.fullName}
                  <br />
                  <span className="muted">{l.unitName}</span>
                </td>
                <td>{l.absentPeriods}</td>
                <td>{l.scoreText}</td>
                <td>{l.bandLabel ?? ""}</td>
                <td>
                  <span className={l.outcome === "passed" ? "badge badge--ok" : "badge badge--err"}>{l.outcomeLabel}</span>
                  {l.outcome !== "passed" && l.failReason ? <div className="muted">{l.failReason}</div> : null}
                  {l.certificateNumber ? <div className="muted">GCN số {l.certificateNumber}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <h2>Rèn luyện</h2>
      {d.conduct.length === 0 ? <p>Chưa ghi nhận vi phạm nội quy nào.</p> : null}
      <ul>
        {d.conduct.map((c) => (
          <li key={c.id}>
            <strong>{c.full_name}</strong> — {c.severity === "serious" ? "vi phạm nghiêm trọng" : "vi phạm nhẹ"}: {c.description} (
            {formatDateTime(c.recorded_at)})
          </li>
        ))}
      </ul>
      {d.canEdit ? (
        <Form method="post" className="card form" style={{ maxWidth: "40rem" }}>
          <h3 style={{ marginTop: 0 }}>Ghi nhận vi phạm nội quy</h3>
          <div className="field">
            <label htmlFor="personId">Học viên</label>
            <select id="personId" name="personId" required>
              {d.lines.map((l) => (
                <option key={l.personId} value={l.personId}>
                  {l.fullName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="severity">Mức độ</label>
            <select id="severity" name="severity">
              <option value="minor">Vi phạm nhẹ (nhắc nhở)</option>
              <option value="serious">Vi phạm nghiêm trọng (không cấp giấy chứng nhận)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="description">Nội dung vi phạm</label>
            <textarea id="description" name="description" rows={2} required minLength={5} />
          </div>
          <button className="button" name="intent" value="conduct" disabled={busy}>
            Ghi nhận
          </button>
        </Form>
      ) : null}

      <h2>Quy định xét kết quả của lớp</h2>
      <p className="muted">
        Các giá trị mặc định chưa được xác nhận theo văn bản chính thức; trung tâm sửa cho đúng quy định của địa phương.
      </p>
      <Form method="post" className="card form" style={{ maxWidth: "40rem" }}>
        <div className="field">
          <label htmlFor="passMark">Điểm đạt yêu cầu (thang 10)</label>
          <input id="passMark" name="passMark" inputMode="decimal" defaultValue={formatNumber(d.policy.passMark)} disabled={!d.canEdit} />
        </div>
        <div className="field">
          <label htmlFor="maxAbsentPercent">Vắng quá bao nhiêu % số tiết thì không được kiểm tra</label>
          <input
            id="maxAbsentPercent"
            name="maxAbsentPercent"
            inputMode="numeric"
            defaultValue={Math.round(d.policy.maxAbsentShare * 100)}
            disabled={!d.canEdit}
          />
        </div>
        <div className="field">
          <label htmlFor="latePeriods">Số tiết tính vắng cho mỗi lần đi muộn</label>
          <input id="latePeriods" name="latePeriods" inputMode="numeric" defaultValue={d.policy.latePeriods} disabled={!d.canEdit} />
        </div>
        <div className="field">
          <label htmlFor="maxResits">Số lần kiểm tra lại</label>
          <input id="maxResits" name="maxResits" inputMode="numeric" defaultValue={d.policy.maxResits} disabled={!d.canEdit} />
        </div>
        <label className="choice">
          <input type="checkbox" name="excusedCounts" defaultChecked={d.policy.excusedCounts} disabled={!d.canEdit} /> Vắng có phép cũng
          tính vào số tiết vắng
        </label>
        <label className="choice">
          <input type="checkbox" name="seriousBreachWithholds" defaultChecked={d.policy.seriousBreachWithholds} disabled={!d.canEdit} /> Vi
          phạm nghiêm trọng thì không cấp giấy chứng nhận
        </label>
        <p className="muted">Xếp loại: {d.policy.bands.map((b) => `${b.label} từ ${formatNumber(b.min)}`).join("; ")}.</p>
        {d.canEdit ? (
          <button className="button" name="intent" value="policy" disabled={busy}>
            Lưu quy định
          </button>
        ) : null}
      </Form>
    </>
  );
}
