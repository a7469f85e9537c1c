import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";

/** The trainee list template (Vietnamese headers, an example row, a notes sheet). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireRole(context, request, ["centre_admin"]);
  const bytes = await context.services.accounts.traineeTemplateXlsx();
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="mau-danh-sach-hoc-vien.xlsx"`,
    },
  });
}
