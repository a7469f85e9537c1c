import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { ensureEssayQuestions, ESSAY_EXAM_BLUEPRINT } from "../../server/seed/demo-exam-grading";
import { ESSAY_MAX_CHARS } from "../../server/exams/protocol";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import type { AttemptGraded } from "../../server/exams/service";

/** Essays, essay grading, review policy, key corrections with regrading, accommodations. */
describe(`exam grading (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let admin: Viewer;
  let lecturer: Viewer;
  let trainee: Viewer;
  let other: Viewer;
  let classId: number;
  let examId: number;
  let attemptId: number;
  let token: string;
  let essayPosition: number;
  const graded: AttemptGraded[] = [];

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    await ensureEssayQuestions(t.db);
    admin = (await loginAs(s, "canbo.tanlap")).viewer;
    lecturer = (await loginAs(s, "giangvien")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    other = (await loginAs(s, "canbo.binhminh")).viewer;
    classId = (
      await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").orderBy("id").executeTakeFirstOrThrow()
    ).id;
    s.exams.onGraded((e) => void graded.push(e));
  });
  afterAll(() => t.destroy());

  it("draws one essay into every paper from an essay cell, and serves it without key or rubric", async () => {
    examId = await s.exams.createExam(admin, {
      classId,
      title: "Kiểm tra có tự luận",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 45,
      blueprint: ESSAY_EXAM_BLUEPRINT,
      reviewPolicy: "answers_after_close",
    });
    await expect(
      s.exams.createExam(admin, {
        classId,
        title: "Quá nhiều tự luận",
        opensAt: new Date("2026-03-13T08:00:00+07:00"),
        closesAt: new Date("2026-03-13T10:00:00+07:00"),
        durationMinutes: 45,
        blueprint: [{ lesson: 0, level: "van_dung", count: 9, points: 1, type: "essay" }],
      }),
    ).rejects.toThrow(/cần 9, có 3/);
    await s.exams.generatePapers(admin, examId);
    clock.set("2026-03-13T08:05:00+07:00");
    const paper = await s.exams.start(trainee, examId, { deviceId: "phone" });
    attemptId = paper.attemptId;
    token = paper.deviceToken;
    expect(paper.items).toHaveLength(6);
    const essays = paper.items.filter((i) => i.type === "essay");
    expect(essays).toHaveLength(1);
    essayPosition = essays[0]!.position;
    expect(essays[0]).toMatchObject({ options: [], text: "" });
    // The answer key, fractions, explanations and the essay rubric never reach the trainee's browser.
    const json = JSON.stringify(paper);
    expect(json).not.toMatch(/fraction|correct|explanation|rubric|điểm\)/);
    expect(paper.items.filter((i) => i.type !== "essay").every((i) => i.text === undefined)).toBe(true);
  });

  it("stores essay text with the same sequence rules, refuses an over-long text in Vietnamese, ignores text on objective items", async () => {
    const r1 = await s.exams.saveAnswer(trainee, attemptId, {
      position: essayPosition,
      chosen: [],
      text: "Nháp đầu",
      seq: 1,
      deviceToken: token,
    });
    expect(r1).toMatchObject({ ok: true, applied: true, seq: 1 });
    const r2 = await s.exams.saveAnswer(trainee, attemptId, {
      position: essayPosition,
      chosen: [],
      text: "Đảng viên phải trung thành với lý tưởng của Đảng.",
      seq: 3,
      deviceToken: token,
    });
    expect(r2.applied).toBe(true);
    // A late replay from the journal does not overwrite a newer text.
    expect(
      await s.exams.saveAnswer(trainee, attemptId, { position: essayPosition, chosen: [], text: "Nháp đầu", seq: 2, deviceToken: token }),
    ).toMatchObject({ applied: false, seq: 3 });
    // Flagging without a text keeps the text.
    await s.exams.saveAnswer(trainee, attemptId, { position: essayPosition, chosen: [], flagged: true, seq: 4, deviceToken: token });
    await expect(
      s.exams.saveAnswer(trainee, attemptId, {
        position: essayPosition,
        chosen: [],
        text: "x".repeat(ESSAY_MAX_CHARS + 1),
        seq: 5,
        deviceToken: token,
      }),
    ).rejects.toMatchObject({ code: "too_long", message: expect.stringMatching(/vượt giới hạn 8\.000 ký tự/) });
    const view = await s.exams.paper(trainee, attemptId);
    expect(view.items.find((i) => i.position === essayPosition)).toMatchObject({
      text: "Đảng viên phải trung thành với lý tưởng của Đảng.",
      flagged: true,
    });
    const objective = view.items.find((i) => i.type !== "essay")!;
    await s.exams.saveAnswer(trainee, attemptId, {
      position: objective.position,
      chosen: [0],
      text: "không thuộc câu này",
      seq: 6,
      deviceToken: token,
    });
    const row = await t.db
      .selectFrom("attempt_item")
      .select("text_answer")
      .where("attempt_id", "=", attemptId)
      .where("position", "=", objective.position)
      .executeTakeFirstOrThrow();
    expect(row.text_answer).toBeNull();
    // Answer the other objective items with the first option shown.
    let seq = 10;
    for (const i of view.items)
      if (i.type !== "essay" && i.position !== objective.position)
        await s.exams.saveAnswer(trainee, attemptId, { position: i.position, chosen: [0], seq: seq++, deviceToken: token });
  });

  it("submits exactly once into 'awaiting grading' with no final score and no graded event", async () => {
    const done = await s.exams.submit(trainee, attemptId, token);
    expect(done.alreadySubmitted).toBe(false);
    expect(await s.exams.submit(trainee, attemptId, token)).toEqual({ receipt: done.receipt, alreadySubmitted: true });
    const row = await t.db
      .selectFrom("attempt")
      .select(["status", "score", "band", "passed", "earned", "max_points"])
      .where("id", "=", attemptId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "awaiting_grading", score: null, band: null, passed: null });
    expect(Number(row.max_points)).toBe(10);
    expect(graded).toHaveLength(0);
    expect(await s.exams.result(trainee, attemptId)).toMatchObject({
      awaitingGrading: true,
      score: null,
      notice: expect.stringMatching(/chờ giảng viên chấm/),
    });
    const list = await s.exams.examsForTrainee(trainee);
    expect(list.find((e) => e.id === examId)).toMatchObject({ state: "submitted", awaitingGrading: true, receipt: done.receipt });
    await expect(
      s.exams.saveAnswer(trainee, attemptId, { position: essayPosition, chosen: [], text: "sửa sau khi nộp", seq: 99, deviceToken: token }),
    ).rejects.toMatchObject({ code: "not_in_progress" });
    await expect(s.exams.start(trainee, examId, { deviceId: "phone" })).rejects.toMatchObject({ code: "submitted" });
  });

  it("queues essays blind for lecturers of the centre, grades with the rubric, then publishes the final score once", async () => {
    await expect(s.exams.gradingQueue(other, examId)).rejects.toMatchObject({ status: 403 });
    await expect(s.exams.gradingQueue(trainee, examId)).rejects.toMatchObject({ status: 403 });
    const q = await s.exams.gradingQueue(lecturer, examId);
    expect(q.remaining).toBe(1);
    const essay = q.essays[0]!;
    expect(essay).toMatchObject({
      attemptId,
      position: essayPosition,
      code: "Bài số 1",
      name: null,
      text: "Đảng viên phải trung thành với lý tưởng của Đảng.",
      points: 5,
    });
    expect(JSON.stringify(q)).not.toContain("Nguyễn Thị Mai");
    expect(essay.rubric.criteria).toHaveLength(3);
    expect(essay.rubric.total).toBe(10);

    await expect(s.exams.gradeEssay(other, attemptId, essayPosition, { criteria: [1, 1, 1] })).rejects.toMatchObject({ status: 403 });
    await expect(s.exams.gradeEssay(lecturer, attemptId, essayPosition, { criteria: [9, 1, 1] })).rejects.toThrow(
      /Tiêu chí 1 .*từ 0 đến 4/,
    );
    await expect(s.exams.gradeEssay(lecturer, attemptId, essayPosition, { criteria: [1, 1] })).rejects.toThrow(/đủ 3 tiêu chí/);
    const objectivePosition = (
      await t.db
        .selectFrom("attempt_item as i")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .select("i.position")
        .where("i.attempt_id", "=", attemptId)
        .where("v.type", "!=", "essay")
        .executeTakeFirstOrThrow()
    ).position;
    await expect(s.exams.gradeEssay(lecturer, attemptId, objectivePosition, { criteria: [1] })).rejects.toThrow(/chấm tự động/);
    expect(graded).toHaveLength(0);

    // 4 + 3 + 1 = 8 of 10 → 4 of the essay's 5 points.
    const r = await s.exams.gradeEssay(lecturer, attemptId, essayPosition, {
      criteria: [4, 3, 1],
      comment: "Nêu đủ nhiệm vụ; phần liên hệ còn chung chung.",
    });
    expect(r).toMatchObject({ name: "Nguyễn Thị Mai", points: 4, remainingInAttempt: 0 });
    expect(r.final).not.toBeNull();
    const row = await t.db
      .selectFrom("attempt")
      .select(["status", "score", "earned"])
      .where("id", "=", attemptId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("submitted");
    expect(Number(row.score)).toBe(r.final!.score);
    expect(graded).toEqual([expect.objectContaining({ attemptId, examId, score: r.final!.score, by: "trainee" })]);
    const trail = await t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "exam.essay_graded").execute();
    expect(trail).toHaveLength(1);
    expect(trail[0]!.actor_id).toBe(lecturer.userId);
    // Once graded, the queue names the trainee and the grader.
    const after = await s.exams.gradingQueue(lecturer, examId);
    expect(after).toMatchObject({
      remaining: 0,
      essays: [expect.objectContaining({ name: "Nguyễn Thị Mai", score: 4, criteria: [4, 3, 1] })],
    });
  });

  it("shows the score at once and the answers only after the exam closes (answers_after_close)", async () => {
    const before = await s.exams.review(trainee, attemptId);
    expect(before).toMatchObject({ awaitingGrading: false, answersAvailable: false, items: null });
    expect(before.score).not.toBeNull();
    expect(before.notice).toMatch(/sau khi bài kiểm tra đóng/);
    clock.set("2026-03-13T10:01:00+07:00");
    const open = await s.exams.review(trainee, attemptId);
    expect(open.answersAvailable).toBe(true);
    const essay = open.items!.find((i) => i.type === "essay")!;
    expect(essay).toMatchObject({ earned: 4, points: 5, comment: "Nêu đủ nhiệm vụ; phần liên hệ còn chung chung." });
    expect(open.items!.filter((i) => i.type !== "essay").every((i) => i.options.some((o) => o.correct))).toBe(true);
    // Someone else cannot read the trainee's review.
    await expect(s.exams.review((await loginAs(s, "bithu")).viewer, attemptId)).rejects.toMatchObject({ status: 404 });
  });

  it("review policy 'none' shows only the receipt; 'score_only' never the answers", async () => {
    await t.db.updateTable("exam").set({ review_policy: "none" }).where("id", "=", examId).execute();
    const fresh = await createFreshService();
    expect(await fresh.exams.result(trainee, attemptId)).toMatchObject({ score: null, band: null, passed: null, answersAvailable: false });
    await t.db.updateTable("exam").set({ review_policy: "score_only" }).where("id", "=", examId).execute();
    const fresh2 = await createFreshService();
    const r = await fresh2.exams.review(trainee, attemptId);
    expect(r.items).toBeNull();
    expect(r.score).not.toBeNull();
    await t.db.updateTable("exam").set({ review_policy: "answers_after_close" }).where("id", "=", examId).execute();
  });

  it("corrects a key: a dry run lists who changes and changes nothing; confirmation regrades in one transaction with audit", async () => {
    await expect(s.exams.examQuestions(lecturer, examId)).rejects.toMatchObject({ status: 403 });
    const qs = await s.exams.examQuestions(admin, examId);
    // Every objective question of every drawn paper (one per enrolled trainee), never an essay.
    expect(qs.questions.length).toBeGreaterThanOrEqual(5);
    expect(qs.questions.every((q) => q.type !== "essay")).toBe(true);
    // The trainee chose the first option shown on every objective item: make that the key of one question the trainee got wrong (or, if right, move the key away).
    const items = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.question_version_id", "i.chosen", "v.options", "v.type"])
      .where("i.attempt_id", "=", attemptId)
      .where("v.type", "in", ["single", "true_false"])
      .orderBy("i.position")
      .execute();
    // A single-answer item: on a multiple-answer one, a trainee who picked one of two right
    // options earns nothing either way, so moving the key would change nothing.
    const target = items[0]!;
    const stored = (target.chosen as unknown as number[])[0]!;
    const options = target.options as unknown as { fraction: number }[];
    const wasRight = options[stored]!.fraction > 0;
    const newKey = wasRight ? [options.findIndex((_, i) => i !== stored)] : [stored];
    const before = await t.db.selectFrom("attempt").select(["score"]).where("id", "=", attemptId).executeTakeFirstOrThrow();

    const preview = await s.exams.regradePreview(admin, examId, target.question_version_id, newKey);
    expect(preview.affected).toBe(1);
    expect(preview.changes).toHaveLength(1);
    const change = preview.changes[0]!;
    expect(change.before.score).toBe(Number(before.score));
    expect(change.after.score).toBe(Math.round((Number(before.score) + (wasRight ? -1 : 1)) * 10) / 10);
    expect(change.name).toBe("Nguyễn Thị Mai");
    // A dry run changes nothing.
    expect(Number((await t.db.selectFrom("attempt").select("score").where("id", "=", attemptId).executeTakeFirstOrThrow()).score)).toBe(
      Number(before.score),
    );
    expect(await t.db.selectFrom("key_correction").selectAll().execute()).toHaveLength(0);

    await expect(s.exams.regradeApply(admin, examId, target.question_version_id, newKey, "")).rejects.toThrow(/lý do/);
    await expect(s.exams.regradeApply(other, examId, target.question_version_id, newKey, "Sửa theo Điều lệ Đảng")).rejects.toMatchObject({
      status: 403,
    });
    const events = graded.length;
    const applied = await s.exams.regradeApply(admin, examId, target.question_version_id, newKey, "Đáp án đúng theo Điều lệ Đảng 2011");
    expect(applied.changes).toHaveLength(1);
    expect(Number((await t.db.selectFrom("attempt").select("score").where("id", "=", attemptId).executeTakeFirstOrThrow()).score)).toBe(
      change.after.score,
    );
    expect(graded.length).toBe(events + 1);
    // The pinned version is untouched; the correction is data.
    const version = await t.db
      .selectFrom("question_version")
      .select("options")
      .where("id", "=", target.question_version_id)
      .executeTakeFirstOrThrow();
    expect(version.options).toEqual(target.options);
    expect(await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "exam.attempt_regraded").execute()).toEqual([
      { entity_id: String(attemptId) },
    ]);
    expect(await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "exam.key_corrected").execute()).toEqual([
      { entity_id: String(examId) },
    ]);
    // The trainee's result page and the class results show the corrected figures.
    expect((await s.exams.result(trainee, attemptId)).score).toBe(change.after.score);
    const results = await s.exams.results(admin, examId);
    expect(results.trainees.find((r) => r.attemptId === attemptId)!.score).toBe(change.after.score);
    expect(results.items.find((i) => i.versionId === target.question_version_id)!.corrected).toBe(true);
    // The same key again: nothing to do, said in words.
    await expect(s.exams.regradePreview(admin, examId, target.question_version_id, newKey)).rejects.toThrow(/giống đáp án hiện hành/);
    expect((await s.exams.examQuestions(admin, examId)).history).toHaveLength(1);
  });

  it("sets extra time for a group (minutes or a multiplier), also while an attempt runs; audited; checked", async () => {
    const practice = await s.exams.createExam(admin, {
      classId,
      title: "Ôn tập",
      kind: "practice",
      opensAt: new Date("2026-03-13T10:00:00+07:00"),
      closesAt: new Date("2026-03-13T12:00:00+07:00"),
      durationMinutes: 30,
      blueprint: ESSAY_EXAM_BLUEPRINT,
    });
    clock.set("2026-03-13T10:10:00+07:00");
    const paper = await s.exams.start(trainee, practice, { deviceId: "phone" });
    await expect(
      s.exams.setAccommodation(admin, practice, { personIds: [trainee.personId!], extraMinutes: 0, multiplier: 5, reason: "x" }),
    ).rejects.toThrow(/Hệ số thời gian từ 1 đến 3/);
    await expect(
      s.exams.setAccommodation(admin, practice, { personIds: [trainee.personId!], extraMinutes: 10, multiplier: 1, reason: " " }),
    ).rejects.toThrow(/lý do/);
    await expect(
      s.exams.setAccommodation(other, practice, { personIds: [trainee.personId!], extraMinutes: 10, multiplier: 1, reason: "Khiếm thị" }),
    ).rejects.toMatchObject({ status: 403 });
    const stranger = await t.db.selectFrom("person").select("id").where("full_name", "=", "Hoàng Văn Toàn").executeTakeFirstOrThrow();
    await expect(
      s.exams.setAccommodation(admin, practice, {
        personIds: [trainee.personId!, stranger.id],
        extraMinutes: 10,
        multiplier: 1,
        reason: "Khiếm thị",
      }),
    ).rejects.toThrow(/không thuộc lớp/);
    const r = await s.exams.setAccommodation(admin, practice, {
      personIds: [trainee.personId!],
      extraMinutes: 5,
      multiplier: 1.5,
      reason: "Học viên khiếm thị",
    });
    // 30 × 1.5 + 5 = 50 minutes from 10:10.
    expect(r).toEqual([
      { personId: trainee.personId, attemptId: paper.attemptId, deadline: new Date("2026-03-13T11:00:00+07:00").toISOString() },
    ]);
    expect((await s.exams.paper(trainee, paper.attemptId)).secondsLeft).toBe(50 * 60);
    const list = await s.exams.accommodations(admin, practice);
    expect(list.trainees.find((x) => x.personId === trainee.personId)).toMatchObject({ extraMinutes: 5, multiplier: 1.5, minutes: 50 });
    expect(await t.db.selectFrom("audit_log").select("reason").where("action", "=", "exam.accommodation").execute()).toEqual([
      { reason: "Học viên khiếm thị" },
    ]);
  });

  it("a correction made before anyone submits grades later submissions with the corrected key", async () => {
    const examId2 = await s.exams.createExam(admin, {
      classId,
      title: "Sửa đáp án trước khi nộp",
      opensAt: new Date("2026-03-14T08:00:00+07:00"),
      closesAt: new Date("2026-03-14T10:00:00+07:00"),
      durationMinutes: 30,
      blueprint: [{ lesson: 1, level: "nhan_biet", count: 1, points: 1 }],
    });
    clock.set("2026-03-14T08:01:00+07:00");
    const paper = await s.exams.start(trainee, examId2, { deviceId: "phone" });
    const item = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.question_version_id", "i.option_order", "v.options"])
      .where("i.attempt_id", "=", paper.attemptId)
      .executeTakeFirstOrThrow();
    const options = item.options as unknown as { fraction: number }[];
    const wrong = options.findIndex((o) => o.fraction === 0);
    const preview = await s.exams.regradePreview(admin, examId2, item.question_version_id, [wrong]);
    expect(preview).toMatchObject({ affected: 0, changes: [] });
    await s.exams.regradeApply(admin, examId2, item.question_version_id, [wrong], "Đáp án cũ nhầm, theo văn kiện gốc");
    // The trainee picks the option that is right under the corrected key.
    const display = (item.option_order as unknown as number[]).indexOf(wrong);
    await s.exams.saveAnswer(trainee, paper.attemptId, { position: 1, chosen: [display], seq: 1, deviceToken: paper.deviceToken });
    await s.exams.submit(trainee, paper.attemptId, paper.deviceToken);
    expect((await s.exams.result(trainee, paper.attemptId)).score).toBe(10);
  });

  /** The exam row is memoised for two seconds per service; a fresh service reads the policy change at once. */
  async function createFreshService() {
    const { createExamService } = await import("../../server/exams/service");
    return { exams: createExamService({ db: t.db, clock }) };
  }
});
