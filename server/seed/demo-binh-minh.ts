import type { Database } from "../db";
import type { Viewer } from "../auth/scope";
import type { Config } from "../config";
import { manualClock } from "../clock";
import { createCurriculaService } from "../curricula/service";
import { createExamService } from "../exams/service";
import { createClassRecordsService } from "../classes/records-service";
import { refreshClassFigures } from "../dashboards/refresh";
import { seedSatEssayTest } from "./demo-exam-grading";

/**
 * The second commune's own exam, plan and register rows (Đảng ủy phường Bình Minh), so
 * that the authorization sweep (docs/security.md) can try every Tân Lập role against a
 * Bình Minh plan item, nomination, exam, attempt and certificate — not only the reverse.
 * Runs last; finds rows by name. No new login: the trainee sits the test through the
 * exam service as a person, the way the grading demo's trainee does.
 */
export async function seedBinhMinhDemo(db: Database): Promise<void> {
  const centre = await db
    .selectFrom("training_centre")
    .select(["id", "org_unit_id"])
    .where("name", "=", "Trung tâm Chính trị phường Bình Minh")
    .executeTakeFirst();
  const commune = await db
    .selectFrom("org_unit")
    .select(["id", "path", "name"])
    .where("name", "=", "Đảng ủy phường Bình Minh")
    .executeTakeFirst();
  const cell = await db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ khu phố 3").executeTakeFirst();
  const current = await db
    .selectFrom("training_class")
    .select("id")
    .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026 (Bình Minh)")
    .executeTakeFirst();
  const past = await db
    .selectFrom("training_class")
    .select("id")
    .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2025 (Bình Minh)")
    .executeTakeFirst();
  const ha = await db.selectFrom("person").select("id").where("full_name", "=", "Đỗ Thu Hà").executeTakeFirst();
  const admin = await db.selectFrom("user_account").select("id").where("username", "=", "canbo.binhminh").executeTakeFirst();
  const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", "hd61").executeTakeFirst();
  const essays = await db.selectFrom("question").select("id").where("key", "=", "hd61-tl-01").executeTakeFirst();
  if (!centre || !commune || !cell || !current || !past || !ha || !admin || !bank || !essays) return;

  // The plan: a second HD 61 course in the autumn, with the cell's approved nominee.
  const item = await db
    .insertInto("training_plan_item")
    .values({
      centre_id: centre.id,
      year: 2026,
      programme_code: "hd61",
      label: "Khóa 2",
      month: 11,
      target_size: 40,
      intended_group: "đoàn viên, hội viên khu phố",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("nomination")
    .values({
      person_id: ha.id,
      programme_code: "hd61",
      unit_id: cell.id,
      plan_item_id: item.id,
      status: "approved",
      decided_at: new Date("2026-09-15T09:00:00+07:00"),
    })
    .execute();

  // A mid-course test of this year's class, sat and submitted by one trainee (its essay awaits grading).
  const clock = manualClock("2026-06-10T08:00:00+07:00");
  const exams = createExamService({ db, clock });
  const sitter = await db
    .selectFrom("class_enrolment as e")
    .innerJoin("person as p", "p.id", "e.person_id")
    .select(["p.id", "p.full_name"])
    .where("e.class_id", "=", current.id)
    .orderBy("p.id")
    .executeTakeFirstOrThrow();
  const trainee: Viewer = {
    userId: "",
    username: "",
    displayName: sitter.full_name,
    personId: sitter.id,
    mustChangePassword: false,
    sessionId: "",
    roles: [],
  };
  await seedSatEssayTest(db, exams, clock, {
    classId: current.id,
    bankId: bank.id,
    title: "Kiểm tra giữa khóa — lớp Bình Minh 2026",
    opensAt: "2026-06-10T08:00:00+07:00",
    closesAt: "2026-06-10T10:00:00+07:00",
    startsAt: "2026-06-10T08:05:00+07:00",
    trainee,
    essay: "Đảng viên phải trung thành với lý tưởng của Đảng, không ngừng học tập, rèn luyện và liên hệ chặt chẽ với nhân dân.",
  });

  // Certificates of last year's class, issued through the register from its results.
  clock.set("2025-08-12T09:00:00+07:00");
  const curricula = createCurriculaService({ db, clock });
  const records = createClassRecordsService({ db, clock, config: { PORT: 3000 } as Config, curricula, exams });
  const staff: Viewer = {
    userId: admin.id,
    username: "canbo.binhminh",
    displayName: "Cán bộ Trung tâm",
    personId: null,
    mustChangePassword: false,
    sessionId: "",
    roles: [{ role: "centre_admin", orgUnitId: commune.id, orgPath: commune.path, orgName: commune.name, readOnly: false }],
  };
  await records.issueForClass(staff, past.id, "2025-08-12");
  await refreshClassFigures(db, [past.id, current.id]);
}
