import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";

const TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** The class's papers: quyet-dinh.pdf, quyet-dinh.docx (decision to open the class), danh-sach.xlsx (trainee list). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["centre_admin", "lecturer", "proctor"]);
  const classId = idParam(params, "id");
  return withAppErrors(async () => {
    let out: { bytes: Uint8Array; fileName: string };
    let type: keyof typeof TYPES;
    switch (params.file) {
      case "quyet-dinh.pdf":
      case "quyet-dinh.docx":
        type = params.file.endsWith("pdf") ? "pdf" : "docx";
        out = await context.services.classPlan.decisionFile(viewer, classId, type);
        break;
      case "danh-sach.xlsx":
        type = "xlsx";
        out = await context.services.classPlan.traineeListXlsx(viewer, classId);
        break;
      default:
        return new Response("Không có tệp này.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    return new Response(Buffer.from(out.bytes), {
      headers: {
        "Content-Type": TYPES[type],
        "Content-Disposition": `${type === "pdf" ? "inline" : "attachment"}; filename="${out.fileName}"`,
      },
    });
  });
}
