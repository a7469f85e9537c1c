import { canReach, type Viewer } from "../auth/scope";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { classPlace } from "../classes/class-place";
import { GRADERS, type ExamContext } from "./context";
import { stemText } from "../questions/media";
import { gradeAttempt } from "./scoring";
import { parseRubric, scoreWithRubric } from "./rubric";
import type { Outcome } from "./regrade";
import { corrections, figures, gradedItems } from "./graded-items";

/** Essay grading: the blind queue and grading one essay with its rubric. */
export function gradingMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow } = ctx.exams;
  return {
    /**
     * The essay queue of one exam for a grader: answers without names (blind marking),
     * in an order unrelated to the class list; the name is shown once an answer is graded.
     */
    async gradingQueue(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, GRADERS, klass.path)) throw new Forbidden("Bạn không phụ trách chấm bài của lớp này.");
      const rows = await db
        .selectFrom("attempt_item as i")
        .innerJoin("attempt as a", "a.id", "i.attempt_id")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .innerJoin("person as p", "p.id", "a.person_id")
        .leftJoin("user_account as g", "g.id", "i.graded_by")
        .select([
          "a.id as attempt_id",
          "a.seed",
          "a.status",
          "i.position",
          "i.points",
          "i.text_answer",
          "i.essay_score",
          "i.essay_criteria",
          "i.essay_comment",
          "i.graded_at",
          "g.display_name as grader",
          "v.id as version_id",
          "v.stem",
          "v.stem_format",
          "v.explanation",
          "p.full_name",
        ])
        .where("a.exam_id", "=", examId)
        .where("a.status", "in", ["submitted", "awaiting_grading"])
        .where("v.type", "=", "essay")
        .execute();
      // Blind order: by the attempt's random seed, not by name or enrolment.
      const attemptOrder = [
        ...new Set(rows.sort((x, y) => (x.seed < y.seed ? -1 : x.seed > y.seed ? 1 : x.position - y.position)).map((r) => r.attempt_id)),
      ];
      const code = new Map(attemptOrder.map((id, i) => [id, `Bài số ${i + 1}`]));
      const essays = rows.map((r) => {
        const rubric = parseRubric(r.explanation, Number(r.points));
        const graded = r.essay_score !== null;
        return {
          attemptId: r.attempt_id,
          position: r.position,
          code: code.get(r.attempt_id)!,
          stem: stemText(r.stem, r.stem_format),
          text: r.text_answer ?? "",
          points: Number(r.points),
          rubric,
          score: graded ? Number(r.essay_score) : null,
          criteria: r.essay_criteria ?? null,
          comment: r.essay_comment,
          grader: graded ? r.grader : null,
          name: graded ? r.full_name : null,
        };
      });
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, classId: exam.class_id },
        essays,
        remaining: essays.filter((e) => e.score === null).length,
      };
    },

    /**
     * Grades one essay with the rubric. Recomputes the attempt; when its last essay is
     * graded the attempt's final score, band and pass are set and the graded listeners
     * hear about it, as after an objective paper's submission. Regrading an essay later
     * changes the final figures the same way. Audited with before and after.
     */
    async gradeEssay(viewer: Viewer, attemptId: number, position: number, input: { criteria: number[]; comment?: string | null }) {
      const head = await db.selectFrom("attempt").select(["exam_id"]).where("id", "=", attemptId).executeTakeFirst();
      if (!head) throw new NotFound("Không tìm thấy bài làm.");
      const exam = await examRow(head.exam_id);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, GRADERS, klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách chấm bài của lớp này.");
      const comment = (input.comment ?? "").normalize("NFC").trim();
      if (comment.length > 2000) throw new BadRequest("Nhận xét dài quá 2.000 ký tự; hãy rút gọn.");
      const now = clock.now();
      const out = await db.transaction().execute(async (trx) => {
        // The row lock orders this grading with a concurrent regrade or another grader.
        const a = await trx.selectFrom("attempt").selectAll().where("id", "=", attemptId).forUpdate().executeTakeFirstOrThrow();
        if (a.status !== "submitted" && a.status !== "awaiting_grading") throw new BadRequest("Bài làm chưa nộp; chưa chấm được.");
        const item = await trx
          .selectFrom("attempt_item as i")
          .innerJoin("question_version as v", "v.id", "i.question_version_id")
          .select(["i.points", "i.essay_score", "v.type", "v.explanation"])
          .where("i.attempt_id", "=", attemptId)
          .where("i.position", "=", position)
          .executeTakeFirst();
        if (!item) throw new NotFound(`Không có câu ${position} trong bài.`);
        if (item.type !== "essay") throw new BadRequest(`Câu ${position} là câu trắc nghiệm, được chấm tự động.`);
        const rubric = parseRubric(item.explanation, Number(item.points));
        const checked = scoreWithRubric(rubric, input.criteria, Number(item.points));
        if (!checked.ok) throw new BadRequest(checked.message);
        await trx
          .updateTable("attempt_item")
          .set({
            essay_score: checked.points,
            essay_criteria: JSON.stringify(input.criteria),
            essay_comment: comment || null,
            graded_by: viewer.userId,
            graded_at: now,
          })
          .where("attempt_id", "=", attemptId)
          .where("position", "=", position)
          .execute();
        const items = (await gradedItems(trx, [attemptId], await corrections(trx, exam.id))).get(attemptId) ?? [];
        const graded = gradeAttempt(items, exam.policy);
        const completes = !graded.pending;
        await trx
          .updateTable("attempt")
          .set({ ...figures(graded), ...(completes ? { status: "submitted" as const } : {}) })
          .where("id", "=", attemptId)
          .execute();
        const before: Outcome = { score: a.score === null ? null : Number(a.score), band: a.band, passed: a.passed };
        const after: Outcome = completes
          ? { score: graded.score, band: graded.band, passed: graded.passed }
          : { score: null, band: null, passed: null };
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.essay_graded",
          entityType: "attempt",
          entityId: attemptId,
          details: {
            examId: exam.id,
            position,
            criteria: input.criteria,
            points: checked.points,
            previousPoints: item.essay_score === null ? null : Number(item.essay_score),
            before,
            after,
            pending: graded.pending,
          },
        });
        const person = await trx.selectFrom("person").select(["full_name"]).where("id", "=", a.person_id).executeTakeFirstOrThrow();
        const changed = completes && (before.score !== after.score || before.band !== after.band || before.passed !== after.passed);
        return {
          personId: a.person_id,
          by: a.submitted_by ?? "trainee",
          name: person.full_name,
          points: checked.points,
          pending: graded.pending,
          after,
          changed,
        };
      });
      if (out.changed)
        await ctx.notifyGraded([
          {
            attemptId,
            examId: exam.id,
            personId: out.personId,
            score: out.after.score!,
            band: out.after.band!,
            passed: out.after.passed!,
            by: out.by,
          },
        ]);
      // A re-grade that leaves the score as it was still moves the item health figures.
      else if (!out.pending) await ctx.figures?.examChanged(exam.id);
      return {
        name: out.name,
        points: out.points,
        remainingInAttempt: out.pending,
        final: out.pending
          ? null
          : {
              score: out.after.score!,
              band: exam.policy.bands.find((b) => b.code === out.after.band)?.label ?? out.after.band!,
              passed: out.after.passed!,
            },
      };
    },
  };
}
