import type { ActionFunctionArgs } from "@remix-run/node";
import { httpStatus } from "../../server/exams/protocol";
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
  if (typeof body !== "object" || body === null || Array.isArray(body)) return refuse("bad_request", "Dữ liệu không hợp lệ.");
  // One answer path for both transports (server/exams/answer-path.ts, decision 033): the
  // reply, then the same notices a socket answer gives, so the proctor's roster sees it.
  const { answers, live } = context.services;
  const payload = { ...body, attemptId };
  const event = `http:${String(body.type)}`;
  let reply: { ok: boolean; error?: string };
  if (body.type === "answer") {
    const out = await answers.answer(viewer, payload, { event });
    live.notify(out.notices);
    reply = out.reply;
  } else if (body.type === "submit") {
    const out = await answers.submit(viewer, payload, { event });
    live.notify(out.notices);
    reply = out.reply;
  } else if (body.type === "sync") {
    reply = (await answers.sync(viewer, payload, { event })).reply;
  } else return refuse("bad_request", "Loại yêu cầu không hợp lệ.");
  return Response.json(reply, reply.ok ? undefined : { status: httpStatus(reply.error ?? "bad_request") });
}
