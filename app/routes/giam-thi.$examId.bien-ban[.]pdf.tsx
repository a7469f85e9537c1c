import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";

/** The session's incident report (biên bản coi thi), printable at any time. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["proctor", "centre_admin", "committee", "organisation_board"]);
  return withAppErrors(async () => {
    const r = await context.services.proctoring.incidentReportPdf(viewer, idParam(params, "examId"));
    return new Response(Buffer.from(r.pdf), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` },
    });
  });
}
