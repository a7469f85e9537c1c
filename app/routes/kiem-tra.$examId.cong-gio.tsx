import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/labels";
import { formatNumber } from "../../server/rules/numbers";
import { ScrollRegion } from "~/components/scroll-region";
import { ActionNotice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Cộng giờ làm bài — Bồi Dưỡng" }];

/**
 * Time accommodations for one or several trainees: extra minutes and/or a multiplier of
 * the duration, also while the exam runs; a running attempt's new deadline is pushed to
 * the trainee's screen at once (exam:deadline).
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "proctor"]);
  return withAppErrors(() => context.services.exams.accommodations(viewer, idParam(params, "examId")));
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "proctor"]);
  const form = await request.formData();
  const personIds = form.getAll("personId").map(Number);
  const extra = String(form.get("extraMinutes") ?? "").trim();
  const multiplier = String(form.get("multiplier") ?? "")
    .trim()
    .replace(",", ".");
  return actionResult(
    async () => {
      const r = await context.services.exams.setAccommodation(viewer, idParam(params, "examId"), {
        personIds,
        extraMinutes: extra === "" ? 0 : Number(extra),
        multiplier: multiplier === "" ? 1 : Number(multiplier),
        reason: String(form.get("reason") ?? ""),
      });
      const serverNow = new Date().toISOString();
      for (const x of r)
        if (x.attemptId && x.deadline)
          context.services.live.emit(`attempt:${x.attemptId}`, "exam:deadline", {
            attemptId: x.attemptId,
            deadline: x.deadline,
            serverNow,
          });
      const running = r.filter((x) => x.deadline).length;
      return {
        ok: true as const,
        message: `Đã điều chỉnh thời gian cho ${r.length} học viên${running ? `; ${running} người đang làm bài đã nhận giờ nộp mới` : ""}.`,
      };
    },
    ({ message }) => ({ ok: false as const, message }),
  );
}

export default function Accommodations() {
  const { exam, trainees } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="lesson-meta">
        <Link to="/lop">Lớp học</Link> › {exam.title}
      </p>
      <h1>Cộng giờ làm bài</h1>
      <p className="lead">
        Thời gian làm bài chuẩn: {exam.durationMinutes} phút. Chọn một hoặc nhiều học viên, nhập số phút cộng thêm hoặc hệ số thời gian (ví
        dụ 1,5). Người đang làm bài nhận giờ nộp mới ngay.
      </p>
      <ActionNotice result={a} />
      <Form method="post" className="form">
        <fieldset>
          <legend>Học viên</legend>
          <ScrollRegion label="Học viên">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Chọn</th>
                  <th scope="col">Họ và tên</th>
                  <th scope="col">Thời gian được làm</th>
                  <th scope="col">Giờ nộp (đang làm)</th>
                </tr>
              </thead>
              <tbody>
                {trainees.map((t) => (
                  <tr key={t.personId}>
                    <td>
                      <input
                        type="checkbox"
                        name="personId"
                        value={t.personId}
                        id={`p${t.personId}`}
                        style={{ width: "1.5rem", height: "1.5rem" }}
                      />
                    </td>
                    <td>
                      <label htmlFor={`p${t.personId}`}>{t.name}</label>
                    </td>
                    <td>
                      {t.minutes} phút
                      {t.extraMinutes || t.multiplier !== 1 ? (
                        <span className="muted">
                          {" "}
                          (×{formatNumber(t.multiplier)} + {t.extraMinutes} phút{t.reason ? `; ${t.reason}` : ""})
                        </span>
                      ) : null}
                    </td>
                    <td>{t.deadline ? formatDateTime(t.deadline) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </fieldset>
        <div className="actions">
          <div className="field">
            <label htmlFor="extraMinutes">Cộng thêm (phút)</label>
            <input id="extraMinutes" name="extraMinutes" type="number" min={0} max={240} defaultValue={0} style={{ width: "7rem" }} />
          </div>
          <div className="field">
            <label htmlFor="multiplier">Hệ số thời gian</label>
            <input id="multiplier" name="multiplier" inputMode="decimal" defaultValue="1" style={{ width: "7rem" }} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="reason">Lý do</label>
          <input id="reason" name="reason" required placeholder="Ví dụ: học viên khiếm thị; mất điện 10 phút" />
        </div>
        <p className="hint">
          Giá trị mới thay cho giá trị cũ của học viên được chọn (không cộng dồn). Mỗi lần điều chỉnh được ghi nhật ký.
        </p>
        <button className="button" type="submit" disabled={busy}>
          Áp dụng
        </button>
      </Form>
    </>
  );
}
