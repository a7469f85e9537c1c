import type { Database } from "../db";
import { manualClock, systemClock } from "../clock";
import { questionHash, type QuestionContent } from "../questions/service";
import { createExamService, type ExamService } from "../exams/service";
import { DEFAULT_POLICY } from "../exams/scoring";
import type { Viewer } from "../auth/scope";

/**
 * Essay questions for the HD 61 bank and the demo of essay grading (docs/grading.md).
 * The seed YAML format has objective questions only, so the essays live here as data:
 * each with its rubric in the explanation, one criterion per line with its points, and
 * the official document it rests on. The wording is ours.
 */
export const HD61_ESSAYS: (QuestionContent & { key: string; lesson: number })[] = [
  {
    key: "hd61-tl-01",
    lesson: 3,
    type: "essay",
    level: "van_dung",
    stem: "Trình bày các nhiệm vụ của đảng viên theo Điều lệ Đảng. Anh (chị) sẽ chuẩn bị những gì để thực hiện các nhiệm vụ đó khi được kết nạp vào Đảng?",
    options: [],
    explanation: [
      "- Nêu đủ và đúng bốn nhóm nhiệm vụ của đảng viên theo Điều 2 Điều lệ Đảng (4 điểm)",
      "- Giải thích được ý nghĩa của các nhiệm vụ đối với việc xây dựng Đảng trong sạch, vững mạnh (3 điểm)",
      "- Liên hệ cụ thể với công việc, học tập và việc rèn luyện của bản thân (3 điểm)",
      "Bốn nhóm nhiệm vụ: trung thành với mục đích, lý tưởng của Đảng; không ngừng học tập, rèn luyện; liên hệ chặt chẽ với nhân dân; tham gia xây dựng, bảo vệ đường lối và tổ chức của Đảng, giữ kỷ luật, sinh hoạt chi bộ và đóng đảng phí.",
    ].join("\n"),
    source: "Điều lệ Đảng Cộng sản Việt Nam (2011), Điều 2",
  },
  {
    key: "hd61-tl-02",
    lesson: 4,
    type: "essay",
    level: "van_dung",
    stem: "Theo Chủ tịch Hồ Chí Minh, vì sao đạo đức là “gốc” của người cách mạng? Nêu những việc làm cụ thể của anh (chị) để học tập và làm theo tấm gương đạo đức của Người.",
    options: [],
    explanation: [
      "- Nêu đúng nội dung các phẩm chất cần, kiệm, liêm, chính, chí công vô tư (4 điểm)",
      "- Phân tích được vì sao đạo đức là gốc, là nền tảng của người cách mạng (3 điểm)",
      "- Nêu được việc làm cụ thể, thiết thực của bản thân (3 điểm)",
    ].join("\n"),
    source: "Hồ Chí Minh, Sửa đổi lối làm việc (1947); Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
  },
  {
    key: "hd61-tl-03",
    lesson: 5,
    type: "essay",
    level: "van_dung",
    stem: "Nêu điều kiện để một người được xem xét kết nạp vào Đảng theo Điều lệ Đảng và xây dựng kế hoạch phấn đấu của bản thân trong một năm tới.",
    options: [],
    explanation: [
      "- Nêu đúng điều kiện về công dân, tuổi đời, sự thừa nhận và tự nguyện thực hiện Cương lĩnh, Điều lệ Đảng (Điều 1) (4 điểm)",
      "- Nêu được thủ tục: đơn tự nguyện, lý lịch, hai đảng viên chính thức giới thiệu (Điều 4) (3 điểm)",
      "- Kế hoạch phấn đấu có mục tiêu, việc làm và thời hạn cụ thể (3 điểm)",
    ].join("\n"),
    source: "Điều lệ Đảng Cộng sản Việt Nam (2011), Điều 1 và Điều 4",
  },
];

/** Adds the essays to the HD 61 bank as approved questions; idempotent by key. */
export async function ensureEssayQuestions(db: Database, at: Date = new Date()): Promise<number> {
  const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd61").executeTakeFirst();
  if (!bank) return 0;
  let created = 0;
  for (const q of HD61_ESSAYS) {
    const found = await db.selectFrom("question").select("id").where("bank_id", "=", bank.id).where("key", "=", q.key).executeTakeFirst();
    if (found) continue;
    const content: QuestionContent = {
      type: q.type,
      level: q.level,
      stem: q.stem,
      options: q.options,
      explanation: q.explanation,
      source: q.source,
    };
    const row = await db
      .insertInto("question")
      .values({ bank_id: bank.id, key: q.key, lesson_position: q.lesson, status: "approved", created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    const v = await db
      .insertInto("question_version")
      .values({
        question_id: row.id,
        version_no: 1,
        type: "essay",
        level: q.level,
        stem: q.stem,
        options: "[]",
        explanation: q.explanation,
        source: q.source,
        tags: "[]",
        images: "[]",
        content_hash: questionHash(content),
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.updateTable("question").set({ approved_version_id: v.id, latest_version_id: v.id }).where("id", "=", row.id).execute();
    created++;
  }
  return created;
}

/** Objective questions of every lesson plus one essay worth 5 of the 10 points. */
export const ESSAY_EXAM_BLUEPRINT = [
  ...[1, 2, 3, 4, 5].map((lesson) => ({ lesson, level: "nhan_biet" as const, count: 1, points: 1 })),
  { lesson: 0, level: "van_dung" as const, count: 1, points: 5, type: "essay" as const },
];

/**
 * A 45-minute test of the essay blueprint (answers shown after the window closes),
 * sat by one trainee: papers generated, started at `startsAt`, every item answered a
 * minute apart (option 1 of each objective question, `essay` for the essay), and
 * submitted, so that its essay waits in the grading queue. Both commune demos use it.
 */
export async function seedSatEssayTest(
  db: Database,
  exams: ExamService,
  clock: ReturnType<typeof manualClock>,
  t: {
    classId: number;
    bankId: number;
    title: string;
    opensAt: string;
    closesAt: string;
    startsAt: string;
    trainee: Viewer;
    essay: string;
  },
): Promise<number> {
  const exam = await db
    .insertInto("exam")
    .values({
      class_id: t.classId,
      bank_id: t.bankId,
      title: t.title,
      opens_at: t.opensAt,
      closes_at: t.closesAt,
      duration_minutes: 45,
      blueprint: JSON.stringify(ESSAY_EXAM_BLUEPRINT),
      policy: JSON.stringify(DEFAULT_POLICY),
      review_policy: "answers_after_close",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await exams.generatePapers(null, exam.id);
  clock.set(t.startsAt);
  const paper = await exams.start(t.trainee, exam.id, { deviceId: "demo" });
  let seq = 0;
  for (const item of paper.items) {
    clock.advance(60_000);
    if (item.type === "essay")
      await exams.saveAnswer(t.trainee, paper.attemptId, {
        position: item.position,
        chosen: [],
        seq: ++seq,
        deviceToken: paper.deviceToken,
        text: t.essay,
      });
    else
      await exams.saveAnswer(t.trainee, paper.attemptId, {
        position: item.position,
        chosen: [0],
        seq: ++seq,
        deviceToken: paper.deviceToken,
      });
  }
  await exams.submit(t.trainee, paper.attemptId, paper.deviceToken);
  return exam.id;
}

/**
 * The demo: a mid-course test with an essay that the demo trainee already sat (the
 * lecturer finds it in the grading queue; the trainee sees answers once it is graded,
 * since the window has closed), and a practice test with an essay open all year.
 */
export async function seedExamGradingDemo(db: Database): Promise<void> {
  if (!(await ensureEssayQuestions(db))) return;
  const klass = await db.selectFrom("training_class").select(["id"]).where("programme_code", "=", "hd61").orderBy("id").executeTakeFirst();
  const person = await db.selectFrom("person").select(["id"]).where("full_name", "=", "Nguyễn Thị Mai").executeTakeFirst();
  const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd61").executeTakeFirst();
  if (!klass || !person || !bank) return;

  const clock = manualClock("2026-03-12T08:00:00+07:00");
  const exams = createExamService({ db, clock });
  const trainee: Viewer = {
    userId: "",
    username: "hocvien",
    displayName: "Nguyễn Thị Mai",
    personId: person.id,
    mustChangePassword: false,
    sessionId: "",
    roles: [],
  };
  await seedSatEssayTest(db, exams, clock, {
    classId: klass.id,
    bankId: bank.id,
    title: "Kiểm tra giữa khóa (có câu tự luận)",
    opensAt: "2026-03-12T08:00:00+07:00",
    closesAt: "2026-03-12T10:00:00+07:00",
    startsAt: "2026-03-12T08:05:00+07:00",
    trainee,
    essay:
      "Đảng viên phải tuyệt đối trung thành với mục đích, lý tưởng của Đảng; không ngừng học tập, rèn luyện; liên hệ chặt chẽ với nhân dân; tham gia xây dựng Đảng, giữ kỷ luật và sinh hoạt chi bộ đều đặn. Bản thân em sẽ học tập Điều lệ Đảng, gương mẫu trong công việc ở trường và tham gia tích cực công tác đoàn thể.",
  });

  const practice = await db
    .insertInto("exam")
    .values({
      class_id: klass.id,
      bank_id: bank.id,
      title: "Luyện tập có câu tự luận",
      kind: "practice",
      opens_at: "2026-01-01T00:00:00+07:00",
      closes_at: "2027-12-31T23:59:00+07:00",
      duration_minutes: 30,
      blueprint: JSON.stringify(ESSAY_EXAM_BLUEPRINT),
      policy: JSON.stringify(DEFAULT_POLICY),
      max_attempts: 100,
      review_policy: "score_only",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await createExamService({ db, clock: systemClock }).generatePapers(null, practice.id);
}
