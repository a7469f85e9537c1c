import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { searchId } from "~/lib/params.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { formatVnDate } from "../../server/rules/dates";
import { MEASURES, type Measure } from "../../server/pipeline/rules";
import { ScrollRegion } from "~/components/scroll-region";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Phát triển đảng viên — Bồi Dưỡng" }];

const ROLES = ["unit_secretary", "organisation_board", "committee"] as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, [...ROLES]);
  const q = new URL(request.url).searchParams;
  return withAppErrors(() => context.services.pipeline.overview(viewer, { unitId: searchId(q, "don-vi"), year: searchId(q, "nam") }));
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["unit_secretary", "organisation_board"]);
  const form = await request.formData();
  const unitId = Number(form.get("unitId"));
  const p = context.services.pipeline;
  // 200 so the page refreshes (single fetch does not revalidate after a 4xx).
  return actionResult(
    async () => {
      switch (form.get("intent")) {
        case "targets": {
          const values = Object.fromEntries(
            MEASURES.map((m) => [m.key, [1, 2, 3, 4].map((q) => Number(form.get(`${m.key}-${q}`) || 0))]),
          ) as Record<Measure, number[]>;
          return await p.saveTargets(viewer, unitId, Number(form.get("year")), String(form.get("group") ?? ""), values);
        }
        case "candidate":
          return await p.addCandidate(viewer, unitId, {
            personId: Number(form.get("personId")),
            group: String(form.get("group") ?? ""),
            nominatedOn: String(form.get("nominatedOn") ?? ""),
          });
        case "files":
          return await p.markFilesDone(viewer, Number(form.get("personId")), String(form.get("on") ?? "") || null);
        default:
          return { ok: false as const, problems: ["Thao tác không rõ."] };
      }
    },
    ({ message }) => ({ ok: false as const, problems: [message] }),
  );
}

const QUARTERS = ["I", "II", "III", "IV"];

export default function Pipeline() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const thisYear = Number(d.today.slice(0, 4));
  const thisQuarter = Math.floor((Number(d.today.slice(5, 7)) - 1) / 3) + 1;
  const ended = (q: number) => d.year < thisYear || (d.year === thisYear && q < thisQuarter);
  return (
    <>
      <h1>Phát triển đảng viên năm {d.year}</h1>
      <p className="lead">{d.unit.name}</p>
      {a && !a.ok ? <ProblemList problems={a.problems} spaced /> : a?.ok ? <Notice>Đã lưu.</Notice> : null}

      <h2>Cần chú ý ({d.alerts.length})</h2>
      {d.alerts.length ? (
        <ul className="lesson-list" aria-label="Cảnh báo">
          {d.alerts.map((al, i) => (
            <li key={i} className="card" style={{ borderLeft: `6px solid ${al.level === "urgent" ? "#a50f15" : "#e3a72d"}` }}>
              <strong>{al.name}</strong>{" "}
              <span className={al.level === "urgent" ? "badge badge--err" : "badge"}>{al.level === "urgent" ? "Khẩn" : "Lưu ý"}</span>
              <p style={{ margin: ".3rem 0 0" }}>{al.message}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Không có cảnh báo.</p>
      )}

      <h2>Kế hoạch và thực hiện</h2>
      {d.plan.map((g) => (
        <section key={g.group} className="card" aria-label={`Nhóm ${g.group}`}>
          <strong>{g.group}</strong>
          <ScrollRegion label={`Kế hoạch và thực hiện của nhóm ${g.group}`} style={{ marginTop: ".5rem" }}>
            <table className="data" style={{ fontSize: ".9rem" }}>
              <thead>
                <tr>
                  <th scope="col">Chỉ tiêu</th>
                  {QUARTERS.map((q) => (
                    <th key={q} scope="col">
                      <abbr title={`Quý ${q}`}>Q.{q}</abbr>
                    </th>
                  ))}
                  <th scope="col">Năm</th>
                </tr>
              </thead>
              <tbody>
                {g.measures.map((m) => (
                  <tr key={m.key}>
                    <td style={{ minWidth: "7rem" }}>{m.label}</td>
                    {m.planned.map((p, i) => (
                      // Red only once the quarter is over: a running quarter may still catch up.
                      <td key={i} style={{ color: m.actual[i]! < p && ended(i + 1) ? "#a50f15" : undefined }}>
                        {m.actual[i]}/{p}
                      </td>
                    ))}
                    <td>
                      <strong style={{ color: m.actualTotal < m.plannedTotal ? "#a50f15" : "#1f6f3a" }}>
                        {m.actualTotal}/{m.plannedTotal}
                      </strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <p className="muted">Thực hiện/kế hoạch; màu đỏ: quý đã qua chưa đạt kế hoạch.</p>
        </section>
      ))}

      <h2>Từng người</h2>
      <ul className="lesson-list" aria-label="Quá trình phát triển từng người">
        {d.people.map((p) => (
          <li key={p.personId} className="card">
            <strong>{p.name}</strong> <span className="muted">· {p.group}</span>
            <ol style={{ margin: ".4rem 0 0", paddingLeft: "1.2rem" }}>
              {p.path.map((st) => (
                <li key={st.key} className={st.on ? undefined : "step--todo"}>
                  {st.on ? "✓ " : ""}
                  {st.label}
                  {st.on ? `: ${formatVnDate(st.on)}` : ""}
                </li>
              ))}
            </ol>
            {p.sentHd61On && !p.hd61On ? <p className="muted">Đã cử học lớp HD 61 từ {formatVnDate(p.sentHd61On)}.</p> : null}
            {p.filesDoneOn ? (
              <p className="muted">Hồ sơ kết nạp hoàn thiện: {formatVnDate(p.filesDoneOn)}</p>
            ) : d.canEdit && p.nominatedOn && !p.admittedOn ? (
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="files" />
                <input type="hidden" name="unitId" value={d.unit.id} />
                <input type="hidden" name="personId" value={p.personId} />
                <input type="hidden" name="on" value={d.today} />
                <button className="button button--secondary" type="submit" disabled={busy}>
                  Ghi nhận hồ sơ kết nạp đã hoàn thiện
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>

      {d.canEdit ? (
        <>
          <h2>Thêm quần chúng ưu tú vào danh sách bồi dưỡng</h2>
          <Form method="post" className="form card">
            <input type="hidden" name="intent" value="candidate" />
            <input type="hidden" name="unitId" value={d.unit.id} />
            <div className="field">
              <label htmlFor="personId">Người được giới thiệu</label>
              <select id="personId" name="personId" required>
                <option value="">— Chọn —</option>
                {d.addable.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="group">Nhóm</label>
              <input id="group" name="group" list="groups" required />
              <datalist id="groups">
                {d.groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            </div>
            <div className="field">
              <label htmlFor="nominatedOn">Ngày giới thiệu</label>
              <input id="nominatedOn" name="nominatedOn" placeholder="dd/mm/yyyy" defaultValue={formatVnDate(d.today)} required />
            </div>
            <button className="button" type="submit" disabled={busy}>
              Thêm vào danh sách
            </button>
          </Form>

          <h2>Chỉ tiêu kế hoạch năm {d.year}</h2>
          {[...d.plan.map((g) => g.group), ""].map((group, index) => {
            const g = d.plan.find((x) => x.group === group);
            // Group names hold spaces and diacritics: an id never does (a label must find its field).
            const fieldId = group ? `group-${index}` : "group-new";
            return (
              <Form key={group || "new"} method="post" className="card">
                <input type="hidden" name="intent" value="targets" />
                <input type="hidden" name="unitId" value={d.unit.id} />
                <input type="hidden" name="year" value={d.year} />
                <div className="field">
                  <label htmlFor={fieldId}>{group ? "Nhóm" : "Thêm nhóm mới"}</label>
                  <input id={fieldId} name="group" defaultValue={group} readOnly={!!group} required />
                </div>
                <ScrollRegion label={`Chỉ tiêu của nhóm ${group || "mới"}`}>
                  <table className="data">
                    <thead>
                      <tr>
                        <th scope="col">Chỉ tiêu</th>
                        {QUARTERS.map((q) => (
                          <th key={q} scope="col">
                            Quý {q}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {MEASURES.map((m) => (
                        <tr key={m.key}>
                          <td>{m.label}</td>
                          {[1, 2, 3, 4].map((q) => (
                            <td key={q}>
                              <input
                                aria-label={`${m.label}, quý ${q}`}
                                name={`${m.key}-${q}`}
                                type="number"
                                min={0}
                                max={999}
                                defaultValue={g?.measures.find((x) => x.key === m.key)?.planned[q - 1] ?? 0}
                                style={{ width: "4rem", minHeight: 40, fontSize: "1rem" }}
                              />
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
                <button className="button button--secondary" type="submit" disabled={busy} style={{ marginTop: ".5rem" }}>
                  Lưu chỉ tiêu
                </button>
              </Form>
            );
          })}
        </>
      ) : null}
    </>
  );
}
