import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { formatVnDate } from "../../server/rules/dates";
import styles from "~/styles/class-plan.css?url";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Thẩm định đề cử — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const FILTERS = [
  { key: "pending", label: "Chờ thẩm định" },
  { key: "approved", label: "Đã duyệt" },
  { key: "rejected", label: "Không duyệt" },
  { key: "all", label: "Tất cả" },
] as const;
type FilterKey = (typeof FILTERS)[number]["key"];
const VERDICT: Record<string, string> = { eligible: "Đủ điều kiện", needs_override: "Cần xét ngoại lệ", ineligible: "Không đủ điều kiện" };

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["organisation_board"]);
  const wanted = new URL(request.url).searchParams.get("trang-thai");
  const status: FilterKey = FILTERS.some((f) => f.key === wanted) ? (wanted as FilterKey) : "pending";
  return withAppErrors(async () => {
    const list = await context.services.classPlan.reviewQueue(viewer, { status });
    return {
      status,
      nominees: list.map((n) => ({
        id: n.id,
        fullName: n.fullName,
        birthDate: formatVnDate(n.birthDate),
        unitName: n.unitName,
        programme: `${n.programmeCode.toUpperCase()} — ${n.programmeName}`,
        plan: n.planItemLabel,
        note: n.note,
        status: n.status,
        statusLabel: n.statusLabel,
        reason: n.decisionReason,
        overrideRules: n.overrideRules,
        verdict: n.verdict,
        checks: n.checks,
      })),
    };
  });
}

type Result = { ok: true; message: string; id: number } | { ok: false; problems: string[]; id: number };

export async function action({ context, request }: ActionFunctionArgs): Promise<Result> {
  const viewer = requireRole(context, request, ["organisation_board"]);
  const f = await request.formData();
  const id = Number(f.get("id"));
  const approve = f.get("decision") === "approve";
  // 200 with problems, so the list revalidates (single fetch skips it after a 4xx).
  return actionResult(
    async () => {
      await context.services.classPlan.decide(viewer, id, {
        approve,
        reason: String(f.get("reason") ?? ""),
        overrides: f.getAll("override").map(String),
      });
      return { ok: true, id, message: `${String(f.get("name"))}: ${approve ? "đã duyệt" : "không duyệt"}.` };
    },
    ({ message }) => ({ ok: false, id, problems: [message] }),
  );
}

const MARK: Record<string, string> = { pass: "✓", fail: "✗", needs_override: "!" };

export default function Review() {
  const { status, nominees } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Thẩm định danh sách đề cử</h1>
      <p className="lead">
        Mỗi người được đối chiếu với điều kiện của chương trình, giấy chứng nhận đã cấp và các đề cử khác. Duyệt, hoặc không duyệt kèm lý
        do; đơn vị thấy kết quả ngay.
      </p>
      <nav className="filters" aria-label="Lọc theo trạng thái">
        {FILTERS.map((f) => (
          <Link key={f.key} to={`?trang-thai=${f.key}`} aria-current={f.key === status ? "page" : undefined}>
            {f.label}
          </Link>
        ))}
        <Link to="/xet-duyet/dieu-kien">Điều kiện dự học</Link>
      </nav>
      {result?.ok === true ? <Notice>{result.message}</Notice> : null}
      {result?.ok === false ? <ProblemList problems={result.problems} /> : null}
      {nominees.length === 0 ? <p>Không có đề cử nào ở mục này.</p> : null}
      <ul className="cards" style={{ listStyle: "none", padding: 0 }} aria-label="Danh sách đề cử">
        {nominees.map((n) => {
          const soft = n.checks.filter((c) => c.status === "needs_override");
          return (
            <li key={n.id} className="card nominee" aria-label={n.fullName}>
              <h3>{n.fullName}</h3>
              <p style={{ margin: 0 }} className="muted">
                Sinh ngày {n.birthDate} · {n.unitName}
              </p>
              <p style={{ margin: 0 }}>
                {n.programme}
                {n.plan ? ` · ${n.plan}` : ""}
              </p>
              {n.note ? <p style={{ margin: 0 }}>Đơn vị ghi: {n.note}</p> : null}
              <p style={{ margin: 0 }}>
                <span
                  className={
                    n.verdict === "eligible" ? "badge badge--ok" : n.verdict === "needs_override" ? "badge badge--warn" : "badge badge--err"
                  }
                >
                  {VERDICT[n.verdict]}
                </span>{" "}
                {n.status !== "pending" ? <span className="badge">{n.statusLabel}</span> : null}
              </p>
              <ul className="checks" aria-label={`Điều kiện của ${n.fullName}`}>
                {n.checks.map((c) => (
                  <li key={c.key} className={`check--${c.status}`}>
                    <span className="mark" aria-hidden="true">
                      {MARK[c.status]}
                    </span>
                    <span>
                      <strong>{c.label}:</strong> {c.message}
                      {n.overrideRules.includes(c.key) ? <em> (đã xét ngoại lệ)</em> : null}
                    </span>
                  </li>
                ))}
              </ul>
              {n.reason ? <p style={{ margin: 0 }}>Lý do: {n.reason}</p> : null}
              {n.status === "pending" ? (
                <Form method="post" className="decide" aria-label={`Quyết định cho ${n.fullName}`}>
                  <input type="hidden" name="id" value={n.id} />
                  <input type="hidden" name="name" value={n.fullName} />
                  {soft.length ? (
                    <fieldset>
                      <legend>Xét ngoại lệ (phải ghi lý do)</legend>
                      {soft.map((c) => (
                        <label key={c.key} className="check-option">
                          <input type="checkbox" name="override" value={c.key} /> {c.label}
                        </label>
                      ))}
                    </fieldset>
                  ) : null}
                  <div className="field">
                    <label htmlFor={`reason-${n.id}`}>Lý do (bắt buộc khi không duyệt hoặc xét ngoại lệ)</label>
                    <textarea id={`reason-${n.id}`} name="reason" rows={2} />
                  </div>
                  <div className="actions">
                    <button className="button" type="submit" name="decision" value="approve" disabled={busy || n.verdict === "ineligible"}>
                      Duyệt
                    </button>
                    <button className="button button--secondary" type="submit" name="decision" value="reject" disabled={busy}>
                      Không duyệt
                    </button>
                  </div>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
