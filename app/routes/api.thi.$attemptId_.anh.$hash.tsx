import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { imageResponse } from "~/lib/media.server";

/** An image of a question on the trainee's own paper (server/questions/media.ts, forAttempt). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const attemptId = idParam(params, "attemptId");
  return withAppErrors(async () => {
    return imageResponse(await context.services.media.forAttempt(viewer, attemptId, String(params.hash ?? "")));
  });
}
