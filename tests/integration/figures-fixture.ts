import { createUnit } from "../../server/organisations/service";
import { createAccount } from "../../server/accounts/service";
import { ensureEssayQuestions, ESSAY_EXAM_BLUEPRINT } from "../../server/seed/demo-exam-grading";
import { defaultTimetable } from "../../server/classes/timetable";
import { questionHash, type QuestionContent } from "../../server/questions/service";
import { loginAs, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";

/**
 * A small province for the figure tests (issue 20): one centre, classes of trainees, an
 * official test per class (one with an essay, repeated attempts allowed), a course survey
 * per class, a timetable, and approved nominations waiting to be enrolled. Base rows are
 * inserted; everything that moves a figure afterwards goes through the services.
 */
export interface Fixture {
  admin: Viewer;
  committee: Viewer;
  provinceId: number;
  centreId: number;
  planItemId: number;
  classes: { id: number; examId: number; surveyId: number }[];
  /** Approved nominations not yet in a class, for "enrol" steps. */
  waiting: number[];
  trainee(personId: number): Viewer;
}

export const YEAR = 2026;
/** The clock of every figure test: inside every test's window. */
export const NOW = "2026-06-10T09:00:00+07:00";

export async function buildFixture(
  s: Services,
  t: TestDatabase,
  opts: { classes: number; trainees: number; waiting: number; tag: string },
): Promise<Fixture> {
  await s.curricula.syncFromFiles();
  await smallBank(t);
  const province = await createUnit(t.db, {
    parentId: null,
    kind: "province",
    name: `Tỉnh ủy ${opts.tag}`,
    abbreviation: "TU",
    termLabel: "2025–2030",
  });
  const commune = await createUnit(t.db, { parentId: province.id, kind: "commune", name: `Đảng ủy xã ${opts.tag}`, abbreviation: "ĐU" });
  const cell = await createUnit(t.db, { parentId: commune.id, kind: "cell", name: `Chi bộ thôn ${opts.tag}`, abbreviation: "CB" });
  await createAccount(t.db, {
    username: `canbo.${opts.tag}`,
    password: "demo12345",
    displayName: "Cán bộ trung tâm",
    roles: [{ role: "centre_admin", orgUnitId: commune.id }],
  });
  await createAccount(t.db, {
    username: `bantg.${opts.tag}`,
    password: "demo12345",
    displayName: "Ban Tuyên giáo",
    roles: [{ role: "committee", orgUnitId: province.id }],
  });
  const admin = (await loginAs(s, `canbo.${opts.tag}`)).viewer;
  const committee = (await loginAs(s, `bantg.${opts.tag}`)).viewer;
  const centreId = (
    await t.db
      .insertInto("training_centre")
      .values({ org_unit_id: commune.id, name: `Trung tâm Chính trị ${opts.tag}`, abbreviation: "TTCT" })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const planItemId = (
    await t.db
      .insertInto("training_plan_item")
      .values({
        centre_id: centreId,
        year: YEAR,
        programme_code: "hd61",
        label: "Đợt 1",
        month: 5,
        target_size: 50,
        intended_group: "Quần chúng ưu tú",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const person = async (name: string) =>
    (
      await t.db
        .insertInto("person")
        .values({ org_unit_id: cell.id, full_name: name, birth_date: "1990-04-12" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;

  const classes: Fixture["classes"] = [];
  for (let c = 0; c < opts.classes; c++) {
    const id = (
      await t.db
        .insertInto("training_class")
        .values({
          centre_id: centreId,
          programme_code: "hd61",
          name: `Lớp ${c + 1} ${opts.tag}`,
          starts_on: "2026-06-01",
          ends_on: "2026-06-05",
          plan_item_id: planItemId,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    for (let i = 0; i < opts.trainees; i++)
      await t.db
        .insertInto("class_enrolment")
        .values({ class_id: id, person_id: await person(`Học viên ${c + 1}.${i + 1}`) })
        .execute();
    const tt = await s.classRecords.timetable(admin, id);
    await s.classRecords.saveTimetable(admin, id, defaultTimetable(tt.outline, "2026-06-01"), null);
    // The first class's test has an essay and three attempts; the others are objective, two attempts.
    const examId = await s.exams.createExam(admin, {
      classId: id,
      title: `Kiểm tra cuối khóa ${c + 1}`,
      opensAt: new Date("2026-06-05T07:00:00+07:00"),
      closesAt: new Date("2026-06-30T17:00:00+07:00"),
      durationMinutes: 60,
      blueprint:
        c === 0 ? ESSAY_EXAM_BLUEPRINT : [1, 2, 3, 4, 5].map((lesson) => ({ lesson, level: "nhan_biet" as const, count: 1, points: 2 })),
      maxAttempts: c === 0 ? 3 : 2,
    });
    const templateId = (await s.surveys.templates(admin)).find((x) => x.kind === "course")!.id;
    const surveyId = (
      await s.surveys.attach(admin, { classId: id, templateId, lecturerName: `Giảng viên ${c + 1}`, minGroup: 3, opensOn: "2026-06-05" })
    ).id;
    classes.push({ id, examId, surveyId });
  }
  const waiting: number[] = [];
  for (let i = 0; i < opts.waiting; i++) {
    const p = await person(`Người chờ xếp lớp ${i + 1}`);
    waiting.push(
      (
        await t.db
          .insertInto("nomination")
          .values({ person_id: p, programme_code: "hd61", unit_id: cell.id, status: "approved", plan_item_id: planItemId })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id,
    );
  }
  await s.dashboards.refreshAll();
  return {
    admin,
    committee,
    provinceId: province.id,
    centreId,
    planItemId,
    classes,
    waiting,
    trainee: (personId: number): Viewer => ({
      userId: "",
      username: `hv${personId}`,
      displayName: "Học viên",
      personId,
      mustChangePassword: false,
      sessionId: "",
      roles: [],
    }),
  };
}

/**
 * A small HD 61 bank (three approved single-choice questions per lesson at "nhận biết",
 * four options, and the demo's essays): enough for varied papers, small enough to keep
 * the invariant test quick. The 385 seed questions are not needed here.
 */
async function smallBank(t: TestDatabase) {
  const at = new Date("2026-01-01T00:00:00Z");
  const bank = await t.db
    .insertInto("question_bank")
    .values({ code: "hd61", programme_code: "hd61", name: "Ngân hàng câu hỏi HD61" })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let lesson = 1; lesson <= 5; lesson++)
    for (let k = 1; k <= 3; k++) {
      const content: QuestionContent = {
        type: "single",
        level: "nhan_biet",
        stem: `Bài ${lesson}, câu ${k}: chọn phương án đúng.`,
        options: [0, 1, 2, 3].map((i) => ({ text: `Phương án ${i + 1}`, fraction: i === (lesson + k) % 4 ? 1 : 0 })),
        explanation: null,
        source: null,
      };
      const q = await t.db
        .insertInto("question")
        .values({ bank_id: bank.id, key: `b${lesson}-${k}`, lesson_position: lesson, status: "approved", created_at: at, updated_at: at })
        .returning("id")
        .executeTakeFirstOrThrow();
      const v = await t.db
        .insertInto("question_version")
        .values({
          question_id: q.id,
          version_no: 1,
          type: "single",
          level: "nhan_biet",
          stem: content.stem,
          options: JSON.stringify(content.options),
          explanation: null,
          source: null,
          tags: "[]",
          images: "[]",
          content_hash: questionHash(content),
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.db.updateTable("question").set({ approved_version_id: v.id, latest_version_id: v.id }).where("id", "=", q.id).execute();
    }
  await ensureEssayQuestions(t.db, at);
}

let seq = 0;

/**
 * The device token each attempt's start handed out (decision 018): every answer and
 * submission of this fixture carries it, as a trainee's browser does.
 */
export const deviceTokens = new Map<number, string>();
const tokenByDevice = new Map<string, string>();

/** Starts or resumes the trainee's attempt on device `d<personId>`, keeping its token. */
export async function startPaper(s: Services, viewer: Viewer, examId: number) {
  const deviceId = `d${viewer.personId}`;
  const key = `${deviceId}:${examId}`;
  const paper = await s.exams.start(viewer, examId, { deviceId, deviceToken: tokenByDevice.get(key) });
  tokenByDevice.set(key, paper.deviceToken);
  deviceTokens.set(paper.attemptId, paper.deviceToken);
  return paper;
}

/** Hands the attempt in from the device that holds it. */
export function submitPaper(s: Services, viewer: Viewer, attemptId: number) {
  return s.exams.submit(viewer, attemptId, deviceTokens.get(attemptId));
}

/** Answers an attempt's open items through the exam service: all right, all wrong, or at random. */
export async function answerAll(s: Services, t: TestDatabase, viewer: Viewer, attemptId: number, mode: "right" | "wrong" | (() => number)) {
  const items = await t.db
    .selectFrom("attempt_item as i")
    .innerJoin("question_version as v", "v.id", "i.question_version_id")
    .select(["i.position", "i.option_order", "v.type", "v.options"])
    .where("i.attempt_id", "=", attemptId)
    .orderBy("i.position")
    .execute();
  const deviceToken = deviceTokens.get(attemptId);
  for (const it of items) {
    if (it.type === "essay") {
      await s.exams.saveAnswer(viewer, attemptId, {
        position: it.position,
        chosen: [],
        seq: ++seq,
        deviceToken,
        text: "Đảng viên phải trung thành với lý tưởng của Đảng, gương mẫu và gắn bó với nhân dân.",
      });
      continue;
    }
    const order = it.option_order as unknown as number[];
    const options = it.options as unknown as { fraction: number }[];
    const right = options.map((o, i) => (o.fraction > 0 ? i : -1)).filter((i) => i >= 0);
    const wrong = options.map((o, i) => (o.fraction > 0 ? -1 : i)).filter((i) => i >= 0);
    const pick = mode === "right" ? true : mode === "wrong" ? false : mode() < 0.6;
    const stored = pick ? right : [wrong[0]!];
    await s.exams.saveAnswer(viewer, attemptId, {
      position: it.position,
      chosen: stored.map((x) => order.indexOf(x)),
      seq: ++seq,
      deviceToken,
    });
  }
}

/** Starts (or resumes) the trainee's attempt, answers it and hands it in. */
export async function sit(
  s: Services,
  t: TestDatabase,
  fx: Fixture,
  personId: number,
  examId: number,
  mode: Parameters<typeof answerAll>[4],
) {
  const viewer = fx.trainee(personId);
  const paper = await startPaper(s, viewer, examId);
  await answerAll(s, t, viewer, paper.attemptId, mode);
  await submitPaper(s, viewer, paper.attemptId);
  return paper.attemptId;
}

export async function enrolled(t: TestDatabase, classId: number): Promise<number[]> {
  return (await t.db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", classId).orderBy("person_id").execute()).map(
    (r) => r.person_id,
  );
}
