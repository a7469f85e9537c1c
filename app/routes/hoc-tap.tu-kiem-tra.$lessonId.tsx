import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { idParam } from "~/lib/params.server";

/** Resource route for the lesson self-check: questions without the key (GET), verdicts (POST). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const url = new URL(request.url);
  const count = Number(url.searchParams.get("so-cau")) || 5;
  const seed = (url.searchParams.get("luot") ?? "1").slice(0, 40);
  try {
    return { questions: await context.services.questions.selfCheck(viewer, idParam(params, "lessonId"), count, seed) };
  } catch (e) {
    throw asResponse(e);
  }
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  let answers: Record<string, number[]> = {};
  try {
    const parsed = JSON.parse(String(form.get("answers") ?? "{}"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) answers = parsed;
  } catch {
    throw new Response("Dữ liệu trả lời không hợp lệ.", { status: 400 });
  }
  try {
    return { results: await context.services.questions.checkSelf(viewer, idParam(params, "lessonId"), answers) };
  } catch (e) {
    throw asResponse(e);
  }
}
