import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { CSSProperties } from "react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { ClassRecordsTabs } from "~/components/class-records/tabs";
import { idParam, searchId } from "~/lib/params.server";
import { formatVnDate } from "../../server/rules/dates";
import styles from "~/styles/class-plan.css?url";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Sơ đồ chỗ ngồi — Bồi Dưỡng" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

/** A printable seating plan: names in Vietnamese order, row by row from the front. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor"]);
  // Seats per row: a small count; anything else is the default.
  const perRow = Math.min(searchId(new URL(request.url).searchParams, "moi-hang") ?? 6, 30);
  return withAppErrors(async () => {
    const plan = await context.services.classPlan.seating(viewer, idParam(params, "id"), perRow);
    return { ...plan, dates: `${formatVnDate(plan.klass.startsOn)} – ${formatVnDate(plan.klass.endsOn)}` };
  });
}

export default function Seating() {
  const { klass, rows, perRow, count, dates } = useLoaderData<typeof loader>();
  return (
    <>
      <ClassRecordsTabs classId={klass.id} className={klass.name} />
      <h1>Sơ đồ chỗ ngồi</h1>
      <p className="lead">
        {klass.name} · {dates} · {klass.venue ?? ""} · {count} học viên
      </p>
      <Form method="get" className="actions no-print" style={{ marginBottom: "1rem", alignItems: "flex-end" }}>
        <div className="field">
          <label htmlFor="moi-hang">Số chỗ mỗi hàng</label>
          <input
            id="moi-hang"
            name="moi-hang"
            type="number"
            min={1}
            max={20}
            defaultValue={perRow}
            inputMode="numeric"
            style={{ maxWidth: "7rem" }}
          />
        </div>
        <button className="button button--secondary" type="submit">
          Xếp lại
        </button>
        <button className="button" type="button" onClick={() => window.print()}>
          In sơ đồ
        </button>
      </Form>
      <ScrollRegion className="seating-scroll" label="Sơ đồ chỗ ngồi" style={{ "--per-row": perRow } as CSSProperties}>
        <div className="seating" role="table" aria-label="Sơ đồ chỗ ngồi">
          <div className="seating__board">BỤC GIẢNG</div>
          {rows.map((r, i) => (
            <div key={i} className="seating__row" role="row">
              {r.map((s) => (
                <div key={s.label} className={s.name ? "seat" : "seat seat--empty"} role="cell">
                  <b>{s.label}</b>
                  {s.name ?? "—"}
                  {s.unit ? <div className="muted">{s.unit}</div> : null}
                </div>
              ))}
            </div>
          ))}
        </div>
      </ScrollRegion>
    </>
  );
}
