import { canReach, type Viewer } from "../auth/scope";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { classPlace } from "../classes/class-place";
import { REGRADERS, type AttemptGraded, type ExamContext } from "./context";
import type { Database } from "../db";
import { stemText } from "../questions/media";
import { correctIndexes } from "../questions/grading";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { gradeAttempt } from "./scoring";
import { changedOutcomes, correctedOptions, type RegradeChange } from "./regrade";
import { corrections, gradedItems } from "./graded-items";
import type { ExamRow } from "./exam-rows";

/** Key corrections and regrading (docs/decisions/011-essays-and-regrading.md). */
export function keyCorrectionMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow } = ctx.exams;
  return {
    /** The objective questions an exam's papers use, with the key in force, for the correction screen. */
    async examQuestions(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, REGRADERS, klass.path)) throw new Forbidden("Chỉ trung tâm hoặc ban tuyên giáo phụ trách mới sửa đáp án.");
      const keys = await corrections(db, examId);
      const rows = await db
        .selectFrom("attempt_item as i")
        .innerJoin("attempt as a", "a.id", "i.attempt_id")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .innerJoin("question as q", "q.id", "v.question_id")
        .select(["v.id", "v.type", "v.stem", "v.stem_format", "v.options", "q.lesson_position", "q.key"])
        .select((eb) => [
          eb.fn.countAll<number>().as("papers"),
          eb.fn.countAll<number>().filterWhere("a.status", "in", ["submitted", "awaiting_grading"]).as("submitted"),
        ])
        .where("a.exam_id", "=", examId)
        .where("v.type", "!=", "essay")
        .groupBy(["v.id", "v.type", "v.stem", "v.stem_format", "v.options", "q.lesson_position", "q.key"])
        .orderBy("q.lesson_position")
        .orderBy("q.key")
        .execute();
      const history = await db
        .selectFrom("key_correction as k")
        .leftJoin("user_account as u", "u.id", "k.created_by")
        .select(["k.id", "k.question_version_id", "k.reason", "k.changed_attempts", "k.created_at", "u.display_name"])
        .where("k.exam_id", "=", examId)
        .orderBy("k.id", "desc")
        .execute();
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, classId: exam.class_id },
        questions: rows.map((r) => {
          const options = keys.get(r.id) ?? r.options;
          return {
            versionId: r.id,
            key: r.key,
            type: r.type,
            lesson: r.lesson_position,
            stem: stemText(r.stem, r.stem_format),
            options: options.map((o) => o.text),
            correct: correctIndexes(options),
            corrected: keys.has(r.id),
            papers: Number(r.papers),
            submitted: Number(r.submitted),
          };
        }),
        history: history.map((h) => ({
          id: h.id,
          versionId: h.question_version_id,
          reason: h.reason,
          changed: h.changed_attempts,
          at: new Date(h.created_at).toISOString(),
          by: h.display_name,
        })),
      };
    },

    /** Dry run: every attempt whose score, band or pass would change with the corrected key. Changes nothing. */
    async regradePreview(viewer: Viewer, examId: number, versionId: number, correct: number[]) {
      const plan = await planRegrade(db, await assertRegrader(ctx, viewer, examId), versionId, correct);
      return {
        changes: plan.changes,
        affected: plan.affected,
        options: plan.options.map((o) => o.text),
        correct: correctIndexes(plan.options),
      };
    },

    /**
     * Applies a key correction in one transaction: records it (the pinned version stays
     * as it was), rewrites the figures of every changed attempt, and audits each changed
     * attempt and the regrade itself. Run again with the same key, it finds nothing to do.
     */
    async regradeApply(viewer: Viewer, examId: number, versionId: number, correct: number[], reason: string) {
      const why = reason.normalize("NFC").trim();
      if (why.length < 5) throw new BadRequest("Hãy ghi lý do sửa đáp án (ví dụ: căn cứ văn bản nào).");
      const exam = await assertRegrader(ctx, viewer, examId);
      const done = await db.transaction().execute(async (trx) => {
        // Lock the exam's finished attempts: a grader saving an essay now waits, then sees the new key.
        await trx
          .selectFrom("attempt")
          .select("id")
          .where("exam_id", "=", examId)
          .where("status", "in", ["submitted", "awaiting_grading"])
          .forUpdate()
          .execute();
        const plan = await planRegrade(trx, exam, versionId, correct);
        const row = await trx
          .insertInto("key_correction")
          .values({
            exam_id: examId,
            question_version_id: versionId,
            options: JSON.stringify(plan.options),
            reason: why,
            changed_attempts: plan.changes.length,
            created_by: viewer.userId,
            created_at: clock.now(),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        for (const c of plan.changes) {
          await trx
            .updateTable("attempt")
            .set({ earned: c.earned, score: c.after.score, band: c.after.band, passed: c.after.passed })
            .where("id", "=", c.attemptId)
            .execute();
          await audit(trx, {
            actorId: viewer.userId,
            action: "exam.attempt_regraded",
            entityType: "attempt",
            entityId: c.attemptId,
            reason: why,
            details: { examId, versionId, correctionId: row.id, before: c.before, after: c.after },
          });
        }
        // Essays awaiting grading keep their provisional objective points up to date too.
        for (const p of plan.provisional)
          await trx.updateTable("attempt").set({ earned: p.earned }).where("id", "=", p.attemptId).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.key_corrected",
          entityType: "exam",
          entityId: examId,
          reason: why,
          details: { versionId, correctionId: row.id, correct, affected: plan.affected, changed: plan.changes.map((c) => c.attemptId) },
        });
        return { correctionId: row.id, changes: plan.changes, affected: plan.affected };
      });
      await ctx.notifyGraded(
        done.changes.map((c) => ({
          attemptId: c.attemptId,
          examId,
          personId: c.personId,
          score: c.after.score!,
          band: c.after.band!,
          passed: c.after.passed!,
          by: c.by,
        })),
      );
      // The corrected key moves item health even where no score changed.
      await ctx.figures?.examChanged(examId);
      return done;
    },
  };
}

/** The exam, refused unless the viewer may correct its keys. */
async function assertRegrader(ctx: ExamContext, viewer: Viewer, examId: number) {
  const exam = await ctx.exams.examRow(examId);
  const klass = await classPlace(ctx.db, exam.class_id);
  if (!canReach(viewer, REGRADERS, klass.path, { write: true }))
    throw new Forbidden("Chỉ trung tâm hoặc ban tuyên giáo phụ trách mới sửa đáp án.");
  return exam;
}

/**
 * Grades every finished attempt that uses the version with the old and the corrected
 * key. Shared by the dry run and the confirmation, so they cannot disagree.
 * Reads only through `trx` (PGlite has one connection: a second reader inside a
 * transaction would wait forever).
 */
async function planRegrade(trx: Database, exam: ExamRow, versionId: number, correct: number[]) {
  const examId = exam.id;
  const version = await trx.selectFrom("question_version").select(["id", "type", "options"]).where("id", "=", versionId).executeTakeFirst();
  if (!version) throw new NotFound("Không có câu hỏi này.");
  const keys = await corrections(trx, examId);
  const current = keys.get(versionId) ?? version.options;
  const next = correctedOptions(version.type, current, correct);
  if (!next.ok) throw new BadRequest(next.message);
  const attempts = await trx
    .selectFrom("attempt as a")
    .innerJoin("person as p", "p.id", "a.person_id")
    .select(["a.id", "a.person_id", "a.status", "a.score", "a.band", "a.passed", "a.submitted_by", "p.full_name"])
    .where("a.exam_id", "=", examId)
    .where("a.status", "in", ["submitted", "awaiting_grading"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("attempt_item as i")
          .select("i.attempt_id")
          .whereRef("i.attempt_id", "=", "a.id")
          .where("i.question_version_id", "=", versionId),
      ),
    )
    .execute();
  // No submitted paper yet is fine: the correction then applies as papers are submitted.
  const items = await gradedItems(
    trx,
    attempts.map((a) => a.id),
    keys,
  );
  const rows: (RegradeChange & { personId: number; name: string; earned: number; by: AttemptGraded["by"]; final: boolean })[] = [];
  const provisional: { attemptId: number; earned: number }[] = [];
  for (const a of attempts) {
    const list = items.get(a.id) ?? [];
    const after = gradeAttempt(
      list.map((i) => (i.versionId === versionId ? { ...i, options: next.options } : i)),
      exam.policy,
    );
    if (after.pending) {
      provisional.push({ attemptId: a.id, earned: after.earned });
      continue;
    }
    rows.push({
      attemptId: a.id,
      personId: a.person_id,
      name: a.full_name,
      earned: after.earned,
      by: a.submitted_by ?? "trainee",
      final: true,
      before: { score: a.score === null ? null : Number(a.score), band: a.band, passed: a.passed },
      after: { score: after.score, band: after.band, passed: after.passed },
    });
  }
  const label = (code: string | null) => exam.policy.bands.find((b) => b.code === code)?.label ?? code;
  const changes = sortByVietnameseName(changedOutcomes(rows) as typeof rows, (r) => r.name).map((r) => ({
    ...r,
    beforeLabel: label(r.before.band),
    afterLabel: label(r.after.band),
  }));
  return { options: next.options, changes, provisional, affected: attempts.length };
}
