import { z } from "zod";
import { INTEGRITY_KINDS } from "./roster";
import { rowId } from "../exams/protocol";

/**
 * Payloads of the proctor's and the trainee's proctoring events, shared by Socket.IO
 * handlers and HTTP routes (docs/realtime-protocol.md). Validated at the trust boundary.
 */
const reason = z.string().trim().min(1, "Hãy ghi lý do.").max(500, "Lý do quá dài (tối đa 500 ký tự).");
const optionalReason = z.string().trim().max(500).optional();
const personId = rowId;
const attemptId = rowId;
const examId = rowId;

/**
 * The proctoring, presence and live-results events (client → server); with
 * EXAM_EVENTS and `session:whoami` they are every event the server listens to, and
 * the authorization sweep (tests/integration/authorization-events.test.ts) needs a case
 * for each.
 */
export const PROCTORING_EVENTS = [
  "exam:join",
  "exam:focus",
  "exam:integrity",
  "proctor:join",
  "proctor:leave",
  "proctor:action",
  "results:watch",
] as const;

export const proctorAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start_all"), reason: optionalReason }),
  z.object({ type: z.literal("admit"), personId, reason: optionalReason }),
  z.object({ type: z.literal("pause"), attemptId: attemptId.optional(), reason }),
  z.object({ type: z.literal("resume"), attemptId: attemptId.optional(), reason: optionalReason }),
  z.object({ type: z.literal("add_time"), personId, minutes: z.number().int().min(1).max(240), reason }),
  z.object({
    type: z.literal("message"),
    attemptId: attemptId.optional(),
    text: z.string().trim().min(1, "Hãy nhập nội dung nhắc nhở.").max(300),
  }),
  z.object({ type: z.literal("lock"), attemptId, reason }),
  z.object({ type: z.literal("unlock"), attemptId, reason: optionalReason }),
  z.object({ type: z.literal("force_submit"), attemptId, reason }),
  z.object({ type: z.literal("approve_takeover"), attemptId, reason }),
  z.object({ type: z.literal("reopen"), attemptId, minutes: z.number().int().min(1).max(240), reason }),
  z.object({ type: z.literal("end_session"), reason }),
]);
export type ProctorAction = z.infer<typeof proctorAction>;

export const proctorActionPayload = z.object({ examId, action: proctorAction });
export const proctorJoinPayload = z.object({ examId });

export const integrityPayload = z.object({
  examId,
  attemptId: attemptId.optional(),
  kind: z.enum(INTEGRITY_KINDS),
  /** Client time of the event, ISO; the server stores its own time too. */
  at: z.string().max(40).optional(),
  details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
});

export const focusPayload = z.object({ examId, attemptId, position: z.number().int().positive() });
export const traineeJoinPayload = z.object({ examId });
export const resultsWatchPayload = z.object({ unitId: rowId.optional() });
