import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireViewer } from "~/lib/guards.server";
import { actionResult } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";

/**
 * Resource route for the lesson self-check, POST only: `intent=draw` makes a new draw
 * kept on the server (questions without the key), `intent=grade` grades that draw once.
 * Drawing is a POST because it changes state: a GET would be redrawn by every
 * revalidation (issue 13, item 2).
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const lessonId = idParam(params, "lessonId");
  // The page shows the refusal (an exam in progress, a draw already graded) in place: a
  // conflict of state is an answer the lesson page explains, not a failed request (the
  // draw runs by itself when a lesson opens, also while the trainee has a test open).
  return actionResult(
    async () => {
      if (form.get("intent") === "draw") {
        return await context.services.questions.selfCheck(viewer, lessonId, Number(form.get("so-cau")) || 5);
      }
      let answers: Record<string, number[]> = {};
      try {
        const parsed = JSON.parse(String(form.get("answers") ?? "{}"));
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) answers = parsed;
      } catch {
        throw new Response("Dữ liệu trả lời không hợp lệ.", { status: 400 });
      }
      return { results: await context.services.questions.checkSelf(viewer, lessonId, String(form.get("draw") ?? ""), answers) };
    },
    ({ message, status }) => data({ error: message }, { status: status === 409 ? 200 : status }),
  );
}
