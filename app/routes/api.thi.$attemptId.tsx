import type { ActionFunctionArgs } from "@remix-run/node";
import { answerPayload, failure } from "../../server/exams/protocol";

/**
 * HTTP fallback of the exam events (docs/realtime-protocol.md): the same payloads and
 * acknowledgements as Socket.IO, for networks that block WebSockets.
 * POST JSON { type: "answer" | "submit" | "sync", ... }.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = context.viewer;
  if (!viewer) return Response.json({ ok: false, error: "unauthorized", message: "Phiên đăng nhập đã hết; hãy đăng nhập lại." }, { status: 401 });
  const attemptId = Number(params.attemptId);
  // JSON only: a `text/plain` or form body needs no CORS preflight, so another site could
  // send one with the trainee's cookie (issue 13, item 6; the origin check is the first wall).
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    return Response.json({ ok: false, error: "unsupported_media_type", message: "Yêu cầu phải gửi dữ liệu dạng JSON (Content-Type: application/json)." }, { status: 415 });
  }
  let body: Record<string, unknown>;
  try {
    body = (await request.json()) as Record<string, unknown>;
  } catch {
    return Response.json({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." }, { status: 400 });
  }
  const exams = context.services.exams;
  try {
    if (body.type === "answer") {
      const parsed = answerPayload.safeParse({ ...body, attemptId });
      if (!parsed.success) return Response.json({ ok: false, error: "bad_request", message: "Dữ liệu câu trả lời không hợp lệ." }, { status: 400 });
      return Response.json(await exams.saveAnswer(viewer, attemptId, parsed.data));
    }
    if (body.type === "submit") return Response.json({ ok: true, ...(await exams.submit(viewer, attemptId)) });
    if (body.type === "sync") {
      const p = await exams.paper(viewer, attemptId);
      return Response.json({ ok: true, status: p.status, deadline: p.deadline, serverNow: new Date().toISOString(), secondsLeft: p.secondsLeft, receipt: p.receipt, saved: p.items.map((i) => ({ position: i.position, seq: i.seq })) });
    }
    return Response.json({ ok: false, error: "bad_request", message: "Loại yêu cầu không hợp lệ." }, { status: 400 });
  } catch (e) {
    const f = failure(e);
    return Response.json(f, { status: f.error === "server_error" ? 500 : f.error === "not_found" ? 404 : f.error === "forbidden" ? 403 : 409 });
  }
}
