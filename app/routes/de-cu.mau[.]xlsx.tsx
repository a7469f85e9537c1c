import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";

/** The nominee list template (Vietnamese headers, example rows, a notes sheet); docs/class-plan.md. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireRole(context, request, ["unit_secretary", "organisation_board", "centre_admin"]);
  const bytes = await context.services.classPlan.nomineeTemplateXlsx();
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="mau-danh-sach-de-cu.xlsx"`,
    },
  });
}
