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

/** Largest `seq` (and id) the server stores: PostgreSQL `integer`. Above it is `bad_request`, never `server_error`. */
export const MAX_INT = ROW_ID_MAX;

const id = rowId;
/** The device token handed out by `exam:start` (decision 018); absent on a device the attempt never accepted. */
const deviceToken = z.string().min(1).max(200).optional();

export const answerPayload = z.object({
  attemptId: id,
  position: z.number().int().positive().max(1000),
  chosen: z.array(z.number().int().min(0).max(9)).max(10),
  /** An essay's text. The schema admits more than the limit so the service can answer in words (ESSAY_MAX_CHARS). */
  text: z.string().max(100_000).optional(),
  flagged: z.boolean().optional(),
  seq: id,
  deviceToken,
});
export type AnswerPayload = z.infer<typeof answerPayload>;

/** The Vietnamese `bad_request` message of an answer the schema refused: which field, and its bounds. */
export function answerRefusal(error: z.ZodError): string {
  const field = error.issues[0]?.path[0];
  if (field === "seq") return `Số thứ tự câu trả lời (seq) phải là số nguyên từ 1 đến ${MAX_INT.toLocaleString("vi-VN")}.`;
  if (field === "position") return "Số câu (position) phải là số nguyên từ 1 đến 1000.";
  if (field === "chosen") return "Phương án chọn (chosen) phải là danh sách tối đa 10 số từ 0 đến 9.";
  if (field === "attemptId") return "Mã bài làm không hợp lệ.";
  return "Dữ liệu câu trả lời không hợp lệ.";
}

/** The longest essay answer stored, in characters (about four handwritten pages). */
export const ESSAY_MAX_CHARS = 8000;

export const attemptPayload = z.object({ attemptId: id });

export const submitPayload = z.object({ attemptId: id, deviceToken });

export const startPayload = z.object({
  examId: id,
  deviceId: z.string().min(1).max(100),
  accessCode: z.string().max(40).optional(),
  /** The token this device got at an earlier start of the same attempt: resuming needs it. */
  deviceToken,
});

/** A refusal, over Socket.IO and HTTP alike: a code from HTTP_STATUS and a Vietnamese message. */
export type Failure = { ok: false; error: string; message: string };
export type Ack<T> = ({ ok: true } & T) | Failure;

/**
 * The one HTTP status of every error code (the table in docs/realtime-protocol.md; a
 * unit test keeps the two equal). The HTTP fallback answers with it; over Socket.IO the
 * code alone travels.
 */
export const HTTP_STATUS = {
  bad_request: 400,
  too_long: 413,
  unauthorized: 401,
  forbidden: 403,
  access_code: 403,
  not_found: 404,
  unsupported_media_type: 415,
  device_conflict: 409,
  device_replaced: 409,
  not_open: 409,
  closed: 409,
  waiting_for_proctor: 409,
  waiting_for_admission: 409,
  submitted: 409,
  not_started: 409,
  not_in_progress: 409,
  deadline_passed: 409,
  paused: 409,
  locked: 409,
  rate_limited: 429,
  server_error: 503,
} as const satisfies Record<string, number>;
export type ErrorCode = keyof typeof HTTP_STATUS;

export function httpStatus(code: string): number {
  return (HTTP_STATUS as Record<string, number>)[code] ?? 400;
}

export const SERVER_ERROR_MESSAGE = "Lỗi máy chủ; câu trả lời chưa được lưu, hệ thống sẽ thử lại.";

/** Turns a service error into the acknowledgement shape; unknown errors become server_error. */
export function failure(e: unknown): Failure {
  if (e instanceof Error && typeof (e as { status?: unknown }).status === "number") {
    const code = (e as { code?: unknown }).code;
    const status = (e as unknown as { status: number }).status;
    return {
      ok: false,
      error: typeof code === "string" ? code : status === 403 ? "forbidden" : status === 404 ? "not_found" : "bad_request",
      message: e.message,
    };
  }
  return { ok: false, error: "server_error", message: SERVER_ERROR_MESSAGE };
}

/**
 * `failure` for the answer path's transports: an unexpected error (`server_error`) is
 * logged with the attempt and the event, so an operator can find the trainee it hit.
 */
export function failureLogged(
  e: unknown,
  log: { error(obj: object, msg: string): void },
  context: { attemptId?: number | null; examId?: number | null; event: string },
): Failure {
  const f = failure(e);
  if (f.error === "server_error") log.error({ err: e, ...context }, "exam request failed");
  return f;
}
