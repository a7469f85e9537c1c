import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam, requiredSearchId } from "~/lib/params.server";

const TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
} as const;

/** The results notice of a sending unit (?loai=thong-bao&don-vi=ID) or the class report (?loai=bao-cao), as PDF or DOCX. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin"]);
  const q = new URL(request.url).searchParams;
  const format = q.get("dinh-dang") === "docx" ? "docx" : "pdf";
  return withAppErrors(async () => {
    const svc = context.services.classRecords;
    const r =
      q.get("loai") === "bao-cao"
        ? await svc.classReport(viewer, idParam(params, "id"), format)
        : await svc.resultsNotice(viewer, idParam(params, "id"), requiredSearchId(q, "don-vi"), format);
    return new Response(Buffer.from(r.bytes), {
      headers: {
        "Content-Type": TYPES[format],
        "Content-Disposition": `${format === "pdf" ? "inline" : "attachment"}; filename="${r.fileName}"`,
      },
    });
  });
}
