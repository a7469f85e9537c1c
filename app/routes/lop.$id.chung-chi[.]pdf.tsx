import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";

/** Every valid certificate of the class in one PDF, for printing. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  return withAppErrors(async () => {
    const r = await context.services.classRecords.classCertificatesPdf(viewer, idParam(params, "id"));
    return new Response(Buffer.from(r.bytes), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` },
    });
  });
}
