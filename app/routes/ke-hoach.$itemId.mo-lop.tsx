import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatVnDate } from "../../server/rules/dates";
import styles from "~/styles/class-plan.css?url";
import { ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Mở lớp — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  return withAppErrors(async () => {
    const v = await context.services.classPlan.openingView(viewer, idParam(params, "itemId"));
    return {
      ...v,
      approved: v.approved.map((a) => ({
        id: a.id,
        fullName: a.fullName,
        birthDate: formatVnDate(a.birthDate),
        unitName: a.unitName,
        plan: a.planItemLabel,
        forThisItem: a.forThisItem,
        overridden: a.overrideRules.length > 0,
      })),
      classes: v.classes.map((c) => ({ id: c.id, name: c.name, dates: `${formatVnDate(c.starts_on)} – ${formatVnDate(c.ends_on)}` })),
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const f = await request.formData();
  const s = (k: string) => String(f.get(k) ?? "").trim();
  return actionResult(
    async () => {
      const existing = s("mode") === "existing" ? Number(s("classId")) || null : null;
      const r = await context.services.classPlan.openClass(viewer, idParam(params, "itemId"), {
        nominationIds: f.getAll("nomination").map(Number),
        classId: existing,
        name: existing ? undefined : s("name"),
        cohortLabel: s("cohortLabel") || undefined,
        venue: s("venue") || undefined,
        startsOn: s("startsOn") || undefined,
        endsOn: s("endsOn") || undefined,
      });
      return redirect(`/lop/${r.classId}/giay-trieu-tap?mo-lop=${r.enrolled}`);
    },
    ({ message }) => ({ problems: [message] }),
  );
}

export default function OpenClass() {
  const { item, centre, approved, classes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [mode, setMode] = useState<"new" | "existing">("new");
  const lower = item.programmeName.charAt(0).toLocaleLowerCase("vi") + item.programmeName.slice(1);
  return (
    <>
      <p className="lesson-meta">
        <Link to={`/ke-hoach?nam=${item.year}`}>Kế hoạch năm {item.year}</Link> › {item.programmeCode.toUpperCase()} {item.label}
      </p>
      <h1>
        Mở lớp {item.programmeCode.toUpperCase()} · {item.label} năm {item.year}
      </h1>
      <p className="lead">
        {centre.name} · tháng {item.month} · đối tượng: {item.intendedGroup} · chỉ tiêu {item.targetSize} học viên
      </p>
      {result?.problems ? <ProblemList problems={result.problems} /> : null}
      <Form method="post" className="card" style={{ display: "grid", gap: "1rem" }}>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 700, fontSize: "1.1rem" }}>Học viên đã được Ban Tổ chức duyệt ({approved.length})</legend>
          {approved.length === 0 ? <p>Chưa có người nào được duyệt cho chương trình này.</p> : null}
          {approved.map((a) => (
            <label key={a.id} className="check-option">
              <input type="checkbox" name="nomination" value={a.id} defaultChecked={a.forThisItem} />
              <span>
                <strong>{a.fullName}</strong>{" "}
                <span className="muted">
                  — {a.birthDate}, {a.unitName}
                  {a.plan ? `, ${a.plan}` : ""}
                  {a.overridden ? ", đã xét ngoại lệ" : ""}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 700, fontSize: "1.1rem" }}>Lớp</legend>
          <label className="check-option">
            <input type="radio" name="mode" value="new" checked={mode === "new"} onChange={() => setMode("new")} /> Mở lớp mới
          </label>
          {classes.length ? (
            <label className="check-option">
              <input type="radio" name="mode" value="existing" checked={mode === "existing"} onChange={() => setMode("existing")} /> Xếp vào
              lớp đang mở
            </label>
          ) : null}
        </fieldset>
        {mode === "existing" ? (
          <div className="field">
            <label htmlFor="classId">Lớp đang mở</label>
            <select id="classId" name="classId">
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.dates})
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="form-grid">
            <div className="field">
              <label htmlFor="name">Tên lớp</label>
              <input id="name" name="name" required defaultValue={`Lớp ${lower}, ${item.label.toLocaleLowerCase("vi")} năm ${item.year}`} />
            </div>
            <div className="field">
              <label htmlFor="cohortLabel">Khóa</label>
              <input id="cohortLabel" name="cohortLabel" defaultValue={`${item.label} năm ${item.year}`} />
            </div>
            <div className="field">
              <label htmlFor="venue">Địa điểm</label>
              <input id="venue" name="venue" required placeholder="Hội trường Đảng ủy xã" />
            </div>
            <div className="field">
              <label htmlFor="startsOn">Ngày khai giảng</label>
              <input id="startsOn" name="startsOn" type="date" required />
            </div>
            <div className="field">
              <label htmlFor="endsOn">Ngày bế giảng</label>
              <input id="endsOn" name="endsOn" type="date" required />
            </div>
          </div>
        )}
        <p className="hint" style={{ margin: 0 }}>
          Học viên chưa có tài khoản sẽ được cấp tài khoản; mật khẩu ban đầu được tạo khi in giấy triệu tập. Quyết định mở lớp được cấp số
          tự động.
        </p>
        <div className="actions">
          <button className="button" type="submit" disabled={busy || approved.length === 0}>
            {mode === "new" ? "Mở lớp và xếp học viên" : "Xếp vào lớp"}
          </button>
        </div>
      </Form>
    </>
  );
}
