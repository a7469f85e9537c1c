import QRCode from "qrcode";
import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Viewer } from "../../auth/scope";
import { canReach } from "../../auth/scope";
import type { AttendanceMethod, AttendanceStatus } from "../../db/schema-class-records";
import { BadRequest } from "../../errors";
import { ATTENDANCE_STATUSES, classQrCode, classQrPath, parseTraineeQr, traineeAttendanceQrPayload, verifyClassQr } from "../attendance";
import { MARKERS, publicBase, READERS, today, type RecordsContext } from "./context";
import { classScope, requireClass, sessionScope } from "./scope";
import { settings } from "./settings";
import { attendanceSummaries, trainees } from "./trainees";

/** Attendance: the board, manual marks, the trainee's personal QR and the class's rotating QR. */

/**
 * A scan is evidence the trainee is in the room: it records "có mặt" once, and turns an
 * absence marked earlier into "có mặt", but never rewrites "có mặt" or "đi muộn".
 * Returns whether anything changed.
 */
export async function markPresent(
  db: Database,
  clock: Clock,
  sessionId: number,
  personId: number,
  method: AttendanceMethod,
  userId: string,
): Promise<boolean> {
  const rows = await db
    .insertInto("attendance")
    .values({ session_id: sessionId, person_id: personId, status: "co_mat", method, marked_by: userId, marked_at: clock.now() })
    .onConflict((oc) =>
      oc
        .columns(["session_id", "person_id"])
        .doUpdateSet({ status: "co_mat", method, marked_by: userId, marked_at: clock.now() })
        .where("attendance.status", "in", ["vang_co_phep", "vang_khong_phep"]),
    )
    .returning("person_id")
    .execute();
  return rows.length > 0;
}

export function attendanceMethods(ctx: RecordsContext) {
  const { db, clock, config, secret } = ctx;
  return {
    /** What the personal QR on a trainee's call-up letter encodes (staff scan it on the attendance board). */
    async traineeQrPayload(personId: number): Promise<string> {
      return traineeAttendanceQrPayload(personId, await secret());
    },

    /** The trainee's own attendance QR, as an image for their phone screen. */
    async myAttendanceQr(viewer: Viewer) {
      if (!viewer.personId) return null;
      const payload = traineeAttendanceQrPayload(viewer.personId, await secret());
      return { payload, dataUrl: await QRCode.toDataURL(payload, { errorCorrectionLevel: "M", margin: 2, scale: 8 }) };
    },

    async attendanceBoard(viewer: Viewer, classId: number, sessionId?: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const { policy } = await settings(db, classId);
      const att = await attendanceSummaries(db, clock, k, policy);
      const current =
        att.sessions.find((s) => s.id === sessionId) ??
        att.sessions.find((s) => s.on_date >= today(clock)) ??
        att.sessions[att.sessions.length - 1] ??
        null;
      return {
        klass: { id: k.id, name: k.name },
        policy,
        totalPeriods: att.total,
        sessions: att.sessions,
        current,
        canMark: canReach(viewer, MARKERS, k.path, { write: true }),
        trainees: att.people.map((p) => ({
          id: p.id,
          fullName: p.full_name,
          unitName: p.unit_name,
          status: current ? (att.byPerson.get(p.id)?.get(current.id) ?? null) : null,
          summary: att.summaries.get(p.id)!,
        })),
      };
    },

    async markAttendance(
      viewer: Viewer,
      input: { sessionId: number; personId: number; status: AttendanceStatus; note?: string | null; method?: AttendanceMethod },
    ) {
      const s = await sessionScope(db, input.sessionId);
      const k = await requireClass(db, viewer, s.class_id, MARKERS, true);
      if (!ATTENDANCE_STATUSES.includes(input.status)) throw new BadRequest("Trạng thái điểm danh không hợp lệ.");
      const enrolled = await db
        .selectFrom("class_enrolment")
        .select("person_id")
        .where("class_id", "=", k.id)
        .where("person_id", "=", input.personId)
        .executeTakeFirst();
      if (!enrolled) throw new BadRequest("Người này không phải học viên của lớp.");
      const values = {
        status: input.status,
        method: input.method ?? ("manual" as const),
        note: input.note?.trim() || null,
        marked_by: viewer.userId,
        marked_at: clock.now(),
      };
      await db
        .insertInto("attendance")
        .values({ session_id: s.id, person_id: input.personId, ...values })
        .onConflict((oc) => oc.columns(["session_id", "person_id"]).doUpdateSet(values))
        .execute();
    },

    /** Staff scan a trainee's personal QR with the phone camera: marks "có mặt". */
    async scanTrainee(
      viewer: Viewer,
      sessionId: number,
      payload: string,
    ): Promise<{ ok: true; fullName: string; already: boolean } | { ok: false; message: string }> {
      const s = await sessionScope(db, sessionId);
      const k = await requireClass(db, viewer, s.class_id, MARKERS, true);
      const personId = parseTraineeQr(payload, await secret());
      if (personId === null) return { ok: false, message: "Mã QR này không phải mã học viên của hệ thống." };
      const p = (await trainees(db, k.id)).find((t) => t.id === personId);
      if (!p) return { ok: false, message: "Học viên này không thuộc lớp." };
      const changed = await markPresent(db, clock, s.id, personId, "staff_scan", viewer.userId);
      return { ok: true, fullName: p.full_name, already: !changed };
    },

    /** The rotating code the projector shows (staff only). */
    async classQr(viewer: Viewer, sessionId: number) {
      const s = await sessionScope(db, sessionId);
      await requireClass(db, viewer, s.class_id, MARKERS, true);
      const k = await classScope(db, s.class_id);
      const code = classQrCode(await secret(), s.id, clock.now());
      const path = classQrPath(code);
      // The projector's QR carries the full address so any phone camera app opens it.
      const url = `${publicBase(config)}${path}`;
      return {
        ...code,
        path,
        url,
        dataUrl: await QRCode.toDataURL(url, { errorCorrectionLevel: "M", margin: 2, scale: 10 }),
        className: k.name,
        sessionTitle: `Buổi ${s.seq}: ${s.title}`,
        onDate: s.on_date,
        part: s.part,
      };
    },

    /** A trainee, logged in on their own phone, checks in with the class code: present once. */
    async checkIn(
      viewer: Viewer,
      input: { s: number; t: number; h: string },
    ): Promise<{ ok: true; already: boolean; className: string; sessionTitle: string } | { ok: false; message: string }> {
      if (!viewer.personId) return { ok: false, message: "Tài khoản này không gắn với học viên nào." };
      const s = await db
        .selectFrom("class_session")
        .selectAll()
        .where("id", "=", Number.isInteger(input.s) ? input.s : -1)
        .executeTakeFirst();
      if (!s) return { ok: false, message: "Mã điểm danh không hợp lệ. Hãy quét lại mã đang chiếu trên màn hình." };
      const check = verifyClassQr(await secret(), s.id, input, clock.now());
      if (!check.ok) return check;
      const k = await classScope(db, s.class_id);
      const enrolled = await db
        .selectFrom("class_enrolment")
        .select("person_id")
        .where("class_id", "=", k.id)
        .where("person_id", "=", viewer.personId)
        .executeTakeFirst();
      if (!enrolled) return { ok: false, message: "Bạn không có tên trong lớp này nên không điểm danh được." };
      if (s.on_date !== today(clock)) return { ok: false, message: "Buổi học này không diễn ra hôm nay." };
      const changed = await markPresent(db, clock, s.id, viewer.personId, "class_qr", viewer.userId);
      return { ok: true, already: !changed, className: k.name, sessionTitle: `Buổi ${s.seq}: ${s.title}` };
    },
  };
}
