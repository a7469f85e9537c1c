import type { LoaderFunctionArgs } from "@remix-run/node";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { idParam } from "~/lib/params.server";
import { imageResponse } from "~/lib/media.server";

/** An image of a question on the trainee's own paper (server/questions/media.ts, forAttempt). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const attemptId = idParam(params, "attemptId");
  try {
    return imageResponse(await context.services.media.forAttempt(viewer, attemptId, String(params.hash ?? "")));
  } catch (e) {
    return asResponse(e);
  }
}
