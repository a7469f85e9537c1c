import { createHmac, timingSafeEqual } from "node:crypto";
import type { AttendanceStatus } from "../db/schema-class-records";
import type { RecordsPolicy } from "./records-policy";

/**
 * Attendance rules and the two QR codes of the attendance board. Pure: the HMAC
 * secret and the time are passed in.
 */

export { ATTENDANCE_LABELS, ATTENDANCE_STATUSES } from "./attendance-labels";

export interface AttendanceSummary {
  present: number;
  late: number;
  excused: number;
  unexcused: number;
  /** Sessions held (dated on or before today) with no mark. */
  unmarked: number;
  /** Periods counted as absent under the policy. */
  absentPeriods: number;
  /** absentPeriods / the programme's periods. */
  absentShare: number;
  /** False when the trainee was absent from more than the policy's share of periods. */
  maySit: boolean;
}

/**
 * Counts a trainee's absences against the policy (domain brief §4: absent from more
 * than 20 % of periods ⇒ may not sit the assessment, by default). The share is of the
 * programme's periods, not of the sessions held so far, so the flag rises as soon as
 * the threshold is crossed and never has to be taken back.
 */
export function summariseAttendance(
  sessions: { id: number; periods: number }[],
  marks: Map<number, AttendanceStatus>,
  totalPeriods: number,
  policy: Pick<RecordsPolicy, "maxAbsentShare" | "excusedCounts" | "latePeriods">,
  heldSessionIds?: Set<number>,
): AttendanceSummary {
  const s = { present: 0, late: 0, excused: 0, unexcused: 0, unmarked: 0, absentPeriods: 0 };
  for (const session of sessions) {
    const m = marks.get(session.id);
    if (!m) {
      if (!heldSessionIds || heldSessionIds.has(session.id)) s.unmarked++;
      continue;
    }
    if (m === "co_mat") s.present++;
    else if (m === "di_muon") {
      s.late++;
      s.absentPeriods += Math.min(policy.latePeriods, session.periods);
    } else if (m === "vang_co_phep") {
      s.excused++;
      if (policy.excusedCounts) s.absentPeriods += session.periods;
    } else {
      s.unexcused++;
      s.absentPeriods += session.periods;
    }
  }
  const absentShare = totalPeriods > 0 ? s.absentPeriods / totalPeriods : 0;
  // Compare in whole periods (integer arithmetic) so 10/50 is exactly "not more than 20 %".
  const allowed = totalPeriods * policy.maxAbsentShare;
  return { ...s, absentShare, maySit: s.absentPeriods <= allowed + 1e-9 };
}

// ---- The rotating class QR shown on the projector -------------------------------

/** A new code every WINDOW seconds; a code is accepted for MAX_AGE seconds (under a minute). */
export const CLASS_QR_WINDOW_SECONDS = 20;
export const CLASS_QR_MAX_AGE_SECONDS = 55;

function mac(secret: string, text: string, length: number): string {
  return createHmac("sha256", secret).update(text).digest("base64url").slice(0, length);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ClassQrCode {
  sessionId: number;
  /** Unix time in seconds when this code was made (a multiple of the window). */
  t: number;
  h: string;
  /** Seconds until the projector should show the next code. */
  refreshIn: number;
}

export function classQrCode(secret: string, sessionId: number, now: Date): ClassQrCode {
  const sec = Math.floor(now.getTime() / 1000);
  const t = sec - (sec % CLASS_QR_WINDOW_SECONDS);
  return { sessionId, t, h: mac(secret, `class-qr:${sessionId}:${t}`, 22), refreshIn: t + CLASS_QR_WINDOW_SECONDS - sec };
}

/** The path the class QR encodes (the caller prefixes the public origin). */
export function classQrPath(code: Pick<ClassQrCode, "sessionId" | "t" | "h">): string {
  return `/diem-danh/quet?s=${code.sessionId}&t=${code.t}&h=${code.h}`;
}

export type QrCheck = { ok: true } | { ok: false; code: "invalid" | "expired" | "future" | "other_session"; message: string };

/**
 * Checks a scanned class code. The HMAC binds the session and the time, so a photo of
 * the code cannot be used for another session or after it has expired.
 */
export function verifyClassQr(secret: string, expectedSessionId: number, input: { s: number; t: number; h: string }, now: Date): QrCheck {
  if (
    !Number.isInteger(input.s) ||
    !Number.isInteger(input.t) ||
    typeof input.h !== "string" ||
    !sameText(mac(secret, `class-qr:${input.s}:${input.t}`, 22), input.h)
  )
    return { ok: false, code: "invalid", message: "Mã điểm danh không hợp lệ. Hãy quét lại mã đang chiếu trên màn hình." };
  if (input.s !== expectedSessionId)
    return { ok: false, code: "other_session", message: "Mã này thuộc buổi học khác, không dùng để điểm danh buổi này." };
  const age = now.getTime() / 1000 - input.t;
  if (age < -5) return { ok: false, code: "future", message: "Mã điểm danh không hợp lệ (thời gian sai). Hãy quét lại mã trên màn hình." };
  if (age > CLASS_QR_MAX_AGE_SECONDS)
    return {
      ok: false,
      code: "expired",
      message: "Mã điểm danh đã hết hạn (mỗi mã chỉ dùng được trong một phút). Hãy quét mã mới đang chiếu trên màn hình.",
    };
  return { ok: true };
}

// ---- The trainee's personal QR (printed on the call-up letter) -------------------

/**
 * What the personal QR of a trainee encodes: "BDHV1.<personId>.<mac>". Signed with the
 * server secret so a code cannot be made up for someone else; it never expires (it is
 * printed on paper). Use services.classRecords.traineeQrPayload(personId) outside.
 */
export function traineeAttendanceQrPayload(personId: number, secret: string): string {
  return `BDHV1.${personId}.${mac(secret, `trainee-qr:${personId}`, 12)}`;
}

export function parseTraineeQr(payload: string, secret: string): number | null {
  const m = /^BDHV1\.(\d{1,10})\.([A-Za-z0-9_-]{12})$/.exec(payload.trim());
  if (!m) return null;
  const personId = Number(m[1]);
  return sameText(mac(secret, `trainee-qr:${personId}`, 12), m[2]!) ? personId : null;
}
