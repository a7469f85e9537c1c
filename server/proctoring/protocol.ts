import { z } from "zod";
import { INTEGRITY_KINDS } from "./roster";

/**
 * Payloads of the proctor's and the trainee's proctoring events, shared by Socket.IO
 * handlers and HTTP routes (docs/realtime-protocol.md). Validated at the trust boundary.
 */
const reason = z.string().trim().min(1, "Hãy ghi lý do.").max(500, "Lý do quá dài (tối đa 500 ký tự).");
const optionalReason = z.string().trim().max(500).optional();
const personId = z.number().int().positive();
const attemptId = z.number().int().positive();

export const proctorAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start_all"), reason: optionalReason }),
  z.object({ type: z.literal("admit"), personId, reason: optionalReason }),
  z.object({ type: z.literal("pause"), attemptId: attemptId.optional(), reason }),
  z.object({ type: z.literal("resume"), attemptId: attemptId.optional(), reason: optionalReason }),
  z.object({ type: z.literal("add_time"), personId, minutes: z.number().int().min(1).max(240), reason }),
  z.object({ type: z.literal("message"), attemptId: attemptId.optional(), text: z.string().trim().min(1, "Hãy nhập nội dung nhắc nhở.").max(300) }),
  z.object({ type: z.literal("lock"), attemptId, reason }),
  z.object({ type: z.literal("unlock"), attemptId, reason: optionalReason }),
  z.object({ type: z.literal("force_submit"), attemptId, reason }),
  z.object({ type: z.literal("approve_takeover"), attemptId, reason }),
  z.object({ type: z.literal("reopen"), attemptId, minutes: z.number().int().min(1).max(240), reason }),
  z.object({ type: z.literal("end_session"), reason }),
]);
export type ProctorAction = z.infer<typeof proctorAction>;

export const proctorActionPayload = z.object({ examId: z.number().int().positive(), action: proctorAction });
export const proctorJoinPayload = z.object({ examId: z.number().int().positive() });

export const integrityPayload = z.object({
  examId: z.number().int().positive(),
  attemptId: attemptId.optional(),
  kind: z.enum(INTEGRITY_KINDS),
  /** Client time of the event, ISO; the server stores its own time too. */
  at: z.string().max(40).optional(),
  details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
});

export const focusPayload = z.object({ examId: z.number().int().positive(), attemptId, position: z.number().int().positive() });
export const traineeJoinPayload = z.object({ examId: z.number().int().positive() });
export const resultsWatchPayload = z.object({ unitId: z.number().int().positive().optional() });
