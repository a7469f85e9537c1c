import type { ActionFunctionArgs } from "@remix-run/node";
import { answerPayload, answerRefusal, failureLogged, httpStatus, submitPayload } from "../../server/exams/protocol";
import { parseId } from "~/lib/params.server";

/**
 * HTTP fallback of the exam events (docs/realtime-protocol.md): the same payloads and
 * acknowledgements as Socket.IO, for networks that block WebSockets.
 * POST JSON { type: "answer" | "submit" | "sync", ... }. Every refusal carries the one
 * HTTP status of its error code (HTTP_STATUS in server/exams/protocol.ts).
 */
const refuse = (error: string, message: string) => Response.json({ ok: false, error, message }, { status: httpStatus(error) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = context.viewer;
  if (!viewer) return refuse("unauthorized", "Phiên đăng nhập đã hết; hãy đăng nhập lại.");
  const attemptId = parseId(params.attemptId);
  if (attemptId === null) return refuse("not_found", "Không tìm thấy bài làm.");
  // JSON only: a `text/plain` or form body needs no CORS preflight, so another site could
  // send one with the trainee's cookie (issue 13, item 6; the origin check is the first wall).
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    return refuse("unsupported_media_type", "Yêu cầu phải gửi dữ liệu dạng JSON (Content-Type: application/json).");
  }
  let body: Record<string, unknown>;
  try {
    body = (await request.json()) as Record<string, unknown>;
  } catch {
    return refuse("bad_request", "Dữ liệu không hợp lệ.");
  }
  const exams = context.services.exams;
  try {
    if (body.type === "answer") {
      const parsed = answerPayload.safeParse({ ...body, attemptId });
      if (!parsed.success) return refuse("bad_request", answerRefusal(parsed.error));
      return Response.json(await exams.saveAnswer(viewer, attemptId, parsed.data));
    }
    if (body.type === "submit") {
      const parsed = submitPayload.safeParse({ ...body, attemptId });
      if (!parsed.success) return refuse("bad_request", "Dữ liệu không hợp lệ.");
      return Response.json({ ok: true, ...(await exams.submit(viewer, attemptId, parsed.data.deviceToken)) });
    }
    if (body.type === "sync") {
      const p = await exams.paper(viewer, attemptId);
      return Response.json({ ok: true, status: p.status, deadline: p.deadline, serverNow: new Date().toISOString(), secondsLeft: p.secondsLeft, receipt: p.receipt, saved: p.items.map((i) => ({ position: i.position, seq: i.seq })) });
    }
    return refuse("bad_request", "Loại yêu cầu không hợp lệ.");
  } catch (e) {
    const f = failureLogged(e, context.services.logger, { event: `http:${String(body.type)}`, attemptId });
    return Response.json(f, { status: httpStatus(f.error) });
  }
}
