import { sql } from "kysely";
import type { Database } from "../db";
import { audit } from "../audit/log";
import { BadRequest } from "../errors";
import type { Viewer } from "../auth/scope";
import { secondsLeft } from "../exams/timing";
import { proctorAction, type ProctorAction } from "./protocol";
import type { ActionOutcome, Notice, Presence, ProctorContext } from "./context";
import { access, attemptIn, latestAttempt } from "./session";
import { event } from "./event-log";

/** Time stops while paused: the pause is added to the deadline on resume. */
export async function resumeAttempts(trx: Database, examId: number, attemptId: number | undefined, now: Date) {
  return trx
    .updateTable("attempt")
    .set({
      deadline_at: sql`deadline_at + (${now}::timestamptz - paused_at)`,
      paused_seconds: sql`paused_seconds + floor(extract(epoch from (${now}::timestamptz - paused_at)))::int`,
      paused_at: null,
    })
    .where("exam_id", "=", examId)
    .where("status", "=", "in_progress")
    .where("paused_at", "is not", null)
    .$if(attemptId !== undefined, (w) => w.where("id", "=", attemptId!))
    .returning(["id", "person_id", "deadline_at"])
    .execute();
}

/** Proctor actions: start, admit, pause and resume, extra time, messages, lock, force-submit, takeover, reopen, end. */
export function actionMethods(ctx: ProctorContext) {
  const { db, clock, exams, figures } = ctx;
  return {
    /** One proctor action; checked, applied in one transaction, logged, and returned as pushes. */
    async act(viewer: Viewer, examId: number, input: ProctorAction, presence: Presence): Promise<ActionOutcome> {
      const parsed = proctorAction.safeParse(input);
      if (!parsed.success) throw new BadRequest(parsed.error.issues[0]?.message ?? "Thao tác không hợp lệ.");
      const action = parsed.data;
      const s = await access(db, viewer, examId, "act");
      const now = clock.now();
      const notices: Notice[] = [];
      const changed: number[] = [];
      const reason = "reason" in action ? (action.reason ?? null) : null;
      const log = (trx: Database, extra: { attemptId?: number | null; personId?: number | null; details?: Record<string, unknown> }) =>
        event(trx, clock, { examId, source: "proctor", kind: action.type, actorId: viewer.userId, reason, ...extra });
      const ended = () => {
        if (s.session_ended_at) throw new BadRequest("Ca thi đã kết thúc.");
      };

      switch (action.type) {
        case "start_all": {
          ended();
          if (s.started_by_proctor_at) throw new BadRequest("Ca thi đã bắt đầu.");
          // Papers are drawn ahead, so the synchronised start is a read, not a write storm.
          await exams.generatePapers(null, examId);
          const present = [...presence.keys()];
          const ev = await db.transaction().execute(async (trx) => {
            const started = await trx
              .updateTable("exam")
              .set({ started_by_proctor_at: now })
              .where("id", "=", examId)
              .where("started_by_proctor_at", "is", null)
              .returning("id")
              .executeTakeFirst();
            if (!started) throw new BadRequest("Ca thi đã bắt đầu.");
            // Everyone in the waiting room is admitted; late arrivals need the proctor.
            if (present.length)
              await trx
                .updateTable("attempt")
                .set({ admitted_at: now })
                .where("exam_id", "=", examId)
                .where("person_id", "in", present)
                .where("admitted_at", "is", null)
                .execute();
            return log(trx, { details: { present: present.length } });
          });
          notices.push({ room: `exam:${examId}:trainees`, event: "exam:started", payload: { examId, at: now.toISOString() } });
          changed.push(...present);
          return { ok: true, message: `Đã cho ${present.length} học viên bắt đầu.`, notices, changed, event: ev };
        }
        case "admit": {
          ended();
          await exams.generatePapers(null, examId);
          const a = await latestAttempt(db, examId, action.personId);
          if (!a) throw new BadRequest("Học viên chưa có đề; hãy tạo đề trước.");
          const ev = await db.transaction().execute(async (trx) => {
            await trx.updateTable("attempt").set({ admitted_at: now }).where("id", "=", a.id).execute();
            return log(trx, { attemptId: a.id, personId: action.personId });
          });
          const user = await db.selectFrom("user_account").select("id").where("person_id", "=", action.personId).executeTakeFirst();
          if (user) notices.push({ room: `user:${user.id}`, event: "exam:started", payload: { examId, at: now.toISOString() } });
          changed.push(action.personId);
          return { ok: true, message: "Đã cho học viên vào thi.", notices, changed, event: ev };
        }
        case "pause": {
          ended();
          const ev = await db.transaction().execute(async (trx) => {
            if (action.attemptId === undefined) await trx.updateTable("exam").set({ paused_at: now }).where("id", "=", examId).execute();
            const paused = await trx
              .updateTable("attempt")
              .set({ paused_at: now })
              .where("exam_id", "=", examId)
              .where("status", "=", "in_progress")
              .where("paused_at", "is", null)
              .$if(action.attemptId !== undefined, (w) => w.where("id", "=", action.attemptId!))
              .returning(["id", "person_id"])
              .execute();
            if (action.attemptId !== undefined && !paused.length) throw new BadRequest("Bài làm không ở trạng thái đang làm.");
            for (const p of paused) {
              notices.push({ room: `attempt:${p.id}`, event: "exam:paused", payload: { attemptId: p.id, at: now.toISOString(), reason } });
              changed.push(p.person_id);
            }
            const a = action.attemptId !== undefined ? paused[0] : undefined;
            return log(trx, { attemptId: a?.id ?? null, personId: a?.person_id ?? null, details: { attempts: paused.length } });
          });
          return {
            ok: true,
            message: action.attemptId === undefined ? "Đã tạm dừng cả phòng; thời gian làm bài đang dừng." : "Đã tạm dừng bài làm.",
            notices,
            changed,
            event: ev,
          };
        }
        case "resume": {
          const ev = await db.transaction().execute(async (trx) => {
            if (action.attemptId === undefined) await trx.updateTable("exam").set({ paused_at: null }).where("id", "=", examId).execute();
            const resumed = await resumeAttempts(trx, examId, action.attemptId, now);
            for (const r of resumed) {
              notices.push({
                room: `attempt:${r.id}`,
                event: "exam:resumed",
                payload: {
                  attemptId: r.id,
                  deadline: new Date(r.deadline_at!).toISOString(),
                  serverNow: now.toISOString(),
                  secondsLeft: secondsLeft(new Date(r.deadline_at!), now),
                },
              });
              changed.push(r.person_id);
            }
            const a = action.attemptId !== undefined ? resumed[0] : undefined;
            return log(trx, { attemptId: a?.id ?? null, personId: a?.person_id ?? null, details: { attempts: resumed.length } });
          });
          return { ok: true, message: "Đã cho tiếp tục làm bài.", notices, changed, event: ev };
        }
        case "add_time": {
          const r = await exams.grantExtraTime(viewer, examId, action.personId, action.minutes, action.reason);
          const deadline = r.deadline;
          if (r.attemptId && deadline) {
            notices.push({
              room: `attempt:${r.attemptId}`,
              event: "exam:deadline",
              payload: {
                attemptId: r.attemptId,
                deadline: deadline.toISOString(),
                serverNow: now.toISOString(),
                secondsLeft: secondsLeft(deadline, now),
                reason: `Giám thị cộng thêm ${action.minutes} phút`,
              },
            });
          }
          const ev = await log(db, {
            attemptId: r.attemptId,
            personId: action.personId,
            details: { minutes: action.minutes, deadline: deadline?.toISOString() ?? null },
          });
          changed.push(action.personId);
          return { ok: true, message: `Đã cộng ${action.minutes} phút.`, notices, changed, event: ev };
        }
        case "message": {
          const targets = action.attemptId !== undefined ? [await attemptIn(db, examId, action.attemptId)] : [];
          const ev = await log(db, {
            attemptId: targets[0]?.id ?? null,
            personId: targets[0]?.person_id ?? null,
            details: { text: action.text },
          });
          const payload = { examId, text: action.text, at: now.toISOString() };
          if (targets[0])
            notices.push({ room: `attempt:${targets[0].id}`, event: "exam:message", payload: { ...payload, attemptId: targets[0].id } });
          else notices.push({ room: `exam:${examId}:trainees`, event: "exam:message", payload });
          return { ok: true, message: "Đã gửi nhắc nhở.", notices, changed, event: ev };
        }
        case "lock":
        case "unlock": {
          const a = await attemptIn(db, examId, action.attemptId);
          if (a.status !== "in_progress") throw new BadRequest("Bài làm không ở trạng thái đang làm.");
          const ev = await db.transaction().execute(async (trx) => {
            await trx
              .updateTable("attempt")
              .set({ locked_at: action.type === "lock" ? now : null })
              .where("id", "=", a.id)
              .execute();
            await audit(trx, {
              actorId: viewer.userId,
              action: `exam.${action.type}`,
              entityType: "attempt",
              entityId: a.id,
              orgUnitId: s.unit_id,
              reason,
            });
            return log(trx, { attemptId: a.id, personId: a.person_id });
          });
          notices.push({
            room: `attempt:${a.id}`,
            event: action.type === "lock" ? "exam:locked" : "exam:unlocked",
            payload: { attemptId: a.id, reason },
          });
          changed.push(a.person_id);
          return { ok: true, message: action.type === "lock" ? "Đã khóa bài làm." : "Đã mở khóa bài làm.", notices, changed, event: ev };
        }
        case "force_submit": {
          const a = await attemptIn(db, examId, action.attemptId);
          const done = await exams.forceSubmit(a.id);
          if (!done) throw new BadRequest("Bài làm không ở trạng thái đang làm.");
          const ev = await db.transaction().execute(async (trx) => {
            await audit(trx, {
              actorId: viewer.userId,
              action: "exam.force_submit",
              entityType: "attempt",
              entityId: a.id,
              orgUnitId: s.unit_id,
              reason,
              details: { score: done.score, receipt: done.receipt },
            });
            return log(trx, { attemptId: a.id, personId: a.person_id, details: { score: done.score } });
          });
          notices.push({
            room: `attempt:${a.id}`,
            event: "exam:closed",
            payload: { attemptId: a.id, by: "proctor", receipt: done.receipt, reason },
          });
          changed.push(a.person_id);
          return { ok: true, message: "Đã thu bài.", notices, changed, event: ev };
        }
        case "approve_takeover": {
          const a = await attemptIn(db, examId, action.attemptId);
          if (!a.takeover_device_id) throw new BadRequest("Không có thiết bị nào đang xin vào bài này.");
          const ev = await db.transaction().execute(async (trx) => {
            // The old device's token stops working at once; the new device gets its own at its start (decision 018).
            await trx
              .updateTable("attempt")
              .set({ device_id: a.takeover_device_id, takeover_device_id: null, device_token_hash: null })
              .where("id", "=", a.id)
              .execute();
            await audit(trx, {
              actorId: viewer.userId,
              action: "exam.device_takeover",
              entityType: "attempt",
              entityId: a.id,
              orgUnitId: s.unit_id,
              reason,
            });
            return log(trx, { attemptId: a.id, personId: a.person_id });
          });
          // The new device's id is not sent: the old device is in both rooms, and with the id
          // it could claim the attempt before the approved device does (decision 018).
          notices.push({ room: `attempt:${a.id}`, event: "exam:taken_over", payload: { attemptId: a.id } });
          const user = await db.selectFrom("user_account").select("id").where("person_id", "=", a.person_id).executeTakeFirst();
          if (user) notices.push({ room: `user:${user.id}`, event: "exam:takeover_approved", payload: { examId, attemptId: a.id } });
          changed.push(a.person_id);
          return { ok: true, message: "Đã cho chuyển sang thiết bị mới.", notices, changed, event: ev };
        }
        case "reopen": {
          const a = await attemptIn(db, examId, action.attemptId);
          const deadline = new Date(now.getTime() + action.minutes * 60_000);
          const ev = await db.transaction().execute(async (trx) => {
            const reopened = await trx
              .updateTable("attempt")
              .set({
                status: "in_progress",
                submitted_at: null,
                submitted_by: null,
                earned: null,
                score: null,
                band: null,
                passed: null,
                receipt: null,
                deadline_at: deadline,
                paused_at: null,
                locked_at: null,
              })
              .where("id", "=", a.id)
              .where("status", "=", "submitted")
              .returning("id")
              .executeTakeFirst();
            if (!reopened) throw new BadRequest("Chỉ mở lại được bài đã nộp.");
            await audit(trx, {
              actorId: viewer.userId,
              action: "exam.reopen",
              entityType: "attempt",
              entityId: a.id,
              orgUnitId: s.unit_id,
              reason,
              details: {
                previous: { score: a.score, band: a.band, receipt: a.receipt, submittedAt: a.submitted_at, by: a.submitted_by },
                minutes: action.minutes,
              },
            });
            return log(trx, {
              attemptId: a.id,
              personId: a.person_id,
              details: { minutes: action.minutes, previousScore: a.score === null ? null : Number(a.score) },
            });
          });
          notices.push({
            room: `attempt:${a.id}`,
            event: "exam:reopened",
            payload: {
              attemptId: a.id,
              deadline: deadline.toISOString(),
              serverNow: now.toISOString(),
              secondsLeft: secondsLeft(deadline, now),
            },
          });
          changed.push(a.person_id);
          // The reopened attempt has no score until it is submitted again: figures move now.
          await figures?.examChanged(examId);
          return { ok: true, message: `Đã mở lại bài làm thêm ${action.minutes} phút.`, notices, changed, event: ev };
        }
        case "end_session": {
          ended();
          // Ending the session submits what is still open (each exactly once) and closes the room.
          const open = await db
            .selectFrom("attempt")
            .select(["id", "person_id"])
            .where("exam_id", "=", examId)
            .where("status", "=", "in_progress")
            .execute();
          let submitted = 0;
          for (const a of open) {
            const done = await exams.forceSubmit(a.id);
            if (done) {
              submitted++;
              notices.push({
                room: `attempt:${a.id}`,
                event: "exam:closed",
                payload: { attemptId: a.id, by: "proctor", receipt: done.receipt, reason },
              });
              changed.push(a.person_id);
            }
          }
          const ev = await db.transaction().execute(async (trx) => {
            await trx.updateTable("exam").set({ session_ended_at: now, paused_at: null }).where("id", "=", examId).execute();
            await audit(trx, {
              actorId: viewer.userId,
              action: "exam.end_session",
              entityType: "exam",
              entityId: examId,
              orgUnitId: s.unit_id,
              reason,
              details: { submitted },
            });
            return log(trx, { details: { submitted } });
          });
          notices.push({ room: `exam:${examId}:trainees`, event: "exam:session_ended", payload: { examId } });
          return { ok: true, message: `Đã kết thúc ca thi; thu ${submitted} bài còn mở.`, notices, changed, event: ev };
        }
      }
    },
  };
}
