import type { Services } from "../services";
import type { AppServer, AppSocket } from "./index";
import { ackOf } from "./ack";
import { canReach } from "../auth/scope";
import { failure } from "../exams/protocol";
import { resultsWatchPayload } from "../proctoring/protocol";
import { liveSummaries, liveSummary, RESULT_WATCHERS } from "../proctoring/live-results";

/**
 * Live results (docs/realtime-protocol.md, "Dashboard events"). A watcher joins
 * `results:unit:<id>` for the units its grants cover; a graded attempt is announced to
 * the rooms of its centre's unit and every unit above it, so a committee sees its
 * whole subtree and a centre only its own classes. Bursts (a mass submit at the
 * deadline) are coalesced: one summary per session per second.
 */
const COALESCE_MS = 1_000;

export function registerResultsEvents(io: AppServer, services: Services) {
  const pending = new Map<number, NodeJS.Timeout>();

  function schedule(examId: number) {
    if (pending.has(examId)) return;
    pending.set(
      examId,
      // The body catches every error (void: nothing awaits a timer).
      setTimeout(
        () =>
          void (async () => {
            pending.delete(examId);
            try {
              const s = await liveSummary(services.db, examId, services.clock.now());
              if (!s) return;
              io.to(s.unitIds.map((id) => `results:unit:${id}`)).emit("results:update", s);
            } catch (e) {
              services.logger.warn({ err: e, examId }, "live results not sent");
            }
          })(),
        COALESCE_MS,
      ),
    );
  }
  services.exams.onGraded((g) => schedule(g.examId));

  return {
    /** Also used when a proctor reopens or a regrade changes results. */
    schedule,
    register(socket: AppSocket) {
      const viewer = socket.data.viewer;
      socket.on("results:watch", async (payload: unknown, cb) => {
        const ack = ackOf(cb);
        const parsed = resultsWatchPayload.safeParse(payload ?? {});
        if (!parsed.success) return ack({ ok: false, error: "bad_request", message: "Dữ liệu không hợp lệ." });
        try {
          const grants = viewer.roles.filter((g) => g.role === "admin" || RESULT_WATCHERS.includes(g.role));
          if (!grants.length) return ack({ ok: false, error: "forbidden", message: "Bạn không có quyền xem kết quả." });
          let units = grants.map((g) => g.orgUnitId);
          if (parsed.data.unitId) {
            const u = await services.db
              .selectFrom("org_unit")
              .select(["id", "path"])
              .where("id", "=", parsed.data.unitId)
              .executeTakeFirst();
            if (!u || !canReach(viewer, RESULT_WATCHERS, u.path))
              return ack({ ok: false, error: "forbidden", message: "Đơn vị này ngoài phạm vi của bạn." });
            units = [u.id];
          }
          await socket.join(units.map((id) => `results:unit:${id}`));
          const summaries = await liveSummaries(services.db, viewer, services.clock.now());
          ack({ ok: true, summaries: parsed.data.unitId ? summaries.filter((s) => s.unitIds.includes(parsed.data.unitId!)) : summaries });
        } catch (e) {
          ack(failure(e));
        }
      });
    },
    stop() {
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}
