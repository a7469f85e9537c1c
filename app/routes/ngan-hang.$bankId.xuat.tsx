import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import type { ExportFormat } from "../../server/questions/formats/index";

// Same as EXPORT_EXTENSION in server/questions/formats (kept here so the route does
// not bundle the format library).
const EXPORT_EXTENSION: Record<ExportFormat, string> = {
  xlsx: ".xlsx",
  csv: ".csv",
  gift: ".gift.txt",
  aiken: ".aiken.txt",
  "moodle-xml": ".xml",
};

const MIME: Record<string, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  gift: "text/plain; charset=utf-8",
  aiken: "text/plain; charset=utf-8",
  "moodle-xml": "application/xml; charset=utf-8",
};

/** Downloads the bank in a file format (questions the format cannot carry are listed in a header). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const url = new URL(request.url);
  const format = url.searchParams.get("dinh-dang") as ExportFormat;
  if (!(format in EXPORT_EXTENSION)) throw new Response("Định dạng xuất không hợp lệ.", { status: 400 });
  return withAppErrors(async () => {
    const r = await context.services.banks.export(
      viewer,
      idParam(params, "bankId"),
      format,
      url.searchParams.get("trang-thai") === "approved" ? { status: "approved" } : {},
    );
    return new Response(Buffer.from(r.bytes), {
      headers: {
        "Content-Type": MIME[format]!,
        "Content-Disposition": `attachment; filename="${r.fileName}${EXPORT_EXTENSION[format]}"`,
        "X-Skipped-Questions": String(r.skipped.length),
      },
    });
  });
}
