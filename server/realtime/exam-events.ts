import type { Services } from "../services";
import { failureLogged, startPayload } from "../exams/protocol";
import type { ProctorHub } from "./proctor-events";
import type { AppSocket } from "./index";
import { ackOf } from "./ack";

/**
 * The trainee's exam events. Each is acknowledged only after the database has the
 * change (docs/realtime-protocol.md); a client treats an answer as saved on `ok: true`.
 * Answers, submissions and syncs go through the answer path (server/exams/answer-path.ts)
 * that the HTTP fallback uses too: the reply first, then the proctors' notices.
 */
export function registerExamEvents(socket: AppSocket, services: Services, hub?: ProctorHub) {
  const viewer = socket.data.viewer;
  const log = services.logger;
  /** The attempt this screen started or synced: the answer path needs no read for its exam. */
  const known = () => ({ attemptId: socket.data.attemptId, examId: socket.data.examId });

  socket.on("exam:start", async (payload: unknown, cb) => {
    const ack = ackOf(cb);
    const parsed = startPayload.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      const paper = await services.exams.start(viewer, parsed.data.examId, { ...parsed.data, ip: socket.data.address ?? null });
      await socket.join(`attempt:${paper.attemptId}`);
      Object.assign(socket.data, { examId: parsed.data.examId, attemptId: paper.attemptId, deviceId: parsed.data.deviceId });
      ack({ ok: true, ...paper });
      void watched(parsed.data.examId, paper.attemptId);
    } catch (e) {
      ack(failureLogged(e, log, { event: "exam:start", examId: parsed.data.examId }));
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
      const ev = await services.proctoring.noteAddress(viewer, attemptId, socket.data.address ?? null);
      if (ev) hub.pushEvent(examId, ev);
      hub.queueRows(examId, [viewer.personId!]);
    } catch {
      // Proctor views are best effort; the trainee's exam never waits for them.
    }
  }

  socket.on("exam:sync", async (payload: unknown, cb) => {
    const { reply, owned } = await services.answers.sync(viewer, payload, { event: "exam:sync" });
    if (owned) {
      // Join the attempt's room only after ownership is checked: deadline changes and
      // server-side submission are pushed there.
      const { attemptId, examId } = owned;
      await socket.join(`attempt:${attemptId}`);
      Object.assign(socket.data, { examId, attemptId });
      void watched(examId, attemptId);
    }
    ackOf(cb)(reply);
  });

  socket.on("exam:answer", async (payload: unknown, cb) => {
    const { reply, notices } = await services.answers.answer(viewer, payload, { event: "exam:answer", known: known() });
    ackOf(cb)(reply);
    hub?.notify(notices);
  });

  socket.on("exam:submit", async (payload: unknown, cb) => {
    const { reply, notices } = await services.answers.submit(viewer, payload, { event: "exam:submit", known: known() });
    ackOf(cb)(reply);
    hub?.notify(notices);
  });
}
