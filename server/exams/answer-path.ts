import type { Database } from "../db";
import type { Viewer } from "../auth/scope";
import type { Logger } from "../logger";
import type { ExamService } from "./service";
import { answerPayload, answerRefusal, attemptPayload, failureLogged, submitPayload, type Failure } from "./protocol";

/**
 * The trainee's answer path, whatever carried the request (Socket.IO or the HTTP
 * fallback; decision 033): validate, store through the exam service, and return the
 * reply together with what the session's proctors must be told. The transport sends
 * the reply first, then hands the notices to the proctor hub (`ProctorHub.notify`, or
 * `services.live.notify` from an HTTP route), so an answer that travelled over HTTP
 * reaches the proctor's roster exactly as one sent over the socket.
 */

/** What the session's proctors are told after a trainee's change (delivered by the realtime layer). */
export type ProctorNotice =
  /** One answer stored: the console updates the cell without a database read (`proctor:answer`). */
  | { kind: "answer"; examId: number; personId: number; attemptId: number; position: number; seq: number; hasAnswer: boolean; at: string }
  /** These trainees' roster rows changed (a submission): fresh rows are read and sent, batched (`proctor:rows`). */
  | { kind: "rows"; examId: number; personIds: number[] };

export interface Outcome<R> {
  reply: R;
  notices: ProctorNotice[];
}

/** What the transport knows already: the exam of the attempt this screen started or synced, and the event name for the log. */
export interface PathContext {
  event: string;
  /** The attempt and exam the socket joined (`exam:start` / `exam:sync`); spares a read. */
  known?: { attemptId?: number; examId?: number };
}

export type AnswerReply = Awaited<ReturnType<ExamService["saveAnswer"]>> | Failure;
export type SubmitReply = ({ ok: true } & Awaited<ReturnType<ExamService["submit"]>>) | Failure;
export type SyncReply =
  | {
      ok: true;
      status: string;
      deadline: string | null;
      serverNow: string;
      secondsLeft: number | null;
      receipt: string | null;
      saved: { position: number; seq: number }[];
    }
  | Failure;

const BAD_REQUEST = "Dữ liệu không hợp lệ.";

export function createAnswerPath(deps: { db: Database; exams: ExamService; logger: Logger }) {
  const { db, exams, logger } = deps;

  /**
   * The exam of an attempt the viewer owns. An attempt's exam never changes; a socket
   * knows it from its start or sync, the HTTP fallback reads it (one primary-key row,
   * and only after a stored answer or submission).
   */
  async function examOf(viewer: Viewer, attemptId: number, ctx: PathContext): Promise<number | null> {
    if (ctx.known?.attemptId === attemptId && ctx.known.examId) return ctx.known.examId;
    const row = await db
      .selectFrom("attempt")
      .select("exam_id")
      .where("id", "=", attemptId)
      .where("person_id", "=", viewer.personId ?? -1)
      .executeTakeFirst();
    return row?.exam_id ?? null;
  }

  /** Notices are best effort: a failed read for them never turns a stored answer into an error. */
  async function noticesFor(
    viewer: Viewer,
    attemptId: number,
    ctx: PathContext,
    make: (examId: number, personId: number) => ProctorNotice,
  ): Promise<ProctorNotice[]> {
    if (!viewer.personId) return [];
    try {
      const examId = await examOf(viewer, attemptId, ctx);
      return examId ? [make(examId, viewer.personId)] : [];
    } catch (e) {
      logger.warn({ err: e, attemptId }, "proctor notice not prepared");
      return [];
    }
  }

  return {
    /** `exam:answer` / POST {type:"answer"}: acknowledged only once the database has it. */
    async answer(viewer: Viewer, payload: unknown, ctx: PathContext): Promise<Outcome<AnswerReply>> {
      const parsed = answerPayload.safeParse(payload);
      if (!parsed.success) return { reply: { ok: false, error: "bad_request", message: answerRefusal(parsed.error) }, notices: [] };
      const a = parsed.data;
      let saved: Awaited<ReturnType<ExamService["saveAnswer"]>>;
      try {
        saved = await exams.saveAnswer(viewer, a.attemptId, a);
      } catch (e) {
        return { reply: failureLogged(e, logger, { event: ctx.event, attemptId: a.attemptId }), notices: [] };
      }
      // A replay (applied: false) changed nothing the proctor has not seen.
      if (!saved.applied) return { reply: saved, notices: [] };
      const hasAnswer = a.chosen.length > 0 || !!a.text?.trim();
      const notices = await noticesFor(viewer, a.attemptId, ctx, (examId, personId) => ({
        kind: "answer",
        examId,
        personId,
        attemptId: a.attemptId,
        position: a.position,
        seq: a.seq,
        hasAnswer,
        at: saved.savedAt,
      }));
      return { reply: saved, notices };
    },

    /** `exam:submit` / POST {type:"submit"}: the proctors' roster shows the submission at once. */
    async submit(viewer: Viewer, payload: unknown, ctx: PathContext): Promise<Outcome<SubmitReply>> {
      const parsed = submitPayload.safeParse(payload);
      if (!parsed.success) return { reply: { ok: false, error: "bad_request", message: BAD_REQUEST }, notices: [] };
      try {
        const r = await exams.submit(viewer, parsed.data.attemptId, parsed.data.deviceToken);
        const notices = r.alreadySubmitted
          ? []
          : await noticesFor(viewer, parsed.data.attemptId, ctx, (examId, personId) => ({ kind: "rows", examId, personIds: [personId] }));
        return { reply: { ok: true, ...r }, notices };
      } catch (e) {
        return { reply: failureLogged(e, logger, { event: ctx.event, attemptId: parsed.data.attemptId }), notices: [] };
      }
    },

    /**
     * `exam:sync` / POST {type:"sync"}: the attempt's state and what the server holds.
     * `owned` is set when the viewer owns the attempt (the socket then joins its room).
     */
    async sync(
      viewer: Viewer,
      payload: unknown,
      ctx: PathContext,
    ): Promise<{ reply: SyncReply; owned: { attemptId: number; examId: number } | null }> {
      const parsed = attemptPayload.safeParse(payload);
      if (!parsed.success) return { reply: { ok: false, error: "bad_request", message: BAD_REQUEST }, owned: null };
      try {
        const p = await exams.paper(viewer, parsed.data.attemptId);
        return {
          reply: {
            ok: true,
            status: p.status,
            deadline: p.deadline,
            serverNow: new Date().toISOString(),
            secondsLeft: p.secondsLeft,
            receipt: p.receipt,
            saved: p.items.map((i) => ({ position: i.position, seq: i.seq })),
          },
          owned: { attemptId: p.attemptId, examId: p.examId },
        };
      } catch (e) {
        return { reply: failureLogged(e, logger, { event: ctx.event, attemptId: parsed.data.attemptId }), owned: null };
      }
    },
  };
}

export type AnswerPath = ReturnType<typeof createAnswerPath>;
