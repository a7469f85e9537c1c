import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { classQrCode } from "../../server/classes/attendance";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";

const CLASS_NAME = "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026";
// The trainees this capability's demo adds (other demos add more people to the same class).
const OURS = new Set(["Vũ Ngọc Ánh", "Lê Văn Đức", "Phạm Thị Hường", "Đặng Minh Khôi", "Nguyễn Thị Mai", "Trần Quốc Việt"]);
const dir = mkdtempSync(join(tmpdir(), "class-records-"));

function pdfText(bytes: Uint8Array): string {
  const f = join(dir, `t${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, bytes);
  return execFileSync("pdftotext", ["-layout", f, "-"], { encoding: "utf8" });
}

describe(`class records (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let staff: Viewer;
  let other: Viewer;
  let trainee: Viewer;
  let classId: number;
  const clock = manualClock("2026-03-16T09:00:00+07:00");
  const personId = async (name: string) =>
    (await t.db.selectFrom("person").select("id").where("full_name", "=", name).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock, { PUBLIC_URL: "https://boiduong.example.vn" }));
    staff = (await loginAs(s, "canbo.tanlap")).viewer;
    other = (await loginAs(s, "canbo.binhminh")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    classId = (await t.db.selectFrom("training_class").select("id").where("name", "=", CLASS_NAME).executeTakeFirstOrThrow()).id;
  }, 60_000);
  afterAll(() => t.destroy());

  it("the demo's certificates obey the register's rules: a pass behind each, the documented number and code (issue 20, point 5)", async () => {
    // A valid certificate's holder passed in that class.
    const certs = await t.db
      .selectFrom("certificate as z")
      .leftJoin("class_result as r", (j) => j.onRef("r.class_id", "=", "z.class_id").onRef("r.person_id", "=", "z.person_id"))
      .select(["z.number_label", "z.verification_code", "r.passed"])
      .where("z.status", "=", "valid")
      .execute();
    expect(certs.filter((c) => c.passed !== true)).toEqual([]);
    for (const c of certs) {
      expect(c.number_label).toMatch(/^\d{4,}\/GCN-TTCT$/);
      expect(c.verification_code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{16}$/);
    }
  });

  it("the demo gives Bình Minh its own plan item, nomination, exam with a submitted attempt and issued certificates (for the authorization sweep)", async () => {
    const centre = (
      await t.db
        .selectFrom("training_centre")
        .select("id")
        .where("name", "=", "Trung tâm Chính trị phường Bình Minh")
        .executeTakeFirstOrThrow()
    ).id;
    const items = await t.db.selectFrom("training_plan_item").select("id").where("centre_id", "=", centre).execute();
    expect(items.length).toBeGreaterThan(0);
    const nominations = await t.db
      .selectFrom("nomination")
      .select("status")
      .where(
        "plan_item_id",
        "in",
        items.map((i) => i.id),
      )
      .execute();
    expect(nominations).toContainEqual({ status: "approved" });
    const view = await s.classPlan.openingView(other, items[0]!.id);
    expect(view.approved.map((a) => a.fullName)).toEqual(["Đỗ Thu Hà"]);
    const attempts = await t.db
      .selectFrom("attempt as a")
      .innerJoin("exam as e", "e.id", "a.exam_id")
      .innerJoin("training_class as c", "c.id", "e.class_id")
      .select("a.status")
      .where("c.centre_id", "=", centre)
      .execute();
    expect(attempts).toContainEqual({ status: "awaiting_grading" }); // submitted; its essay awaits the lecturer
    // Issued through the register: a valid certificate behind a pass in its class (checked for all above).
    const certs = await t.db.selectFrom("certificate").select(["status", "number_label"]).where("centre_id", "=", centre).execute();
    expect(certs.length).toBeGreaterThan(0);
    expect(certs[0]).toMatchObject({ status: "valid", number_label: "0001/GCN-TTCT" });
    expect(
      await s.classRecords.register(
        other,
        (await t.db.selectFrom("certificate").select("class_id").where("centre_id", "=", centre).executeTakeFirstOrThrow()).class_id,
      ),
    ).toMatchObject({ canEdit: true });
  });

  it("the demo class has a timetable that adds up, results of every kind, and certificates numbered per centre and year", async () => {
    const tt = await s.classRecords.timetable(staff, classId);
    expect(tt.sessions).toHaveLength(10);
    expect(tt.check).toMatchObject({ errors: [], deviations: [], totalPeriods: 50 });

    const r = await s.classRecords.results(staff, classId);
    const by = Object.fromEntries(r.lines.map((l) => [l.fullName, l]));
    // Sorted by given name the Vietnamese way: Ánh, Đức, Hường, Khôi, Mai, Việt.
    expect(r.lines.map((l) => l.fullName).filter((n) => OURS.has(n))).toEqual([
      "Vũ Ngọc Ánh",
      "Lê Văn Đức",
      "Phạm Thị Hường",
      "Đặng Minh Khôi",
      "Nguyễn Thị Mai",
      "Trần Quốc Việt",
    ]);
    expect(by["Lê Văn Đức"]).toMatchObject({ outcome: "passed", bandLabel: "Giỏi", certificateNumber: "0001/GCN-TTCT" });
    expect(by["Phạm Thị Hường"]).toMatchObject({
      outcome: "passed",
      bandLabel: "Khá",
      absentPeriods: 5,
      certificateNumber: "0002/GCN-TTCT",
    });
    expect(by["Nguyễn Thị Mai"]).toMatchObject({
      outcome: "passed",
      bandLabel: "Khá",
      scoreText: "8,5",
      certificateNumber: "0003/GCN-TTCT",
    });
    expect(by["Vũ Ngọc Ánh"]).toMatchObject({ outcome: "restudy", absentPeriods: 15, certificateNumber: null });
    expect(by["Trần Quốc Việt"]).toMatchObject({ outcome: "resit", failReason: "Điểm 4,0 dưới mức đạt (5,0): được kiểm tra lại." });
    expect(by["Đặng Minh Khôi"]).toMatchObject({ outcome: "withheld", certificateNumber: null });

    // The contract columns other capabilities read.
    const row = await t.db
      .selectFrom("class_result")
      .selectAll()
      .where("class_id", "=", classId)
      .where("person_id", "=", await personId("Lê Văn Đức"))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ score: 9.2, band: "gioi", passed: true, fail_reason: null });
  });

  it("keeps other centres out", async () => {
    await expect(s.classRecords.results(other, classId)).rejects.toMatchObject({ status: 403 });
    await expect(s.classRecords.issueForClass(other, classId, "2026-03-20")).rejects.toMatchObject({ status: 403 });
    await expect(s.classRecords.attendanceBoard(trainee, classId)).rejects.toMatchObject({ status: 403 });
  });

  it("a timetable that deviates needs a reason; a session with attendance cannot be dropped", async () => {
    const tt = await s.classRecords.timetable(staff, classId);
    const rows = tt.sessions.map((x) => ({
      onDate: x.on_date,
      part: x.part,
      topic: x.topic,
      periods: x.periods,
      lecturerName: x.lecturer_name,
    }));
    const shorter = rows.map((r, i) => (i === 9 ? { ...r, periods: 4 } : r));
    const refused = await s.classRecords.saveTimetable(staff, classId, shorter, "");
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.problems).toContain("Lịch học khác chương trình: hãy ghi lý do điều chỉnh.");
    expect(await s.classRecords.saveTimetable(staff, classId, shorter, "Buổi cuối rút ngắn do trùng lịch họp Đảng ủy")).toEqual({
      ok: true,
      deviations: expect.any(Array),
    });
    expect((await s.classRecords.timetable(staff, classId)).reason).toBe("Buổi cuối rút ngắn do trùng lịch họp Đảng ủy");
    const dropped = await s.classRecords.saveTimetable(staff, classId, rows.slice(0, 9), "bớt buổi");
    expect(dropped).toMatchObject({
      ok: false,
      problems: ["Không thể bỏ bớt buổi học đã có điểm danh. Hãy giữ nguyên số buổi hoặc sửa nội dung buổi đó."],
    });
    expect(await s.classRecords.saveTimetable(staff, classId, rows, null)).toMatchObject({ ok: true, deviations: [] });
    const log = await t.db.selectFrom("audit_log").select(["reason"]).where("action", "=", "timetable.save").execute();
    expect(log.map((l) => l.reason)).toContain("Buổi cuối rút ngắn do trùng lịch họp Đảng ủy");
  });

  it("a trainee checks in once with the rotating class QR; an expired or foreign code is refused", async () => {
    const sessions = (await s.classRecords.timetable(staff, classId)).sessions;
    const ninth = sessions.find((x) => x.seq === 9)!; // 13/03 morning
    const tenth = sessions.find((x) => x.seq === 10)!;
    await t.db.deleteFrom("attendance").where("session_id", "=", ninth.id).where("person_id", "=", trainee.personId!).execute();
    clock.set("2026-03-13T07:35:00+07:00");
    const qr = await s.classRecords.classQr(staff, ninth.id);
    expect(qr.path).toBe(`/diem-danh/quet?s=${ninth.id}&t=${qr.t}&h=${qr.h}`);
    await expect(s.classRecords.classQr(other, ninth.id)).rejects.toMatchObject({ status: 403 });

    clock.advance(10_000);
    expect(await s.classRecords.checkIn(trainee, { s: ninth.id, t: qr.t, h: qr.h })).toMatchObject({
      ok: true,
      already: false,
      sessionTitle: expect.stringContaining("Buổi 9"),
    });
    expect(await s.classRecords.checkIn(trainee, { s: ninth.id, t: qr.t, h: qr.h })).toMatchObject({ ok: true, already: true });
    const mark = await t.db
      .selectFrom("attendance")
      .selectAll()
      .where("session_id", "=", ninth.id)
      .where("person_id", "=", trainee.personId!)
      .executeTakeFirstOrThrow();
    expect(mark).toMatchObject({ status: "co_mat", method: "class_qr" });

    // The same code for another session, forged, or a minute later.
    const forTenth = await s.classRecords.checkIn(trainee, { s: tenth.id, t: qr.t, h: qr.h });
    expect(forTenth).toMatchObject({ ok: false });
    clock.advance(60_000);
    const late = await s.classRecords.checkIn(trainee, { s: ninth.id, t: qr.t, h: qr.h });
    expect(late).toEqual({
      ok: false,
      code: "expired",
      message: "Mã điểm danh đã hết hạn (mỗi mã chỉ dùng được trong một phút). Hãy quét mã mới đang chiếu trên màn hình.",
    });
    // A genuine code of a session on another day.
    const secret = (await t.db.selectFrom("server_secret").select("value").where("name", "=", "attendance_qr").executeTakeFirstOrThrow())
      .value;
    const c10 = classQrCode(secret, tenth.id, clock.now());
    expect(await s.classRecords.checkIn(trainee, { s: tenth.id, t: c10.t, h: c10.h })).toMatchObject({ ok: true }); // 13/03 afternoon is the same day
    const first = sessions.find((x) => x.seq === 1)!;
    const c1 = classQrCode(secret, first.id, clock.now());
    expect(await s.classRecords.checkIn(trainee, { s: first.id, t: c1.t, h: c1.h })).toEqual({
      ok: false,
      message: "Buổi học này không diễn ra hôm nay.",
    });
  });

  it("staff scan a trainee's personal QR; a made-up code or another class's trainee is refused", async () => {
    const sessions = (await s.classRecords.timetable(staff, classId)).sessions;
    const mai = trainee.personId!;
    await t.db.deleteFrom("attendance").where("session_id", "=", sessions[0]!.id).where("person_id", "=", mai).execute();
    const payload = await s.classRecords.traineeQrPayload(mai);
    expect(await s.classRecords.scanTrainee(staff, sessions[0]!.id, payload)).toEqual({
      ok: true,
      fullName: "Nguyễn Thị Mai",
      already: false,
    });
    expect(await s.classRecords.scanTrainee(staff, sessions[0]!.id, payload)).toEqual({
      ok: true,
      fullName: "Nguyễn Thị Mai",
      already: true,
    });
    expect(await s.classRecords.scanTrainee(staff, sessions[0]!.id, payload.replace(`.${mai}.`, `.${mai + 1}.`))).toEqual({
      ok: false,
      message: "Mã QR này không phải mã học viên của hệ thống.",
    });
    const toan = await s.classRecords.traineeQrPayload(await personId("Hoàng Văn Toàn"));
    expect(await s.classRecords.scanTrainee(staff, sessions[0]!.id, toan)).toEqual({ ok: false, message: "Học viên này không thuộc lớp." });
  });

  it("the absence threshold and a re-sit flow into the results", async () => {
    const viet = await personId("Trần Quốc Việt");
    const sessions = (await s.classRecords.timetable(staff, classId)).sessions;
    // Three unexcused absences = 15 of 50 periods: over 20 %.
    for (const x of sessions.slice(0, 3))
      await s.classRecords.markAttendance(staff, { sessionId: x.id, personId: viet, status: "vang_khong_phep" });
    await s.classRecords.computeResults(staff, classId);
    let line = (await s.classRecords.results(staff, classId)).lines.find((l) => l.personId === viet)!;
    expect(line).toMatchObject({
      outcome: "restudy",
      failReason: "Vắng quá 20% số tiết của chương trình: không đủ điều kiện kiểm tra, học lại với lớp sau.",
    });
    // Back to two absences (the third was excused but the policy excludes excused ones) and a passed re-sit.
    await s.classRecords.savePolicy(staff, classId, { ...(await s.classRecords.policy(staff, classId)).policy, excusedCounts: false });
    await s.classRecords.markAttendance(staff, { sessionId: sessions[2]!.id, personId: viet, status: "vang_co_phep" });
    const exam = await t.db.selectFrom("exam").select("id").where("title", "=", "Bài thu hoạch cuối khóa").executeTakeFirstOrThrow();
    await t.db
      .insertInto("attempt")
      .values({
        exam_id: exam.id,
        person_id: viet,
        attempt_no: 2,
        seed: "resit",
        status: "submitted",
        score: 6.5,
        band: "trung_binh",
        passed: true,
      })
      .execute();
    await s.classRecords.computeResults(staff, classId);
    line = (await s.classRecords.results(staff, classId)).lines.find((l) => l.personId === viet)!;
    expect(line).toMatchObject({ outcome: "passed", bandLabel: "Trung bình", absentPeriods: 10 });
    const bad = await s.classRecords.savePolicy(staff, classId, {
      ...(await s.classRecords.policy(staff, classId)).policy,
      maxAbsentShare: 3,
    });
    expect(bad).toEqual({ ok: false, problems: ["Tỉ lệ vắng từ 0 đến 100%"] });
  });

  it("issues once per trainee and programme, concurrently without duplicate numbers", async () => {
    const runs = await Promise.allSettled([
      s.classRecords.issueForClass(staff, classId, "2026-03-20"),
      s.classRecords.issueForClass(staff, classId, "2026-03-20"),
    ]);
    const issued = runs.map((r) => (r.status === "fulfilled" ? r.value.issued : -1)).sort();
    expect(issued).toEqual([0, 1]); // only Việt (passed at the re-sit) was missing
    const reg = await s.classRecords.register(staff, classId);
    const ours = reg.certificates.filter((c) => OURS.has(c.full_name));
    // Another demo wrote serial 4 straight into the register: the counter steps over it.
    expect(ours.map((c) => [c.full_name, c.number_label])).toEqual([
      ["Lê Văn Đức", "0001/GCN-TTCT"],
      ["Phạm Thị Hường", "0002/GCN-TTCT"],
      ["Nguyễn Thị Mai", "0003/GCN-TTCT"],
      ["Trần Quốc Việt", "0005/GCN-TTCT"],
    ]);
    expect(reg.awaiting).toEqual([]);
    expect(new Set(reg.certificates.map((c) => c.verification_code)).size).toBe(reg.certificates.length);
  });

  it("a course survey required for the certificate gates the trainee's download until it is sent; the class print is not gated", async () => {
    const survey = await t.db
      .selectFrom("survey")
      .select(["id", "title"])
      .where("class_id", "=", classId)
      .where("kind", "=", "course")
      .where("required_for_certificate", "=", true)
      .executeTakeFirstOrThrow();
    const mine = await s.classRecords.myCertificates(trainee);
    expect(mine).toHaveLength(1);
    // The page names the survey to send first and links to it.
    expect(mine[0]!.surveyRequired).toEqual({ id: survey.id, title: survey.title });
    await expect(s.classRecords.certificatePdf(trainee, mine[0]!.id)).rejects.toMatchObject({
      status: 403,
      code: "survey_required",
      survey: { id: survey.id },
    });
    // Nor does the centre fetch it for her through the trainee's download.
    await expect(s.classRecords.certificatePdf(staff, mine[0]!.id)).rejects.toMatchObject({ status: 403, code: "survey_required" });
    // The centre's print of the whole class is not held up by one missing answer.
    const bulk = await s.classRecords.classCertificatesPdf(staff, classId);
    const valid = (await s.classRecords.register(staff, classId)).certificates.filter((c) => c.status === "valid");
    expect(valid.map((c) => c.id)).toContain(mine[0]!.id);
    expect(bulk.count).toBe(valid.length);
    const answers = { nd1: "5", nd2: "4", gv1: "5", gv2: "4", tc1: "3", tc2: "4", vc1: "2", tg: "1", y1: "", y2: "" };
    expect(await s.surveys.submit(trainee, survey.id, answers)).toEqual({ ok: true });
    expect((await s.classRecords.myCertificates(trainee))[0]!.surveyRequired).toBeNull();
    expect((await s.classRecords.certificatePdf(trainee, mine[0]!.id)).bytes.byteLength).toBeGreaterThan(10_000);
  });

  it("reissue and revoke act only on a certificate of the class in the address (404 otherwise, nothing written)", async () => {
    const reg = await s.classRecords.register(staff, classId);
    const mai = reg.certificates.find((c) => c.full_name === "Nguyễn Thị Mai")!;
    // Another class of the same centre: the admin reaches it, but the certificate is not of it.
    const otherClass = (
      await t.db
        .selectFrom("training_class")
        .select("id")
        .where("name", "=", "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 1 năm 2026")
        .executeTakeFirstOrThrow()
    ).id;
    await expect(s.classRecords.reissue(staff, mai.id, "Sai ngày sinh trên giấy cũ", otherClass)).rejects.toMatchObject({ status: 404 });
    await expect(s.classRecords.revoke(staff, mai.id, "Phát hiện hồ sơ không hợp lệ", otherClass)).rejects.toMatchObject({ status: 404 });
    const after = await t.db.selectFrom("certificate").select("status").where("id", "=", mai.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("valid");
  });

  it("reissue supersedes with a logged reason, revocation is audited, the public page shows only the allowed fields", async () => {
    const reg = await s.classRecords.register(staff, classId);
    const mai = reg.certificates.find((c) => c.full_name === "Nguyễn Thị Mai")!;
    await expect(s.classRecords.reissue(staff, mai.id, "")).rejects.toMatchObject({ status: 400 });
    const re = await s.classRecords.reissue(staff, mai.id, "Sai ngày sinh trên giấy cũ");
    expect(re.number).toBe("0006/GCN-TTCT");
    await expect(s.classRecords.reissue(staff, mai.id, "lần nữa nhé")).rejects.toMatchObject({ status: 400 });
    const old = await s.classRecords.verify(mai.verification_code);
    expect(old).toEqual({
      fullName: "Nguyễn Thị Mai",
      programmeName: "Bồi dưỡng nhận thức về Đảng",
      className: CLASS_NAME,
      centreName: "Trung tâm Chính trị xã Tân Lập",
      number: "0003/GCN-TTCT",
      issuedOn: "2026-03-20",
      status: "superseded",
      valid: false,
    });
    const fresh = (await s.classRecords.register(staff, classId)).certificates.find((c) => c.id === re.id)!;
    expect(await s.classRecords.verify(fresh.verification_code.toLowerCase())).toMatchObject({ valid: true, number: "0006/GCN-TTCT" });
    expect(await s.classRecords.verify("ZZZZZZZZZZZZZZZZ")).toBeNull();
    expect(await s.classRecords.verify("../../etc")).toBeNull();

    const duc = reg.certificates.find((c) => c.full_name === "Lê Văn Đức")!;
    await s.classRecords.revoke(staff, duc.id, "Phát hiện hồ sơ cử đi học không hợp lệ");
    expect(await s.classRecords.verify(duc.verification_code)).toMatchObject({ valid: false, status: "revoked" });
    const log = await t.db.selectFrom("audit_log").select(["action", "reason"]).where("entity_type", "=", "certificate").execute();
    expect(log).toEqual(
      expect.arrayContaining([
        { action: "certificate.reissue", reason: "Sai ngày sinh trên giấy cũ" },
        { action: "certificate.revoke", reason: "Phát hiện hồ sơ cử đi học không hợp lệ" },
      ]),
    );
    // Holder-only download: her own, yes; someone else's, no.
    expect((await s.classRecords.certificatePdf(trainee, re.id)).bytes.byteLength).toBeGreaterThan(10_000);
    const hu = reg.certificates.find((c) => c.full_name === "Phạm Thị Hường")!;
    await expect(s.classRecords.certificatePdf(trainee, hu.id)).rejects.toMatchObject({ status: 403 });
    expect((await s.classRecords.myCertificates(trainee)).map((c) => c.number_label)).toEqual(["0006/GCN-TTCT"]);
  });

  it("bulk certificates, results notice and class report carry the Vietnamese text exactly", async () => {
    const bulk = await s.classRecords.classCertificatesPdf(staff, classId);
    const valid = (await s.classRecords.register(staff, classId)).certificates.filter((c) => c.status === "valid");
    expect(bulk.count).toBe(valid.length); // Đức revoked, Mai's old one superseded
    const text = pdfText(bulk.bytes);
    for (const w of ["GIẤY CHỨNG NHẬN", "Nguyễn Thị Mai", "Phạm Thị Hường", "Trần Quốc Việt", "0006/GCN-TTCT", "TRUNG TÂM CHÍNH TRỊ"])
      expect(text).toContain(w);
    expect(text).not.toContain("0003/GCN-TTCT");
    expect(text).not.toContain("Lê Văn Đức");

    const docs = await s.classRecords.documents(staff, classId);
    const school = docs.units.find((u) => u.unitName === "Chi bộ Trường THPT Tân Lập")!;
    const notice = await s.classRecords.resultsNotice(staff, classId, school.unitId, "pdf");
    expect(notice.number).toBe("01-TB/TTCT");
    const nt = pdfText(notice.bytes);
    for (const w of [
      "THÔNG BÁO",
      "Số 01-TB/TTCT",
      "Kết quả học tập của học viên lớp bồi dưỡng nhận thức về Đảng",
      "Nguyễn Thị Mai",
      "Phạm Thị Hường",
      "Vũ Ngọc Ánh",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Chi bộ Trường THPT Tân Lập",
    ])
      expect(nt).toContain(w);
    expect(nt).not.toContain("Lê Văn Đức"); // another unit's trainee
    // A reprint is the same document with the same number; another unit gets the next one.
    expect((await s.classRecords.resultsNotice(staff, classId, school.unitId, "docx")).number).toBe("01-TB/TTCT");
    const village = docs.units.find((u) => u.unitName === "Chi bộ thôn Đông Hòa")!;
    expect((await s.classRecords.resultsNotice(staff, classId, village.unitId, "pdf")).number).toBe("02-TB/TTCT");

    const report = await s.classRecords.classReport(staff, classId, "pdf");
    const rt = pdfText(report.bytes);
    const total = (await s.classRecords.results(staff, classId)).lines.length;
    for (const w of ["BÁO CÁO", "Số 01-BC/TTCT", `Tổng số học viên: ${total}`, "Thường trực Đảng ủy xã Tân Lập"]) expect(rt).toContain(w);
    await expect(s.classRecords.classReport(other, classId, "pdf")).rejects.toMatchObject({ status: 403 });

    // Templates are editable; a misspelt field is named and nothing is saved.
    expect(await s.classRecords.saveTemplates(staff, classId, { noticeClosing: "Đề nghị {donvi} theo dõi." })).toMatchObject({ ok: false });
    expect(
      await s.classRecords.saveTemplates(staff, classId, {
        noticeClosing: "Đề nghị {don_vi} tiếp tục bồi dưỡng, giới thiệu học viên đủ điều kiện.",
      }),
    ).toEqual({ ok: true });
    const again = pdfText((await s.classRecords.resultsNotice(staff, classId, school.unitId, "pdf")).bytes).replace(/\s+/g, " ");
    expect(again).toContain("Đề nghị Chi bộ Trường THPT Tân Lập tiếp tục bồi dưỡng, giới thiệu học viên đủ điều kiện.");

    const xlsx = await s.classRecords.resultsXlsx(staff, classId);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(2)
      .values.slice(2)
      .filter((n) => OURS.has(String(n)));
    expect(names).toEqual(["Vũ Ngọc Ánh", "Lê Văn Đức", "Phạm Thị Hường", "Đặng Minh Khôi", "Nguyễn Thị Mai", "Trần Quốc Việt"]);
  }, 60_000);

  it.skipIf(TEST_DB !== "pglite" || !existsSync("/usr/bin/soffice"))(
    "the class report's .docx opens in LibreOffice",
    async () => {
      const docx = await s.classRecords.classReport(staff, classId, "docx");
      const f = join(dir, "report.docx");
      writeFileSync(f, docx.bytes);
      execFileSync("soffice", ["--headless", "--convert-to", "pdf", "--outdir", dir, f], {
        timeout: 90_000,
        stdio: "ignore",
        env: { ...process.env, HOME: dir },
      });
      // Table cells may wrap a name over two lines: compare with white space folded.
      const text = pdfText(readFileSync(join(dir, "report.pdf"))).replace(/\s+/g, " ");
      expect(text).toContain("BÁO CÁO");
      expect(text).toContain("Nguyễn Thị Mai");
    },
    120_000,
  );
});
