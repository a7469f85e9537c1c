import { canReach, type Viewer } from "../auth/scope";
import { audit } from "../audit/log";
import { BadRequest, Forbidden } from "../errors";
import { classPlace } from "../classes/class-place";
import { ORGANISERS, type ExamContext } from "./context";
import { REVIEW_POLICIES, defaultReviewPolicy, reviewPolicyProblem, type ReviewPolicy } from "./review";
import { checkBlueprint, totalPoints, type BlueprintCell } from "./blueprint";
import { DEFAULT_POLICY, type GradingPolicy } from "./scoring";
import type { QuestionLevel } from "../db/schema";
import { createPaper, pool } from "./paper";

export interface ExamInput {
  classId: number;
  title: string;
  kind?: "official" | "practice";
  opensAt: Date;
  closesAt: Date;
  durationMinutes: number;
  graceSeconds?: number;
  blueprint: BlueprintCell[];
  shuffleQuestions?: boolean;
  shuffleOptions?: boolean;
  policy?: GradingPolicy;
  maxAttempts?: number;
  accessCode?: string | null;
  proctorGate?: boolean;
  reviewPolicy?: ReviewPolicy;
}

const LEVEL_LABEL: Record<QuestionLevel, string> = { nhan_biet: "nhận biết", thong_hieu: "thông hiểu", van_dung: "vận dụng" };

/** Setting exams up: definitions, the review policy, releasing results, drawing papers ahead, a class's exams. */
export function definitionMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow, freshExamRow } = ctx.exams;
  return {
    async createExam(viewer: Viewer, input: ExamInput) {
      const klass = await classPlace(db, input.classId);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (!(input.closesAt > input.opensAt)) throw new BadRequest("Giờ đóng phải sau giờ mở.");
      if (!(input.durationMinutes >= 5 && input.durationMinutes <= 300)) throw new BadRequest("Thời gian làm bài từ 5 đến 300 phút.");
      if (!input.blueprint.length || input.blueprint.some((c) => c.count < 1 || c.points <= 0))
        throw new BadRequest("Ma trận đề cần ít nhất một ô có số câu và điểm dương.");
      const bank = await db
        .selectFrom("question_bank")
        .select("id")
        .where("programme_code", "=", klass.programme_code)
        .orderBy("id")
        .executeTakeFirst();
      if (!bank) throw new BadRequest("Chương trình của lớp chưa có ngân hàng câu hỏi.");
      const kind = input.kind ?? "official";
      const reviewPolicy = input.reviewPolicy ?? defaultReviewPolicy(kind);
      const policyProblem = reviewPolicyProblem(kind, reviewPolicy);
      if (policyProblem) throw new BadRequest(policyProblem);
      const problems = checkBlueprint(input.blueprint, await pool(db, bank.id, kind));
      if (problems.length)
        throw new BadRequest(
          `Ngân hàng không đủ câu hỏi đã duyệt ${kind === "practice" ? "dùng cho ôn tập (“Ôn tập” hoặc “Cả hai”)" : "dùng cho thi (“Thi” hoặc “Cả hai”)"} cho ma trận: ${problems.map((p) => `Bài ${p.lesson}, mức ${LEVEL_LABEL[p.level]} cần ${p.needed}, có ${p.available}`).join("; ")}.`,
        );
      const row = await db
        .insertInto("exam")
        .values({
          class_id: input.classId,
          bank_id: bank.id,
          title: input.title.normalize("NFC").trim(),
          kind: input.kind ?? "official",
          opens_at: input.opensAt,
          closes_at: input.closesAt,
          duration_minutes: input.durationMinutes,
          grace_seconds: input.graceSeconds ?? 30,
          blueprint: JSON.stringify(input.blueprint),
          shuffle_questions: input.shuffleQuestions ?? true,
          shuffle_options: input.shuffleOptions ?? true,
          policy: JSON.stringify(input.policy ?? DEFAULT_POLICY),
          max_attempts: input.maxAttempts ?? (input.kind === "practice" ? 100 : 1),
          access_code: input.accessCode ?? null,
          proctor_gate: input.proctorGate ?? false,
          review_policy: reviewPolicy,
          created_by: viewer.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(db, {
        actorId: viewer.userId,
        action: "exam.created",
        entityType: "exam",
        entityId: row.id,
        details: { classId: input.classId, points: totalPoints(input.blueprint), reviewPolicy },
      });
      return row.id;
    },

    /** Changes what trainees see after submitting (the centre of the class); audited with the old and new policy. */
    async setReviewPolicy(viewer: Viewer, examId: number, policy: ReviewPolicy) {
      const exam = await freshExamRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (!(REVIEW_POLICIES as readonly string[]).includes(policy)) throw new BadRequest("Chọn chế độ xem lại bài.");
      const problem = reviewPolicyProblem(exam.kind, policy);
      if (problem) throw new BadRequest(problem);
      if (exam.review_policy === policy) return { changed: false };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("exam").set({ review_policy: policy }).where("id", "=", examId).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.review_policy_changed",
          entityType: "exam",
          entityId: examId,
          details: { from: exam.review_policy, to: policy },
        });
      });
      ctx.exams.forget(examId);
      return { changed: true };
    },

    /**
     * Releases an official exam's answers before its window closes (answers_after_close),
     * e.g. once the last session has ended. Audited; releasing twice changes nothing.
     */
    async releaseResults(viewer: Viewer, examId: number) {
      const exam = await freshExamRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (exam.review_policy !== "answers_after_close")
        throw new BadRequest("Chỉ công bố đáp án sớm được khi bài kiểm tra cho xem đáp án sau khi đóng.");
      if (exam.results_released_at) return { released: false };
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("exam").set({ results_released_at: now }).where("id", "=", examId).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.results_released",
          entityType: "exam",
          entityId: examId,
          details: { at: now.toISOString() },
        });
      });
      ctx.exams.forget(examId);
      return { released: true };
    },

    /** Draws every enrolled trainee's paper ahead of the start: a synchronised start is then a read. */
    async generatePapers(viewer: Viewer | null, examId: number): Promise<{ created: number }> {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (viewer && !canReach(viewer, ORGANISERS, klass.path, { write: true }))
        throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      const people = await db
        .selectFrom("class_enrolment as e")
        .select("e.person_id")
        .where("e.class_id", "=", exam.class_id)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom("attempt as a").select("a.id").whereRef("a.person_id", "=", "e.person_id").where("a.exam_id", "=", examId),
            ),
          ),
        )
        .execute();
      const candidates = await pool(db, exam.bank_id, exam.kind);
      let created = 0;
      for (const p of people) {
        const id = await db.transaction().execute((trx) => createPaper(trx, exam, p.person_id, 1, candidates));
        if (id) created++;
      }
      return { created };
    },

    async examsForClass(viewer: Viewer, classId: number) {
      const klass = await classPlace(db, classId);
      if (!canReach(viewer, [...ORGANISERS, "lecturer", "proctor"], klass.path))
        throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      return db
        .selectFrom("exam as e")
        .select([
          "e.id",
          "e.title",
          "e.kind",
          "e.opens_at",
          "e.closes_at",
          "e.duration_minutes",
          "e.review_policy",
          "e.results_released_at",
        ])
        .select((eb) => [
          // Trainees, not attempts: a practice test may be taken several times.
          eb
            .selectFrom("attempt as a")
            .select((sub) => sub.fn.count<number>("a.person_id").distinct().as("n"))
            .whereRef("a.exam_id", "=", "e.id")
            .as("papers"),
          eb
            .selectFrom("attempt as a")
            .select((sub) => sub.fn.count<number>("a.person_id").distinct().as("n"))
            .whereRef("a.exam_id", "=", "e.id")
            .where("a.status", "in", ["submitted", "awaiting_grading"])
            .as("submitted"),
          eb
            .selectFrom("attempt as a")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("a.exam_id", "=", "e.id")
            .where("a.status", "=", "awaiting_grading")
            .as("awaiting"),
          eb
            .selectFrom("attempt_item as i")
            .innerJoin("question_version as v", "v.id", "i.question_version_id")
            .innerJoin("attempt as a", "a.id", "i.attempt_id")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("a.exam_id", "=", "e.id")
            .where("v.type", "=", "essay")
            .as("essays"),
        ])
        .where("e.class_id", "=", classId)
        .orderBy("e.opens_at", "desc")
        .execute();
    },
  };
}
