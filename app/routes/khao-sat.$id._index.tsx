import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { LIKERT_LABELS, SECTION_LABELS } from "../../server/surveys/defaults";
import { formatVnDate } from "../../server/rules/dates";
import { vnToday } from "~/lib/format";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Phiếu khảo sát — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return withAppErrors(async () => {
    // Today's day in Vietnam, from the server: the page never reads the browser's clock while rendering.
    return { ...(await context.services.surveys.form(viewer, idParam(params, "id"))), today: vnToday() };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const input: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") input[k] = v;
  return withAppErrors(async () => {
    const r = await context.services.surveys.submit(viewer, idParam(params, "id"), input);
    if (r.ok) throw redirect("/khao-sat?da-gui=1");
    return r;
  });
}

export default function SurveyForm() {
  const s = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  let section = "";
  return (
    <>
      <p className="lesson-meta">
        <Link to="/khao-sat">Khảo sát</Link> › {s.className}
      </p>
      <h1>{s.title}</h1>
      <p className="lead">
        Phiếu không ghi tên: hệ thống chỉ ghi nhận anh/chị đã gửi phiếu, tách riêng với nội dung trả lời. Kết quả chỉ được xem tổng hợp.
      </p>
      {s.answered ? (
        <Notice>Anh/chị đã gửi phiếu này. Cảm ơn anh/chị!</Notice>
      ) : !s.open ? (
        <p className="form-error">
          Phiếu {s.closesOn && s.closesOn < s.today ? `đã đóng ngày ${formatVnDate(s.closesOn)}` : `mở từ ngày ${formatVnDate(s.opensOn)}`}.
        </p>
      ) : (
        <Form method="post" className="selfcheck">
          {a && !a.ok ? (
            <div className="form-error" role="alert" tabIndex={-1}>
              <p>Phiếu chưa gửi được:</p>
              <ul>
                {a.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {s.questions.map((q, i) => {
            const head = q.section !== section ? <h2 key={`h-${q.section}`}>{SECTION_LABELS[q.section]}</h2> : null;
            section = q.section;
            return (
              <div key={q.key}>
                {head}
                {q.type === "text" ? (
                  <div className="field">
                    <label htmlFor={q.key}>
                      Câu {i + 1}. {q.text}
                    </label>
                    <textarea id={q.key} name={q.key} rows={3} maxLength={2000} />
                  </div>
                ) : (
                  <fieldset>
                    <legend>
                      Câu {i + 1}. {q.text}
                    </legend>
                    {(q.type === "likert"
                      ? LIKERT_LABELS.map((label, k) => ({ value: k + 1, label: `${k + 1} — ${label}` }))
                      : (q.options ?? []).map((label, k) => ({ value: k, label }))
                    ).map((o) => (
                      <label key={o.value} className="choice">
                        <input type="radio" name={q.key} value={o.value} required={q.required !== false} /> {o.label}
                      </label>
                    ))}
                  </fieldset>
                )}
              </div>
            );
          })}
          <div className="sticky-actions">
            <button className="button" type="submit" disabled={busy}>
              Gửi phiếu
            </button>
          </div>
        </Form>
      )}
    </>
  );
}
