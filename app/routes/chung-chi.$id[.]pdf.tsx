import type { LoaderFunctionArgs } from "@remix-run/node";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { idParam } from "~/lib/params.server";

/** One certificate: its holder downloads it; the centre may too. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  try {
    // SURVEY GATE: the lead adds the "answer the course survey first" rule here, before the PDF is made.
    const r = await context.services.classRecords.certificatePdf(viewer, idParam(params, "id"));
    return new Response(Buffer.from(r.bytes), { headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` } });
  } catch (e) {
    throw asResponse(e);
  }
}
