import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import { buildFixture, enrolled, NOW, sit, submitPaper, type Fixture } from "./figures-fixture";
import type { Services } from "../../server/services";

/** Issue 20, points 1–4 and 6: each scenario failed before its fix. */
describe(`figures a committee can trust (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let fx: Fixture;
  const clock = manualClock(NOW);
  const classRow = async (classId: number) =>
    (await s.dashboards.overview(fx.committee, { year: 2026 })).classes.find((c) => c.id === classId)!;

  beforeAll(async () => {
    t = await testDatabase();
    s = await testServices(t, clock);
    fx = await buildFixture(s, t, { classes: 4, trainees: 6, waiting: 0, tag: "Số Liệu" });
  }, 120_000);
  afterAll(() => t?.destroy());

  it("rates are over trainees with a result: those without one are neither assessed nor failed (point 1)", async () => {
    const { id, examId } = fx.classes[1]!;
    const people = await enrolled(t, id);
    await sit(s, t, fx, people[0]!, examId, "right");
    await sit(s, t, fx, people[1]!, examId, "right");
    await sit(s, t, fx, people[2]!, examId, "wrong");
    await s.classRecords.computeResults(fx.admin, id);
    await s.dashboards.refreshClass(id);
    // Three have a result (two passes, one re-sit); three never sat: "Chưa có kết quả".
    const outcomes = (await t.db.selectFrom("class_result").select("outcome").where("class_id", "=", id).execute())
      .map((r) => r.outcome)
      .sort();
    expect(outcomes).toEqual(["passed", "passed", "pending", "pending", "pending", "resit"]);
    expect(await classRow(id)).toMatchObject({
      enrolled: 6,
      assessed: 3,
      passed: 2,
      passRate: 0.667,
      goodShare: 0.667,
      bands: { gioi: 2, khong_dat: 1, kha: 0, trung_binh: 0, xuat_sac: 0 },
    });
  });

  it("refreshes the figures on every change that moves them, and says when they were computed (point 2)", async () => {
    const { id, examId } = fx.classes[2]!;
    const people = await enrolled(t, id);
    const first = await sit(s, t, fx, people[0]!, examId, "right");
    await sit(s, t, fx, people[1]!, examId, "right");
    // Graded attempts (before results are computed): already counted.
    expect(await classRow(id)).toMatchObject({ assessed: 2, passed: 2 });

    // Reopened by a proctor: that attempt no longer has a score.
    await s.proctoring.act(fx.admin, examId, { type: "reopen", attemptId: first, minutes: 10, reason: "Mất điện giữa giờ" }, new Map());
    expect(await classRow(id)).toMatchObject({ assessed: 1, passed: 1 });
    await submitPaper(s, fx.trainee(people[0]!), first);
    expect(await classRow(id)).toMatchObject({ assessed: 2, passed: 2 });

    // Results computed: a serious breach withholds one; no explicit refresh.
    await s.classRecords.addConduct(fx.admin, {
      classId: id,
      personId: people[1]!,
      severity: "serious",
      description: "Sử dụng tài liệu trái phép",
    });
    await s.classRecords.computeResults(fx.admin, id);
    expect(await classRow(id)).toMatchObject({ assessed: 2, passed: 1 });

    // Certificates issued, then one revoked.
    await s.classRecords.issueForClass(fx.admin, id, "2026-06-10");
    expect(await classRow(id)).toMatchObject({ certificates: 1 });
    const cert = await t.db.selectFrom("certificate").select("id").where("class_id", "=", id).executeTakeFirstOrThrow();
    await s.classRecords.revoke(fx.admin, cert.id, "Cấp nhầm người");
    expect(await classRow(id)).toMatchObject({ certificates: 0 });

    // A key corrected: item health follows even where no score changes.
    const item = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("attempt as a", "a.id", "i.attempt_id")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.question_version_id", "v.options"])
      .where("a.id", "=", first)
      .where("i.position", "=", 1)
      .executeTakeFirstOrThrow();
    const options = item.options as unknown as { fraction: number }[];
    const wrong = options.findIndex((o) => o.fraction <= 0);
    const earned = async () =>
      Number(
        (
          await t.db
            .selectFrom("dash_item_stats")
            .select("earned")
            .where("class_id", "=", id)
            .where("question_version_id", "=", item.question_version_id)
            .executeTakeFirstOrThrow()
        ).earned,
      );
    expect(await earned()).toBeGreaterThan(0);
    await s.exams.regradeApply(fx.admin, examId, item.question_version_id, [wrong], "Sửa đáp án theo văn bản mới");
    expect(await earned()).toBe(0);

    // Closing a survey refreshes the class too; the dashboard says when.
    const before = (await t.db.selectFrom("dash_class_stats").select("refreshed_at").where("class_id", "=", id).executeTakeFirstOrThrow())
      .refreshed_at;
    await new Promise((r) => setTimeout(r, 5));
    await s.surveys.updateSettings(fx.admin, fx.classes[2]!.surveyId, {
      minGroup: 3,
      requiredForCertificate: false,
      closesOn: "2026-06-09",
    });
    const after = (await t.db.selectFrom("dash_class_stats").select("refreshed_at").where("class_id", "=", id).executeTakeFirstOrThrow())
      .refreshed_at;
    expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime());
    const o = await s.dashboards.overview(fx.committee, { year: 2026 });
    expect(o.computedAt).toBeInstanceOf(Date);
    expect(o.computedAt!.getTime()).toBe(
      Math.max(
        ...(
          await t.db
            .selectFrom("dash_class_stats")
            .select("refreshed_at")
            .where(
              "org_path",
              "like",
              `${(await t.db.selectFrom("org_unit").select("path").where("id", "=", fx.provinceId).executeTakeFirstOrThrow()).path}%`,
            )
            .execute()
        ).map((r) => new Date(r.refreshed_at).getTime()),
      ),
    );
  });

  it("counts trainees, not attempts, on an exam's results page and its .xlsx (point 3)", async () => {
    const { id, examId } = fx.classes[3]!;
    const people = await enrolled(t, id);
    // One trainee sits twice (0 then 10), another once (10); four never sit.
    const a1 = await sit(s, t, fx, people[0]!, examId, "wrong");
    const a2 = await sit(s, t, fx, people[0]!, examId, "right");
    await sit(s, t, fx, people[1]!, examId, "right");
    const r = await s.exams.results(fx.admin, examId);
    expect(r.summary).toMatchObject({ enrolled: 6, submitted: 2, graded: 2, passRate: 1, mean: 10, awaitingGrading: 0 });
    expect(r.summary.distribution.reduce((a, b) => a + b, 0)).toBe(2);
    expect(r.trainees).toHaveLength(6);
    expect(new Set(r.trainees.map((x) => x.personId)).size).toBe(6);
    const twice = r.trainees.find((x) => x.personId === people[0])!;
    expect(twice).toMatchObject({ attemptId: a2, attemptNo: 2, score: 10, attempts: 2 });
    expect(twice.others).toEqual([expect.objectContaining({ attemptId: a1, attemptNo: 1, score: 0, passed: false })]);
    // Item analysis over the counted attempts: two papers of five items.
    expect(r.items.reduce((n, i) => n + i.n, 0)).toBe(10);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from((await s.exams.resultsXlsx(fx.admin, examId)).bytes) as unknown as ArrayBuffer);
    const main = wb.getWorksheet("Kết quả")!;
    const names: string[] = [];
    main.eachRow((row, n) => {
      if (n > 4) names.push(String(row.getCell(2).value));
    });
    expect(names).toHaveLength(6);
    expect(new Set(names).size).toBe(6);
    const all = wb.getWorksheet("Các lần làm bài")!;
    const attempts: [string, number, string][] = [];
    all.eachRow((row, n) => {
      if (n > 1) attempts.push([String(row.getCell(1).value), Number(row.getCell(2).value), String(row.getCell(7).value ?? "")]);
    });
    expect(attempts).toHaveLength(3);
    expect(attempts.filter((a) => a[2] === "Được tính")).toHaveLength(2);
  });

  it("classifies each trainee once: a withheld pass is Không đạt only, never khá/giỏi (point 4)", async () => {
    const { id } = fx.classes[2]!; // from point 2: one pass (giỏi), one withheld with a giỏi score
    const c = await classRow(id);
    const bandSum = Object.values(c.bands).reduce((a, b) => a + b, 0);
    expect(bandSum).toBe(c.assessed);
    expect(c.bands).toMatchObject({ gioi: 1, khong_dat: 1 });
    expect(c.goodShare).toBe(0.5);
    const o = await s.dashboards.overview(fx.committee, { year: 2026 });
    expect(Object.values(o.totals.bands).reduce((a, b) => a + b, 0)).toBe(o.totals.assessed);
  });

  it("the lecturer table follows the year filter (point 6)", async () => {
    // A 2025 class whose survey (3 answers, enough to show) names another lecturer.
    const old = (
      await t.db
        .insertInto("training_class")
        .values({ centre_id: fx.centreId, programme_code: "hd61", name: "Lớp 2025", starts_on: "2025-05-05", ends_on: "2025-05-09" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const cellId = (await t.db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ thôn Số Liệu").executeTakeFirstOrThrow()).id;
    const templateId = (await s.surveys.templates(fx.admin)).find((x) => x.kind === "course")!.id;
    const survey = await s.surveys.attach(fx.admin, {
      classId: old,
      templateId,
      lecturerName: "Giảng viên năm trước",
      minGroup: 3,
      opensOn: "2025-05-09",
    });
    for (let i = 0; i < 3; i++) {
      const p = (
        await t.db
          .insertInto("person")
          .values({ org_unit_id: cellId, full_name: `Học viên cũ ${i}` })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      await t.db.insertInto("class_enrolment").values({ class_id: old, person_id: p }).execute();
      expect(
        await s.surveys.submit(fx.trainee(p), survey.id, {
          nd1: "5",
          nd2: "4",
          gv1: "5",
          gv2: "4",
          tc1: "3",
          tc2: "4",
          vc1: "2",
          tg: "1",
          y1: "",
          y2: "",
        }),
      ).toEqual({ ok: true });
    }
    // Anonymous answers wait sealed until a whole group is released (decision 017): close
    // the survey, then release, as the server's release job does.
    expect(
      await s.surveys.updateSettings(fx.admin, survey.id, { minGroup: 3, requiredForCertificate: false, closesOn: "2025-05-16" }),
    ).toMatchObject({ ok: true });
    await s.surveys.releaseDue();
    await s.dashboards.refreshClass(old);
    const names = async (year: number) => (await s.dashboards.overview(fx.committee, { year })).lecturers.map((l) => l.name);
    expect(await names(2025)).toEqual(["Giảng viên năm trước"]);
    expect(await names(2026)).not.toContain("Giảng viên năm trước");
  });
});
