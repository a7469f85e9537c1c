import type { Viewer } from "../auth/scope";
import { Forbidden, NotFound } from "../errors";
import { ExamRefused, type AttemptRow, type ExamContext } from "./context";
import { deadlineFor, acceptsAnswers } from "./timing";
import { hashDeviceToken, newDeviceToken } from "./device";
import { assertDevice, resumeOn } from "./device-binding";
import { createPaper, paperView, pool } from "./paper";
import { finish } from "./submission";

/**
 * The trainee's side of an attempt: the start (or resume) with its device binding, the
 * paper, submissions (the trainee's, a proctor's, the deadline job's) and the list of exams.
 */
export function attemptMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow, freshExamRow } = ctx.exams;
  return {
    /**
     * Starts (or resumes) the trainee's attempt; the deadline is fixed on the server at
     * the first start. A synchronised start of thousands is three statements each: the
     * enrolment, latest attempt and accommodation in one read, the conditional start,
     * and the paper's items.
     */
    async start(viewer: Viewer, examId: number, opts: { deviceId: string; deviceToken?: string; accessCode?: string; ip?: string | null }) {
      if (!viewer.personId) throw new Forbidden("Tài khoản chưa gắn với học viên.");
      const personId = viewer.personId;
      let exam = await examRow(examId);
      // A memoised row may predate the proctor's "start all" or "resume" (on this process
      // or another): before refusing on the gate or a pause, read the row afresh.
      if ((exam.proctor_gate && !exam.started_by_proctor_at) || exam.paused_at) exam = await freshExamRow(examId);
      const found = await db
        .selectFrom("class_enrolment as ce")
        .leftJoin("attempt as a", (j) => j.on("a.exam_id", "=", examId).onRef("a.person_id", "=", "ce.person_id"))
        .leftJoin("exam_accommodation as x", (j) => j.on("x.exam_id", "=", examId).onRef("x.person_id", "=", "ce.person_id"))
        .selectAll("a")
        .select(["x.extra_minutes", "x.multiplier"])
        .where("ce.class_id", "=", exam.class_id)
        .where("ce.person_id", "=", personId)
        .orderBy("a.attempt_no", (ob) => ob.desc().nullsLast())
        .limit(1)
        .executeTakeFirst();
      if (!found) throw new Forbidden("Bạn không thuộc lớp của bài kiểm tra này.");
      const now = clock.now();
      let attempt = found.id === null ? undefined : (found as unknown as AttemptRow);
      if (attempt?.status !== "in_progress") {
        if (now < exam.opens_at) throw new ExamRefused("not_open", "Bài kiểm tra chưa mở.");
        if (now > exam.closes_at) throw new ExamRefused("closed", "Bài kiểm tra đã đóng.");
        if (exam.access_code && opts.accessCode?.trim() !== exam.access_code)
          throw new ExamRefused("access_code", "Mã vào phòng thi không đúng.");
        if (exam.session_ended_at) throw new ExamRefused("closed", "Ca thi đã kết thúc.");
        if (exam.proctor_gate && !exam.started_by_proctor_at) throw new ExamRefused("waiting_for_proctor", "Chờ giám thị cho bắt đầu.");
        // Once the room has started, a late arrival waits for the proctor to admit them.
        if (exam.proctor_gate && attempt?.status === "ready" && !attempt.admitted_at)
          throw new ExamRefused("waiting_for_admission", "Ca thi đã bắt đầu; hãy chờ giám thị cho vào thi.");
        if (exam.proctor_gate && !attempt)
          throw new ExamRefused("waiting_for_admission", "Ca thi đã bắt đầu; hãy chờ giám thị cho vào thi.");
        if (exam.paused_at) throw new ExamRefused("paused", "Phòng thi đang tạm dừng; hãy chờ giám thị.");
      }
      // A paper awaiting essay grading is submitted as far as the trainee is concerned.
      const handedIn = attempt?.status === "submitted" || attempt?.status === "awaiting_grading";
      if (handedIn && attempt!.attempt_no >= exam.max_attempts) throw new ExamRefused("submitted", "Bạn đã nộp bài này.");
      if (!attempt || handedIn) {
        const candidates = await pool(db, exam.bank_id, exam.kind);
        await db.transaction().execute((trx) => createPaper(trx, exam, personId, (attempt?.attempt_no ?? 0) + 1, candidates));
        attempt = await db
          .selectFrom("attempt")
          .selectAll()
          .where("exam_id", "=", examId)
          .where("person_id", "=", personId)
          .orderBy("attempt_no", "desc")
          .executeTakeFirstOrThrow();
      }
      if (attempt.status === "ready") {
        const acc = { extraMinutes: found.extra_minutes ?? 0, multiplier: Number(found.multiplier ?? 1) };
        const deadline = deadlineFor(
          now,
          { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds },
          acc,
        );
        const token = newDeviceToken();
        // Conditional: of two devices starting at once, one wins (and gets the device
        // token, decision 018); the other is refused unless it presents that token.
        const started = await db
          .updateTable("attempt")
          // The address goes in with the start, so the proctor's IP-change check adds no write to it.
          .set({
            status: "in_progress",
            started_at: now,
            deadline_at: deadline,
            device_id: opts.deviceId,
            device_token_hash: hashDeviceToken(token),
            last_ip: opts.ip ?? null,
          })
          .where("id", "=", attempt.id)
          .where("status", "=", "ready")
          .returningAll()
          .executeTakeFirst();
        if (started) return { ...(await paperView(ctx, started, exam)), deviceToken: token };
        attempt = await db.selectFrom("attempt").selectAll().where("id", "=", attempt.id).executeTakeFirstOrThrow();
      }
      const deviceToken = await resumeOn(db, attempt, opts);
      return { ...(await paperView(ctx, attempt, exam)), deviceToken };
    },

    /** The trainee's view of the paper: texts and options in display order, never the key. */
    async paper(viewer: Viewer, attemptId: number) {
      const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      return paperView(ctx, a, await examRow(a.exam_id));
    },

    /** The trainee's own submission: only from the attempt's accepted device (decision 018). */
    async submit(viewer: Viewer, attemptId: number, deviceToken?: string) {
      const a = await db
        .selectFrom("attempt")
        .select(["person_id", "status", "receipt", "device_token_hash"])
        .where("id", "=", attemptId)
        .executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      assertDevice(deviceToken, a.device_token_hash);
      const done = await finish(ctx, attemptId, "trainee", a.device_token_hash!);
      if (done) return { receipt: done.receipt, alreadySubmitted: false };
      const again = await db
        .selectFrom("attempt")
        .select(["receipt", "status", "device_token_hash"])
        .where("id", "=", attemptId)
        .executeTakeFirstOrThrow();
      if (again.status !== "submitted" && again.status !== "awaiting_grading") {
        // A takeover approved between the check and the submission.
        assertDevice(deviceToken, again.device_token_hash);
        throw new ExamRefused("not_started", "Bài làm chưa bắt đầu.");
      }
      return { receipt: again.receipt!, alreadySubmitted: true };
    },

    /** A proctor's submission (force-submit, end of session): exactly once, like the others. */
    async forceSubmit(attemptId: number) {
      return finish(ctx, attemptId, "proctor");
    },

    /** Submits every attempt past its deadline plus grace; safe to run from several processes at once. */
    async closeOverdue(): Promise<number[]> {
      const now = clock.now();
      const due = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .select(["a.id", "a.deadline_at", "e.grace_seconds"])
        .where("a.status", "=", "in_progress")
        .where("a.paused_at", "is", null) // time stands still while a proctor pauses
        .where("a.deadline_at", "<", now)
        .execute();
      const closed: number[] = [];
      for (const d of due) {
        if (acceptsAnswers(new Date(d.deadline_at!), now, d.grace_seconds)) continue;
        if (await finish(ctx, d.id, "server")) closed.push(d.id);
      }
      return closed;
    },

    /** Exams of the trainee's classes with the state of the trainee's latest attempt. */
    async examsForTrainee(viewer: Viewer) {
      if (!viewer.personId) return [];
      const rows = await db
        .selectFrom("exam as e")
        .innerJoin("class_enrolment as ce", (j) => j.onRef("ce.class_id", "=", "e.class_id").on("ce.person_id", "=", viewer.personId!))
        .innerJoin("training_class as c", "c.id", "e.class_id")
        .select([
          "e.id",
          "e.title",
          "e.kind",
          "e.opens_at",
          "e.closes_at",
          "e.duration_minutes",
          "e.access_code",
          "e.review_policy",
          "e.max_attempts",
          "c.name as class_name",
        ])
        .orderBy("e.opens_at", "desc")
        .execute();
      // The latest attempt per exam (a practice exam may have several).
      const attempts = rows.length
        ? await db
            .selectFrom("attempt")
            .select(["id", "exam_id", "attempt_no", "status", "receipt"])
            .where("person_id", "=", viewer.personId)
            .where(
              "exam_id",
              "in",
              rows.map((r) => r.id),
            )
            .orderBy("attempt_no")
            .execute()
        : [];
      const latest = new Map(attempts.map((a) => [a.exam_id, a]));
      const now = clock.now();
      return rows.map((r) => {
        const a = latest.get(r.id);
        const submitted = a?.status === "submitted" || a?.status === "awaiting_grading";
        const windowOpen = now >= new Date(r.opens_at) && now <= new Date(r.closes_at);
        return {
          id: r.id,
          title: r.title,
          kind: r.kind,
          className: r.class_name,
          opensAt: new Date(r.opens_at).toISOString(),
          closesAt: new Date(r.closes_at).toISOString(),
          durationMinutes: r.duration_minutes,
          needsCode: !!r.access_code,
          reviewPolicy: r.review_policy,
          attemptId: a?.id ?? null,
          state:
            a?.status === "in_progress"
              ? "in_progress"
              : submitted
                ? "submitted"
                : now < new Date(r.opens_at)
                  ? "upcoming"
                  : now > new Date(r.closes_at)
                    ? "closed"
                    : "open",
          awaitingGrading: a?.status === "awaiting_grading",
          receipt: submitted ? a!.receipt : null,
          /** A practice test (or an approved re-sit) allows another attempt while the window is open. */
          canRetake: submitted && windowOpen && a!.attempt_no < r.max_attempts,
        };
      });
    },
  };
}
