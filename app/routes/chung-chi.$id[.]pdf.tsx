import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { idParam } from "~/lib/params.server";

/** One certificate: its holder downloads it; the centre may too. Both wait for a required survey (issue 13, item 10). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  try {
    const r = await context.services.classRecords.certificatePdf(viewer, idParam(params, "id"));
    return new Response(Buffer.from(r.bytes), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="${r.fileName}"` },
    });
  } catch (e) {
    // A trainee who follows an old link lands on "Giấy chứng nhận của tôi", which names the survey and links to it.
    if ((e as { code?: unknown }).code === "survey_required" && viewer.roles.some((g) => g.role === "trainee"))
      throw redirect("/chung-chi");
    throw asResponse(e);
  }
}
