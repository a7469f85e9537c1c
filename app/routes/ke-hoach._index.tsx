import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { searchId } from "~/lib/params.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import styles from "~/styles/class-plan.css?url";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Kế hoạch bồi dưỡng — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const READERS = ["centre_admin", "organisation_board", "committee", "unit_secretary"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...READERS]);
  const url = new URL(request.url);
  const thisYear = Number(new Date(context.services.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4));
  // A year outside the plan's range reads as this year (the database column is int4).
  const year = searchId(url.searchParams, "nam") ?? thisYear;
  return withAppErrors(() => context.services.classPlan.planOverview(viewer, year));
}

type Result = { ok: true; message: string } | { ok: false; problems: string[] };

export async function action({ context, request }: ActionFunctionArgs): Promise<Result> {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const input = {
    centreId: form.get("centreId"),
    year: form.get("year"),
    programmeCode: String(form.get("programmeCode") ?? ""),
    label: String(form.get("label") ?? ""),
    month: form.get("month"),
    targetSize: form.get("targetSize"),
    intendedGroup: String(form.get("intendedGroup") ?? ""),
    notes: String(form.get("notes") ?? ""),
  } as never;
  // 200 with problems: single-fetch revalidates the plan only after a 2xx.
  return actionResult(
    async () => {
      if (intent === "remove") {
        await context.services.classPlan.removePlanItem(viewer, Number(form.get("itemId")));
        return { ok: true, message: "Đã xóa mục kế hoạch." };
      }
      await context.services.classPlan.addPlanItem(viewer, input);
      return { ok: true, message: "Đã thêm lớp vào kế hoạch." };
    },
    ({ message }) => ({ ok: false, problems: [message] }),
  );
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

export default function Plan() {
  const plan = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Kế hoạch bồi dưỡng năm {plan.year}</h1>
      <p className="lead">Các lớp dự kiến theo chương trình, tháng, đối tượng và chỉ tiêu; tiến độ so với kế hoạch.</p>
      <nav className="filters" aria-label="Chọn năm">
        {[plan.year - 1, plan.year, plan.year + 1].map((y) => (
          <Link key={y} to={`?nam=${y}`} aria-current={y === plan.year ? "page" : undefined}>
            Năm {y}
          </Link>
        ))}
      </nav>
      {result?.ok === true ? <Notice>{result.message}</Notice> : null}
      {result?.ok === false ? <ProblemList problems={result.problems} /> : null}
      {plan.centres.length === 0 ? <p>Không có trung tâm chính trị nào trong phạm vi của bạn.</p> : null}
      {plan.centres.map((c) => {
        const editable = plan.canEdit.includes(c.id);
        return (
          <section key={c.id} aria-labelledby={`centre-${c.id}`}>
            <h2 id={`centre-${c.id}`}>{c.name}</h2>
            <div className="plan-totals">
              <div>
                <strong>{c.totals.planned}</strong> lớp theo kế hoạch
              </div>
              <div>
                <strong>{c.totals.opened}</strong> lớp đã mở
              </div>
              <div>
                <strong>{c.totals.target}</strong> chỉ tiêu học viên
              </div>
              <div>
                <strong>{c.totals.enrolled}</strong> học viên đã xếp lớp
              </div>
            </div>
            {c.items.length === 0 ? <p>Chưa có lớp nào trong kế hoạch năm {plan.year}.</p> : null}
            <ul className="cards" style={{ listStyle: "none", padding: 0 }} aria-label={`Kế hoạch của ${c.name}`}>
              {c.items.map((i) => {
                const pct = Math.min(100, Math.round((i.enrolled / i.targetSize) * 100));
                return (
                  <li key={i.id} className="card plan-item" aria-label={`${i.programmeName} ${i.label}`}>
                    <div className="plan-item__head">
                      <strong>
                        {i.programmeCode.toUpperCase()} · {i.label}
                      </strong>
                      <span className="muted">
                        tháng {i.month}/{plan.year}
                      </span>
                    </div>
                    <p className="plan-item__meta">
                      {i.programmeName} — đối tượng: {i.intendedGroup}
                    </p>
                    <div className="plan-bar">
                      <div className="progress" role="img" aria-label={`Đã xếp lớp ${i.enrolled} trên chỉ tiêu ${i.targetSize}`}>
                        <span style={{ width: `${pct}%` }} />
                      </div>
                      <span>
                        {i.enrolled}/{i.targetSize}
                      </span>
                    </div>
                    <p className="plan-item__meta">
                      Đề cử: {i.nominated.pending} chờ thẩm định · {i.nominated.approved} đã duyệt · {i.nominated.rejected} không duyệt
                    </p>
                    {i.classes.length ? (
                      <p style={{ margin: 0 }}>
                        {i.classes.map((k) => (
                          <span key={k.id}>
                            {editable ? <Link to={`/lop/${k.id}/giay-trieu-tap`}>{k.name}</Link> : k.name} ({k.enrolled} học viên){" "}
                          </span>
                        ))}
                      </p>
                    ) : (
                      <p className="plan-item__meta">Chưa mở lớp.</p>
                    )}
                    {i.notes ? <p className="plan-item__meta">Ghi chú: {i.notes}</p> : null}
                    {editable ? (
                      <div className="actions">
                        <Link className="button" to={`/ke-hoach/${i.id}/mo-lop`}>
                          {i.classes.length ? "Xếp thêm học viên" : "Mở lớp"}
                        </Link>
                        {i.classes.length === 0 && i.nominated.pending + i.nominated.approved + i.nominated.rejected === 0 ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="remove" />
                            <input type="hidden" name="itemId" value={i.id} />
                            <button className="button button--secondary" type="submit" disabled={busy}>
                              Xóa
                            </button>
                          </Form>
                        ) : null}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {editable ? (
              <details className="card">
                <summary>Thêm lớp vào kế hoạch</summary>
                <Form method="post" className="form" style={{ marginTop: "1rem" }}>
                  <input type="hidden" name="intent" value="add" />
                  <input type="hidden" name="centreId" value={c.id} />
                  <input type="hidden" name="year" value={plan.year} />
                  <div className="field">
                    <label htmlFor={`programme-${c.id}`}>Chương trình</label>
                    <select id={`programme-${c.id}`} name="programmeCode" required>
                      {plan.programmes.map((p) => (
                        <option key={p.code} value={p.code}>
                          {p.code.toUpperCase()} — {p.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`label-${c.id}`}>Tên khóa</label>
                    <input id={`label-${c.id}`} name="label" required placeholder="Khóa 1" />
                  </div>
                  <div className="field">
                    <label htmlFor={`month-${c.id}`}>Tháng mở lớp</label>
                    <select id={`month-${c.id}`} name="month" required>
                      {MONTHS.map((m) => (
                        <option key={m} value={m}>
                          Tháng {m}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`target-${c.id}`}>Chỉ tiêu (số học viên)</label>
                    <input
                      id={`target-${c.id}`}
                      name="targetSize"
                      type="number"
                      min={1}
                      max={1000}
                      inputMode="numeric"
                      required
                      defaultValue={100}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`group-${c.id}`}>Đối tượng</label>
                    <input id={`group-${c.id}`} name="intendedGroup" required placeholder="giáo viên, học sinh" />
                  </div>
                  <div className="field">
                    <label htmlFor={`notes-${c.id}`}>Ghi chú</label>
                    <input id={`notes-${c.id}`} name="notes" />
                  </div>
                  <button className="button" type="submit" disabled={busy}>
                    Thêm vào kế hoạch
                  </button>
                </Form>
              </details>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
