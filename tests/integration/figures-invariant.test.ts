import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { manualClock } from "../../server/clock";
import { seededRandom } from "../../server/rules/random";
import { parseRubric } from "../../server/exams/rubric";
import { countResults } from "../../server/classes/official-documents";
import { testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import { answerAll, buildFixture, startPaper, submitPaper, NOW, YEAR, type Fixture } from "./figures-fixture";
import type { Services } from "../../server/services";

/**
 * The invariant test (issue 20): a seeded sequence of random actions through the real
 * services, and after every step every figure the dashboard, the exam results pages, the
 * class results, the exports and the class report show, recomputed here straight from
 * the base tables by the written definitions ("Figure definitions" in
 * docs/surveys-and-dashboards.md), independently of the product's code. A difference
 * fails naming the seed, the step and the action. FIGURES_SEED and FIGURES_STEPS
 * reproduce or lengthen a run.
 */
const SEED = process.env.FIGURES_SEED ?? String(Date.now() % 1_000_000);
const STEPS = Number(process.env.FIGURES_STEPS ?? 300);
/** Exports are parsed every so many steps (and after the last), to keep the run short. */
const EXPORT_EVERY = 30;

const GOOD = new Set(["xuat_sac", "gioi", "kha"]);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe(`figures invariant (${TEST_DB}, seed ${SEED}, ${STEPS} steps)`, () => {
  let t: TestDatabase;
  let s: Services;
  let fx: Fixture;
  const clock = manualClock(NOW);

  beforeAll(async () => {
    const t0 = Date.now();
    t = await testDatabase();
    s = await testServices(t, clock);
    if (process.env.FIGURES_PROFILE) console.log(`database ${Date.now() - t0} ms`);
    fx = await buildFixture(s, t, { classes: 3, trainees: 6, waiting: 8, tag: "Bất Biến" });
    if (process.env.FIGURES_PROFILE) console.log(`fixture ${Date.now() - t0} ms`);
  }, 120_000);
  afterAll(() => t?.destroy());

  /** Every figure, recomputed from the base tables. */
  async function expected() {
    const classIds = fx.classes.map((c) => c.id);
    const examIds = fx.classes.map((c) => c.examId);
    const enrol = await t.db.selectFrom("class_enrolment").select(["class_id", "person_id"]).where("class_id", "in", classIds).execute();
    const exams = await t.db.selectFrom("exam").select(["id", "class_id", "kind", "policy"]).where("id", "in", examIds).execute();
    const attempts = await t.db
      .selectFrom("attempt")
      .select(["id", "exam_id", "person_id", "attempt_no", "status", "score", "band", "passed"])
      .where("exam_id", "in", examIds)
      .execute();
    const results = await t.db.selectFrom("class_result").selectAll().where("class_id", "in", classIds).execute();
    const certs = await t.db.selectFrom("certificate").select(["class_id", "status"]).where("class_id", "in", classIds).execute();

    // The counted attempt of a trainee at a test: the highest final score, the earlier attempt on a tie.
    const final = (a: (typeof attempts)[number]) => a.status === "submitted" && a.score !== null;
    const counted = new Map<string, (typeof attempts)[number]>();
    for (const a of [...attempts].sort((x, y) => x.attempt_no - y.attempt_no)) {
      if (!final(a)) continue;
      const k = `${a.exam_id}:${a.person_id}`;
      const best = counted.get(k);
      if (!best || Number(a.score) > Number(best.score)) counted.set(k, a);
    }
    const examOf = new Map(exams.map((e) => [e.id, e]));

    const perClass = classIds.map((classId) => {
      const people = enrol.filter((e) => e.class_id === classId).map((e) => e.person_id);
      const rows = results.filter((r) => r.class_id === classId);
      // Assessed: once results are computed, trainees whose result is anything but "Chưa có
      // kết quả"; before, trainees with a final official attempt (best one).
      const assessed: { score: number | null; band: string | null; passed: boolean }[] = rows.length
        ? rows
            .filter((r) => r.outcome !== "pending" || r.score !== null)
            .map((r) => ({ score: r.score === null ? null : Number(r.score), band: r.band, passed: r.passed }))
        : people.flatMap((p) => {
            const mine = [...counted.values()].filter(
              (a) => a.person_id === p && examOf.get(a.exam_id)!.class_id === classId && examOf.get(a.exam_id)!.kind === "official",
            );
            if (!mine.length) return [];
            const best = mine.reduce((x, y) => (Number(y.score) > Number(x.score) ? y : x));
            return [{ score: Number(best.score), band: best.band, passed: !!best.passed }];
          });
      const passed = assessed.filter((a) => a.passed);
      const bands = { xuat_sac: 0, gioi: 0, kha: 0, trung_binh: 0, khong_dat: 0 };
      for (const a of assessed) {
        const b = !a.passed ? "khong_dat" : GOOD.has(a.band ?? "") ? (a.band as "gioi") : "trung_binh";
        bands[b]++;
      }
      const scored = assessed.filter((a) => a.score !== null);
      return {
        classId,
        enrolled: people.length,
        assessed: assessed.length,
        passed: passed.length,
        good: passed.filter((a) => GOOD.has(a.band ?? "")).length,
        bands,
        scored: scored.length,
        scoreSum: round(
          scored.reduce((x, a) => x + a.score!, 0),
          6,
        ),
        certificates: certs.filter((c) => c.class_id === classId && c.status === "valid").length,
        people,
        results: rows,
      };
    });

    // Item health: each trainee's counted attempt per test, earned by the (corrected) key or the essay grade.
    const countedIds = [...counted.values()].map((a) => a.id);
    const items = countedIds.length
      ? await t.db
          .selectFrom("attempt_item as i")
          .innerJoin("attempt as a", "a.id", "i.attempt_id")
          .innerJoin("exam as e", "e.id", "a.exam_id")
          .innerJoin("question_version as v", "v.id", "i.question_version_id")
          .select([
            "e.id as exam_id",
            "e.class_id",
            "i.question_version_id",
            "i.points",
            "i.chosen",
            "i.essay_score",
            "v.type",
            "v.options",
          ])
          .where("i.attempt_id", "in", countedIds)
          .execute()
      : [];
    const corrections = await t.db
      .selectFrom("key_correction")
      .select(["id", "exam_id", "question_version_id", "options"])
      .where("exam_id", "in", examIds)
      .orderBy("id")
      .execute();
    const keyOf = (examId: number, versionId: number, fallback: unknown) => {
      const c = corrections.filter((k) => k.exam_id === examId && k.question_version_id === versionId).pop();
      return ((c?.options ?? fallback) as { fraction: number }[]).map((o, i) => (o.fraction > 0 ? i : -1)).filter((i) => i >= 0);
    };
    const itemStats = new Map<string, { n: number; earned: number; points: number }>();
    for (const it of items) {
      const k = `${it.class_id}:${it.question_version_id}`;
      const st = itemStats.get(k) ?? { n: 0, earned: 0, points: 0 };
      const chosen = [...((it.chosen as number[] | null) ?? [])].sort((a, b) => a - b);
      const right = keyOf(it.exam_id, it.question_version_id, it.options);
      const earned =
        it.type === "essay" ? Number(it.essay_score ?? 0) : JSON.stringify(chosen) === JSON.stringify(right) ? Number(it.points) : 0;
      st.n++;
      st.earned = round(st.earned + earned, 6);
      st.points = round(st.points + Number(it.points), 6);
      itemStats.set(k, st);
    }

    // Each exam's results page: trainees of the class, the counted attempt each, the others listed.
    const perExam = exams.map((e) => {
      const people = enrol.filter((x) => x.class_id === e.class_id).map((x) => x.person_id);
      const handed = attempts.filter(
        (a) => a.exam_id === e.id && people.includes(a.person_id) && (a.status === "submitted" || a.status === "awaiting_grading"),
      );
      const graded = people.map((p) => counted.get(`${e.id}:${p}`)).filter((a): a is NonNullable<typeof a> => !!a);
      const policy = e.policy as { bands: { code: string }[] };
      return {
        examId: e.id,
        enrolled: people.length,
        submitted: new Set(handed.map((a) => a.person_id)).size,
        graded: graded.length,
        awaitingGrading: handed.filter((a) => a.status === "awaiting_grading").length,
        passRate: graded.length ? graded.filter((a) => a.passed).length / graded.length : null,
        mean: graded.length ? round(graded.reduce((x, a) => x + Number(a.score), 0) / graded.length, 2) : null,
        bandCounts: Object.fromEntries(policy.bands.map((b) => [b.code, graded.filter((a) => a.band === b.code).length])),
        counted: Object.fromEntries(people.map((p) => [p, counted.get(`${e.id}:${p}`)?.id ?? null])),
        handedIds: Object.fromEntries(
          people.map((p) => [
            p,
            handed
              .filter((a) => a.person_id === p)
              .map((a) => a.id)
              .sort((x, y) => x - y),
          ]),
        ),
        handedCount: handed.length,
      };
    });

    // Surveys: counters against the anonymous answers.
    const surveys = await sql<{ id: number; class_id: number; responses: number; min_group: number; counted: number }>`
      select s.id, s.class_id, s.responses, s.min_group, (select count(*)::int from survey_response r where r.survey_id = s.id) as counted
      from survey s where s.class_id = any(${sql.val(classIds)}::int[])`.execute(t.db);
    const stats = await sql<{ survey_id: number; question_key: string; value: number; n: number; direct: number }>`
      select st.survey_id, st.question_key, st.value, st.n,
             (select count(*)::int from survey_answer a join survey_response r on r.id = a.response_id
              where r.survey_id = st.survey_id and a.question_key = st.question_key and a.value = st.value) as direct
      from survey_stat st join survey s on s.id = st.survey_id where s.class_id = any(${sql.val(classIds)}::int[])`.execute(t.db);
    const answerTotal = await sql<{ n: number }>`
      select count(*)::int as n from survey_answer a join survey_response r on r.id = a.response_id join survey s on s.id = r.survey_id
      where s.class_id = any(${sql.val(classIds)}::int[]) and a.value is not null`.execute(t.db);

    return { perClass, itemStats, perExam, surveys: surveys.rows, stats: stats.rows, answerTotal: Number(answerTotal.rows[0]!.n) };
  }

  async function check(step: number, what: string, exports: boolean) {
    await s.dashboards.settled();
    const e = await expected();
    const at = (figure: string) => `seed ${SEED}, step ${step} (${what}): ${figure}`;

    // Dashboard: per class, in total, and the item health table.
    const o = await s.dashboards.overview(fx.committee, { year: YEAR });
    for (const c of e.perClass) {
      const row = o.classes.find((r) => r.id === c.classId);
      expect(row, at(`class ${c.classId} on the dashboard`)).toBeDefined();
      expect(
        {
          enrolled: row!.enrolled,
          assessed: row!.assessed,
          passed: row!.passed,
          bands: row!.bands,
          certificates: row!.certificates,
          passRate: row!.passRate,
          goodShare: row!.goodShare,
          meanScore: row!.meanScore,
        },
        at(`dashboard figures of class ${c.classId}`),
      ).toEqual({
        enrolled: c.enrolled,
        assessed: c.assessed,
        passed: c.passed,
        bands: c.bands,
        certificates: c.certificates,
        passRate: c.assessed ? round(c.passed / c.assessed, 3) : null,
        goodShare: c.assessed ? round(c.good / c.assessed, 3) : null,
        meanScore: c.scored ? round(c.scoreSum / c.scored, 2) : null,
      });
    }
    const sum = (f: (c: (typeof e.perClass)[number]) => number) => e.perClass.reduce((x, c) => x + f(c), 0);
    const assessed = sum((c) => c.assessed);
    expect(
      {
        enrolled: o.totals.enrolled,
        assessed: o.totals.assessed,
        passed: o.totals.passed,
        goodShare: o.totals.goodShare,
        certificates: o.totals.certificates,
      },
      at("dashboard totals"),
    ).toEqual({
      enrolled: sum((c) => c.enrolled),
      assessed,
      passed: sum((c) => c.passed),
      goodShare: assessed ? round(sum((c) => c.good) / assessed, 3) : null,
      certificates: sum((c) => c.certificates),
    });
    expect(
      Object.values(o.totals.bands).reduce((a, b) => a + b, 0),
      at("band chart adds up to the assessed"),
    ).toBe(assessed);
    const dashItems = await t.db
      .selectFrom("dash_item_stats")
      .select(["class_id", "question_version_id", "n", "earned", "points"])
      .where(
        "class_id",
        "in",
        fx.classes.map((c) => c.id),
      )
      .execute();
    expect(
      Object.fromEntries(
        dashItems.map((r) => [
          `${r.class_id}:${r.question_version_id}`,
          { n: r.n, earned: round(Number(r.earned), 6), points: round(Number(r.points), 6) },
        ]),
      ),
      at("item health"),
    ).toEqual(Object.fromEntries(e.itemStats));

    // Each exam's results page.
    for (const x of e.perExam) {
      const r = await s.exams.results(fx.admin, x.examId);
      expect(
        {
          enrolled: r.summary.enrolled,
          submitted: r.summary.submitted,
          graded: r.summary.graded,
          awaitingGrading: r.summary.awaitingGrading,
          passRate: r.summary.passRate,
          mean: r.summary.mean,
          bandCounts: r.summary.bandCounts,
        },
        at(`results page of exam ${x.examId}`),
      ).toEqual({
        enrolled: x.enrolled,
        submitted: x.submitted,
        graded: x.graded,
        awaitingGrading: x.awaitingGrading,
        passRate: x.passRate,
        mean: x.mean,
        bandCounts: x.bandCounts,
      });
      expect(
        r.summary.distribution.reduce((a, b) => a + b, 0),
        at(`score chart of exam ${x.examId}`),
      ).toBe(x.graded);
      expect(r.trainees.length, at(`one row per trainee on exam ${x.examId}`)).toBe(x.enrolled);
      for (const tr of r.trainees) {
        const want = x.counted[tr.personId];
        if (want !== null) expect(tr.attemptId, at(`counted attempt of person ${tr.personId} on exam ${x.examId}`)).toBe(want);
        const listed = [tr.attemptId, ...tr.others.map((o) => o.attemptId)].filter((id): id is number => id !== null).sort((a, b) => a - b);
        expect(listed, at(`attempts listed for person ${tr.personId} on exam ${x.examId}`)).toEqual(x.handedIds[tr.personId]);
      }
    }

    // Class results, and the class report's counts (what the BÁO CÁO prints).
    for (const c of e.perClass) {
      const r = await s.classRecords.results(fx.admin, c.classId);
      expect(r.lines.length, at(`class results rows of class ${c.classId}`)).toBe(c.enrolled);
      for (const l of r.lines) {
        const row = c.results.find((x) => x.person_id === l.personId);
        expect({ outcome: l.outcome, score: l.score }, at(`class result of person ${l.personId}`)).toEqual({
          outcome: row?.outcome ?? "pending",
          score: row?.score === null || row?.score === undefined ? null : Number(row.score),
        });
      }
      const k = countResults(
        r.lines,
        r.policy.bands.map((b) => b.label),
      );
      if (c.results.length)
        expect(
          { assessed: k.assessed, passed: k.passed, good: k.good, bands: k.byBand.reduce((a, b) => a + b.count, 0) },
          at(`class report counts of class ${c.classId}`),
        ).toEqual({
          assessed: c.assessed,
          passed: c.passed,
          good: c.good,
          bands: c.passed,
        });
    }

    // Surveys: the counters behind the survey charts match the anonymous answers.
    for (const sv of e.surveys) expect(sv.responses, at(`responses of survey ${sv.id}`)).toBe(sv.counted);
    for (const st of e.stats) expect(st.n, at(`survey counter ${st.survey_id}/${st.question_key}=${st.value}`)).toBe(st.direct);
    expect(
      e.stats.reduce((a, b) => a + b.n, 0),
      at("every answer counted once"),
    ).toBe(e.answerTotal);
    for (const c of o.classes.filter((x) => e.perClass.some((p) => p.classId === x.id))) {
      const sv = e.surveys.find((x) => x.class_id === c.id)!;
      expect(c.survey?.responses ?? 0, at(`survey shown beside class ${c.id}`)).toBe(sv.responses >= sv.min_group ? sv.responses : 0);
    }

    if (!exports) return;
    const load = async (bytes: Uint8Array) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      return wb;
    };
    const dash = await load((await s.dashboards.exportXlsx(fx.committee, { year: YEAR })).bytes);
    const totalsRow = dash.getWorksheet("Tổng hợp")!.getRow(4).values as unknown[];
    expect(totalsRow.slice(3, 6), at("dashboard .xlsx totals")).toEqual([o.totals.enrolled, o.totals.assessed, o.totals.passed]);
    for (const x of e.perExam) {
      const wb = await load((await s.exams.resultsXlsx(fx.admin, x.examId)).bytes);
      expect(wb.getWorksheet("Kết quả")!.rowCount - 4, at(`exam .xlsx rows of exam ${x.examId}`)).toBe(x.enrolled);
      expect(wb.getWorksheet("Các lần làm bài")!.rowCount - 1, at(`exam .xlsx attempts of exam ${x.examId}`)).toBe(x.handedCount);
    }
    for (const c of e.perClass) {
      const wb = await load((await s.classRecords.resultsXlsx(fx.admin, c.classId)).bytes);
      expect(wb.getWorksheet("Kết quả học tập")!.rowCount - 1, at(`class results .xlsx of class ${c.classId}`)).toBe(c.enrolled);
    }
  }

  it("keeps every figure equal to its definition through random activity", async () => {
    const rnd = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
    const done: Record<string, number> = {};
    const refused = (e: unknown): "refused" => {
      // A refusal the product gives a user (nothing to issue, a key that did not change, …) is a fine step.
      if (e && typeof e === "object" && "status" in e && [400, 403, 404].includes((e as { status: number }).status)) return "refused";
      throw e;
    };
    const classOf = () => pick(fx.classes)!;
    const people = async (classId: number) =>
      (await t.db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", classId).execute()).map((r) => r.person_id);
    const attemptsWhere = async (status: "submitted" | "awaiting_grading" | "in_progress") =>
      t.db
        .selectFrom("attempt")
        .select(["id", "exam_id", "person_id"])
        .where(
          "exam_id",
          "in",
          fx.classes.map((c) => c.examId),
        )
        .where("status", "=", status)
        .orderBy("id")
        .execute();

    const actions: [string, number, () => Promise<string>][] = [
      [
        "sit",
        8,
        async () => {
          const c = classOf();
          const p = pick(await people(c.id))!;
          const viewer = fx.trainee(p);
          const paper = await startPaper(s, viewer, c.examId).catch(refused);
          if (paper === "refused") return `sit refused for ${p}`;
          await answerAll(s, t, viewer, paper.attemptId, rnd);
          if (rnd() < 0.8) await submitPaper(s, viewer, paper.attemptId);
          return `person ${p} sat exam ${c.examId} (attempt ${paper.attemptId})`;
        },
      ],
      [
        "submit",
        2,
        async () => {
          const a = pick(await attemptsWhere("in_progress"));
          if (!a) return "nothing to submit";
          await submitPaper(s, fx.trainee(a.person_id), a.id);
          return `attempt ${a.id} submitted`;
        },
      ],
      [
        "grade essay",
        4,
        async () => {
          const a = pick([...(await attemptsWhere("awaiting_grading")), ...(rnd() < 0.3 ? await attemptsWhere("submitted") : [])]);
          if (!a) return "no essay to grade";
          const item = await t.db
            .selectFrom("attempt_item as i")
            .innerJoin("question_version as v", "v.id", "i.question_version_id")
            .select(["i.position", "i.points", "v.explanation"])
            .where("i.attempt_id", "=", a.id)
            .where("v.type", "=", "essay")
            .executeTakeFirst();
          if (!item) return `attempt ${a.id} has no essay`;
          const rubric = parseRubric(item.explanation, Number(item.points));
          const criteria = rubric.criteria.map((c) => Math.round(rnd() * c.max * 2) / 2);
          await s.exams.gradeEssay(fx.admin, a.id, item.position, { criteria });
          return `essay of attempt ${a.id} graded ${criteria.join("+")}`;
        },
      ],
      [
        "correct a key",
        1,
        async () => {
          const c = classOf();
          const q = pick((await s.exams.examQuestions(fx.admin, c.examId)).questions.filter((x) => x.type === "single"));
          if (!q) return "no question to correct";
          const correct = [Math.floor(rnd() * q.options.length)];
          const r = await s.exams.regradeApply(fx.admin, c.examId, q.versionId, correct, "Sửa đáp án theo văn bản mới").catch(refused);
          return `key of version ${q.versionId} on exam ${c.examId} → ${correct} (${r === "refused" ? "refused" : `${r.changes.length} changed`})`;
        },
      ],
      [
        "reopen",
        2,
        async () => {
          const a = pick(await attemptsWhere("submitted"));
          if (!a) return "nothing to reopen";
          await s.proctoring.act(
            fx.admin,
            a.exam_id,
            { type: "reopen", attemptId: a.id, minutes: 15, reason: "Học viên bị mất kết nối" },
            new Map(),
          );
          return `attempt ${a.id} reopened`;
        },
      ],
      [
        "compute results",
        3,
        async () => {
          const c = classOf();
          await s.classRecords.computeResults(fx.admin, c.id);
          return `results of class ${c.id} computed`;
        },
      ],
      [
        "attendance",
        2,
        async () => {
          const c = classOf();
          const board = await s.classRecords.attendanceBoard(fx.admin, c.id);
          const sessions = await t.db.selectFrom("class_session").select("id").where("class_id", "=", c.id).execute();
          const session = pick(sessions)!;
          const p = pick(await people(c.id))!;
          const status = pick(["co_mat", "vang_co_phep", "vang_khong_phep", "di_muon"] as const)!;
          await s.classRecords.markAttendance(fx.admin, { sessionId: session.id, personId: p, status, method: "manual" });
          return `person ${p} marked ${status} in session ${session.id} (${board ? "board read" : ""})`;
        },
      ],
      [
        "conduct",
        1,
        async () => {
          const c = classOf();
          const p = pick(await people(c.id))!;
          await s.classRecords.addConduct(fx.admin, {
            classId: c.id,
            personId: p,
            severity: rnd() < 0.5 ? "serious" : "minor",
            description: "Vi phạm nội quy lớp học",
          });
          return `conduct of person ${p} recorded`;
        },
      ],
      [
        "issue certificates",
        2,
        async () => {
          const c = classOf();
          const r = await s.classRecords.issueForClass(fx.admin, c.id, "2026-06-10").catch(refused);
          return `certificates of class ${c.id}: ${r === "refused" ? "refused" : r.issued}`;
        },
      ],
      [
        "revoke or reissue",
        1,
        async () => {
          const cert = pick(
            await t.db
              .selectFrom("certificate")
              .select("id")
              .where(
                "class_id",
                "in",
                fx.classes.map((c) => c.id),
              )
              .where("status", "=", "valid")
              .execute(),
          );
          if (!cert) return "no certificate";
          if (rnd() < 0.7) await s.classRecords.revoke(fx.admin, cert.id, "Thu hồi do cấp nhầm");
          else await s.classRecords.reissue(fx.admin, cert.id, "Sai ngày sinh");
          return `certificate ${cert.id} revoked or reissued`;
        },
      ],
      [
        "answer survey",
        3,
        async () => {
          const c = classOf();
          const p = pick(await people(c.id))!;
          const v = () => String(1 + Math.floor(rnd() * 5));
          const r = await s.surveys.submit(fx.trainee(p), c.surveyId, {
            nd1: v(),
            nd2: v(),
            gv1: v(),
            gv2: v(),
            tc1: v(),
            tc2: v(),
            vc1: "2",
            tg: "1",
            y1: rnd() < 0.3 ? "Bài giảng hay" : "",
            y2: "",
          });
          return `person ${p} answered survey ${c.surveyId}: ${r.ok ? "ok" : r.problems.join(" ")}`;
        },
      ],
      [
        "close survey",
        1,
        async () => {
          const c = classOf();
          const close = rnd() < 0.6;
          await s.surveys.updateSettings(fx.admin, c.surveyId, {
            minGroup: 3,
            requiredForCertificate: false,
            closesOn: close ? "2026-06-09" : null,
          });
          return `survey ${c.surveyId} ${close ? "closed" : "reopened"}`;
        },
      ],
      [
        "enrol",
        1,
        async () => {
          const n = fx.waiting.shift();
          if (!n) return "nobody waiting";
          const c = classOf();
          await s.classPlan.openClass(fx.admin, fx.planItemId, { nominationIds: [n], classId: c.id });
          return `nomination ${n} enrolled in class ${c.id}`;
        },
      ],
    ];
    const weights = actions.reduce((a, x) => a + x[1], 0);

    await check(0, "start", true);
    for (let step = 1; step <= STEPS; step++) {
      let r = rnd() * weights;
      const [name, , run] = actions.find((a) => (r -= a[1]) < 0) ?? actions[0]!;
      let what: string;
      const t0 = Date.now();
      try {
        what = `${name}: ${await run()}`;
      } catch (e) {
        throw new Error(`seed ${SEED}, step ${step} (${name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      done[name] = (done[name] ?? 0) + 1;
      const t1 = Date.now();
      await check(step, what, step % EXPORT_EVERY === 0 || step === STEPS);
      if (process.env.FIGURES_PROFILE) console.log(`${step} ${name} action ${t1 - t0} ms, check ${Date.now() - t1} ms`);
    }
    // The run exercised every kind of action (a run that did nothing proves nothing).
    if (STEPS >= 200)
      expect(Object.keys(done).sort(), `seed ${SEED}: actions run ${JSON.stringify(done)}`).toEqual(actions.map((a) => a[0]).sort());
  }, 600_000);
});
