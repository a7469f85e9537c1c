import type { LoaderFunctionArgs } from "@remix-run/node";
import { asResponse, requireRole } from "~/lib/guards.server";
import { parseDashboardFilters } from "../../server/dashboards/filters";

/** A printable report in the Party layout with the dashboard's figures. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["committee", "organisation_board", "centre_admin"]);
  try {
    const r = await context.services.dashboards.reportPdf(viewer, parseDashboardFilters(new URL(request.url).searchParams));
    return new Response(Buffer.from(r.pdf), { headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` } });
  } catch (e) {
    throw asResponse(e);
  }
}
