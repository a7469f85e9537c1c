import type { Database } from "../db";
import { hashDeviceToken, newDeviceToken, tokenMatches } from "./device";
import { ExamRefused, type AttemptRow } from "./context";

/**
 * The device binding (decision 018). A device that never got this attempt's token is
 * `device_conflict`; one holding a token that is no longer the attempt's (a proctor
 * moved the attempt to another device) is `device_replaced`.
 */
export function assertDevice(token: string | undefined, storedHash: string | null) {
  if (tokenMatches(token, storedHash)) return;
  if (!token)
    throw new ExamRefused(
      "device_conflict",
      "Bài làm đang mở trên một thiết bị khác; thiết bị này chưa được nhận bài. Hãy báo giám thị để chuyển sang thiết bị này.",
    );
  throw new ExamRefused(
    "device_replaced",
    "Giám thị đã chuyển bài làm sang thiết bị khác; thiết bị này không còn trả lời hay nộp bài được. Nếu cần làm tiếp trên thiết bị này, hãy báo giám thị.",
  );
}

/**
 * Resuming a running attempt: the device presenting the token goes on. Without it,
 * the device the attempt names may claim a token only while none is held — after a
 * proctor-approved takeover (the approval clears it) or for an attempt started before
 * decision 018; the conditional update lets one claim win. Anyone else asks the proctor.
 */
export async function resumeOn(db: Database, attempt: AttemptRow, opts: { deviceId: string; deviceToken?: string }): Promise<string> {
  if (opts.deviceToken && tokenMatches(opts.deviceToken, attempt.device_token_hash)) return opts.deviceToken;
  if (attempt.device_token_hash === null && (attempt.device_id === null || attempt.device_id === opts.deviceId)) {
    const token = newDeviceToken();
    const claimed = await db
      .updateTable("attempt")
      .set({ device_id: opts.deviceId, device_token_hash: hashDeviceToken(token) })
      .where("id", "=", attempt.id)
      .where("device_token_hash", "is", null)
      .where((eb) => eb.or([eb("device_id", "is", null), eb("device_id", "=", opts.deviceId)]))
      .returning("id")
      .executeTakeFirst();
    if (claimed) return token;
  }
  // One live device per attempt; a takeover needs the proctor (live proctoring).
  throw new ExamRefused("device_conflict", "Bài làm đang mở trên một thiết bị khác. Hãy báo giám thị để chuyển sang thiết bị này.");
}
