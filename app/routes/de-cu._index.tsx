import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { formatVnDate } from "../../server/rules/dates";
import { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../../server/organisations/labels";
import styles from "~/styles/class-plan.css?url";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Đề cử đi học — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["unit_secretary"]);
  return withAppErrors(async () => {
    const form = await context.services.classPlan.nominationForm(viewer);
    const list = await context.services.classPlan.listNominations(viewer, { status: "all" });
    return {
      form,
      nominations: list.map((n) => ({
        id: n.id,
        fullName: n.fullName,
        birthDate: formatVnDate(n.birthDate),
        unitName: n.unitName,
        programme: n.programmeCode.toUpperCase(),
        plan: n.planItemLabel,
        status: n.status,
        statusLabel: n.statusLabel,
        reason: n.decisionReason,
        className: n.className,
      })),
    };
  });
}

type Result = { ok: true; message: string } | { ok: false; problems: string[] };

export async function action({ context, request }: ActionFunctionArgs): Promise<Result> {
  const viewer = requireRole(context, request, ["unit_secretary"]);
  const f = await request.formData();
  const s = (k: string) => String(f.get(k) ?? "").trim();
  return actionResult(
    async () => {
      if (s("intent") === "withdraw") {
        await context.services.classPlan.withdraw(viewer, Number(s("id")));
        return { ok: true, message: "Đã rút đề cử." };
      }
      await context.services.classPlan.nominate(viewer, {
        programmeCode: s("programmeCode"),
        planItemId: s("planItemId") ? Number(s("planItemId")) : null,
        unitId: Number(s("unitId")),
        note: s("note") || null,
        person: {
          fullName: s("fullName"),
          birthDate: s("birthDate"),
          gender: (s("gender") || null) as "nam" | "nu" | null,
          ethnicity: s("ethnicity") || null,
          education: (s("education") || null) as never,
          partyStatus: (s("partyStatus") || "quan_chung") as never,
          admissionDate: s("admissionDate") || null,
          position: s("position") || null,
          phone: s("phone") || null,
        },
      });
      return { ok: true, message: `Đã gửi đề cử ${s("fullName")}. Ban Tổ chức sẽ thẩm định.` };
    },
    ({ message }) => ({ ok: false, problems: [message] }),
  );
}

const BADGE: Record<string, string> = {
  pending: "badge badge--warn",
  approved: "badge badge--ok",
  rejected: "badge badge--err",
  withdrawn: "badge",
};

export default function Nominations() {
  const { form, nominations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Đề cử đi học</h1>
      <p className="lead">Gửi danh sách người của đơn vị đi học các lớp bồi dưỡng; theo dõi kết quả thẩm định của Ban Tổ chức.</p>
      <div className="actions" style={{ marginBottom: "1rem" }}>
        <Link className="button" to="/de-cu/nhap">
          Gửi danh sách từ tệp Excel
        </Link>
        <a className="button button--secondary" href="/de-cu/mau.xlsx">
          Tải tệp mẫu
        </a>
      </div>
      {result?.ok === true ? <Notice>{result.message}</Notice> : null}
      {result?.ok === false ? <ProblemList problems={result.problems} /> : null}

      <h2>Người đã đề cử</h2>
      {nominations.length === 0 ? <p>Đơn vị chưa đề cử ai.</p> : null}
      <ul className="cards" style={{ listStyle: "none", padding: 0 }} aria-label="Người đã đề cử">
        {nominations.map((n) => (
          <li key={n.id} className="card nominee" aria-label={n.fullName}>
            <h3>{n.fullName}</h3>
            <p style={{ margin: 0 }} className="muted">
              Sinh ngày {n.birthDate} · {n.unitName}
            </p>
            <p style={{ margin: 0 }}>
              {n.programme}
              {n.plan ? ` · ${n.plan}` : ""} · <span className={BADGE[n.status]}>{n.statusLabel}</span>
            </p>
            {n.reason ? (
              <p style={{ margin: 0 }}>
                {n.status === "rejected" ? "Lý do: " : "Ghi chú của Ban Tổ chức: "}
                {n.reason}
              </p>
            ) : null}
            {n.className ? <p style={{ margin: 0 }}>Đã xếp vào: {n.className}</p> : null}
            {n.status === "pending" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="id" value={n.id} />
                <button className="button button--secondary" type="submit" disabled={busy}>
                  Rút đề cử
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>

      <details className="card" style={{ marginTop: "1rem" }}>
        <summary>Đề cử một người</summary>
        <Form method="post" className="form" style={{ marginTop: "1rem" }}>
          <input type="hidden" name="intent" value="nominate" />
          <div className="field">
            <label htmlFor="unitId">Đơn vị cử đi học</label>
            <select id="unitId" name="unitId" required>
              {form.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="programmeCode">Chương trình</label>
            <select id="programmeCode" name="programmeCode" required>
              {form.programmes.map((p) => (
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
              {form.planItems.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label}
                </option>
              ))}
            </select>
            <p className="hint">Chọn lớp cùng chương trình ở trên.</p>
          </div>
          <div className="field">
            <label htmlFor="fullName">Họ và tên</label>
            <input id="fullName" name="fullName" required autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="birthDate">Ngày sinh</label>
            <input id="birthDate" name="birthDate" type="date" required />
          </div>
          <div className="field">
            <label htmlFor="gender">Giới tính</label>
            <select id="gender" name="gender">
              <option value="">—</option>
              <option value="nam">Nam</option>
              <option value="nu">Nữ</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="ethnicity">Dân tộc</label>
            <input id="ethnicity" name="ethnicity" defaultValue="Kinh" />
          </div>
          <div className="field">
            <label htmlFor="education">Trình độ học vấn</label>
            <select id="education" name="education">
              <option value="">—</option>
              {Object.entries(EDUCATION_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="partyStatus">Tình trạng đảng viên</label>
            <select id="partyStatus" name="partyStatus">
              {Object.entries(PARTY_STATUS_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="admissionDate">Ngày vào Đảng (nếu là đảng viên)</label>
            <input id="admissionDate" name="admissionDate" type="date" />
          </div>
          <div className="field">
            <label htmlFor="position">Chức vụ, nghề nghiệp</label>
            <input id="position" name="position" />
          </div>
          <div className="field">
            <label htmlFor="phone">Số điện thoại</label>
            <input id="phone" name="phone" inputMode="tel" />
          </div>
          <div className="field">
            <label htmlFor="note">Ghi chú (ví dụ lý do đề nghị xét ngoại lệ)</label>
            <input id="note" name="note" />
          </div>
          <button className="button" type="submit" disabled={busy}>
            Gửi đề cử
          </button>
        </Form>
      </details>
    </>
  );
}
