import type { Services } from "../services";
import { failure } from "../exams/protocol";
import type { ProctorNotice } from "../exams/answer-path";
import type { AppServer, AppSocket } from "./index";
import type { ServerToClientEvents } from "./contract";
import { ackOf } from "./ack";
import { focusPayload, integrityPayload, proctorActionPayload, proctorJoinPayload, traineeJoinPayload } from "../proctoring/protocol";
import { nextRev, type Notice, type Presence } from "../proctoring/service";
import type { RosterEvent } from "../proctoring/roster";

/**
 * Live proctoring over Socket.IO (docs/realtime-protocol.md, "Proctor events").
 *
 * Rooms: `exam:<id>:trainees` holds the screens of a session's trainees (presence),
 * `proctor:<id>` its proctors, `attempt:<id>` one attempt's screens. With the Redis
 * adapter these rooms span processes, so a proctor on one process sees and acts on
 * trainees connected to another; presence is read with fetchSockets(), which asks
 * every process.
 */
const INTEGRITY_PER_MINUTE = 30;

export function createProctorHub(io: AppServer, services: Services) {
  /**
   * Connected trainees of a session, across processes; for a few trainees, only their
   * own small rooms are asked (a room-wide fetch per answer would not scale).
   */
  async function presenceOf(examId: number, personIds?: number[]): Promise<Presence> {
    const sockets = personIds
      ? (await Promise.all(personIds.map((id) => io.in(`exam:${examId}:person:${id}`).fetchSockets()))).flat()
      : await io.in(`exam:${examId}:trainees`).fetchSockets();
    const presence: Presence = new Map();
    for (const s of sockets) {
      const d = s.data;
      const personId = d.viewer?.personId;
      if (!personId) continue;
      const prev = presence.get(personId);
      presence.set(personId, { current: d.current ?? prev?.current ?? null });
    }
    return presence;
  }

  function deliver(notices: Notice[]) {
    // The proctoring service names its events as strings; docs/realtime-protocol.md and
    // ServerToClientEvents list each payload it builds.
    for (const n of notices) io.to(n.room).emit(n.event as keyof ServerToClientEvents, n.payload as never);
  }

  async function pushRows(examId: number, personIds: number[]) {
    const ids = [...new Set(personIds)];
    if (!ids.length) return;
    // Nobody watching (on any process): skip the reads; a proctor who joins later gets a snapshot.
    if (!(await io.in(`proctor:${examId}`).fetchSockets()).length) return;
    const rows = await services.proctoring.rowsFor(examId, ids, await presenceOf(examId, ids));
    io.to(`proctor:${examId}`).emit("proctor:rows", { examId, rows });
  }

  // Rows changed by trainees (joins, starts, disconnects) are batched per session for a
  // moment, so a synchronised start of a room is a few reads, not one per trainee.
  const queued = new Map<number, { ids: Set<number>; timer: NodeJS.Timeout }>();
  const BATCH_MS = 250;
  function queueRows(examId: number, personIds: number[]) {
    const q = queued.get(examId);
    if (q) {
      for (const id of personIds) q.ids.add(id);
      return;
    }
    const entry = {
      ids: new Set(personIds),
      timer: setTimeout(() => {
        queued.delete(examId);
        void pushRows(examId, [...entry.ids]).catch((e) => services.logger.warn({ err: e, examId }, "roster rows not sent"));
      }, BATCH_MS),
    };
    queued.set(examId, entry);
  }

  function pushEvent(examId: number, event: RosterEvent) {
    io.to(`proctor:${examId}`).emit("proctor:event", { examId, event });
  }

  return {
    presenceOf,
    deliver,
    pushRows,
    queueRows,
    pushEvent,
    stop() {
      for (const q of queued.values()) clearTimeout(q.timer);
      queued.clear();
    },

    /**
     * What the answer path reports (server/exams/answer-path.ts), from either transport:
     * a stored answer goes to the session's proctors without a database read, a
     * submission as fresh rows.
     */
    notify(notices: ProctorNotice[]) {
      for (const n of notices) {
        if (n.kind === "answer") {
          const { kind: _, ...answer } = n;
          io.to(`proctor:${n.examId}`).emit("proctor:answer", { ...answer, rev: nextRev() });
        } else queueRows(n.examId, n.personIds);
      }
    },

    /** The deadline job submitted attempts: log them in the session and show them. */
    async autoSubmitted(attemptIds: number[]) {
      const byExam = new Map<number, number[]>();
      for (const id of attemptIds) {
        const noted = await services.proctoring.noteAutoSubmit(id);
        if (!noted) continue;
        pushEvent(noted.examId, noted.event);
        byExam.set(noted.examId, [...(byExam.get(noted.examId) ?? []), noted.personId]);
      }
      for (const [examId, people] of byExam) await pushRows(examId, people);
    },
  };
}

export type ProctorHub = ReturnType<typeof createProctorHub>;

export function registerProctorEvents(socket: AppSocket, services: Services, hub: ProctorHub) {
  const data = socket.data;
  const viewer = data.viewer;
  const integrityTimes: number[] = [];

  // ---- trainee side ------------------------------------------------------------
  socket.on("exam:join", async (payload: unknown, cb) => {
    const parsed = traineeJoinPayload.safeParse(payload);
    if (!parsed.success) return ackOf(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      if (!(await services.proctoring.traineeMayJoin(viewer, parsed.data.examId)))
        return ackOf(cb)({ ok: false, error: "forbidden", message: "Bạn không thuộc ca thi này." });
      data.examId = parsed.data.examId;
      await socket.join([`exam:${parsed.data.examId}:trainees`, `exam:${parsed.data.examId}:person:${viewer.personId}`]);
      ackOf(cb)({ ok: true });
      hub.queueRows(parsed.data.examId, [viewer.personId!]);
    } catch (e) {
      ackOf(cb)(failure(e));
    }
  });

  socket.on("exam:focus", (payload: unknown) => {
    const parsed = focusPayload.safeParse(payload);
    if (!parsed.success || data.examId !== parsed.data.examId || !viewer.personId) return;
    data.current = parsed.data.position;
    socket.to(`proctor:${parsed.data.examId}`).emit("proctor:focus", {
      examId: parsed.data.examId,
      personId: viewer.personId,
      position: parsed.data.position,
      at: new Date().toISOString(),
      rev: nextRev(),
    });
  });

  socket.on("exam:integrity", async (payload: unknown, cb) => {
    const parsed = integrityPayload.safeParse(payload);
    if (!parsed.success) return ackOf(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    // A misbehaving page must not flood the log: a bounded number per minute per screen.
    const now = Date.now();
    while (integrityTimes.length && now - integrityTimes[0]! > 60_000) integrityTimes.shift();
    if (integrityTimes.length >= INTEGRITY_PER_MINUTE)
      return ackOf(cb)({ ok: false, error: "rate_limited", message: "Quá nhiều sự kiện." });
    integrityTimes.push(now);
    try {
      // A screen that joined the session's room was checked then; others are checked now.
      const verified = data.examId === parsed.data.examId;
      const ev = await services.proctoring.recordIntegrity(
        viewer,
        parsed.data.examId,
        parsed.data.kind,
        { ...(parsed.data.details ?? {}), clientAt: parsed.data.at ?? null },
        { verified },
      );
      ackOf(cb)({ ok: true });
      // The console counts integrity events from the event itself: no row read needed.
      hub.pushEvent(parsed.data.examId, ev);
    } catch (e) {
      ackOf(cb)(failure(e));
    }
  });

  socket.on("disconnect", () => {
    if (data.examId && viewer.personId) {
      // Another screen of the same trainee may still be connected: the fresh row says.
      hub.queueRows(data.examId, [viewer.personId]);
    }
  });

  // ---- proctor side ------------------------------------------------------------
  socket.on("proctor:join", async (payload: unknown, cb) => {
    const parsed = proctorJoinPayload.safeParse(payload);
    if (!parsed.success) return ackOf(cb)({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
    try {
      await services.proctoring.access(viewer, parsed.data.examId, "watch");
      // Join first, then read: an update racing the snapshot is newer and wins by revision.
      await socket.join(`proctor:${parsed.data.examId}`);
      const snapshot = await services.proctoring.snapshot(viewer, parsed.data.examId, await hub.presenceOf(parsed.data.examId));
      ackOf(cb)({ ok: true, snapshot });
    } catch (e) {
      ackOf(cb)(failure(e));
    }
  });

  socket.on("proctor:leave", async (payload: unknown) => {
    const parsed = proctorJoinPayload.safeParse(payload);
    if (parsed.success) await socket.leave(`proctor:${parsed.data.examId}`);
  });

  socket.on("proctor:action", async (payload: unknown, cb) => {
    const parsed = proctorActionPayload.safeParse(payload);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return ackOf(cb)({
        ok: false,
        error: "bad_request",
        message: first?.message && !first.message.startsWith("Invalid") ? first.message : "Thao tác không hợp lệ.",
      });
    }
    try {
      const { examId, action } = parsed.data;
      const outcome = await services.proctoring.act(viewer, examId, action, await hub.presenceOf(examId));
      hub.deliver(outcome.notices);
      if (action.type === "approve_takeover") {
        // Every screen in the attempt's room belongs to the old device (the approved one
        // has not started yet): they leave it; the new device joins at its start.
        for (const s of await socket.nsp.in(`attempt:${action.attemptId}`).fetchSockets()) s.leave(`attempt:${action.attemptId}`);
      }
      ackOf(cb)({ ok: true, message: outcome.message });
      hub.pushEvent(examId, outcome.event);
      await hub.pushRows(examId, outcome.changed);
      if (action.type === "start_all" || action.type === "end_session" || action.type === "pause" || action.type === "resume") {
        socket.nsp.to(`proctor:${examId}`).emit("proctor:session", { examId, action: action.type });
      }
    } catch (e) {
      ackOf(cb)(failure(e));
    }
  });
}
