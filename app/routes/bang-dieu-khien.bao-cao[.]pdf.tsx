import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { parseDashboardFilters } from "../../server/dashboards/filters";

/** A printable report in the Party layout with the dashboard's figures. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["committee", "organisation_board", "centre_admin"]);
  return withAppErrors(async () => {
    const r = await context.services.dashboards.reportPdf(viewer, parseDashboardFilters(new URL(request.url).searchParams));
    return new Response(Buffer.from(r.pdf), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` },
    });
  });
}
