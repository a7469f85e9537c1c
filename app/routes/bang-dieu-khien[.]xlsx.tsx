import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { parseDashboardFilters } from "../../server/dashboards/filters";

/** The dashboard's figures, with the same filters, as a workbook. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["committee", "organisation_board", "centre_admin"]);
  return withAppErrors(async () => {
    const r = await context.services.dashboards.exportXlsx(viewer, parseDashboardFilters(new URL(request.url).searchParams));
    return new Response(Buffer.from(r.bytes), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="${r.fileName}"`,
      },
    });
  });
}
