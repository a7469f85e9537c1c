import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { LessonContent, type LessonComponents } from "~/components/lesson/lesson-content";
import { requireViewer } from "~/lib/guards.server";
import { actionResult, failureResponse, withAppErrors } from "~/lib/app-errors.server";
import { Callout, Cite, KeyPoints, SelfCheck } from "~/components/lesson/mdx-components";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Bài ${data?.frontmatter.number ?? ""}. ${data?.frontmatter.title ?? ""} — Bồi Dưỡng` },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return withAppErrors(async () => {
    const page = await context.services.curricula.lessonPage(viewer, params.programme!, params.slug!);
    return { ...page, programme: params.programme! };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const lessonId = Number(form.get("lessonId"));
  const intent = form.get("intent");
  return actionResult(
    async () => {
      await context.services.curricula.recordStudy(viewer, lessonId, {
        heartbeatSeconds: intent === "heartbeat" ? Number(form.get("seconds")) || 0 : 0,
        complete: intent === "complete",
        undo: intent === "undo",
      });
      return { ok: true, message: null };
    },
    (f) => {
      // Too soon to mark it done: say how long remains (the server measures it).
      if (f.status !== 400) throw failureResponse(f);
      return { ok: false, message: f.message };
    },
  );
}

const HEARTBEAT_SECONDS = 30;

export default function LessonPage() {
  const data = useLoaderData<typeof loader>();
  const { frontmatter: fm, lessonId } = data;
  const complete = useFetcher();
  const beat = useFetcher();

  // Time spent: a heartbeat every 30 s while the page is visible (capped on the server).
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === "visible")
        beat.submit({ intent: "heartbeat", seconds: HEARTBEAT_SECONDS, lessonId }, { method: "post" });
    }, HEARTBEAT_SECONDS * 1000);
    return () => window.clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lessonId]);

  const refused =
    complete.state === "idle" && complete.data && !(complete.data as { ok: boolean }).ok
      ? (complete.data as { message: string }).message
      : null;
  const pendingIntent = complete.formData?.get("intent");
  const completed = pendingIntent ? pendingIntent === "complete" : data.progress.completed;
  const components = useMemo(
    () =>
      ({
        Callout,
        KeyPoints,
        Cite,
        SelfCheck: (p: { count?: number }) => <SelfCheck count={p.count} lessonId={lessonId} />,
      }) satisfies LessonComponents,
    [lessonId],
  );

  return (
    <article className="lesson">
      <p className="lesson-meta">
        <Link to="/hoc-tap">Học tập</Link> › <Link to={`/hoc-tap/${data.programme}`}>{data.programmeName}</Link>
      </p>
      <h1>
        Bài {fm.number}. {fm.title}
      </h1>
      <p className="lesson-meta">
        {fm.periods} tiết · phiên bản {data.version}
        {completed ? " · ✓ đã học xong" : ""}
      </p>
      <section className="card" aria-labelledby="objectives">
        <h2 id="objectives" style={{ marginTop: 0 }}>
          Mục tiêu
        </h2>
        <ul>
          {fm.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
      <LessonContent code={data.code} components={components} />
      <section aria-labelledby="sources">
        <h2 id="sources">Văn bản làm căn cứ</h2>
        <ul>
          {fm.sources.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </section>
      <div className="sticky-actions">
        <complete.Form method="post" className="actions">
          <input type="hidden" name="lessonId" value={lessonId} />
          {completed ? (
            <>
              <span className="status status--done" role="status">
                ✓ Bạn đã học xong bài này
              </span>
              <button className="button button--secondary" name="intent" value="undo">
                Đánh dấu chưa xong
              </button>
            </>
          ) : (
            <button className="button" name="intent" value="complete">
              Đánh dấu đã học xong
            </button>
          )}
        </complete.Form>
        {refused ? (
          <Notice tone="error">{refused}</Notice>
        ) : !completed && data.minStudyMinutes > 0 ? (
          <p className="muted" style={{ margin: ".3rem 0 0" }}>
            Mỗi bài cần học ít nhất {data.minStudyMinutes} phút trước khi đánh dấu đã học xong (mức mặc định, chưa có văn bản quy định).
          </p>
        ) : null}
      </div>
      <nav className="pager" aria-label="Bài trước, bài sau">
        {data.prev ? <Link to={`/hoc-tap/${data.programme}/${data.prev.slug}`}>← Bài {data.prev.number}</Link> : <span />}
        {data.next ? <Link to={`/hoc-tap/${data.programme}/${data.next.slug}`}>Bài {data.next.number} →</Link> : <span />}
      </nav>
    </article>
  );
}
