import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { createExamService } from "../../server/exams/service";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";

const blueprint = [1, 2, 3, 4, 5].flatMap((lesson) => [
  { lesson, level: "nhan_biet" as const, count: 2, points: 1 },
  { lesson, level: "thong_hieu" as const, count: 2, points: 1 },
  { lesson, level: "van_dung" as const, count: 1, points: 1 },
]);

describe(`exam engine (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let admin: Viewer;
  let trainee: Viewer;
  let examId: number;
  let classId: number;
  /** The device token of the trainee's phone (decision 018). */
  let token: string;

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    admin = (await loginAs(s, "canbo.tanlap")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    classId = (await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.destroy());

  it("creates an exam only in the centre's scope and only when the bank can fill the blueprint", async () => {
    const input = {
      classId,
      title: "Kiểm tra cuối khóa",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 45,
      blueprint,
    };
    const other = (await loginAs(s, "canbo.binhminh")).viewer;
    await expect(s.exams.createExam(other, input)).rejects.toMatchObject({ status: 403 });
    await expect(
      s.exams.createExam(admin, { ...input, blueprint: [{ lesson: 1, level: "van_dung", count: 50, points: 1 }] }),
    ).rejects.toThrow(/Bài 1, mức vận dụng cần 50, có \d+/);
    examId = await s.exams.createExam(admin, input);
    // One paper per enrolled trainee (other capabilities' demo data may enrol more than the demo trainee).
    const enrolled = (await t.db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", classId).execute()).length;
    expect(await s.exams.generatePapers(admin, examId)).toEqual({ created: enrolled });
    expect(await s.exams.generatePapers(admin, examId)).toEqual({ created: 0 }); // idempotent
  });

  it("opens at the window, serves the paper without the key, and fixes the deadline on the server", async () => {
    await expect(s.exams.start(trainee, examId, { deviceId: "phone-1" })).rejects.toMatchObject({ code: "not_open" });
    clock.set("2026-03-13T08:05:00+07:00");
    const paper = await s.exams.start(trainee, examId, { deviceId: "phone-1" });
    token = paper.deviceToken;
    expect(paper.items).toHaveLength(25);
    expect(paper.deadline).toBe(new Date("2026-03-13T08:50:00+07:00").toISOString());
    expect(paper.secondsLeft).toBe(45 * 60);
    expect(JSON.stringify(paper)).not.toMatch(/fraction|correct|explanation/);
    // A second device is refused; the same device resumes with the same paper (and its token).
    await expect(s.exams.start(trainee, examId, { deviceId: "laptop" })).rejects.toMatchObject({ code: "device_conflict" });
    await expect(s.exams.start(trainee, examId, { deviceId: "phone-1" })).rejects.toMatchObject({ code: "device_conflict" });
    clock.advance(60_000);
    const again = await s.exams.start(trainee, examId, { deviceId: "phone-1", deviceToken: token });
    expect(again.deviceToken).toBe(token);
    expect(again.items.map((i) => i.stem)).toEqual(paper.items.map((i) => i.stem));
    expect(again.secondsLeft).toBe(44 * 60);
  });

  it("stores answers idempotently by sequence number and maps display order to the stored key", async () => {
    const paper = await s.exams.paper(
      trainee,
      (await t.db.selectFrom("attempt").select("id").where("exam_id", "=", examId).executeTakeFirstOrThrow()).id,
    );
    const attemptId = paper.attemptId;
    // The draw is random: take a question with four options (not a true/false one).
    const position = paper.items.find((i) => i.options.length >= 4)!.position;
    const r1 = await s.exams.saveAnswer(trainee, attemptId, { position, chosen: [2], seq: 1, deviceToken: token });
    expect(r1).toMatchObject({ ok: true, seq: 1, applied: true });
    const r2 = await s.exams.saveAnswer(trainee, attemptId, { position, chosen: [3], seq: 2, deviceToken: token });
    expect(r2.applied).toBe(true);
    // A late replay of seq 1 (from the offline journal) must not overwrite seq 2.
    const replay = await s.exams.saveAnswer(trainee, attemptId, { position, chosen: [2], seq: 1, deviceToken: token });
    expect(replay).toMatchObject({ ok: true, seq: 2, applied: false });
    const view = await s.exams.paper(trainee, attemptId);
    expect(view.items.find((i) => i.position === position)!.chosen).toEqual([3]);
    await expect(s.exams.saveAnswer(trainee, attemptId, { position: 99, chosen: [0], seq: 3, deviceToken: token })).rejects.toMatchObject({
      status: 400,
    });
    await expect(s.exams.saveAnswer(trainee, attemptId, { position, chosen: [9], seq: 3, deviceToken: token })).rejects.toMatchObject({
      status: 400,
    });
    const stranger = (await loginAs(s, "bithu")).viewer;
    await expect(s.exams.saveAnswer(stranger, attemptId, { position: 2, chosen: [0], seq: 3, deviceToken: token })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("stores a burst of concurrent answers together, each checked on its own (group commit)", async () => {
    const paper = await s.exams.paper(
      trainee,
      (await t.db.selectFrom("attempt").select("id").where("exam_id", "=", examId).executeTakeFirstOrThrow()).id,
    );
    const { attemptId } = paper;
    const positions = paper.items.map((i) => i.position);
    const base = 100;
    // Every question at once, two of them twice (a newer seq and a stale one), one with an option out of range.
    const sends = [
      ...positions.map((position, k) =>
        s.exams.saveAnswer(trainee, attemptId, { position, chosen: [0], seq: base + k * 3 + 1, deviceToken: token }),
      ),
      s.exams.saveAnswer(trainee, attemptId, { position: positions[0]!, chosen: [1], seq: base + 2, deviceToken: token }),
      s.exams.saveAnswer(trainee, attemptId, { position: positions[1]!, chosen: [1], seq: base + 1, deviceToken: token }), // older than its first send
      s.exams
        .saveAnswer(trainee, attemptId, { position: positions[2]!, chosen: [9], seq: base + 500, deviceToken: token })
        .catch((e: { status: number }) => e.status),
    ];
    const results = await Promise.all(sends);
    expect(results.at(-1)).toBe(400);
    const stored = new Map(
      (await t.db.selectFrom("attempt_item").select(["position", "seq"]).where("attempt_id", "=", attemptId).execute()).map((r) => [
        r.position,
        r.seq,
      ]),
    );
    expect(stored.get(positions[0]!)).toBe(base + 2); // the newer of the two, whatever order they ran in
    expect(stored.get(positions[1]!)).toBe(base + 3 * 1 + 1);
    positions.slice(2).forEach((p, k) => expect(stored.get(p)).toBe(base + (k + 2) * 3 + 1));
    // No acknowledgement claims more than is stored.
    for (const r of results.slice(0, -1)) {
      const ok = r as { position: number; seq: number };
      expect(stored.get(ok.position)).toBeGreaterThanOrEqual(ok.seq);
    }
  });

  it("answers everything right through the key's display mapping and scores 10", async () => {
    const attemptId = (await t.db.selectFrom("attempt").select("id").where("exam_id", "=", examId).executeTakeFirstOrThrow()).id;
    const items = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.position", "i.option_order", "v.options"])
      .where("i.attempt_id", "=", attemptId)
      .execute();
    for (const it of items) {
      const order = it.option_order as unknown as number[];
      const options = it.options as unknown as { fraction: number }[];
      const display = order.flatMap((stored, d) => (options[stored]!.fraction > 0 ? [d] : []));
      await s.exams.saveAnswer(trainee, attemptId, { position: it.position, chosen: display, seq: 1000, deviceToken: token });
    }
    const done = await s.exams.submit(trainee, attemptId, token);
    expect(done.alreadySubmitted).toBe(false);
    expect(await s.exams.submit(trainee, attemptId, token)).toEqual({ receipt: done.receipt, alreadySubmitted: true });
    expect(await s.exams.result(trainee, attemptId)).toMatchObject({ score: 10, band: "Giỏi", passed: true });
    await expect(s.exams.saveAnswer(trainee, attemptId, { position: 1, chosen: [0], seq: 2000, deviceToken: token })).rejects.toMatchObject(
      { code: "not_in_progress" },
    );
    expect(await s.exams.verifyReceipt(done.receipt.toLowerCase().replace(/-/g, " "))).toMatchObject({
      exam: "Kiểm tra cuối khóa",
      submittedBy: "trainee",
      answered: 25,
    });
    expect(await s.exams.verifyReceipt("AAAA-BBBB-CCCC")).toBeNull();
    // Versions served in a paper are frozen.
    const pinned = await t.db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select("v.used")
      .where("i.attempt_id", "=", attemptId)
      .execute();
    expect(pinned).toHaveLength(25);
    expect(pinned.every((v) => v.used)).toBe(true);
  });

  it("submits overdue attempts exactly once, even from two processes at the same moment; grants extra time mid-exam", async () => {
    // A practice exam with two trainees' worth of attempts: enrol one more person with an account.
    const toan = await t.db.selectFrom("person").select("id").where("full_name", "=", "Hoàng Văn Toàn").executeTakeFirstOrThrow();
    await t.db.insertInto("class_enrolment").values({ class_id: classId, person_id: toan.id }).execute();
    const { createAccount } = await import("../../server/accounts/service");
    const cell = await t.db.selectFrom("person").select("org_unit_id").where("id", "=", toan.id).executeTakeFirstOrThrow();
    await createAccount(t.db, {
      username: "toan",
      password: "matkhau-toan-1",
      displayName: "Hoàng Văn Toàn",
      personId: toan.id,
      roles: [{ role: "trainee", orgUnitId: cell.org_unit_id }],
    });
    const toanViewer = (await loginAs(s, "toan", "matkhau-toan-1")).viewer;

    clock.set("2026-03-13T09:00:00+07:00");
    const practice = await s.exams.createExam(admin, {
      classId,
      title: "Ôn tập",
      kind: "practice",
      opensAt: new Date("2026-03-13T08:30:00+07:00"),
      closesAt: new Date("2026-03-13T11:00:00+07:00"),
      durationMinutes: 30,
      graceSeconds: 20,
      blueprint: blueprint.slice(0, 3),
    });
    await s.exams.generatePapers(admin, practice);
    const a = await s.exams.start(trainee, practice, { deviceId: "d1" });
    const b = await s.exams.start(toanViewer, practice, { deviceId: "d2" });
    clock.advance(10 * 60_000);
    const extra = await s.exams.grantExtraTime(admin, practice, toan.id, 5, "Mất điện 5 phút");
    expect(extra.deadline!.toISOString()).toBe(new Date("2026-03-13T09:35:00+07:00").toISOString());
    expect((await s.exams.paper(toanViewer, b.attemptId)).secondsLeft).toBe(25 * 60);

    clock.set("2026-03-13T09:30:15+07:00"); // past a's deadline, inside grace
    expect(await s.exams.closeOverdue()).toEqual([]);
    clock.set("2026-03-13T09:30:21+07:00");
    const second = createExamService({ db: t.db, clock });
    const [one, two] = await Promise.all([s.exams.closeOverdue(), second.closeOverdue()]);
    expect([...one, ...two]).toEqual([a.attemptId]); // exactly once between the two "processes"
    const row = await t.db
      .selectFrom("attempt")
      .select(["status", "submitted_by", "receipt"])
      .where("id", "=", a.attemptId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "submitted", submitted_by: "server" });
    expect(row.receipt).toMatch(/^[0-9A-Z]{4}-/);
    // Toàn still has time (extra 5 minutes).
    expect(
      (await s.exams.saveAnswer(toanViewer, b.attemptId, { position: 1, chosen: [0], seq: 1, deviceToken: b.deviceToken })).applied,
    ).toBe(true);
    clock.set("2026-03-13T09:35:21+07:00");
    expect(await s.exams.closeOverdue()).toEqual([b.attemptId]);
    const trail = await t.db.selectFrom("audit_log").select(["reason"]).where("action", "=", "exam.extra_time").execute();
    expect(trail.map((r) => r.reason)).toEqual(["Mất điện 5 phút"]);
    // A practice exam can be taken again: a new paper.
    const retry = await s.exams.start(trainee, practice, { deviceId: "d1" });
    expect(retry.attemptId).not.toBe(a.attemptId);
  });
});
