import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import { buildDocx, lecturerDocument, TINY_PNG } from "../fixtures/questions/make-docx";
import { mediaHash } from "../../server/questions/media";

/** The lecturer's Word document up to its Câu 5 (a picture); Câu 6 is a deliberate error for other tests. */
function wordWithPicture() {
  const doc = lecturerDocument();
  return { ...doc, paragraphs: doc.paragraphs.slice(0, 34) };
}

const FIXTURE = path.join(__dirname, "../fixtures/questions/hd61-moodle-image.xml");

/**
 * Issue 14 item 3: a Moodle XML file with an embedded picture is imported, its stem is
 * rendered as sanitised HTML on the paper, and the picture is served only within the
 * paper's scope.
 */
describe(`question images (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let lecturer: Viewer;
  let trainee: Viewer;
  let other: Viewer;
  let admin: Viewer;
  let bankId: number;
  let classId: number;

  /**
   * Imports the pictured Moodle XML question and approves it, once, for whichever test
   * needs it first (the tests do not depend on running in order).
   */
  let pictured:
    | Promise<{ preview: Awaited<ReturnType<Services["banks"]["importPreview"]>>; questionId: number; versionId: number; hash: string }>
    | undefined;
  const importPictured = () =>
    (pictured ??= (async () => {
      const preview = await s.banks.importPreview(lecturer, bankId, { name: "anh.xml", bytes: fs.readFileSync(FIXTURE) });
      await s.banks.importCommit(lecturer, preview.batchId);
      const q = await t.db
        .selectFrom("question")
        .select(["id", "latest_version_id"])
        .where("key", "=", "HD61-ANH-001")
        .executeTakeFirstOrThrow();
      await s.banks.review((await loginAs(s, "bantuyengiao")).viewer, [q.id], { approve: true });
      const link = await t.db
        .selectFrom("question_version_media")
        .select("hash")
        .where("version_id", "=", q.latest_version_id!)
        .executeTakeFirstOrThrow();
      return { preview, questionId: q.id, versionId: q.latest_version_id!, hash: link.hash };
    })());

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    lecturer = (await loginAs(s, "giangvien")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    admin = (await loginAs(s, "canbo.tanlap")).viewer;
    bankId = (await s.banks.bankByCode("hd61")).id;
    classId = (await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow()).id;
    // A second trainee of the same class, with an account.
    const toan = await t.db
      .selectFrom("person")
      .select(["id", "org_unit_id"])
      .where("full_name", "=", "Hoàng Văn Toàn")
      .executeTakeFirstOrThrow();
    await t.db.insertInto("class_enrolment").values({ class_id: classId, person_id: toan.id }).execute();
    const { createAccount } = await import("../../server/accounts/service");
    await createAccount(t.db, {
      username: "toan",
      password: "matkhau-toan-1",
      displayName: "Hoàng Văn Toàn",
      personId: toan.id,
      roles: [{ role: "trainee", orgUnitId: toan.org_unit_id }],
    });
    other = (await loginAs(s, "toan", "matkhau-toan-1")).viewer;
  });
  afterAll(() => t.destroy());

  it("imports the picture as stored media (raster only) and the stem as sanitised HTML", async () => {
    const { preview, questionId, versionId } = await importPictured();
    expect(preview.valid).toBe(1);
    expect(preview.issues.map((i) => i.message).join("\n")).toMatch(/bieu-tuong\.png.*không phải hình/);
    const v = await t.db
      .selectFrom("question_version")
      .select(["stem", "stem_format", "images"])
      .where("id", "=", versionId)
      .executeTakeFirstOrThrow();
    expect(v.stem_format).toBe("html");
    expect(v.stem).not.toMatch(/script|onerror|class=|style=/);
    expect(v.images).toEqual([]); // no base64 in the version row any more
    const links = await t.db.selectFrom("question_version_media").selectAll().where("version_id", "=", versionId).execute();
    expect(links.map((l) => l.name)).toEqual(["dap-an-B hoi nghi.png"]);
    const hash = links[0]!.hash;
    const media = await t.db.selectFrom("question_media").select(["mime", "size"]).where("hash", "=", hash).executeTakeFirstOrThrow();
    expect(media).toEqual({ mime: "image/png", size: expect.any(Number) });

    // The bank's readers see it on the question page, with the bank's address.
    const item = await s.banks.get(lecturer, questionId);
    expect(item.stemHtml).toContain(`src="/ngan-hang/${bankId}/anh/${hash}"`);
    expect((await s.media.forBank(lecturer, bankId, hash)).mime).toBe("image/png");
    await expect(s.media.forBank(trainee, bankId, hash)).rejects.toMatchObject({ status: 403 });
    await expect(s.media.forBank(lecturer, bankId + 1000, hash)).rejects.toMatchObject({ status: 404 });
  });

  it("imports a Word picture the same way: stored once by its hash, shown on the bank's question page", async () => {
    const preview = await s.banks.importPreview(lecturer, bankId, { name: "cau-hoi.docx", bytes: await buildDocx(wordWithPicture()) });
    await s.banks.importCommit(lecturer, preview.batchId);
    const link = await t.db.selectFrom("question_version_media").selectAll().where("name", "=", "image1.png").executeTakeFirstOrThrow();
    expect(link.hash).toBe(mediaHash(TINY_PNG));
    const q = await t.db.selectFrom("question").select("id").where("latest_version_id", "=", link.version_id).executeTakeFirstOrThrow();
    const item = await s.banks.get(lecturer, q.id);
    expect(item.stemHtml).toContain(`<img src="/ngan-hang/${bankId}/anh/${link.hash}" alt="Hình minh hoạ của câu hỏi">`);
    expect(Buffer.from((await s.media.forBank(lecturer, bankId, link.hash)).data).equals(Buffer.from(TINY_PNG))).toBe(true);
  });

  it("puts the rendered stem on the paper without the key or the file name, and serves the picture only within the paper's scope", async () => {
    const { hash } = await importPictured();
    // Every approved exam question of Bài 1 / Nhận biết, so the imported one is on each paper.
    const pool = await t.db
      .selectFrom("question as q")
      .innerJoin("question_version as v", "v.id", "q.approved_version_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("q.bank_id", "=", bankId)
      .where("q.status", "=", "approved")
      .where("q.lesson_position", "=", 1)
      .where("v.level", "=", "nhan_biet")
      .where("v.use", "in", ["exam", "both"])
      .executeTakeFirstOrThrow();
    const examId = await s.exams.createExam(admin, {
      classId,
      title: "Kiểm tra có hình",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 30,
      reviewPolicy: "answers_after_close",
      blueprint: [{ lesson: 1, level: "nhan_biet", count: Number(pool.n), points: 1 }],
    });
    const without = await s.exams.createExam(admin, {
      classId,
      title: "Kiểm tra không có hình",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 30,
      blueprint: [{ lesson: 2, level: "nhan_biet", count: 1, points: 1 }],
    });
    clock.set("2026-03-13T08:05:00+07:00");
    const paper = await s.exams.start(trainee, examId, { deviceId: "phone" });
    const item = paper.items.find((i) => i.stemHtml)!;
    expect(item.stemHtml).toContain(
      `<img src="/api/thi/${paper.attemptId}/anh/${hash}" alt="Hình minh hoạ của câu hỏi" width="320" height="120">`,
    );
    expect(item.stem).toBe("Bức ảnh tư liệu dưới đây gắn với sự kiện nào?");
    const json = JSON.stringify(paper);
    expect(json).not.toMatch(/fraction|correct|explanation|feedback|dap-an|PLUGINFILE|@@MEDIA|Đúng\./);

    // The owner of the running attempt: allowed, the right bytes.
    const file = await s.media.forAttempt(trainee, paper.attemptId, hash);
    expect(file.mime).toBe("image/png");
    expect(Buffer.from(file.data).subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // Another trainee, with their own paper of the same exam: not through this attempt.
    const theirs = await s.exams.start(other, examId, { deviceId: "other-phone" });
    await expect(s.media.forAttempt(other, paper.attemptId, hash)).rejects.toMatchObject({ status: 404 });
    expect((await s.media.forAttempt(other, theirs.attemptId, hash)).mime).toBe("image/png");
    // The same trainee's paper of an exam without the picture: refused.
    const second = await s.exams.start(trainee, without, { deviceId: "phone" });
    await expect(s.media.forAttempt(trainee, second.attemptId, hash)).rejects.toMatchObject({ status: 404 });
    // Staff are not the trainee; an unknown hash is not found.
    await expect(s.media.forAttempt(admin, paper.attemptId, hash)).rejects.toMatchObject({ status: 404 });
    await expect(s.media.forAttempt(trainee, paper.attemptId, "0".repeat(64))).rejects.toMatchObject({ status: 404 });

    // Handed in: refused until the review policy shows the questions (after the close).
    await s.exams.submit(trainee, paper.attemptId, paper.deviceToken);
    await expect(s.media.forAttempt(trainee, paper.attemptId, hash)).rejects.toMatchObject({ status: 404 });
    clock.set("2026-03-13T10:30:00+07:00");
    expect((await s.media.forAttempt(trainee, paper.attemptId, hash)).mime).toBe("image/png");
    const review = await s.exams.review(trainee, paper.attemptId);
    expect(review.items!.find((i) => i.stemHtml)!.stemHtml).toContain(`/api/thi/${paper.attemptId}/anh/${hash}`);

    // Staff pages that list stems as text (item analysis, the key-correction list) show the
    // words, never the markup of an imported HTML stem.
    const plain = "Bức ảnh tư liệu dưới đây gắn với sự kiện nào?";
    const results = await s.exams.results(admin, examId);
    expect(results.items.map((i) => i.stem)).toContain(plain);
    expect(JSON.stringify(results.items)).not.toMatch(/<img|<p>|&lt;/);
    const questions = await s.exams.examQuestions(admin, examId);
    expect(JSON.stringify(questions)).not.toMatch(/<img|<p>|&lt;/);
  });
});
