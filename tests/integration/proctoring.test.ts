import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { createAccount } from "../../server/accounts/service";
import { createPerson } from "../../server/organisations/service";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import type { Presence } from "../../server/proctoring/service";

/**
 * Proctoring rules on a real database with an injected clock: who may watch and act,
 * the start gate and late admission, pause (time stands still), extra time, lock,
 * device takeover, force-submit, reopen, end of session, and the incident report.
 */
describe(`live proctoring (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let centre: Viewer;
  let proctor: Viewer;
  let trainee: Viewer;
  let late: Viewer;
  let examId: number;
  let attemptId: number;
  let token: string;
  const present = (...people: Viewer[]): Presence => new Map(people.map((p) => [p.personId!, { current: null }]));

  beforeAll(async () => {
    t = await testDatabase();
    s = await testServices(t, clock);
    await s.curricula.syncFromFiles();
    await s.questions.syncSeedBanks();
    await seedDemo(t.db);
    centre = (await loginAs(s, "canbo.tanlap")).viewer;
    proctor = (await loginAs(s, "giamthi")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    const klass = await t.db.selectFrom("training_class").select(["id"]).where("programme_code", "=", "hd61").executeTakeFirstOrThrow();
    const unit = await t.db.selectFrom("person").select("org_unit_id").where("id", "=", trainee.personId!).executeTakeFirstOrThrow();
    const p = await createPerson(t.db, { org_unit_id: unit.org_unit_id, full_name: "Lê Văn Đến", birth_date: "2005-01-01" });
    await t.db.insertInto("class_enrolment").values({ class_id: klass.id, person_id: p.id }).execute();
    await createAccount(t.db, {
      username: "hocvien.muon",
      password: "demo12345",
      displayName: "Lê Văn Đến",
      personId: p.id,
      roles: [{ role: "trainee", orgUnitId: unit.org_unit_id }],
    });
    late = (await loginAs(s, "hocvien.muon")).viewer;
    examId = await s.exams.createExam(centre, {
      classId: klass.id,
      title: "Kiểm tra cuối khóa",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 30,
      blueprint: [{ lesson: 1, level: "nhan_biet", count: 5, points: 2 }],
      proctorGate: true,
    });
    await s.exams.generatePapers(centre, examId);
  });
  afterAll(() => t.destroy());

  it("lets only the centre and assigned proctors act, and the committee watch", async () => {
    await expect(s.proctoring.snapshot(proctor, examId, new Map())).rejects.toMatchObject({ status: 403 });
    const other = (await loginAs(s, "canbo.binhminh")).viewer;
    await expect(s.proctoring.assignProctor(other, examId, proctor.userId)).rejects.toMatchObject({ status: 403 });
    await s.proctoring.assignProctor(centre, examId, proctor.userId);
    const snap = await s.proctoring.snapshot(proctor, examId, new Map());
    expect(snap.canAct).toBe(true);
    const names = snap.rows.map((r) => r.name);
    // Vietnamese order: by given name first (Đến before Mai), whatever else the demo class holds.
    expect(names.indexOf("Lê Văn Đến")).toBeLessThan(names.indexOf("Nguyễn Thị Mai"));
    expect(
      snap.rows.filter((r) => r.personId === trainee.personId || r.personId === late.personId).every((r) => r.status === "ready"),
    ).toBe(true);
    const committee = (await loginAs(s, "bantuyengiao")).viewer;
    expect((await s.proctoring.snapshot(committee, examId, new Map())).canAct).toBe(false);
    await expect(s.proctoring.act(committee, examId, { type: "start_all" }, new Map())).rejects.toMatchObject({ status: 403 });
    await expect(s.proctoring.snapshot(other, examId, new Map())).rejects.toMatchObject({ status: 403 });
    // The other centre sees only its own sessions (the demo gives Bình Minh one of its own).
    expect(new Set((await s.proctoring.sessions(other)).map((x) => x.centreName))).toEqual(
      new Set(["Trung tâm Chính trị phường Bình Minh"]),
    );
    expect((await s.proctoring.sessions(proctor)).map((x) => x.id)).toContain(examId);
  });

  it("holds everyone at the gate, starts the waiting room together and admits late arrivals", async () => {
    clock.set("2026-03-13T08:01:00+07:00");
    await expect(s.exams.start(trainee, examId, { deviceId: "phone" })).rejects.toMatchObject({ code: "waiting_for_proctor" });
    const r = await s.proctoring.act(proctor, examId, { type: "start_all" }, present(trainee));
    expect(r.notices).toContainEqual(expect.objectContaining({ room: `exam:${examId}:trainees`, event: "exam:started" }));
    clock.advance(2_001); // the exam row memo lives two seconds on the injected clock
    const paper = await s.exams.start(trainee, examId, { deviceId: "phone", ip: "203.0.113.7" });
    attemptId = paper.attemptId;
    token = paper.deviceToken;
    expect(paper.secondsLeft).toBe(30 * 60);
    // The start stored the address: the same one again is no event; another one is, once.
    expect(await s.proctoring.noteAddress(trainee, attemptId, "203.0.113.7")).toBeNull();
    expect(await s.proctoring.noteAddress(trainee, attemptId, "198.51.100.2")).toMatchObject({ kind: "ip_change" });
    expect(await s.proctoring.noteAddress(trainee, attemptId, "198.51.100.2")).toBeNull();
    expect(await s.proctoring.noteAddress(late, attemptId, "192.0.2.1")).toBeNull(); // not their attempt
    await expect(s.exams.start(late, examId, { deviceId: "tablet" })).rejects.toMatchObject({ code: "waiting_for_admission" });
    await s.proctoring.act(proctor, examId, { type: "admit", personId: late.personId!, reason: "Đến muộn vì mưa" }, present(trainee, late));
    expect((await s.exams.start(late, examId, { deviceId: "tablet" })).status).toBe("in_progress");
  });

  it("stops the clock while paused and refuses answers until resumed", async () => {
    const paper = await s.exams.paper(trainee, attemptId);
    const before = new Date(paper.deadline!).getTime();
    await expect(s.proctoring.act(proctor, examId, { type: "pause", reason: " " }, new Map())).rejects.toThrow("Hãy ghi lý do.");
    const paused = await s.proctoring.act(proctor, examId, { type: "pause", reason: "Mất điện phòng thi" }, present(trainee, late));
    expect(paused.changed).toEqual(expect.arrayContaining([trainee.personId!, late.personId!]));
    await expect(s.exams.saveAnswer(trainee, attemptId, { position: 1, chosen: [0], seq: 1, deviceToken: token })).rejects.toMatchObject({
      code: "paused",
    });
    clock.advance(5 * 60_000);
    // Paused attempts are never closed by the deadline job.
    clock.advance(40 * 60_000);
    expect(await s.exams.closeOverdue()).toEqual([]);
    const resumed = await s.proctoring.act(proctor, examId, { type: "resume" }, present(trainee, late));
    const pushed = resumed.notices.find((n) => n.room === `attempt:${attemptId}`)!;
    expect(new Date(pushed.payload.deadline as string).getTime()).toBe(before + 45 * 60_000);
    expect((await s.exams.saveAnswer(trainee, attemptId, { position: 1, chosen: [0], seq: 1, deviceToken: token })).applied).toBe(true);
  });

  it("adds time, locks, takes over a device with approval, force-submits and reopens — each logged", async () => {
    const before = new Date((await s.exams.paper(trainee, attemptId)).deadline!).getTime();
    const added = await s.proctoring.act(
      proctor,
      examId,
      { type: "add_time", personId: trainee.personId!, minutes: 5, reason: "Máy hết pin" },
      new Map(),
    );
    expect(new Date(added.notices[0]!.payload.deadline as string).getTime()).toBe(before + 5 * 60_000);

    await s.proctoring.act(proctor, examId, { type: "lock", attemptId, reason: "Trao đổi bài" }, new Map());
    await expect(s.exams.saveAnswer(trainee, attemptId, { position: 2, chosen: [0], seq: 1, deviceToken: token })).rejects.toMatchObject({
      code: "locked",
    });
    await s.proctoring.act(proctor, examId, { type: "unlock", attemptId }, new Map());

    await expect(s.exams.start(trainee, examId, { deviceId: "laptop" })).rejects.toMatchObject({ code: "device_conflict" });
    expect(await s.proctoring.requestTakeover(trainee, examId, "laptop")).toMatchObject({ kind: "second_device" });
    const [row] = await s.proctoring.rowsFor(examId, [trainee.personId!], new Map());
    expect(row!.takeoverPending).toBe(true);
    await s.proctoring.act(
      proctor,
      examId,
      { type: "approve_takeover", attemptId, reason: "Điện thoại hỏng, chuyển sang máy tính" },
      new Map(),
    );
    expect((await s.exams.start(trainee, examId, { deviceId: "laptop" })).attemptId).toBe(attemptId);
    await expect(s.exams.start(trainee, examId, { deviceId: "phone", deviceToken: token })).rejects.toMatchObject({
      code: "device_conflict",
    });

    const forced = await s.proctoring.act(proctor, examId, { type: "force_submit", attemptId, reason: "Sử dụng tài liệu" }, new Map());
    expect(forced.notices[0]).toMatchObject({ event: "exam:closed" });
    expect(
      await t.db.selectFrom("attempt").select(["status", "submitted_by"]).where("id", "=", attemptId).executeTakeFirstOrThrow(),
    ).toEqual({ status: "submitted", submitted_by: "proctor" });
    await s.proctoring.act(proctor, examId, { type: "reopen", attemptId, minutes: 10, reason: "Thu nhầm bài" }, new Map());
    const reopened = await s.exams.paper(trainee, attemptId);
    expect(reopened.status).toBe("in_progress");
    expect(reopened.secondsLeft).toBe(10 * 60);

    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_type", "in", ["attempt", "exam"]).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["exam.extra_time", "exam.lock", "exam.device_takeover", "exam.force_submit", "exam.reopen"]),
    );
  });

  it("records integrity signals without acting on them, ends the session once and prints the incident report", async () => {
    await s.proctoring.recordIntegrity(trainee, examId, "page_hidden", { clientAt: "x" });
    await expect(s.proctoring.recordIntegrity((await loginAs(s, "bithu")).viewer, examId, "paste", {})).rejects.toMatchObject({
      status: 403,
    });
    expect((await s.exams.paper(trainee, attemptId)).status).toBe("in_progress");
    const ended = await s.proctoring.act(proctor, examId, { type: "end_session", reason: "Hết giờ thi" }, new Map());
    expect(ended.message).toMatch(/thu \d+ bài/);
    expect(
      await t.db.selectFrom("attempt").select("id").where("exam_id", "=", examId).where("status", "=", "in_progress").execute(),
    ).toEqual([]);
    await expect(s.proctoring.act(proctor, examId, { type: "end_session", reason: "Lần nữa" }, new Map())).rejects.toMatchObject({
      status: 400,
    });
    await expect(s.exams.start(trainee, examId, { deviceId: "laptop" })).rejects.toBeTruthy();

    const { pdf } = await s.proctoring.incidentReportPdf(proctor, examId);
    const dir = mkdtempSync(path.join(tmpdir(), "bien-ban-"));
    writeFileSync(path.join(dir, "bb.pdf"), pdf);
    const text = execFileSync("pdftotext", [path.join(dir, "bb.pdf"), "-"]).toString();
    const number = /Số (\d+)-BB\/TTCT/.exec(text)?.[1];
    expect(number).toBeTruthy();
    // Reprinting keeps the number taken in the register at the first printing.
    const again = await s.proctoring.incidentReportPdf(proctor, examId);
    writeFileSync(path.join(dir, "bb2.pdf"), again.pdf);
    expect(execFileSync("pdftotext", [path.join(dir, "bb2.pdf"), "-"]).toString()).toContain(`Số ${number}-BB/TTCT`);
    for (const expected of [
      "BIÊN BẢN",
      "Kiểm tra cuối khóa",
      "Nguyễn Thị Mai",
      "Lê Văn Đến",
      "Mất điện phòng thi",
      "Sử dụng tài liệu",
      "Rời khỏi trang thi",
      "Thu nhầm bài",
    ]) {
      expect(text.replace(/\s+/g, " ")).toContain(expected);
    }
  });
});
