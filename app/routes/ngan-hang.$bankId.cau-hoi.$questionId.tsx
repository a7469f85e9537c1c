import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { QUESTION_LEVEL, QUESTION_STATUS, QUESTION_TYPE, QUESTION_USE, formatDateTime } from "~/lib/labels";
import { parseQuestionForm } from "../../server/questions/form";
import { StemContent } from "~/components/question-stem";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Câu hỏi — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  return withAppErrors(async () => {
    const bank = await context.services.banks.bank(viewer, idParam(params, "bankId"));
    if (params.questionId === "moi") return { bank, item: null, canWrite: true, canReview: false };
    const item = await context.services.banks.get(viewer, idParam(params, "questionId"));
    if (item.question.bank_id !== bank.id) throw new Response("Không có câu hỏi này.", { status: 404 });
    return {
      bank,
      item: {
        ...item,
        reviews: item.reviews.map((r) => ({ ...r, at: String(r.at) })),
        versions: item.versions.map((v) => ({ id: v.id, version_no: v.version_no, used: v.used, created_at: String(v.created_at) })),
        latest: {
          ...item.latest,
          options: item.latest.options as unknown as { text: string; fraction: number }[],
          created_at: String(item.latest.created_at),
        },
      },
      canWrite: item.canWrite,
      canReview: item.canReview,
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const bankId = idParam(params, "bankId");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const b = context.services.banks;
  return actionResult(
    async () => {
      if (intent === "save" || intent === "save-submit") {
        const parsed = parseQuestionForm(form);
        if (!parsed.ok) return data({ errors: parsed.errors, message: null }, { status: 400 });
        const saved = await b.save(viewer, bankId, parsed.value, params.questionId === "moi" ? undefined : idParam(params, "questionId"));
        if (!saved.ok)
          return data({ errors: { options: saved.errors.join(" ") } as Record<string, string>, message: null }, { status: 400 });
        if (intent === "save-submit") await b.submit(viewer, [saved.id]);
        return redirect(`/ngan-hang/${bankId}/cau-hoi/${saved.id}?da-luu=${intent === "save-submit" ? "gui" : "1"}`);
      }
      const id = idParam(params, "questionId");
      if (intent === "approve") await b.review(viewer, [id], { approve: true });
      else if (intent === "return") await b.review(viewer, [id], { approve: false, comment: String(form.get("comment") ?? "") });
      else if (intent === "retire") await b.retire(viewer, id, String(form.get("comment") ?? ""));
      else throw new Response("Thao tác không hợp lệ.", { status: 400 });
      return {
        errors: {} as Record<string, string>,
        message:
          intent === "approve"
            ? "Đã duyệt câu hỏi."
            : intent === "return"
              ? "Đã trả lại câu hỏi cho giảng viên."
              : "Đã ngừng sử dụng câu hỏi.",
      };
    },
    ({ status, message }) => data({ errors: { form: message } as Record<string, string>, message: null }, { status }),
  );
}

export default function QuestionEditor() {
  const { bank, item, canWrite, canReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const latest = item?.latest;
  const [type, setType] = useState<string>(latest?.type ?? "single");
  const options = latest?.options ?? [];
  const rows = Math.max(4, options.length);
  const err = (k: string) => result?.errors?.[k];
  const [params] = useSearchParams();
  const saved = params.get("da-luu");
  return (
    <>
      <p className="lesson-meta">
        <Link to="/ngan-hang">Ngân hàng câu hỏi</Link> › <Link to={`/ngan-hang/${bank.id}`}>{bank.name}</Link>
      </p>
      <h1>{item ? `Câu hỏi ${item.question.key}` : "Thêm câu hỏi"}</h1>
      {item ? (
        <p>
          Trạng thái: <strong>{QUESTION_STATUS[item.question.status]}</strong> · phiên bản {latest!.version_no}
          {item.question.approved_version_id && item.question.approved_version_id !== item.question.latest_version_id
            ? " (bản đã duyệt trước đó vẫn được dùng cho tới khi bản sửa được duyệt)"
            : ""}
        </p>
      ) : null}
      {saved ? <Notice>{saved === "gui" ? "Đã lưu và gửi duyệt." : "Đã lưu."}</Notice> : null}
      {result?.message ? <Notice>{result.message}</Notice> : null}
      {err("form") ? <Notice tone="error">{err("form")}</Notice> : null}

      {canReview && item?.question.status === "submitted" ? (
        <section className="card" aria-labelledby="review">
          <h2 id="review" style={{ marginTop: 0 }}>
            Duyệt câu hỏi
          </h2>
          <Form method="post" className="actions" style={{ alignItems: "flex-end" }}>
            <button className="button" name="intent" value="approve" disabled={busy}>
              Duyệt
            </button>
            <div className="field" style={{ flex: "1 1 16rem" }}>
              <label htmlFor="comment">Ý kiến (khi trả lại hoặc ngừng dùng)</label>
              <input id="comment" name="comment" />
            </div>
            <button className="button button--secondary" name="intent" value="return" disabled={busy}>
              Trả lại
            </button>
            <button className="button button--secondary" name="intent" value="retire" disabled={busy}>
              Ngừng sử dụng
            </button>
          </Form>
        </section>
      ) : null}

      <Form method="post" className="card">
        <fieldset disabled={!canWrite || item?.question.status === "retired"} style={{ border: 0, padding: 0, margin: 0 }}>
          <div className="actions" style={{ alignItems: "flex-start" }}>
            <div className="field">
              <label htmlFor="lesson">Bài</label>
              <input
                id="lesson"
                name="lesson"
                type="number"
                min={1}
                max={20}
                defaultValue={item?.question.lesson_position ?? ""}
                style={{ width: "6rem" }}
                aria-invalid={!!err("lesson")}
              />
              {err("lesson") ? <p className="error">{err("lesson")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="level">Mức độ</label>
              <select id="level" name="level" defaultValue={latest?.level ?? ""}>
                <option value="">—</option>
                {Object.entries(QUESTION_LEVEL).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
              {err("level") ? <p className="error">{err("level")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="use">Sử dụng</label>
              <select id="use" name="use" defaultValue={latest?.use ?? "both"} aria-describedby="use-hint" aria-invalid={!!err("use")}>
                {Object.entries(QUESTION_USE).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
              <p id="use-hint" className="hint">
                “Ôn tập”: chỉ trong tự kiểm tra bài học; “Thi”: chỉ trong đề kiểm tra.
              </p>
              {err("use") ? <p className="error">{err("use")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="type">Loại</label>
              <select id="type" name="type" value={type} onChange={(e) => setType(e.target.value)}>
                {Object.entries(QUESTION_TYPE).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {item?.stemHtml ? (
            <section className="card" aria-labelledby="stem-preview" data-testid="stem-preview">
              <h2 id="stem-preview" style={{ marginTop: 0, fontSize: "1rem" }}>
                Nội dung câu hỏi như học viên thấy
              </h2>
              <div className="exam-stem">
                <StemContent stem={latest?.stem ?? ""} html={item.stemHtml} />
              </div>
            </section>
          ) : null}
          <div className="field">
            <label htmlFor="stem">Nội dung câu hỏi</label>
            <textarea
              id="stem"
              name="stem"
              rows={item?.stemHtml ? 6 : 3}
              defaultValue={latest?.stem ?? ""}
              aria-invalid={!!err("stem")}
              aria-describedby={item?.stemHtml ? "stem-hint" : undefined}
            />
            {item?.stemHtml ? (
              <p className="hint" id="stem-hint">
                Câu hỏi nhập từ Moodle hoặc Word, ở dạng HTML: chỉ giữ được in đậm, in nghiêng, gạch chân, chỉ số, danh sách, bảng và hình
                (@@PLUGINFILE@@/…); mọi thẻ khác bị bỏ khi lưu.
              </p>
            ) : null}
            {err("stem") ? <p className="error">{err("stem")}</p> : null}
          </div>
          {type === "essay" ? null : type === "true_false" ? (
            <fieldset>
              <legend>Đáp án đúng</legend>
              {["Đúng", "Sai"].map((t, i) => (
                <label key={t} className="choice">
                  <input type="radio" name="correct" value={i} defaultChecked={(options[i]?.fraction ?? 0) > 0} /> {t}
                </label>
              ))}
            </fieldset>
          ) : (
            <fieldset>
              <legend>Phương án (đánh dấu phương án đúng)</legend>
              {Array.from({ length: rows + (rows < 6 ? 1 : 0) }, (_, i) => (
                <div key={i} className="choice">
                  <input
                    type={type === "multiple" ? "checkbox" : "radio"}
                    name="correct"
                    value={i}
                    defaultChecked={(options[i]?.fraction ?? 0) > 0}
                    aria-label={`Phương án ${String.fromCharCode(65 + i)} đúng`}
                  />
                  <span aria-hidden="true">{String.fromCharCode(65 + i)}.</span>
                  <input
                    name="option"
                    defaultValue={options[i]?.text ?? ""}
                    aria-label={`Phương án ${String.fromCharCode(65 + i)}`}
                    style={{ flex: 1, minHeight: 40 }}
                  />
                </div>
              ))}
            </fieldset>
          )}
          {err("options") ? (
            <p className="error" role="alert">
              {err("options")}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="explanation">Giải thích (hiện cho học viên sau khi trả lời)</label>
            <textarea id="explanation" name="explanation" rows={2} defaultValue={latest?.explanation ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="source">Văn bản làm căn cứ</label>
            <input id="source" name="source" defaultValue={latest?.source ?? ""} aria-invalid={!!err("source")} />
            {err("source") ? <p className="error">{err("source")}</p> : null}
          </div>
          {canWrite ? (
            <div className="actions" style={{ marginTop: "1rem" }}>
              <button className="button button--secondary" name="intent" value="save" disabled={busy}>
                Lưu nháp
              </button>
              <button className="button" name="intent" value="save-submit" disabled={busy}>
                Lưu và gửi duyệt
              </button>
            </div>
          ) : null}
        </fieldset>
      </Form>

      {item ? (
        <>
          <h2>Lịch sử</h2>
          <ul>
            {item.reviews.map((r, i) => (
              <li key={i}>
                {formatDateTime(r.at)} — {r.actor ?? "Hệ thống"}:{" "}
                {{ submitted: "gửi duyệt", approved: "duyệt", returned: "trả lại", retired: "ngừng dùng" }[r.action]}
                {r.comment ? ` (“${r.comment}”)` : ""}
              </li>
            ))}
          </ul>
          <p className="muted">
            {item.versions.length} phiên bản; các phiên bản đã dùng trong đề thi không bao giờ bị sửa, mỗi lần sửa tạo phiên bản mới.
          </p>
        </>
      ) : null}
    </>
  );
}
