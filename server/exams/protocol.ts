import { z } from "zod";

/**
 * A row id: ids are PostgreSQL `integer` columns, so a larger number is refused here as
 * `bad_request` instead of reaching the database as an out-of-range error that the
 * client would take for `server_error` and retry forever (issue 13, item 11).
 */
export const ROW_ID_MAX = 2_147_483_647;
export const rowId = z.number().int().positive().max(ROW_ID_MAX);

/** The trainee's exam events (client → server, acknowledged); the authorization sweep needs a case for each. */
export const EXAM_EVENTS = ["exam:start", "exam:sync", "exam:answer", "exam:submit"] as const;

/**
 * Payloads of the trainee's exam events, shared by the Socket.IO handlers and the HTTP
 * fallback (docs/realtime-protocol.md). Validated at the trust boundary.
 */
export const answerPayload = z.object({
  attemptId: rowId,
  position: z.number().int().positive(),
  chosen: z.array(z.number().int().min(0).max(9)).max(10),
  /** An essay's text. The schema admits more than the limit so the service can answer in words (ESSAY_MAX_CHARS). */
  text: z.string().max(100_000).optional(),
  flagged: z.boolean().optional(),
  seq: z.number().int().positive(),
});
export type AnswerPayload = z.infer<typeof answerPayload>;

/** The longest essay answer stored, in characters (about four handwritten pages). */
export const ESSAY_MAX_CHARS = 8000;

export const attemptPayload = z.object({ attemptId: rowId });

export const startPayload = z.object({
  examId: rowId,
  deviceId: z.string().min(1).max(100),
  accessCode: z.string().max(40).optional(),
});

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: string; message: string };

/** Turns a service error into the acknowledgement shape; unknown errors become server_error. */
export function failure(e: unknown): { ok: false; error: string; message: string } {
  if (e instanceof Error && typeof (e as { status?: unknown }).status === "number") {
    const code = (e as { code?: unknown }).code;
    const status = (e as unknown as { status: number }).status;
    return { ok: false, error: typeof code === "string" ? code : status === 403 ? "forbidden" : status === 404 ? "not_found" : "bad_request", message: e.message };
  }
  return { ok: false, error: "server_error", message: "Lỗi máy chủ; câu trả lời chưa được lưu, hệ thống sẽ thử lại." };
}
