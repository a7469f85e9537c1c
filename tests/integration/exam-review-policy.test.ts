import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { manualClock } from "../../server/clock";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";

/**
 * Issue 14, item 5 (decision 023): a practice test shows the key and explanations right
 * after submission; an official test never before it closes or the centre releases it.
 * Each case asks for the paper and the review before and after the moment the policy
 * allows, and checks the key is absent, then present.
 */
describe(`review policy by exam kind (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let admin: Viewer;
  let lecturer: Viewer;
  let trainee: Viewer;
  let other: Viewer;
  let classId: number;
  const blueprint = [1, 2].map((lesson) => ({ lesson, level: "nhan_biet" as const, count: 1, points: 1 }));
  const window = {
    opensAt: new Date("2026-03-13T08:00:00+07:00"),
    closesAt: new Date("2026-03-13T10:00:00+07:00"),
    durationMinutes: 30,
    blueprint,
  };

  /** Whether anything in a value handed to the trainee looks like a key or an explanation. */
  const leaksKey = (v: unknown) => /"(fraction|correct|explanation)"/.test(JSON.stringify(v));

  /** Starts, answers the first option of each question and submits; returns the attempt id. */
  async function sit(examId: number) {
    const paper = await s.exams.start(trainee, examId, { deviceId: "phone" });
    expect(leaksKey(paper)).toBe(false);
    let seq = 0;
    for (const it of paper.items)
      await s.exams.saveAnswer(trainee, paper.attemptId, {
        position: it.position,
        chosen: [0],
        seq: ++seq,
        deviceToken: paper.deviceToken,
      });
    // Before submitting there is no review at all.
    await expect(s.exams.review(trainee, paper.attemptId)).rejects.toMatchObject({ code: "not_submitted" });
    await s.exams.submit(trainee, paper.attemptId, paper.deviceToken);
    return paper.attemptId;
  }

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    admin = (await loginAs(s, "canbo.tanlap")).viewer;
    lecturer = (await loginAs(s, "giangvien")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    other = (await loginAs(s, "canbo.binhminh")).viewer;
    classId = (
      await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").orderBy("id").executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t.destroy());

  it("a practice test shows the score, the key and the explanations right after submitting (its default policy)", async () => {
    const examId = await s.exams.createExam(admin, { classId, title: "Luyện tập", kind: "practice", ...window });
    expect((await t.db.selectFrom("exam").select("review_policy").where("id", "=", examId).executeTakeFirstOrThrow()).review_policy).toBe(
      "answers_after_submit",
    );
    await s.exams.generatePapers(admin, examId);
    clock.set("2026-03-13T08:05:00+07:00");
    const attemptId = await sit(examId);
    // Still inside the window: a practice test does not wait for the close.
    const r = await s.exams.review(trainee, attemptId);
    expect(r.score).not.toBeNull();
    expect(r.items).toHaveLength(2);
    for (const it of r.items!) {
      expect(it.options.filter((o) => o.correct).length).toBeGreaterThan(0);
      expect(it.options.filter((o) => o.chosen)).toHaveLength(1);
      expect(it.explanation).toEqual(expect.any(String));
    }
    // Another trainee's review stays closed to anyone else.
    await expect(s.exams.review((await loginAs(s, "bithu")).viewer, attemptId)).rejects.toMatchObject({ status: 404 });
  });

  it("an official test defaults to the score only, and can never show the key at submission", async () => {
    const examId = await s.exams.createExam(admin, { classId, title: "Chính thức, chỉ điểm", ...window });
    expect((await t.db.selectFrom("exam").select("review_policy").where("id", "=", examId).executeTakeFirstOrThrow()).review_policy).toBe(
      "score_only",
    );
    await expect(
      s.exams.createExam(admin, { classId, title: "Chính thức, đáp án ngay", ...window, reviewPolicy: "answers_after_submit" }),
    ).rejects.toThrow(/chính thức/);
    await expect(s.exams.setReviewPolicy(admin, examId, "answers_after_submit")).rejects.toThrow(/chính thức/);
    // The database refuses it too, whatever writes the row.
    await expect(sql`update exam set review_policy = 'answers_after_submit' where id = ${examId}`.execute(t.db)).rejects.toThrow();
    await expect(s.exams.setReviewPolicy(admin, examId, "everything" as never)).rejects.toThrow(/Chọn chế độ xem lại bài/);
  });

  it("an official test shows the key only once the centre releases it or the window closes", async () => {
    clock.set("2026-03-13T07:30:00+07:00");
    const examId = await s.exams.createExam(admin, {
      classId,
      title: "Chính thức, đáp án sau",
      ...window,
      reviewPolicy: "answers_after_close",
    });
    await s.exams.generatePapers(admin, examId);
    clock.set("2026-03-13T08:10:00+07:00");
    const attemptId = await sit(examId);
    const before = await s.exams.review(trainee, attemptId);
    expect(before.score).not.toBeNull();
    expect(before.items).toBeNull();
    expect(leaksKey(before)).toBe(false);
    expect(before.notice).toMatch(/sau khi bài kiểm tra đóng/);
    // The paper of the submitted attempt carries no key either.
    expect(leaksKey(await s.exams.paper(trainee, attemptId))).toBe(false);

    // Only the centre of the class releases: not a lecturer, not another commune's centre.
    await expect(s.exams.releaseResults(lecturer, examId)).rejects.toMatchObject({ status: 403 });
    await expect(s.exams.releaseResults(other, examId)).rejects.toMatchObject({ status: 403 });
    expect((await s.exams.review(trainee, attemptId)).items).toBeNull();
    expect(await s.exams.releaseResults(admin, examId)).toEqual({ released: true });
    expect(await s.exams.releaseResults(admin, examId)).toEqual({ released: false });
    const after = await s.exams.review(trainee, attemptId);
    expect(after.items).toHaveLength(2);
    expect(after.items!.every((i) => i.options.some((o) => o.correct))).toBe(true);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_id"])
      .where("action", "=", "exam.results_released")
      .where("entity_id", "=", String(examId))
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("without a release, the key appears once the window has closed; a policy change is audited and applies at once", async () => {
    clock.set("2026-03-13T07:30:00+07:00");
    const examId = await s.exams.createExam(admin, { classId, title: "Chính thức, đổi chế độ", ...window });
    await s.exams.generatePapers(admin, examId);
    clock.set("2026-03-13T08:15:00+07:00");
    const attemptId = await sit(examId);
    expect((await s.exams.review(trainee, attemptId)).items).toBeNull();
    await expect(s.exams.releaseResults(admin, examId)).rejects.toThrow(/sau khi đóng/);
    expect(await s.exams.setReviewPolicy(admin, examId, "answers_after_close")).toEqual({ changed: true });
    expect((await s.exams.review(trainee, attemptId)).items).toBeNull();
    clock.set("2026-03-13T10:01:00+07:00");
    expect((await s.exams.review(trainee, attemptId)).items).toHaveLength(2);
    // Turned to "none" afterwards, nothing is shown any more, not even the score.
    await s.exams.setReviewPolicy(admin, examId, "none");
    const none = await s.exams.review(trainee, attemptId);
    expect(none).toMatchObject({ score: null, items: null });
    const audit = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "exam.review_policy_changed")
      .where("entity_id", "=", String(examId))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.details)).toEqual([
      { from: "score_only", to: "answers_after_close" },
      { from: "answers_after_close", to: "none" },
    ]);
  });
});
