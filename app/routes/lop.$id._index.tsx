import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import styles from "~/styles/class-home.css?url";
import { formatVnDate } from "../../server/rules/dates";
import { pagesFor, STATE_LABELS } from "../../server/classes/next-step";
import { programmeLabel } from "../../server/classes/programme-label";
import { Notice } from "~/components/action-notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.klass.name ?? "Lớp học"} — Bồi Dưỡng` }];

/** The class home: who, when, where, and the class's life stage by stage with the next step (issue 14, item 7). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  return withAppErrors(async () => {
    const o = await context.services.classHome.overview(viewer, idParam(params, "id"));
    return {
      klass: {
        ...o.klass,
        programme: programmeLabel(o.klass.programmeCode),
        from: formatVnDate(o.klass.startsOn),
        to: formatVnDate(o.klass.endsOn),
      },
      next: o.next,
      // Only the pages this viewer's guards let through are linked.
      stages: o.stages.map((s) => ({
        key: s.key,
        title: s.title,
        state: s.state,
        summary: s.summary,
        action: s.action,
        actor: s.actor,
        blocking: s.blocking,
        pages: pagesFor(s, o.roles),
      })),
    };
  });
}

const MARKS = { done: "✓", active: "…", todo: "", skipped: "–" } as const;

export default function ClassHome() {
  const { klass, stages, next } = useLoaderData<typeof loader>();
  const step = stages.find((s) => s.key === next);
  return (
    <>
      <ClassRecordsTabs classId={klass.id} className={klass.name} />
      <h1>{klass.name}</h1>
      <p className="lead">
        {klass.programme} — {klass.programmeName}
      </p>
      <dl className="class-facts">
        <div>
          <dt>Trung tâm</dt>
          <dd>{klass.centre}</dd>
        </div>
        <div>
          <dt>Thời gian</dt>
          <dd>{klass.from && klass.to ? `${klass.from} – ${klass.to}` : "Chưa định ngày"}</dd>
        </div>
        <div>
          <dt>Sĩ số</dt>
          <dd>{klass.trainees} học viên</dd>
        </div>
        {klass.venue ? (
          <div>
            <dt>Địa điểm</dt>
            <dd>{klass.venue}</dd>
          </div>
        ) : null}
      </dl>

      {step ? (
        <section className="next-step" aria-labelledby="next-step-title">
          <p className="next-step__eyebrow">Bước tiếp theo</p>
          <h2 id="next-step-title">{step.title}</h2>
          <p>{step.summary}</p>
          {step.pages[0] ? (
            <Link className="button" to={step.pages[0].to}>
              {step.action} →
            </Link>
          ) : (
            <p className="muted">Việc này do {step.actor.toLocaleLowerCase("vi")} thực hiện.</p>
          )}
        </section>
      ) : (
        <Notice>Lớp đã hoàn thành mọi bước.</Notice>
      )}

      <h2 id="life-title">Các bước của lớp</h2>
      <ol className="class-life" aria-labelledby="life-title">
        {stages.map((s, i) => (
          <li
            key={s.key}
            className={`stage stage--${s.state}${s.key === next ? " stage--next" : ""}`}
            aria-current={s.key === next ? "step" : undefined}
            data-stage={s.key}
          >
            <span className="stage__marker" aria-hidden="true">
              {MARKS[s.state] || i + 1}
            </span>
            <div className="stage__body">
              <h3 className="stage__title">
                {s.title}{" "}
                <span className={`badge stage__state stage__state--${s.state}`}>
                  {s.key === next ? "Bước tiếp theo" : STATE_LABELS[s.state]}
                </span>
              </h3>
              <p className="stage__summary">{s.summary}</p>
              {s.pages.length ? (
                <p className="stage__links">
                  {s.pages.map((p) => (
                    <Link key={p.to} to={p.to}>
                      {p.label}
                    </Link>
                  ))}
                </p>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
