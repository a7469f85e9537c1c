import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";

/**
 * Issue 13, item 2: the lesson self-check must not hand out the exam key. The server
 * keeps each draw, grades only that draw's items, once; exam-only items never reach a
 * self-check, practice-only items never reach a paper; no self-check during an exam.
 */
describe(`self-check integrity and question use (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let trainee: Viewer;
  let lessonId: number;
  let classId: number;
  /** Approved objective versions of HD 61 lesson 1, and the split made in beforeAll. */
  let lessonVersions: number[];
  let practiceOnly: Set<number>;
  let examOnly: Set<number>;

  const drawnItems = async (viewer: Viewer) =>
    (
      await t.db
        .selectFrom("self_check_draw")
        .select("items")
        .where("user_id", "=", viewer.userId)
        .where("lesson_id", "=", lessonId)
        .executeTakeFirstOrThrow()
    ).items as unknown as number[];
  const keyOf = async (versionId: number) => {
    const v = await t.db.selectFrom("question_version").select("options").where("id", "=", versionId).executeTakeFirstOrThrow();
    return (v.options as unknown as { fraction: number }[]).flatMap((o, i) => (o.fraction > 0 ? [i] : []));
  };

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    trainee = (await loginAs(s, "hocvien")).viewer;
    lessonId = (
      await t.db.selectFrom("lesson").select("id").where("programme_code", "=", "hd61").where("position", "=", 1).executeTakeFirstOrThrow()
    ).id;
    classId = (await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow()).id;
    const rows = await t.db
      .selectFrom("question as q")
      .innerJoin("question_bank as b", "b.id", "q.bank_id")
      .innerJoin("question_version as v", "v.id", "q.approved_version_id")
      .select(["v.id", "v.level"])
      .where("b.programme_code", "=", "hd61")
      .where("q.lesson_position", "=", 1)
      .where("q.status", "=", "approved")
      .where("v.type", "in", ["single", "multiple", "true_false"])
      .orderBy("v.id")
      .execute();
    lessonVersions = rows.map((r) => r.id);
    expect(lessonVersions.length).toBeGreaterThan(12);
    // The committee keeps most of lesson 1 for exams: three items are practice-only,
    // every "nhận biết" item left is exam-only, the rest stay "both".
    const practice = lessonVersions.slice(0, 3);
    const exam = rows.filter((r) => !practice.includes(r.id) && r.level === "nhan_biet").map((r) => r.id);
    await t.db.updateTable("question_version").set({ use: "practice" }).where("id", "in", practice).execute();
    await t.db.updateTable("question_version").set({ use: "exam" }).where("id", "in", exam).execute();
    practiceOnly = new Set(practice);
    examOnly = new Set(exam);
    expect(examOnly.size).toBeGreaterThan(1);
  });
  afterAll(() => t.destroy());

  it("grades only the items of the draw: ids not drawn reveal nothing", async () => {
    const drawn = await s.questions.selfCheck(trainee, lessonId, 5);
    expect(drawn.questions).toHaveLength(5);
    expect(drawn.questions.map((q) => q.id)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(drawn)).not.toMatch(/fraction|correct|explanation/);
    const items = await drawnItems(trainee);
    // The attack of the report: every version id of the lesson, plus numbers beyond the draw.
    const attack: Record<string, number[]> = { "2": [0] };
    for (const id of lessonVersions) attack[String(id)] = [0];
    for (let n = 6; n <= 60; n++) attack[String(n)] = [0];
    const results = await s.questions.checkSelf(trainee, lessonId, drawn.draw!, attack);
    // Only item 2 of the draw was answered, so only its key comes back.
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: 2, correctOptions: await keyOf(items[1]!) });
  });

  it("a lesson id that is not a number or out of range is 404, not a server error", async () => {
    for (const bad of [Number.NaN, 0, 2 ** 31, 1.5])
      await expect(s.questions.selfCheck(trainee, bad, 5)).rejects.toMatchObject({ status: 404 });
  });

  it("grades a draw once; a replaced draw cannot be graded either", async () => {
    const first = await s.questions.selfCheck(trainee, lessonId, 5);
    const answers = Object.fromEntries(first.questions.map((q) => [String(q.id), [0]]));
    expect(await s.questions.checkSelf(trainee, lessonId, first.draw!, answers)).toHaveLength(5);
    await expect(s.questions.checkSelf(trainee, lessonId, first.draw!, answers)).rejects.toMatchObject({
      status: 409,
      message: /đã được chấm/,
    });
    // Two concurrent gradings of one draw: exactly one wins.
    const second = await s.questions.selfCheck(trainee, lessonId, 5);
    const both = await Promise.allSettled([
      s.questions.checkSelf(trainee, lessonId, second.draw!, answers),
      s.questions.checkSelf(trainee, lessonId, second.draw!, answers),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // An ungraded draw replaced by a newer one is dead.
    const stale = await s.questions.selfCheck(trainee, lessonId, 5);
    await s.questions.selfCheck(trainee, lessonId, 5);
    await expect(s.questions.checkSelf(trainee, lessonId, stale.draw!, answers)).rejects.toMatchObject({
      status: 409,
      message: /không còn hiệu lực/,
    });
    // Another trainee's draw token is worthless to this one.
    const other = (await loginAs(s, "giangvien")).viewer;
    await expect(s.questions.checkSelf(other, lessonId, stale.draw!, answers)).rejects.toMatchObject({ status: expect.any(Number) });
  });

  it("many draws reveal keys only of drawn practice items, never of exam-only items", async () => {
    // With at most 20 practice items every draw of 20 holds all of them: the final count is exact.
    expect(lessonVersions.length - examOnly.size).toBeLessThanOrEqual(20);
    const revealed = new Map<number, number[]>();
    let drawnTotal = 0;
    for (let round = 0; round < 25; round++) {
      const d = await s.questions.selfCheck(trainee, lessonId, 20);
      const items = await drawnItems(trainee);
      expect(d.questions).toHaveLength(items.length);
      drawnTotal += items.length;
      for (const v of items) expect(examOnly.has(v)).toBe(false);
      const answers = Object.fromEntries(d.questions.map((q) => [String(q.id), [0]]));
      for (const v of lessonVersions) answers[String(v)] = [0];
      const results = await s.questions.checkSelf(trainee, lessonId, d.draw!, answers);
      expect(results.length).toBe(items.length);
      for (const r of results) {
        const versionId = items[r.id - 1]!;
        expect(r.correctOptions).toEqual(await keyOf(versionId));
        revealed.set(versionId, r.correctOptions);
      }
    }
    expect(drawnTotal).toBeGreaterThan(0);
    for (const v of revealed.keys()) expect(examOnly.has(v)).toBe(false);
    expect(revealed.size).toBe(lessonVersions.length - examOnly.size);
  });

  it("keeps practice-only items out of exam papers, and counts only exam items when checking a blueprint", async () => {
    const admin = (await loginAs(s, "canbo.tanlap")).viewer;
    const inWindow = {
      classId,
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 45,
    };
    const practiceNhanBiet = await t.db
      .selectFrom("question_version")
      .select("id")
      .where("id", "in", [...practiceOnly])
      .where("level", "=", "nhan_biet")
      .execute();
    const examNhanBiet = examOnly.size;
    const bothNhanBiet = 0; // every nhận biết item of lesson 1 is practice- or exam-only here
    // Asking for more than the exam items: the shortage counts exam/both items only.
    await expect(
      s.exams.createExam(admin, {
        ...inWindow,
        title: "Thiếu câu",
        blueprint: [{ lesson: 1, level: "nhan_biet", count: examNhanBiet + practiceNhanBiet.length, points: 1 }],
      }),
    ).rejects.toThrow(
      new RegExp(`dùng cho thi.*Bài 1, mức nhận biết cần ${examNhanBiet + practiceNhanBiet.length}, có ${examNhanBiet + bothNhanBiet}`),
    );
    const cells = (["nhan_biet", "thong_hieu", "van_dung"] as const).map((level) => ({ lesson: 1, level, count: 1, points: 1 }));
    const examId = await s.exams.createExam(admin, {
      ...inWindow,
      title: "Kiểm tra bài 1",
      blueprint: [{ lesson: 1, level: "nhan_biet", count: examNhanBiet, points: 1 }, ...cells.slice(1)],
    });
    await s.exams.generatePapers(admin, examId);
    const served = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("attempt as a", "a.id", "i.attempt_id")
      .select("i.question_version_id")
      .where("a.exam_id", "=", examId)
      .execute();
    expect(served.length).toBeGreaterThan(0);
    for (const r of served) expect(practiceOnly.has(r.question_version_id)).toBe(false);
    // Every exam-only nhận biết item is on every paper (the cell asks for all of them).
    const ids = new Set(served.map((r) => r.question_version_id));
    for (const v of examOnly) expect(ids.has(v)).toBe(true);
    // A practice exam (many attempts, key often shown on review) counts practice/both items only.
    await expect(
      s.exams.createExam(admin, {
        ...inWindow,
        kind: "practice",
        title: "Luyện tập",
        blueprint: [{ lesson: 1, level: "nhan_biet", count: examNhanBiet, points: 1 }],
      }),
    ).rejects.toThrow(new RegExp(`dùng cho ôn tập.*Bài 1, mức nhận biết cần ${examNhanBiet}, có ${practiceNhanBiet.length}`));
  });

  it("refuses a self-check, drawing or grading, while the trainee has an exam attempt in progress", async () => {
    const before = await s.questions.selfCheck(trainee, lessonId, 5);
    const exam = await t.db
      .selectFrom("exam")
      .select("id")
      .where("class_id", "=", classId)
      .where("title", "=", "Kiểm tra bài 1")
      .executeTakeFirstOrThrow();
    clock.set("2026-03-13T08:05:00+07:00");
    const { deviceToken } = await s.exams.start(trainee, exam.id, { deviceId: "phone-1" });
    await expect(s.questions.selfCheck(trainee, lessonId, 5)).rejects.toMatchObject({ status: 409, message: /đang làm một bài kiểm tra/ });
    await expect(s.questions.checkSelf(trainee, lessonId, before.draw!, { "1": [0] })).rejects.toMatchObject({
      status: 409,
      message: /đang làm một bài kiểm tra/,
    });
    const attempt = await t.db
      .selectFrom("attempt")
      .select("id")
      .where("exam_id", "=", exam.id)
      .where("person_id", "=", trainee.personId!)
      .executeTakeFirstOrThrow();
    await s.exams.submit(trainee, attempt.id, deviceToken);
    // After submitting, the draw made before the exam is still the trainee's to grade.
    expect(await s.questions.checkSelf(trainee, lessonId, before.draw!, { "1": [0] })).toHaveLength(1);
  });

  it("a question's use is set in the lecturer's form, makes a new version and travels with it", async () => {
    const lecturer = (await loginAs(s, "giangvien")).viewer;
    const bank = await s.banks.bankByCode("hd61");
    const input = {
      type: "single" as const,
      level: "nhan_biet" as const,
      lesson: 2,
      stem: "Câu hỏi chỉ dùng để thi thử nghiệm?",
      options: [
        { text: "Có", fraction: 1 },
        { text: "Không", fraction: 0 },
      ],
      explanation: null,
      source: "Điều lệ Đảng",
      use: "exam" as const,
    };
    const saved = await s.banks.save(lecturer, bank.id, input);
    if (!saved.ok) throw new Error(saved.errors.join());
    const listed = await s.banks.list(lecturer, bank.id, { use: "exam", lesson: 2 });
    expect(listed.map((q) => q.id)).toContain(saved.id);
    expect(listed.find((q) => q.id === saved.id)!.use).toBe("exam");
    // The committee approves; an edit of the use alone then makes a new version.
    await s.banks.submit(lecturer, [saved.id]);
    await s.banks.review((await loginAs(s, "bantuyengiao")).viewer, [saved.id], { approve: true });
    await s.banks.save(lecturer, bank.id, { ...input, use: "both" }, saved.id);
    const item = await s.banks.get(lecturer, saved.id);
    expect(item.versions.map((v) => v.use)).toEqual(["both", "exam"]);
    expect(item.question.approved_version_id).toBe(item.versions[1]!.id); // the approved (exam) one stays in use
  });
});
