import { canReach, type Viewer } from "../auth/scope";
import { audit } from "../audit/log";
import { BadRequest, Forbidden } from "../errors";
import { classPlace } from "../classes/class-place";
import { ORGANISERS, type ExamContext } from "./context";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { deadlineFor } from "./timing";

/** Time accommodations: extra minutes and a multiplier of the duration per trainee, also while the attempt runs. */
export function accommodationMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow } = ctx.exams;
  return {
    /** Extra time for one trainee, also while the attempt runs (the new deadline applies at once). */
    async grantExtraTime(viewer: Viewer, examId: number, personId: number, extraMinutes: number, reason: string) {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách lớp này.");
      if (!reason.trim()) throw new BadRequest("Hãy ghi lý do cộng giờ.");
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const prev = await trx
          .selectFrom("exam_accommodation")
          .select(["extra_minutes", "multiplier"])
          .where("exam_id", "=", examId)
          .where("person_id", "=", personId)
          .executeTakeFirst();
        const acc = { extraMinutes: (prev?.extra_minutes ?? 0) + extraMinutes, multiplier: Number(prev?.multiplier ?? 1) };
        await trx
          .insertInto("exam_accommodation")
          .values({ exam_id: examId, person_id: personId, extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason })
          .onConflict((oc) => oc.columns(["exam_id", "person_id"]).doUpdateSet({ extra_minutes: acc.extraMinutes, reason }))
          .execute();
        const running = await trx
          .selectFrom("attempt")
          .select(["id", "started_at", "paused_seconds"])
          .where("exam_id", "=", examId)
          .where("person_id", "=", personId)
          .where("status", "=", "in_progress")
          .executeTakeFirst();
        let deadline: Date | null = null;
        if (running) {
          deadline = deadlineFor(
            new Date(running.started_at!),
            { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds },
            acc,
            running.paused_seconds,
          );
          await trx
            .updateTable("attempt")
            .set({ deadline_at: deadline })
            .where("id", "=", running.id)
            .where("status", "=", "in_progress")
            .execute();
        }
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.extra_time",
          entityType: "exam",
          entityId: examId,
          reason,
          details: { personId, extraMinutes, deadline: deadline?.toISOString() ?? null, at: now.toISOString() },
        });
        return { attemptId: running?.id ?? null, deadline };
      });
    },

    /** Every trainee of the exam's class with the time they get, for the accommodations screen. */
    async accommodations(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path)) throw new Forbidden("Bạn không phụ trách lớp này.");
      const rows = await db
        .selectFrom("class_enrolment as ce")
        .innerJoin("person as p", "p.id", "ce.person_id")
        .leftJoin("exam_accommodation as x", (j) => j.onRef("x.person_id", "=", "p.id").on("x.exam_id", "=", examId))
        .leftJoin("attempt as a", (j) =>
          j.onRef("a.person_id", "=", "p.id").on("a.exam_id", "=", examId).on("a.status", "=", "in_progress"),
        )
        .select(["p.id", "p.full_name", "x.extra_minutes", "x.multiplier", "x.reason", "a.deadline_at"])
        .where("ce.class_id", "=", exam.class_id)
        .execute();
      return {
        exam: { id: exam.id, title: exam.title, durationMinutes: exam.duration_minutes },
        trainees: sortByVietnameseName(rows, (r) => r.full_name).map((r) => {
          const acc = { extraMinutes: r.extra_minutes ?? 0, multiplier: Number(r.multiplier ?? 1) };
          return {
            personId: r.id,
            name: r.full_name,
            ...acc,
            reason: r.reason,
            minutes: Math.round(exam.duration_minutes * acc.multiplier + acc.extraMinutes),
            deadline: r.deadline_at ? new Date(r.deadline_at).toISOString() : null,
          };
        }),
      };
    },

    /**
     * Sets the time accommodation of one or several trainees (extra minutes and/or a
     * multiplier of the duration), also while they sit the exam: running attempts get
     * their new deadline in the same transaction, and the caller pushes it to them.
     * Audited per trainee.
     */
    async setAccommodation(
      viewer: Viewer,
      examId: number,
      input: { personIds: number[]; extraMinutes: number; multiplier: number; reason: string },
    ) {
      const exam = await examRow(examId);
      const klass = await classPlace(db, exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách lớp này.");
      const reason = input.reason.normalize("NFC").trim();
      if (!input.personIds.length) throw new BadRequest("Chọn ít nhất một học viên.");
      if (!Number.isInteger(input.extraMinutes) || input.extraMinutes < 0 || input.extraMinutes > 240)
        throw new BadRequest("Số phút cộng thêm là số nguyên từ 0 đến 240.");
      if (!Number.isFinite(input.multiplier) || input.multiplier < 1 || input.multiplier > 3)
        throw new BadRequest("Hệ số thời gian từ 1 đến 3 (ví dụ 1,5 là thêm một nửa thời gian).");
      if (!reason) throw new BadRequest("Hãy ghi lý do điều chỉnh thời gian (ví dụ: học viên khiếm thị).");
      const multiplier = Math.round(input.multiplier * 100) / 100;
      return db.transaction().execute(async (trx) => {
        const enrolled = await trx
          .selectFrom("class_enrolment")
          .select("person_id")
          .where("class_id", "=", exam.class_id)
          .where("person_id", "in", input.personIds)
          .execute();
        if (enrolled.length !== new Set(input.personIds).size) throw new BadRequest("Có học viên không thuộc lớp của bài kiểm tra này.");
        const out: { personId: number; attemptId: number | null; deadline: string | null }[] = [];
        for (const personId of [...new Set(input.personIds)]) {
          const acc = { extraMinutes: input.extraMinutes, multiplier };
          await trx
            .insertInto("exam_accommodation")
            .values({ exam_id: examId, person_id: personId, extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason })
            .onConflict((oc) =>
              oc.columns(["exam_id", "person_id"]).doUpdateSet({ extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason }),
            )
            .execute();
          const running = await trx
            .selectFrom("attempt")
            .select(["id", "started_at", "paused_seconds"])
            .where("exam_id", "=", examId)
            .where("person_id", "=", personId)
            .where("status", "=", "in_progress")
            .forUpdate()
            .executeTakeFirst();
          let deadline: Date | null = null;
          if (running) {
            deadline = deadlineFor(
              new Date(running.started_at!),
              { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds },
              acc,
              Number(running.paused_seconds ?? 0),
            );
            await trx
              .updateTable("attempt")
              .set({ deadline_at: deadline })
              .where("id", "=", running.id)
              .where("status", "=", "in_progress")
              .execute();
          }
          await audit(trx, {
            actorId: viewer.userId,
            action: "exam.accommodation",
            entityType: "exam",
            entityId: examId,
            orgUnitId: null,
            reason,
            details: {
              personId,
              extraMinutes: acc.extraMinutes,
              multiplier,
              attemptId: running?.id ?? null,
              deadline: deadline?.toISOString() ?? null,
            },
          });
          out.push({ personId, attemptId: running?.id ?? null, deadline: deadline?.toISOString() ?? null });
        }
        return out;
      });
    },
  };
}
