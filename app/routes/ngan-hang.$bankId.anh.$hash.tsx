import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { imageResponse } from "~/lib/media.server";

/** An image of a question of the bank, for its readers (server/questions/media.ts, forBank). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  const bankId = idParam(params, "bankId");
  return withAppErrors(async () => {
    return imageResponse(await context.services.media.forBank(viewer, bankId, String(params.hash ?? "")));
  });
}
