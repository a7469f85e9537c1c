import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";

/**
 * Prints call-up letters (a plain form post, so the browser downloads the file). The
 * initial passwords are generated in this request and exist only in the returned file.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const f = await request.formData();
  return withAppErrors(async () => {
    const out = await context.services.classPlan.callUpLetters(viewer, idParam(params, "id"), {
      personId: Number(f.get("personId")) || null,
      format: f.get("format") === "docx" ? "docx" : "pdf",
      confirm: f.get("confirm") === "1",
      origin: new URL(request.url).origin,
    });
    return new Response(Buffer.from(out.bytes), {
      headers: {
        "Content-Type": out.contentType,
        "Content-Disposition": `attachment; filename="${out.fileName}"`,
        // Passwords inside: never cache.
        "Cache-Control": "no-store",
      },
    });
  });
}
