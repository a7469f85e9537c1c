import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../../server/organisations/labels";
import styles from "~/styles/class-plan.css?url";
import { Notice, ProblemList } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Điều kiện dự học — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

/** Entry rules per programme as editable data (domain brief §4: unconfirmed numbers are data). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["organisation_board", "centre_admin", "committee"]);
  return withAppErrors(async () => {
    return { sets: await context.services.classPlan.ruleSets(viewer) };
  });
}

type Result = { ok: true; message: string } | { ok: false; problems: string[] };

export async function action({ context, request }: ActionFunctionArgs): Promise<Result> {
  const viewer = requireRole(context, request, ["organisation_board"]);
  const f = await request.formData();
  const code = String(f.get("code"));
  const rules = {
    minEducation: String(f.get("minEducation") ?? "") || null,
    educationOverridable: f.get("educationOverridable") === "1",
    latestBirthDate: String(f.get("latestBirthDate") ?? "") || null,
    partyStatuses: f.getAll("partyStatuses").map(String),
    positionKeywords: String(f.get("positionKeywords") ?? "")
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
  return actionResult(
    async () => {
      await context.services.classPlan.saveRuleSet(viewer, code, rules);
      return { ok: true, message: `Đã lưu điều kiện dự học của chương trình ${code.toUpperCase()}.` };
    },
    ({ message }) => ({ ok: false, problems: [message] }),
  );
}

export default function Rules() {
  const { sets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="lesson-meta">
        <Link to="/xet-duyet">Thẩm định đề cử</Link> › Điều kiện dự học
      </p>
      <h1>Điều kiện dự học theo chương trình</h1>
      <p className="lead">Các mốc chưa được xác nhận trong hướng dẫn là dữ liệu có thể sửa; mỗi lần sửa được ghi nhật ký.</p>
      {result?.ok === true ? <Notice>{result.message}</Notice> : null}
      {result?.ok === false ? <ProblemList problems={result.problems} /> : null}
      {sets.map((s) => (
        <section key={s.code} className="card">
          <h2 style={{ marginTop: 0 }}>
            {s.code.toUpperCase()} — {s.name}
          </h2>
          <Form method="post" className="form">
            <input type="hidden" name="code" value={s.code} />
            <fieldset disabled={!s.canEdit || busy} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: "1rem" }}>
              <div className="field">
                <label htmlFor={`edu-${s.code}`}>Trình độ học vấn tối thiểu</label>
                <select id={`edu-${s.code}`} name="minEducation" defaultValue={s.rules.minEducation ?? ""}>
                  <option value="">Không yêu cầu</option>
                  {Object.entries(EDUCATION_LABELS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                    </option>
                  ))}
                </select>
              </div>
              <label className="check-option">
                <input type="checkbox" name="educationOverridable" value="1" defaultChecked={s.rules.educationOverridable} /> Cho phép xét
                ngoại lệ trình độ (ghi lý do)
              </label>
              <div className="field">
                <label htmlFor={`birth-${s.code}`}>Sinh trước hoặc trong ngày</label>
                <input id={`birth-${s.code}`} name="latestBirthDate" type="date" defaultValue={s.rules.latestBirthDate ?? ""} />
                <p className="hint">Để trống nếu không giới hạn tuổi.</p>
              </div>
              <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                <legend style={{ fontWeight: 600 }}>Tình trạng đảng viên được dự học</legend>
                {Object.entries(PARTY_STATUS_LABELS).map(([k, v]) => (
                  <label key={k} className="check-option">
                    <input
                      type="checkbox"
                      name="partyStatuses"
                      value={k}
                      defaultChecked={(s.rules.partyStatuses as string[]).includes(k)}
                    />{" "}
                    {v}
                  </label>
                ))}
              </fieldset>
              <div className="field">
                <label htmlFor={`pos-${s.code}`}>Chức vụ phải có (cách nhau bằng dấu phẩy; để trống nếu không yêu cầu)</label>
                <input id={`pos-${s.code}`} name="positionKeywords" defaultValue={s.rules.positionKeywords.join(", ")} />
              </div>
              {s.canEdit ? (
                <button className="button" type="submit">
                  Lưu điều kiện
                </button>
              ) : null}
            </fieldset>
          </Form>
        </section>
      ))}
    </>
  );
}
