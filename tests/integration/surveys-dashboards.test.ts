import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { manualClock } from "../../server/clock";
import { createUnit } from "../../server/organisations/service";
import { createAccount } from "../../server/accounts/service";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import type { Role } from "../../server/db/schema";

const fullAnswers = { nd1: "5", nd2: "4", gv1: "5", gv2: "4", tc1: "3", tc2: "4", vc1: "2", tg: "1", y1: "Bài giảng rất hay", y2: "" };

function viewerOf(personId: number | null, role: Role, unit: { id: number; path: string }, name = "Kiểm thử"): Viewer {
  return {
    userId: `test-${role}-${personId ?? unit.id}`,
    username: `test.${role}`,
    displayName: name,
    personId,
    mustChangePassword: false,
    sessionId: "s",
    roles: [{ role, orgUnitId: unit.id, orgPath: unit.path, orgName: "", readOnly: false }],
  };
}

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") || p.endsWith(".tsx") ? [p] : [];
  });
}

describe(`surveys, dashboards and the pipeline (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-11-22T09:00:00+07:00");
  let trainee: Viewer;
  let centre: Viewer;
  let otherCentre: Viewer;
  let committee: Viewer;
  let secretary: Viewer;
  let hd61ClassId: number;
  let surveyId: number;

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    trainee = (await loginAs(s, "hocvien")).viewer;
    centre = (await loginAs(s, "canbo.tanlap")).viewer;
    otherCentre = (await loginAs(s, "canbo.binhminh")).viewer;
    committee = (await loginAs(s, "bantuyengiao")).viewer;
    secretary = (await loginAs(s, "bithu")).viewer;
    hd61ClassId = (
      await t.db
        .selectFrom("training_class")
        .select("id")
        .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026")
        .executeTakeFirstOrThrow()
    ).id;
    surveyId = (
      await t.db
        .selectFrom("survey")
        .select("id")
        .where("class_id", "=", hd61ClassId)
        .where("kind", "=", "course")
        .executeTakeFirstOrThrow()
    ).id;
  }, 120_000);
  afterAll(() => t?.destroy());

  describe("anonymity", () => {
    it("keeps who answered apart from what was answered, in the schema", async () => {
      const cols = await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = current_schema() and table_name in ('survey_response', 'survey_answer', 'survey_participation', 'survey_stat', 'survey_pending')
        order by table_name, ordinal_position`.execute(t.db);
      const of = (table: string) => cols.rows.filter((c) => c.table_name === table);
      expect(of("survey_participation").map((c) => c.column_name)).toEqual(["survey_id", "person_id"]);
      for (const table of ["survey_response", "survey_answer", "survey_stat", "survey_pending"]) {
        for (const c of of(table)) {
          expect(c.column_name, `${table}.${c.column_name}`).not.toMatch(/person|user|account|actor|created|_at$|ip|device|session/);
          // A day is kept at most: no time of day that could be matched to a login or an audit row.
          expect(c.data_type, `${table}.${c.column_name}`).not.toMatch(/timestamp|time /);
        }
      }
      const responseId = of("survey_response").find((c) => c.column_name === "id");
      expect(responseId?.data_type).toBe("uuid"); // random, not a sequence that follows participation order
      const fks = await sql<{ table_name: string; foreign_table: string }>`
        select tc.table_name, ccu.table_name as foreign_table
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_name in ('survey_response', 'survey_answer', 'survey_stat', 'survey_pending')`.execute(
        t.db,
      );
      expect(fks.rows.map((r) => r.foreign_table).sort()).toEqual(["survey", "survey", "survey", "survey_response"]);
    });

    it("has no query that reads participation together with answers", () => {
      // Any statement (text between semicolons) of the application naming the participation
      // table must not also name the answer tables: there is no join path in the code.
      const offenders: string[] = [];
      for (const file of [...sources("server"), ...sources("app")]) {
        const text = readFileSync(file, "utf8");
        if (!text.includes("survey_participation")) continue;
        const statements = text.split(/;\s*\n/);
        for (const st of statements)
          if (
            st.includes("survey_participation") &&
            /survey_(response|answer)\b/.test(st) &&
            !/createTable|dropTable|for \(const t of/.test(st)
          )
            offenders.push(`${file}: ${st.trim().slice(0, 120)}`);
      }
      expect(offenders).toEqual([]);
    });

    it("records an answer without the person, once, and refuses bad input without changing anything", async () => {
      const before = await t.db.selectFrom("survey").select("responses").where("id", "=", surveyId).executeTakeFirstOrThrow();
      const bad = await s.surveys.submit(trainee, surveyId, { ...fullAnswers, gv1: "", nd2: "9" });
      expect(bad).toEqual({ ok: false, problems: ["Câu 2: lựa chọn không hợp lệ, hãy chọn lại.", "Câu 3: chưa chọn mức đánh giá."] });
      expect(await t.db.selectFrom("survey_participation").select("person_id").where("survey_id", "=", surveyId).execute()).toEqual([]);
      const auditBefore = await t.db
        .selectFrom("audit_log")
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow();

      expect(await s.surveys.submit(trainee, surveyId, fullAnswers)).toEqual({ ok: true });
      expect(await s.surveys.submit(trainee, surveyId, fullAnswers)).toEqual({
        ok: false,
        problems: ["Anh/chị đã gửi phiếu này rồi; mỗi học viên gửi một lần."],
      });
      // The answer waits sealed for a whole group (decision 017): the released count does not move.
      const after = await t.db.selectFrom("survey").select("responses").where("id", "=", surveyId).executeTakeFirstOrThrow();
      expect(after.responses).toBe(before.responses);
      expect(await t.db.selectFrom("survey_pending").select("survey_id").where("survey_id", "=", surveyId).execute()).toEqual([
        { survey_id: surveyId },
      ]);
      expect(await t.db.selectFrom("survey_participation").select("person_id").where("survey_id", "=", surveyId).execute()).toEqual([
        { person_id: trainee.personId },
      ]);
      // Nothing about the answer went to the audit log either (it would carry the actor and the time).
      const auditAfter = await t.db
        .selectFrom("audit_log")
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow();
      expect(auditAfter.n).toBe(auditBefore.n);
      const mine = await s.surveys.mine(trainee);
      expect(mine.find((m) => m.id === surveyId)?.answered).toBe(true);
    });

    it("hides results of groups below the minimum, comments included", async () => {
      const small = await t.db.selectFrom("survey").select("id").where("title", "like", "%Bình Minh 2026%").executeTakeFirstOrThrow();
      const r = await s.surveys.results(committee, small.id);
      expect(r.results).toEqual({ hidden: true, responses: 3, minGroup: 5 });
      expect(r.comments).toEqual([]);
      const shown = await s.surveys.results(centre, surveyId);
      expect(shown.results.hidden).toBe(false);
      // Raising the minimum above the count hides it again.
      expect(await s.surveys.updateSettings(centre, surveyId, { minGroup: 50, requiredForCertificate: true })).toEqual({ ok: true });
      expect((await s.surveys.results(centre, surveyId)).results.hidden).toBe(true);
      expect((await s.surveys.updateSettings(centre, surveyId, { minGroup: 2, requiredForCertificate: true })).ok).toBe(false);
      await s.surveys.updateSettings(centre, surveyId, { minGroup: 5, requiredForCertificate: true });
    });

    it("checks scope for results and settings", async () => {
      await expect(s.surveys.results(otherCentre, surveyId)).rejects.toMatchObject({ status: 403 });
      await expect(s.surveys.results(trainee, surveyId)).rejects.toMatchObject({ status: 403 });
      await expect(s.surveys.updateSettings(committee, surveyId, { minGroup: 5, requiredForCertificate: false })).rejects.toMatchObject({
        status: 403,
      });
      await expect(s.surveys.form(secretary, surveyId)).rejects.toMatchObject({ status: 403 });
    });

    it("gates the certificate on the survey when the class requires it", async () => {
      const other = await t.db
        .selectFrom("class_enrolment")
        .select("person_id")
        .where("class_id", "=", hd61ClassId)
        .where("person_id", "!=", trainee.personId!)
        .executeTakeFirstOrThrow();
      expect(await s.surveys.certificateGate(other.person_id, hd61ClassId)).toEqual({ allowed: false, surveyId });
      expect(await s.surveys.certificateGate(trainee.personId!, hd61ClassId)).toEqual({ allowed: true });
    });
  });

  describe("dashboards", () => {
    let root: { id: number; path: string };
    let board: Viewer;
    const people: number[] = [];
    let classA: number;
    let classB: number;
    let classC: number;
    let centreA: number;

    beforeAll(async () => {
      // A separate little province with figures computed by hand.
      const province = await createUnit(t.db, { parentId: null, kind: "province", name: "Tỉnh ủy Kiểm Thử", abbreviation: "TU" });
      const commune = await createUnit(t.db, { parentId: province.id, kind: "commune", name: "Đảng ủy xã Thử", abbreviation: "ĐU" });
      root = { id: province.id, path: province.path };
      board = viewerOf(null, "committee", root);
      centreA = (
        await t.db
          .insertInto("training_centre")
          .values({ org_unit_id: commune.id, name: "Trung tâm Chính trị xã Thử", abbreviation: "TTCT" })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      const mk = async (name: string, programme: string, starts: string, ends: string) =>
        (
          await t.db
            .insertInto("training_class")
            .values({ centre_id: centreA, programme_code: programme, name, starts_on: starts, ends_on: ends })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      classA = await mk("Lớp A", "hd61", "2026-02-02", "2026-02-06");
      classB = await mk("Lớp B", "hd60", "2026-08-03", "2026-08-11");
      classC = await mk("Lớp C", "hd60", "2026-11-16", "2026-11-20");
      for (let i = 0; i < 8; i++)
        people.push(
          (
            await t.db
              .insertInto("person")
              .values({ org_unit_id: commune.id, full_name: `Học viên ${i}` })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id,
        );
      const results: [number, number, number, string, boolean][] = [
        [classA, people[0]!, 9.5, "gioi", true],
        [classA, people[1]!, 8, "kha", true],
        [classA, people[2]!, 6, "trung_binh", true],
        [classA, people[3]!, 4, "khong_dat", false],
        [classB, people[4]!, 7, "kha", true],
        [classB, people[5]!, 10, "gioi", true],
      ];
      for (const [c, p, score, band, passed] of results) {
        await t.db.insertInto("class_enrolment").values({ class_id: c, person_id: p }).execute();
        await t.db.insertInto("class_result").values({ class_id: c, person_id: p, score, band, passed }).execute();
      }
      await t.db.insertInto("class_enrolment").values({ class_id: classA, person_id: people[6]! }).execute();
      await t.db.insertInto("dash_target").values({ org_unit_id: root.id, year: 2026, classes_planned: 3 }).execute();
      await s.dashboards.refreshClass(classA);
      await s.dashboards.refreshClass(classB);
      await s.dashboards.refreshClass(classC);
    });

    it("matches hand-computed totals, targets, groups and the trend", async () => {
      const o = await s.dashboards.overview(board, { year: 2026 });
      expect(o.totals).toEqual({
        classes: 3,
        held: 3, // ended on or before 22/11/2026
        enrolled: 7,
        assessed: 6,
        passed: 5,
        passRate: 0.833, // 5/6
        goodShare: 0.667, // gioi 2 + kha 2 of 6
        meanScore: 7.42, // (9.5+8+6+4+7+10)/6
        bands: { xuat_sac: 0, gioi: 2, kha: 2, trung_binh: 1, khong_dat: 1 },
        certificates: 0,
      });
      expect(o.targets).toEqual({
        classes: { actual: 3, planned: 3, met: true },
        pass: { actual: 83.3, target: 100, met: false },
        good: { actual: 66.7, target: 80, met: false },
      });
      expect(o.byProgramme.map((p) => [p.code, p.classes, p.passRate, p.goodShare])).toEqual(
        expect.arrayContaining([
          ["hd61", 1, 0.75, 0.5],
          ["hd60", 2, 1, 1],
        ]),
      );
      expect(o.trend.map((q) => [q.label, q.assessed, q.passRate])).toEqual([
        ["Quý I/2026", 4, 0.75],
        ["Quý III/2026", 2, 1],
        ["Quý IV/2026", 0, null],
      ]);
      const q1 = await s.dashboards.overview(board, { year: 2026, quarter: 1, programme: "hd61" });
      expect(q1.totals.assessed).toBe(4);
      expect(q1.targets.classes.planned).toBeNull(); // the annual plan is not split by quarter
      // The demo province is out of this committee's scope and vice versa.
      expect(o.classes.map((c) => c.name).sort()).toEqual(["Lớp A", "Lớp B", "Lớp C"]);
      const demo = await s.dashboards.overview(committee, { year: 2026 });
      expect(demo.classes.map((c) => c.name)).not.toContain("Lớp A");
    });

    it("is refused outside the dashboard roles", async () => {
      await expect(s.dashboards.overview(trainee, {})).rejects.toMatchObject({ status: 403 });
      await expect(s.dashboards.overview(secretary, {})).rejects.toMatchObject({ status: 403 });
      const c = await s.dashboards.overview(otherCentre, { year: 2026 });
      expect(c.classes.every((k) => k.centre === "Trung tâm Chính trị phường Bình Minh")).toBe(true);
    });

    it("updates from graded attempts and computes item health", async () => {
      const bank = await t.db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd60").executeTakeFirstOrThrow();
      const versions = await t.db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", "q.approved_version_id")
        .select(["v.id", "v.options", "q.lesson_position"])
        .where("q.bank_id", "=", bank.id)
        .where("v.type", "=", "single")
        .orderBy("v.id")
        .limit(2)
        .execute();
      const correct = (o: unknown) => (o as { fraction: number }[]).findIndex((x) => x.fraction > 0);
      const exam = await t.db
        .insertInto("exam")
        .values({
          class_id: classC,
          bank_id: bank.id,
          title: "Kiểm tra",
          opens_at: "2026-11-20T08:00:00+07:00",
          closes_at: "2026-11-20T10:00:00+07:00",
          duration_minutes: 30,
          blueprint: "[]",
          policy: JSON.stringify({
            scale: 10,
            passMark: 5,
            bands: [
              { code: "gioi", label: "Giỏi", min: 9 },
              { code: "kha", label: "Khá", min: 7 },
              { code: "trung_binh", label: "Trung bình", min: 5 },
              { code: "khong_dat", label: "Không đạt", min: 0 },
            ],
            partialCredit: "all_or_nothing",
          }),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // Person 6 answers both right, person 7 both wrong.
      for (const [i, p] of [people[6]!, people[7]!].entries()) {
        await t.db.insertInto("class_enrolment").values({ class_id: classC, person_id: p }).execute();
        const a = await t.db
          .insertInto("attempt")
          .values({
            exam_id: exam.id,
            person_id: p,
            seed: `s${i}`,
            status: "in_progress",
            started_at: "2026-11-20T08:00:00+07:00",
            deadline_at: "2026-11-20T08:30:00+07:00",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await t.db
          .insertInto("attempt_item")
          .values(
            versions.map((v, pos) => ({
              attempt_id: a.id,
              position: pos + 1,
              question_version_id: v.id,
              option_order: JSON.stringify([0, 1, 2, 3]),
              points: 1,
              chosen: JSON.stringify([i === 1 ? (correct(v.options) + 1) % 2 : correct(v.options)]),
            })),
          )
          .execute();
        await s.exams.forceSubmit(a.id);
      }
      await s.dashboards.settled();
      const o = await s.dashboards.overview(board, { year: 2026, quarter: 4 });
      expect(o.totals).toMatchObject({ assessed: 2, passed: 1, passRate: 0.5, meanScore: 5 }); // 10 and 0
      expect(o.weakItems).toEqual([]); // fewer than 5 answers per item: not shown as a trend
      const items = await t.db
        .selectFrom("dash_item_stats")
        .select(["question_version_id", "n", "earned", "points"])
        .where("class_id", "=", classC)
        .orderBy("question_version_id")
        .execute();
      expect(items.map((r) => [r.question_version_id, r.n, Number(r.earned), Number(r.points)])).toEqual([
        [versions[0]!.id, 2, 1, 2],
        [versions[1]!.id, 2, 1, 2],
      ]);
      // Idempotent: a second refresh does not count twice.
      await s.dashboards.refreshClass(classC);
      expect((await s.dashboards.overview(board, { year: 2026, quarter: 4 })).totals.assessed).toBe(2);
    });

    it("puts survey scores beside the class and exports xlsx and a Party-layout PDF", async () => {
      await createAccount(t.db, {
        username: "canbo.thu",
        password: "demo12345",
        displayName: "Cán bộ thử",
        roles: [{ role: "centre_admin", orgUnitId: root.id }],
      });
      const organiser = (await loginAs(s, "canbo.thu")).viewer;
      const survey = await s.surveys.attach(organiser, {
        classId: classA,
        templateId: (await s.surveys.templates(centre))[0]!.id,
        lecturerName: "Giảng viên Thử",
      });
      const likert = { nd1: "5", nd2: "5", gv1: "4", gv2: "4", tc1: "3", tc2: "3", vc1: "2", tg: "1" };
      for (const p of people.slice(0, 4)) {
        await t.db.updateTable("survey").set({ opens_on: "2026-02-06" }).where("id", "=", survey.id).execute();
        expect(await s.surveys.submit(viewerOf(p, "trainee", root), survey.id, likert)).toEqual({ ok: true });
      }
      let o = await s.dashboards.overview(board, { year: 2026 });
      expect(o.classes.find((c) => c.id === classA)?.survey).toBeNull(); // 4 answers < 5
      await s.surveys.submit(viewerOf(people[6]!, "trainee", root), survey.id, { ...likert, y1: "Rất bổ ích" });
      // Five sent: still sealed while the survey is open (fewer than twice the minimum wait).
      o = await s.dashboards.overview(board, { year: 2026 });
      expect(o.classes.find((c) => c.id === classA)?.survey).toBeNull();
      // Closing releases them as one group; the server's sweep does it (decision 017).
      expect(
        await s.surveys.updateSettings(organiser, survey.id, { minGroup: 5, requiredForCertificate: false, closesOn: "2026-02-20" }),
      ).toEqual({ ok: true });
      expect(await s.surveys.releaseDue()).toEqual([{ surveyId: survey.id, released: 5 }]);
      o = await s.dashboards.overview(board, { year: 2026 });
      expect(o.classes.find((c) => c.id === classA)?.survey).toEqual({
        responses: 5,
        mean: 3.71 /* (5+5+4+4+3+3+2)/7 */,
        sections: { content: 5, lecturer: 4, organisation: 3, facilities: 2 },
      });
      expect(o.surveySections.map((x) => x.mean)).toEqual([5, 4, 3, 2]);
      expect(o.lecturers).toEqual([{ name: "Giảng viên Thử", mean: 4, surveys: 1 }]);
      expect(o.comments).toEqual([{ survey: expect.stringContaining("Lớp A"), text: "Rất bổ ích", count: 1 }]);
      const x = await s.dashboards.exportXlsx(board, { year: 2026 });
      expect(Buffer.from(x.bytes.slice(0, 2)).toString()).toBe("PK");
      const pdf = await s.dashboards.reportPdf(board, { year: 2026 });
      expect(Buffer.from(pdf.pdf.slice(0, 5)).toString()).toBe("%PDF-");
    });
  });

  describe("party-development pipeline", () => {
    it("shows the cell's plan against what happened, person by person, with alerts by date", async () => {
      const o = await s.pipeline.overview(secretary, { year: 2026 });
      expect(o.unit.name).toBe("Chi bộ Trường THPT Tân Lập");
      const m = (group: string, key: string) => o.plan.find((g) => g.group === group)?.measures.find((x) => x.key === key);
      expect(m("Giáo viên", "candidates")).toMatchObject({ planned: [1, 1, 0, 0], actual: [0, 2, 0, 0] });
      expect(m("Giáo viên", "made_full")).toMatchObject({ actual: [0, 0, 1, 0] });
      expect(m("Học sinh", "sent_hd61")).toMatchObject({ planned: [2, 0, 0, 0], actual: [2, 0, 0, 0] });
      expect(m("Học sinh", "files_done")).toMatchObject({ actual: [0, 0, 1, 1] });
      expect(o.alerts.map((a) => [a.name, a.level])).toEqual([
        ["Lê Thị Hồng Nhung", "urgent"],
        ["Trịnh Thu Trang", "urgent"],
        ["Phạm Minh Tuấn", "urgent"],
        ["Hồ Văn Lâm", "warning"],
      ]);
      expect(o.alerts.find((a) => a.name === "Lê Thị Hồng Nhung")!.message).toBe(
        "Còn 28 ngày đến hạn 12 tháng dự bị (20/12/2026), chưa có giấy chứng nhận HD 60.",
      );
      expect(o.alerts.find((a) => a.name === "Trịnh Thu Trang")!.message).toBe(
        "Hồ sơ kết nạp đã hoàn thiện nhưng còn thiếu giấy chứng nhận HD 61.",
      );
      expect(o.alerts.find((a) => a.name === "Phạm Minh Tuấn")!.message).toBe(
        "Đã quá hạn 12 tháng dự bị (15/10/2026) mà chưa có giấy chứng nhận HD 60.",
      );
      const anh = o.people.find((p) => p.name === "Vũ Đức Anh")!;
      expect(anh.path.map((st) => st.on)).toEqual(["2024-10-01", "2025-05-20", "2025-07-01", "2025-12-12", "2026-07-01"]);
      // A month earlier, the 12-month mark of Phạm Minh Tuấn was still ahead.
      clock.set("2026-09-01T09:00:00+07:00");
      const earlier = await s.pipeline.overview(secretary, { year: 2026 });
      expect(earlier.alerts.find((a) => a.name === "Phạm Minh Tuấn")).toMatchObject({
        level: "warning",
        message: expect.stringMatching(/^Còn 44 ngày/),
      });
      expect(earlier.alerts.find((a) => a.name === "Lê Thị Hồng Nhung")).toBeUndefined();
      clock.set("2026-11-22T09:00:00+07:00");
    });

    it("keeps the pipeline to the cell and the boards above it", async () => {
      const kp3 = await t.db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ khu phố 3").executeTakeFirstOrThrow();
      await expect(s.pipeline.overview(secretary, { unitId: kp3.id })).rejects.toMatchObject({ status: 403 });
      await expect(s.pipeline.overview(trainee)).rejects.toMatchObject({ status: 403 });
      await expect(s.pipeline.overview(otherCentre)).rejects.toMatchObject({ status: 403 });
      const board = (await loginAs(s, "bantochuc")).viewer;
      const school = await t.db
        .selectFrom("org_unit")
        .select("id")
        .where("name", "=", "Chi bộ Trường THPT Tân Lập")
        .executeTakeFirstOrThrow();
      expect((await s.pipeline.overview(board, { unitId: school.id })).alerts.length).toBe(4);
    });

    it("saves targets and candidates with Vietnamese problems and an audit entry", async () => {
      const o = await s.pipeline.overview(secretary, { year: 2026 });
      const bad = await s.pipeline.saveTargets(secretary, o.unit.id, 2027, "Giáo viên", {
        candidates: [1, -1, 0, 0],
        sent_hd61: [0, 0, 0, 0],
        files_done: [0, 0, 0, 0],
        made_full: [0, 0, 0, 0],
      });
      expect(bad).toEqual({ ok: false, problems: ["Bồi dưỡng quần chúng ưu tú, quý 2: chỉ tiêu phải là số nguyên từ 0 đến 999."] });
      expect(await t.db.selectFrom("party_dev_target").select("year").where("year", "=", 2027).execute()).toEqual([]);
      expect(
        await s.pipeline.saveTargets(secretary, o.unit.id, 2027, "Giáo viên", {
          candidates: [1, 2, 0, 0],
          sent_hd61: [0, 1, 0, 0],
          files_done: [0, 0, 0, 0],
          made_full: [0, 0, 0, 0],
        }),
      ).toEqual({ ok: true });
      const p = (await s.pipeline.overview(secretary, { year: 2027 })).plan.find((g) => g.group === "Giáo viên")!;
      expect(p.measures[0]).toMatchObject({ planned: [1, 2, 0, 0], plannedTotal: 3 });
      const entry = await t.db
        .selectFrom("audit_log")
        .select(["action", "actor_id"])
        .where("action", "=", "pipeline.targets")
        .executeTakeFirst();
      expect(entry?.actor_id).toBe(secretary.userId);
      const addable = o.addable[0];
      if (addable) {
        expect(
          await s.pipeline.addCandidate(secretary, o.unit.id, { personId: addable.id, group: "Học sinh", nominatedOn: "31/02/2026" }),
        ).toEqual({ ok: false, problems: ["Ngày giới thiệu không hợp lệ; ghi theo dạng dd/mm/yyyy."] });
        expect(
          await s.pipeline.addCandidate(secretary, o.unit.id, { personId: addable.id, group: "Học sinh", nominatedOn: "01/11/2026" }),
        ).toEqual({ ok: true });
      }
    });
  });
});
