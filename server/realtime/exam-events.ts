import type { Socket } from "socket.io";
import type { Services } from "../services";
import type { Viewer } from "../auth/scope";
import { answerPayload, answerRefusal, attemptPayload, failureLogged, startPayload, submitPayload } from "../exams/protocol";
import type { ProctorHub } from "./proctor-events";

/**
 * The trainee's exam events. Each is acknowledged only after the database has the
 * change (docs/realtime-protocol.md); a client treats an answer as saved on `ok: true`.
 */
export function registerExamEvents(socket: Socket, services: Services, hub?: ProctorHub) {
  const viewer = socket.data.viewer as Viewer;
  const ack = (cb: unknown) => (typeof cb === "function" ? (cb as (r: unknown) => void) : () => {});
  const log = services.logger;

  socket.on("exam:start", async (payload: unknown, cb: unknown) => {
    const parsed = startPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const paper = await services.exams.start(viewer, parsed.data.examId, { ...parsed.data, ip: (socket.data.address as string | undefined) ?? null });
      await socket.join(`attempt:${paper.attemptId}`);
      Object.assign(socket.data, { examId: parsed.data.examId, attemptId: paper.attemptId, deviceId: parsed.data.deviceId });
      ack(cb)({ ok: true, ...paper });
      void watched(parsed.data.examId, paper.attemptId);
    } catch (e) {
      ack(cb)(failureLogged(e, log, { event: "exam:start", examId: parsed.data.examId }));
      // A second device asking for a live attempt: the proctor decides (live proctoring).
      if ((e as { code?: string }).code === "device_conflict" && hub) {
        const ev = await services.proctoring.requestTakeover(viewer, parsed.data.examId, parsed.data.deviceId).catch(() => null);
        if (ev) {
          hub.pushEvent(parsed.data.examId, ev);
          hub.queueRows(parsed.data.examId, [viewer.personId!]);
        }
      }
    }
  });

  /** After a start or resume: note the address (a change is an integrity event) and tell the proctors. */
  async function watched(examId: number, attemptId: number) {
    if (!hub) return;
    try {
      const ev = await services.proctoring.noteAddress(viewer, attemptId, (socket.data.address as string | undefined) ?? null);
      if (ev) hub.pushEvent(examId, ev);
      hub.queueRows(examId, [viewer.personId!]);
    } catch {
      // Proctor views are best effort; the trainee's exam never waits for them.
    }
  }

  socket.on("exam:sync", async (payload: unknown, cb: unknown) => {
    const parsed = attemptPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const paper = await services.exams.paper(viewer, parsed.data.attemptId);
      // Join the attempt's room only after ownership is checked: deadline changes and
      // server-side submission are pushed there.
      await socket.join(`attempt:${paper.attemptId}`);
      Object.assign(socket.data, { examId: paper.examId, attemptId: paper.attemptId });
      void watched(paper.examId, paper.attemptId);
      ack(cb)({ ok: true, status: paper.status, deadline: paper.deadline, serverNow: new Date().toISOString(), secondsLeft: paper.secondsLeft, receipt: paper.receipt, saved: paper.items.map((i) => ({ position: i.position, seq: i.seq })) });
    } catch (e) {
      ack(cb)(failureLogged(e, log, { event: "exam:sync", attemptId: parsed.data.attemptId }));
    }
  });

  socket.on("exam:answer", async (payload: unknown, cb: unknown) => {
    const parsed = answerPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: answerRefusal(parsed.error) });
    try {
      const saved = await services.exams.saveAnswer(viewer, parsed.data.attemptId, parsed.data);
      ack(cb)(saved);
      const examId = (socket.data as { attemptId?: number; examId?: number }).attemptId === parsed.data.attemptId ? (socket.data as { examId?: number }).examId : undefined;
      if (hub && examId && saved.applied) {
        const p = parsed.data as { chosen?: number[]; text?: string };
        hub.answerSaved(examId, viewer.personId!, parsed.data.attemptId, parsed.data.position, parsed.data.seq, (p.chosen?.length ?? 0) > 0 || !!p.text?.trim(), saved.savedAt);
      }
    } catch (e) {
      ack(cb)(failureLogged(e, log, { event: "exam:answer", attemptId: parsed.data.attemptId }));
    }
  });

  socket.on("exam:submit", async (payload: unknown, cb: unknown) => {
    const parsed = submitPayload.safeParse(payload);
    if (!parsed.success) return ack(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const r = await services.exams.submit(viewer, parsed.data.attemptId, parsed.data.deviceToken);
      ack(cb)({ ok: true, ...r });
    } catch (e) {
      ack(cb)(failureLogged(e, log, { event: "exam:submit", attemptId: parsed.data.attemptId }));
    }
  });
}
