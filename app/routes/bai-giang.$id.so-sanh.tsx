import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam, requiredSearchId } from "~/lib/params.server";

export const meta: MetaFunction = () => [{ title: "So sánh phiên bản — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const url = new URL(request.url);
  return withAppErrors(async () => {
    const diff = await context.services.curricula.diff(
      viewer,
      requiredSearchId(url.searchParams, "tu"),
      requiredSearchId(url.searchParams, "den"),
    );
    return { ...diff, lessonId: idParam(params, "id") };
  });
}

export default function VersionDiff() {
  const d = useLoaderData<typeof loader>();
  const added = d.lines.filter((l) => l.kind === "added").length;
  const removed = d.lines.filter((l) => l.kind === "removed").length;
  return (
    <>
      <p className="lesson-meta">
        <Link to={`/bai-giang/${d.lessonId}`}>← Về bài giảng</Link>
      </p>
      <h1>
        So sánh phiên bản {d.from} → {d.to}
      </h1>
      <p>
        <span className="badge badge--ok">+{added} dòng thêm</span> <span className="badge badge--err">−{removed} dòng bỏ</span>
      </p>
      <div className="diff" role="region" aria-label="Các dòng thay đổi" tabIndex={0}>
        {d.lines.map((l, i) =>
          l.kind === "skip" ? (
            <div key={i} className="skip">
              … {l.count} dòng không đổi …
            </div>
          ) : (
            <div key={i} className={l.kind}>
              <span className="muted" aria-hidden="true">
                {l.kind === "added" ? "+ " : l.kind === "removed" ? "− " : "  "}
              </span>
              <span className="sr-only">{l.kind === "added" ? "Thêm: " : l.kind === "removed" ? "Bỏ: " : ""}</span>
              {l.text || " "}
            </div>
          ),
        )}
      </div>
    </>
  );
}
