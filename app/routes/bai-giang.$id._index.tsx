import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requireRole } from "~/lib/guards.server";
import { actionResult, withAppErrors } from "~/lib/app-errors.server";
import { idParam, searchId } from "~/lib/params.server";
import { LESSON_STATUS, formatDateTime } from "~/lib/labels";
import { ScrollRegion } from "~/components/scroll-region";
import { MdxPreview } from "~/components/lesson/mdx-preview";
import { LessonSourceEditor, type EditorView } from "~/components/lesson-editor/lesson-editor";
import editorStyles from "~/styles/lesson-editor.css?url";
import { Notice } from "~/components/action-notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];

export const meta: MetaFunction = () => [{ title: "Bài giảng — Bồi Dưỡng" }];

type Problem = { line: number; message: string };
const VIEW_KEY = "bai-giang-che-do-soan";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  return withAppErrors(async () => {
    const state = await context.services.curricula.editorState(viewer, idParam(params, "id"));
    const reviewId = searchId(new URL(request.url).searchParams, "ban") || state.versions.find((v) => v.status === "submitted")?.id || null;
    const review = reviewId && state.canApprove ? state.versions.find((v) => v.id === reviewId && v.status === "submitted") : undefined;
    let reviewPreview: { code?: string; problems: Problem[] } | null = null;
    if (review) {
      const r = await context.services.curricula.previewVersion(viewer, review.id);
      reviewPreview = { code: r.code, problems: r.problems };
    }
    return {
      lesson: state.lesson,
      versions: state.versions.map((v) => ({ ...v, created_at: String(v.created_at), updated_at: String(v.updated_at) })),
      publishedId: state.published?.id ?? null,
      draftId: state.draft?.id ?? null,
      draftSavedAt: state.draft ? String(state.draft.updated_at) : null,
      // The author's version waiting for review: the editor confirms it instead of "no draft".
      submittedAt: state.submitted?.submitted_at ? String(state.submitted.submitted_at) : null,
      returnedComment: state.draft?.status === "returned" ? state.draft.review_comment : null,
      source: state.source,
      canAuthor: state.canAuthor,
      canApprove: state.canApprove,
      review: review ? { id: review.id, versionNo: review.version_no, ...reviewPreview! } : null,
    };
  });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const lessonId = idParam(params, "id");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const c = context.services.curricula;
  return actionResult(
    async () => {
      switch (intent) {
        case "preview": {
          const r = await c.preview(lessonId, String(form.get("source") ?? ""));
          return { intent, code: r.code ?? null, problems: r.problems.map((p) => ({ line: p.line, message: p.message })) };
        }
        case "save": {
          const saved = await c.saveDraft(viewer, lessonId, String(form.get("source") ?? ""));
          // Kept even with errors; the closed grammar's refusals are listed with the save.
          return { intent, savedAt: saved.savedAt, problems: saved.problems.map((p) => ({ line: p.line, message: p.message })) };
        }
        case "submit": {
          const saved = await c.saveDraft(viewer, lessonId, String(form.get("source") ?? ""));
          const r = await c.submit(viewer, saved.versionId);
          // 200 even when refused: the draft was saved, and the page must revalidate to show it.
          return { intent, submitted: r.ok, problems: r.ok ? [] : r.problems.map((p) => ({ line: p.line, message: p.message })) };
        }
        case "approve":
        case "return": {
          const versionId = Number(form.get("versionId"));
          const r = await c.review(
            viewer,
            versionId,
            intent === "approve" ? { approve: true } : { approve: false, comment: String(form.get("comment") ?? "") },
          );
          return { intent, reviewed: r.ok, problems: r.problems.map((p) => ({ line: p.line, message: p.message })) };
        }
        default:
          throw new Response("Thao tác không hợp lệ.", { status: 400 });
      }
    },
    ({ message, status }) => data({ intent, error: message, problems: [] as Problem[] }, { status: status }),
  );
}

function Problems({ problems, onGo }: { problems: Problem[]; onGo?: (line: number) => void }) {
  if (!problems.length) return null;
  return (
    <ul className="problems" role="alert" aria-label="Lỗi trong bài giảng">
      {problems.map((p, i) => (
        <li key={i}>
          Dòng {p.line}: {p.message}
          {onGo ? (
            <>
              {" "}
              <button type="button" className="link-button" onClick={() => onGo(p.line)}>
                Xem dòng {p.line} trong mã nguồn
              </button>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export default function LessonEditor() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    { intent: string; problems: Problem[]; submitted?: boolean; reviewed?: boolean; error?: string; savedAt?: string } | undefined;
  const nav = useNavigation();
  const preview = useFetcher<{ code: string | null; problems: Problem[] }>();
  const autosave = useFetcher<{ savedAt?: string; error?: string }>();
  const [source, setSource] = useState(d.source);
  const [dirty, setDirty] = useState(false);
  const [restorable, setRestorable] = useState<string | null>(null);
  const [view, setView] = useState<EditorView>("rich");
  const [goTo, setGoTo] = useState<{ line: number; n: number } | null>(null);
  const showLine = (line: number) => setGoTo((g) => ({ line, n: (g?.n ?? 0) + 1 }));
  // An expert who prefers the source view keeps it on this device.
  useEffect(() => {
    if (window.localStorage.getItem(VIEW_KEY) === "source") setView("source");
  }, []);
  const changeView = (v: EditorView) => {
    setView(v);
    window.localStorage.setItem(VIEW_KEY, v);
  };
  const storageKey = `bai-giang-nhap-${d.lesson.id}`;
  const timer = useRef<number>();

  // A local copy in the browser: a lost connection or closed tab never loses typing.
  useEffect(() => {
    const local = window.localStorage.getItem(storageKey);
    if (local && local !== d.source) setRestorable(local);
  }, [storageKey, d.source]);

  const { submit: submitPreview } = preview;
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => submitPreview({ intent: "preview", source }, { method: "post" }), 600);
    return () => window.clearTimeout(timer.current);
  }, [source, submitPreview]);

  // Autosave to the server every 20 s while there are unsaved changes.
  const { submit: submitAutosave } = autosave;
  useEffect(() => {
    if (!dirty || !d.canAuthor) return;
    const id = window.setTimeout(() => submitAutosave({ intent: "save", source }, { method: "post" }), 20_000);
    return () => window.clearTimeout(id);
  }, [dirty, source, d.canAuthor, submitAutosave]);
  useEffect(() => {
    if (autosave.data?.savedAt) {
      setDirty(false);
      window.localStorage.removeItem(storageKey);
    }
  }, [autosave.data, storageKey]);
  useEffect(() => {
    if ((result?.intent === "save" || result?.intent === "submit") && !result.error) {
      setDirty(false);
      window.localStorage.removeItem(storageKey);
    }
  }, [result, storageKey]);

  const problems = preview.data?.problems ?? [];
  const busy = nav.state !== "idle";
  const savedAt = autosave.data?.savedAt ?? (result?.intent === "save" ? result.savedAt : undefined) ?? d.draftSavedAt;

  return (
    <>
      <p className="lesson-meta">
        <Link to="/bai-giang">Soạn, duyệt bài giảng</Link> › {d.lesson.programme_name}
      </p>
      <h1>
        Bài {d.lesson.position} ({d.lesson.programme_code.toUpperCase()})
      </h1>

      {result?.error ? <Notice tone="error">{result.error}</Notice> : null}
      {result?.submitted ? (
        <Notice>Đã gửi bản này để Ban Tuyên giáo duyệt. Học viên vẫn đọc bản đang dùng cho tới khi bản mới được duyệt.</Notice>
      ) : null}
      {result?.reviewed ? (
        <Notice>
          {result.intent === "approve"
            ? "Đã duyệt và xuất bản phiên bản mới. Học viên thấy bản này từ bây giờ."
            : "Đã trả lại bản này cho giảng viên kèm ý kiến."}
        </Notice>
      ) : null}
      {result?.intent === "save" && !result.error && result.problems.length ? (
        <>
          <p className="form-error">Đã lưu bản nháp, nhưng bài giảng còn lỗi cần sửa trước khi gửi duyệt:</p>
          <Problems problems={result.problems} onGo={d.canAuthor ? showLine : undefined} />
        </>
      ) : null}
      {result && (result.intent === "submit" || result.intent === "approve") && result.problems.length ? (
        <>
          <p className="form-error">
            {result.intent === "submit"
              ? "Chưa gửi duyệt được: bài giảng còn lỗi. Bản nháp vẫn được lưu."
              : "Chưa duyệt được: bản này còn lỗi."}
          </p>
          <Problems problems={result.problems} onGo={d.canAuthor && result.intent === "submit" ? showLine : undefined} />
        </>
      ) : null}

      {d.review ? (
        <section className="card" aria-labelledby="review-title">
          <h2 id="review-title" style={{ marginTop: 0 }}>
            Duyệt phiên bản {d.review.versionNo}
          </h2>
          <p>
            <Link to={`/bai-giang/${d.lesson.id}/so-sanh?tu=${d.publishedId}&den=${d.review.id}`}>Xem thay đổi so với bản đang dùng</Link>
          </p>
          <Problems problems={d.review.problems} />
          {d.review.code ? (
            <details>
              <summary>Xem trước bản chờ duyệt</summary>
              <div className="lesson preview">
                <MdxPreview code={d.review.code} />
              </div>
            </details>
          ) : null}
          <div className="actions" style={{ marginTop: "1rem", alignItems: "flex-start" }}>
            <Form method="post">
              <input type="hidden" name="versionId" value={d.review.id} />
              <button className="button" name="intent" value="approve" disabled={busy}>
                Duyệt và xuất bản
              </button>
            </Form>
            <Form method="post" className="form" style={{ flex: "1 1 18rem" }}>
              <input type="hidden" name="versionId" value={d.review.id} />
              <div className="field">
                <label htmlFor="comment">Ý kiến khi trả lại</label>
                <textarea id="comment" name="comment" rows={2} />
              </div>
              <button className="button button--secondary" name="intent" value="return" disabled={busy}>
                Trả lại để sửa
              </button>
            </Form>
          </div>
        </section>
      ) : null}

      {d.canAuthor ? (
        <section aria-labelledby="editor-title">
          <h2 id="editor-title">Soạn thảo</h2>
          {d.returnedComment ? <p className="form-error">Ban Tuyên giáo trả lại: “{d.returnedComment}”</p> : null}
          {restorable ? (
            <Notice>
              Trình duyệt này còn một bản đang gõ dở chưa lưu.{" "}
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setSource(restorable);
                  setDirty(true);
                  setRestorable(null);
                }}
              >
                Khôi phục
              </button>
            </Notice>
          ) : null}
          <Form method="post" className="editor">
            <div>
              <LessonSourceEditor
                source={source}
                view={view}
                onView={changeView}
                goTo={goTo}
                describedBy="editor-status"
                onChange={(next) => {
                  setSource(next);
                  setDirty(true);
                  window.localStorage.setItem(storageKey, next);
                }}
              />
              <p id="editor-status" className="muted" role="status">
                {dirty
                  ? "Có thay đổi chưa lưu (đã giữ tạm trên máy này)."
                  : d.draftId && savedAt
                    ? `Bản nháp đã lưu lúc ${formatDateTime(savedAt)}.`
                    : d.submittedAt
                      ? `Đã gửi duyệt lúc ${formatDateTime(d.submittedAt)}; bản này đang chờ Ban Tuyên giáo duyệt. Sửa tiếp sẽ tạo một bản nháp mới.`
                      : "Chưa có bản nháp: đang soạn từ bản đang dùng."}
              </p>
              <div className="actions">
                <button className="button button--secondary" name="intent" value="save" disabled={busy}>
                  Lưu nháp
                </button>
                <button className="button" name="intent" value="submit" disabled={busy}>
                  Gửi duyệt
                </button>
              </div>
            </div>
            <div>
              <p>
                <strong>Xem trước</strong> {preview.state !== "idle" ? <span className="muted">(đang cập nhật…)</span> : null}
              </p>
              <Problems problems={problems} onGo={showLine} />
              {/* A long lesson scrolls inside the preview (max 75vh): a region a keyboard can reach and scroll. */}
              <ScrollRegion className="lesson preview" label="Xem trước bài giảng">
                {preview.data?.code ? (
                  <MdxPreview code={preview.data.code} />
                ) : (
                  <p className="muted">{problems.length ? "Sửa lỗi để xem trước." : "Đang dựng bản xem trước…"}</p>
                )}
              </ScrollRegion>
            </div>
          </Form>
        </section>
      ) : null}

      <h2>Lịch sử phiên bản</h2>
      <ScrollRegion label="Lịch sử phiên bản">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Bản</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Người soạn</th>
              <th scope="col">Cập nhật</th>
              <th scope="col">Ý kiến duyệt</th>
              <th scope="col">So sánh</th>
            </tr>
          </thead>
          <tbody>
            {d.versions.map((v) => (
              <tr key={v.id}>
                <td>{v.version_no}</td>
                <td>{LESSON_STATUS[v.status] ?? v.status}</td>
                <td>{v.origin === "file" ? "Tệp nội dung" : v.author}</td>
                <td>{formatDateTime(v.updated_at)}</td>
                <td>{v.review_comment ?? (v.reviewer ? `Duyệt bởi ${v.reviewer}` : "")}</td>
                <td>
                  {d.publishedId && v.id !== d.publishedId ? (
                    <Link to={`so-sanh?tu=${d.publishedId}&den=${v.id}`}>với bản đang dùng</Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
