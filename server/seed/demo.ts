import type { Database } from "../db";
import type { Role } from "../db/schema";
import { createAccount } from "../accounts/service";
import { createPerson, createUnit } from "../organisations/service";
import { createExamService } from "../exams/service";
import { DEFAULT_POLICY } from "../exams/scoring";
import { systemClock } from "../clock";
import { seedClassPlanDemo } from "./demo-class-plan";
import { seedClassRecordsDemo } from "./demo-class-records";
import { seedSurveysDemo } from "./demo-surveys";
import { seedExamGradingDemo } from "./demo-exam-grading";
import { seedBinhMinhDemo } from "./demo-binh-minh";

/**
 * A fictional province with two commune-level committees, their political centres
 * and a few party cells, plus one account per role. Names are invented.
 */
export const DEMO_PASSWORD = "demo12345";

export interface DemoAccount {
  username: string;
  role: Role;
  label: string;
  unit: string;
}

export async function seedDemo(db: Database): Promise<DemoAccount[] | null> {
  const existing = await db.selectFrom("user_account").select("id").limit(1).executeTakeFirst();
  if (existing) return null;

  const province = await createUnit(db, {
    parentId: null,
    kind: "province",
    name: "Tỉnh ủy An Khánh",
    abbreviation: "TU",
    shortName: "Tỉnh ủy",
    termLabel: "2025-2030",
    termStart: "2025-10-01",
    placeName: "An Khánh",
  });
  const tanLap = await createUnit(db, {
    parentId: province.id,
    kind: "commune",
    name: "Đảng ủy xã Tân Lập",
    abbreviation: "ĐU",
    shortName: "Đảng ủy xã",
    termLabel: "2025-2030",
    termStart: "2025-07-01",
    placeName: "Tân Lập",
  });
  const binhMinh = await createUnit(db, {
    parentId: province.id,
    kind: "commune",
    name: "Đảng ủy phường Bình Minh",
    abbreviation: "ĐU",
    shortName: "Đảng ủy phường",
    termLabel: "2025-2030",
    termStart: "2025-07-01",
    placeName: "Bình Minh",
  });
  const cellSchool = await createUnit(db, {
    parentId: tanLap.id,
    kind: "cell",
    name: "Chi bộ Trường THPT Tân Lập",
    abbreviation: "CB",
    shortName: "CB THPT Tân Lập",
  });
  const cellVillage = await createUnit(db, {
    parentId: tanLap.id,
    kind: "cell",
    name: "Chi bộ thôn Đông Hòa",
    abbreviation: "CB",
    shortName: "CB Đông Hòa",
  });
  const cellBm = await createUnit(db, {
    parentId: binhMinh.id,
    kind: "cell",
    name: "Chi bộ khu phố 3",
    abbreviation: "CB",
    shortName: "CB KP3",
  });

  const [centreTanLap] = await db
    .insertInto("training_centre")
    .values([
      { org_unit_id: tanLap.id, name: "Trung tâm Chính trị xã Tân Lập", abbreviation: "TTCT", director_name: "Lê Văn Hùng" },
      { org_unit_id: binhMinh.id, name: "Trung tâm Chính trị phường Bình Minh", abbreviation: "TTCT", director_name: "Phạm Thị Lan" },
    ])
    .returning("id")
    .execute();

  const trainee = await createPerson(db, {
    org_unit_id: cellSchool.id,
    full_name: "Nguyễn Thị Mai",
    birth_date: "2006-04-12",
    gender: "nu",
    ethnicity: "Kinh",
    education_level: "thpt",
    position: "Học sinh lớp 12A1",
  });
  const secretary = await createPerson(db, {
    org_unit_id: cellSchool.id,
    full_name: "Trần Văn Bình",
    birth_date: "1975-09-02",
    gender: "nam",
    ethnicity: "Kinh",
    education_level: "dai_hoc",
    party_status: "chinh_thuc",
    admission_date: "2001-05-19",
    position: "Bí thư chi bộ",
  });
  const toan = await createPerson(db, {
    org_unit_id: cellVillage.id,
    full_name: "Hoàng Văn Toàn",
    birth_date: "1990-01-20",
    gender: "nam",
    ethnicity: "Tày",
    education_level: "thpt",
    party_status: "du_bi",
    admission_date: "2026-06-15",
  });
  await createPerson(db, {
    org_unit_id: cellBm.id,
    full_name: "Đỗ Thu Hà",
    birth_date: "1998-11-03",
    gender: "nu",
    ethnicity: "Kinh",
    education_level: "dai_hoc",
  });

  // Classes need the programmes loaded from content/curricula (main.ts syncs them first).
  const programmes = new Set((await db.selectFrom("programme").select("code").execute()).map((r) => r.code));
  let hd61ClassId: number | null = null;
  if (programmes.has("hd61")) {
    const c = await db
      .insertInto("training_class")
      .values({
        centre_id: centreTanLap!.id,
        programme_code: "hd61",
        name: "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026",
        starts_on: "2026-03-09",
        ends_on: "2026-03-13",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("class_enrolment").values({ class_id: c.id, person_id: trainee.id }).execute();
    hd61ClassId = c.id;
  }
  if (programmes.has("hd60")) {
    const c = await db
      .insertInto("training_class")
      .values({
        centre_id: centreTanLap!.id,
        programme_code: "hd60",
        name: "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 1 năm 2026",
        starts_on: "2026-04-06",
        ends_on: "2026-04-14",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("class_enrolment").values({ class_id: c.id, person_id: toan.id }).execute();
  }

  const accounts: (DemoAccount & { unitId: number; personId?: number; readOnly?: boolean })[] = [
    { username: "admin", role: "admin", label: "Quản trị hệ thống", unit: province.name, unitId: province.id },
    {
      username: "canbo.tanlap",
      role: "centre_admin",
      label: "Cán bộ Trung tâm Chính trị xã Tân Lập",
      unit: tanLap.name,
      unitId: tanLap.id,
    },
    {
      username: "canbo.binhminh",
      role: "centre_admin",
      label: "Cán bộ Trung tâm Chính trị phường Bình Minh",
      unit: binhMinh.name,
      unitId: binhMinh.id,
    },
    { username: "giangvien", role: "lecturer", label: "Giảng viên Nguyễn Văn Khánh", unit: tanLap.name, unitId: tanLap.id },
    { username: "giamthi", role: "proctor", label: "Giám thị Vũ Thị Hạnh", unit: tanLap.name, unitId: tanLap.id },
    { username: "bantochuc", role: "organisation_board", label: "Ban Tổ chức Đảng ủy xã Tân Lập", unit: tanLap.name, unitId: tanLap.id },
    { username: "bantuyengiao", role: "committee", label: "Ban Tuyên giáo và Dân vận Tỉnh ủy", unit: province.name, unitId: province.id },
    {
      username: "bithu",
      role: "unit_secretary",
      label: "Trần Văn Bình",
      unit: cellSchool.name,
      unitId: cellSchool.id,
      personId: secretary.id,
    },
    { username: "hocvien", role: "trainee", label: "Nguyễn Thị Mai", unit: cellSchool.name, unitId: cellSchool.id, personId: trainee.id },
  ];
  for (const a of accounts) {
    await createAccount(db, {
      username: a.username,
      password: DEMO_PASSWORD,
      displayName: a.label,
      personId: a.personId ?? null,
      roles: [{ role: a.role, orgUnitId: a.unitId, readOnly: a.readOnly }],
    });
  }
  // A practice test open all year, so the demo trainee can try the exam screen at once.
  const bank = hd61ClassId
    ? await db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd61").executeTakeFirst()
    : undefined;
  if (hd61ClassId && bank) {
    const exam = await db
      .insertInto("exam")
      .values({
        class_id: hd61ClassId,
        bank_id: bank.id,
        title: "Bài kiểm tra thử — nhận thức về Đảng",
        kind: "practice",
        // A practice test teaches: the answers and explanations right after submitting.
        review_policy: "answers_after_submit",
        opens_at: "2026-01-01T00:00:00+07:00",
        closes_at: "2027-12-31T23:59:00+07:00",
        duration_minutes: 20,
        blueprint: JSON.stringify([1, 2, 3, 4, 5].map((lesson) => ({ lesson, level: "nhan_biet", count: 2, points: 1 }))),
        policy: JSON.stringify(DEFAULT_POLICY),
        max_attempts: 100,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await createExamService({ db, clock: systemClock }).generatePapers(null, exam.id);
    // An official session with a proctor who starts the room (live proctoring).
    const session = await db
      .insertInto("exam")
      .values({
        class_id: hd61ClassId,
        bank_id: bank.id,
        title: "Kiểm tra kết thúc khóa học — ca 1",
        kind: "official",
        opens_at: "2026-01-01T00:00:00+07:00",
        closes_at: "2027-12-31T23:59:00+07:00",
        duration_minutes: 30,
        blueprint: JSON.stringify([1, 2, 3, 4, 5].map((lesson) => ({ lesson, level: "nhan_biet", count: 2, points: 1 }))),
        policy: JSON.stringify(DEFAULT_POLICY),
        max_attempts: 1,
        proctor_gate: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await createExamService({ db, clock: systemClock }).generatePapers(null, session.id);
    const proctor = await db.selectFrom("user_account").select("id").where("username", "=", "giamthi").executeTakeFirstOrThrow();
    await db.insertInto("exam_proctor").values({ exam_id: session.id, user_id: proctor.id, assigned_at: new Date() }).execute();
  }

  // Each later capability adds its own demo rows, in dependency order.
  await seedClassPlanDemo(db);
  await seedClassRecordsDemo(db);
  await seedSurveysDemo(db);
  await seedExamGradingDemo(db);
  await seedBinhMinhDemo(db);

  return accounts.map(({ username, role, label, unit }) => ({ username, role, label, unit }));
}
