import type { Database } from "../db";
import type { Viewer } from "../auth/scope";
import type { Config } from "../config";
import { manualClock } from "../clock";
import { createPerson } from "../organisations/service";
import { createCurriculaService } from "../curricula/service";
import { createExamService } from "../exams/service";
import { DEFAULT_POLICY } from "../exams/scoring";
import { createClassRecordsService } from "../classes/records-service";
import { defaultTimetable } from "../classes/timetable";
import type { AttendanceStatus } from "../db/schema-class-records";

/**
 * Demo data for this capability; runs after the base demo (units, people, classes,
 * accounts, exam) exists. Find rows by name. The HD 61 class of Tân Lập (9–13/3/2026)
 * gets its timetable, attendance, a few more trainees with every kind of outcome, the
 * final essay's scores, results and issued certificates — so the register, the
 * documents and the public verification page can be tried right after `npm start`.
 */
export async function seedClassRecordsDemo(db: Database): Promise<void> {
  const klass = await db
    .selectFrom("training_class")
    .select(["id", "centre_id", "starts_on"])
    .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026")
    .executeTakeFirst();
  const mai = await db.selectFrom("person").select(["id", "org_unit_id"]).where("full_name", "=", "Nguyễn Thị Mai").executeTakeFirst();
  const admin = await db.selectFrom("user_account").select(["id"]).where("username", "=", "canbo.tanlap").executeTakeFirst();
  const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd61").executeTakeFirst();
  const village = await db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ thôn Đông Hòa").executeTakeFirst();
  const centreUnit = await db.selectFrom("org_unit").select(["id", "path"]).where("name", "=", "Đảng ủy xã Tân Lập").executeTakeFirst();
  if (!klass || !mai || !admin || !bank || !village || !centreUnit) return;

  // A few classmates from two cells, each showing one kind of result.
  const classmates = [
    { name: "Lê Văn Đức", unit: village.id, birth: "1999-05-14", score: 9.2, absent: [] as number[], breach: false },
    { name: "Phạm Thị Hường", unit: mai.org_unit_id, birth: "2006-08-30", score: 7.5, absent: [4], breach: false },
    { name: "Trần Quốc Việt", unit: village.id, birth: "1997-02-11", score: 4.0, absent: [], breach: false },
    { name: "Vũ Ngọc Ánh", unit: mai.org_unit_id, birth: "2006-01-21", score: null, absent: [2, 3, 6], breach: false },
    { name: "Đặng Minh Khôi", unit: village.id, birth: "1995-12-02", score: 8.0, absent: [], breach: true },
  ];
  const people = [{ id: mai.id, name: "Nguyễn Thị Mai", score: 8.5 as number | null, absent: [7], breach: false }];
  for (const c of classmates) {
    const p = await createPerson(db, {
      org_unit_id: c.unit,
      full_name: c.name,
      birth_date: c.birth,
      gender: null,
      ethnicity: "Kinh",
      education_level: "thpt",
    });
    await db.insertInto("class_enrolment").values({ class_id: klass.id, person_id: p.id }).execute();
    people.push({ id: p.id, name: c.name, score: c.score, absent: c.absent, breach: c.breach });
  }

  const clock = manualClock("2026-03-09T07:00:00+07:00");
  const curricula = createCurriculaService({ db, clock });
  const exams = createExamService({ db, clock });
  const service = createClassRecordsService({ db, clock, config: { PORT: 3000 } as Config, curricula, exams });
  const staff: Viewer = {
    userId: admin.id,
    username: "canbo.tanlap",
    displayName: "Cán bộ Trung tâm",
    personId: null,
    mustChangePassword: false,
    sessionId: "",
    roles: [{ role: "centre_admin", orgUnitId: centreUnit.id, orgPath: centreUnit.path, orgName: "Đảng ủy xã Tân Lập", readOnly: false }],
  };

  // The programme's timetable, lecturers by session.
  const tt = await service.timetable(staff, klass.id);
  const rows = defaultTimetable(tt.outline, klass.starts_on ?? "2026-03-09").map((r, i) => ({
    ...r,
    lecturerName: i % 2 === 0 ? "Nguyễn Văn Khánh" : "Lê Văn Hùng",
  }));
  await service.saveTimetable(staff, klass.id, rows, null);

  const sessions = await db.selectFrom("class_session").select(["id", "seq"]).where("class_id", "=", klass.id).orderBy("seq").execute();
  for (const s of sessions)
    for (const p of people) {
      const status: AttendanceStatus = p.absent.includes(s.seq)
        ? s.seq === 4 || s.seq === 7
          ? "vang_co_phep"
          : "vang_khong_phep"
        : s.seq === 2 && p.id === mai.id
          ? "di_muon"
          : "co_mat";
      await service.markAttendance(staff, { sessionId: s.id, personId: p.id, status, method: "manual" });
    }
  for (const p of people.filter((x) => x.breach))
    await service.addConduct(staff, {
      classId: klass.id,
      personId: p.id,
      severity: "serious",
      description: "Sử dụng tài liệu không được phép trong buổi viết bài thu hoạch.",
    });

  // The final essay (bài thu hoạch), graded: scores stored as a finished official assessment.
  const exam = await db
    .insertInto("exam")
    .values({
      class_id: klass.id,
      bank_id: bank.id,
      title: "Bài thu hoạch cuối khóa",
      kind: "official",
      opens_at: "2026-03-13T13:30:00+07:00",
      closes_at: "2026-03-13T16:30:00+07:00",
      duration_minutes: 150,
      blueprint: JSON.stringify([]),
      policy: JSON.stringify(DEFAULT_POLICY),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const p of people) {
    if (p.score === null) continue;
    const band = DEFAULT_POLICY.bands.find((b) => p.score! >= b.min)!;
    await db
      .insertInto("attempt")
      .values({
        exam_id: exam.id,
        person_id: p.id,
        seed: `demo-${p.id}`,
        status: "submitted",
        started_at: "2026-03-13T13:35:00+07:00",
        submitted_at: "2026-03-13T15:50:00+07:00",
        submitted_by: "trainee",
        earned: p.score,
        max_points: 10,
        score: p.score,
        band: band.code,
        passed: p.score >= DEFAULT_POLICY.passMark,
      })
      .execute();
  }

  clock.set("2026-03-16T09:00:00+07:00");
  await service.computeResults(staff, klass.id);
  await service.issueForClass(staff, klass.id, "2026-03-20");
}
