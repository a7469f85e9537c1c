import { DEFAULT_POLICY, gradeAttempt, receiptCode } from "./scoring";
import { corrections, figures, gradedItems } from "./graded-items";
import type { ExamContext } from "./context";

/**
 * Submits and grades one attempt; listeners hear about it after the commit, never
 * inside it. An attempt with essays is "awaiting grading": listeners hear about it
 * when its last essay is graded (gradeEssay).
 */
export async function finish(ctx: ExamContext, attemptId: number, by: "trainee" | "server" | "proctor", tokenHash?: string) {
  const done = await submitAndGrade(ctx, attemptId, by, tokenHash);
  if (done && !done.pending)
    await ctx.notifyGraded([
      { attemptId, examId: done.examId, personId: done.personId, score: done.score!, band: done.band!, passed: done.passed!, by },
    ]);
  return done;
}

/** A trainee's submission passes `tokenHash`: only the attempt's accepted device submits (decision 018). */
async function submitAndGrade(ctx: ExamContext, attemptId: number, by: "trainee" | "server" | "proctor", tokenHash?: string) {
  const { db, clock } = ctx;
  // Read before the transaction: inside it only `trx` may be used (stack.md, trap 11).
  const key = await ctx.receiptKey();
  return db.transaction().execute(async (trx) => {
    const now = clock.now();
    // The conditional update is the exactly-once gate: of several processes (or a
    // trainee racing the deadline job) only one sees a row come back.
    let gate = trx
      .updateTable("attempt")
      .set({ status: "submitted", submitted_at: now, submitted_by: by })
      .where("id", "=", attemptId)
      .where("status", "=", "in_progress");
    if (tokenHash !== undefined) gate = gate.where("device_token_hash", "=", tokenHash);
    const won = await gate.returning(["id", "exam_id", "person_id"]).executeTakeFirst();
    if (!won) return null;
    const exam = await trx.selectFrom("exam").select(["policy"]).where("id", "=", won.exam_id).executeTakeFirstOrThrow();
    const items = (await gradedItems(trx, [attemptId], await corrections(trx, won.exam_id))).get(attemptId) ?? [];
    const graded = gradeAttempt(items, exam.policy ?? DEFAULT_POLICY);
    const receipt = receiptCode(
      attemptId,
      items.map((i) => ({ position: i.position, chosen: i.chosen, text: i.text })),
      key,
    );
    await trx
      .updateTable("attempt")
      .set({ ...figures(graded), receipt, ...(graded.pending ? { status: "awaiting_grading" as const } : {}) })
      .where("id", "=", attemptId)
      .execute();
    const final = !graded.pending;
    return {
      attemptId,
      examId: won.exam_id,
      personId: won.person_id,
      receipt,
      earned: graded.earned,
      max: graded.max,
      pending: graded.pending,
      score: final ? graded.score : null,
      band: final ? graded.band : null,
      bandLabel: final ? graded.bandLabel : null,
      passed: final ? graded.passed : null,
      submittedAt: now,
      by,
    };
  });
}
