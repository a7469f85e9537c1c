import type { Socket } from "socket.io";
import type { Services } from "../services";
import type { Viewer } from "../auth/scope";
import { answerPayload, attemptPayload, failure, startPayload } from "../exams/protocol";

/**
 * The trainee's exam events. Each is acknowledged only after the database has the
 * change (docs/realtime-protocol.md); a client treats an answer as saved on `ok: true`.
 */
export function registerExamEvents(socket: Socket, services: Services) {
  const viewer = socket.data.viewer as Viewer;
  const ack = (cb: unknown) => (typeof cb === "function" ? (cb as (r: unknown) => void) : () => {});

  socket.on("exam:start", async (payload: unknown, cb: unknown) => {
    const parsed = startPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const paper = await services.exams.start(viewer, parsed.data.examId, parsed.data);
      await socket.join(`attempt:${paper.attemptId}`);
      ack(cb)({ ok: true, ...paper });
    } catch (e) {
      ack(cb)(failure(e));
    }
  });

  socket.on("exam:sync", async (payload: unknown, cb: unknown) => {
    const parsed = attemptPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const paper = await services.exams.paper(viewer, parsed.data.attemptId);
      // Join the attempt's room only after ownership is checked: deadline changes and
      // server-side submission are pushed there.
      await socket.join(`attempt:${paper.attemptId}`);
      ack(cb)({ ok: true, status: paper.status, deadline: paper.deadline, serverNow: new Date().toISOString(), secondsLeft: paper.secondsLeft, receipt: paper.receipt, saved: paper.items.map((i) => ({ position: i.position, seq: i.seq })) });
    } catch (e) {
      ack(cb)(failure(e));
    }
  });

  socket.on("exam:answer", async (payload: unknown, cb: unknown) => {
    const parsed = answerPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu câu trả lời không hợp lệ." });
    try {
      ack(cb)(await services.exams.saveAnswer(viewer, parsed.data.attemptId, parsed.data));
    } catch (e) {
      ack(cb)(failure(e));
    }
  });

  socket.on("exam:submit", async (payload: unknown, cb: unknown) => {
    const parsed = attemptPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const r = await services.exams.submit(viewer, parsed.data.attemptId);
      ack(cb)({ ok: true, ...r });
    } catch (e) {
      ack(cb)(failure(e));
    }
  });
}
