import type { Database } from "../db";
import { createPerson } from "../organisations/service";

/**
 * Demo data for the class plan (issue #7, part 1): the 2026 plan of Trung tâm Chính trị
 * xã Tân Lập, the base demo's HD 61 and HD 60 classes linked to it, and nominations from
 * the two cells in every state (pending, approved, rejected with a reason, one that needs
 * an education override). Runs after the base demo; finds rows by name.
 */
export async function seedClassPlanDemo(db: Database): Promise<void> {
  const centre = await db
    .selectFrom("training_centre")
    .select(["id", "org_unit_id"])
    .where("name", "=", "Trung tâm Chính trị xã Tân Lập")
    .executeTakeFirst();
  const programmes = new Set((await db.selectFrom("programme").select("code").execute()).map((r) => r.code));
  if (!centre || !programmes.has("hd61") || !programmes.has("hd60") || !programmes.has("hd59")) return;
  const unit = async (name: string) => (await db.selectFrom("org_unit").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  const school = await unit("Chi bộ Trường THPT Tân Lập");
  const village = await unit("Chi bộ thôn Đông Hòa");
  const secretary = await db.selectFrom("user_account").select("id").where("username", "=", "bithu").executeTakeFirst();
  const board = await db.selectFrom("user_account").select("id").where("username", "=", "bantochuc").executeTakeFirst();

  const item = async (
    programme_code: string,
    label: string,
    month: number,
    target_size: number,
    intended_group: string,
    notes: string | null = null,
  ) =>
    (
      await db
        .insertInto("training_plan_item")
        .values({ centre_id: centre.id, year: 2026, programme_code, label, month, target_size, intended_group, notes })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const hd61a = await item("hd61", "Khóa 1", 3, 60, "giáo viên, học sinh", "Ưu tiên học sinh lớp 12 đủ tuổi");
  const hd61b = await item("hd61", "Khóa 2", 9, 80, "đoàn viên thanh niên, hội viên");
  const hd60a = await item("hd60", "Khóa 1", 4, 40, "đảng viên dự bị");
  await item("hd59", "Khóa 1", 10, 50, "bí thư, phó bí thư, chi ủy viên chi bộ");

  // The base demo's classes belong to the plan.
  const classOf = (code: string) =>
    db
      .selectFrom("training_class")
      .select("id")
      .where("centre_id", "=", centre.id)
      .where("programme_code", "=", code)
      .orderBy("id")
      .executeTakeFirst();
  const c61 = await classOf("hd61");
  const c60 = await classOf("hd60");
  if (c61)
    await db
      .updateTable("training_class")
      .set({ plan_item_id: hd61a, cohort_label: "Khóa 1 năm 2026", venue: "Hội trường Đảng ủy xã Tân Lập" })
      .where("id", "=", c61.id)
      .execute();
  if (c60)
    await db
      .updateTable("training_class")
      .set({ plan_item_id: hd60a, cohort_label: "Khóa 1 năm 2026", venue: "Hội trường Đảng ủy xã Tân Lập" })
      .where("id", "=", c60.id)
      .execute();

  const person = async (name: string) => db.selectFrom("person").select("id").where("full_name", "=", name).executeTakeFirst();
  const decided = (status: "approved" | "rejected", reason: string | null = null) => ({
    status,
    decision_reason: reason,
    decided_by: board?.id ?? null,
    decided_at: new Date("2026-02-20T09:00:00+07:00"),
  });
  const mai = await person("Nguyễn Thị Mai");
  const toan = await person("Hoàng Văn Toàn");
  if (mai && c61)
    await db
      .insertInto("nomination")
      .values({
        person_id: mai.id,
        programme_code: "hd61",
        unit_id: school,
        plan_item_id: hd61a,
        class_id: c61.id,
        created_by: secretary?.id ?? null,
        ...decided("approved"),
      })
      .execute();
  if (toan && c60)
    await db
      .insertInto("nomination")
      .values({
        person_id: toan.id,
        programme_code: "hd60",
        unit_id: village,
        plan_item_id: hd60a,
        class_id: c60.id,
        ...decided("approved"),
      })
      .execute();

  const nominee = async (
    unitId: number,
    p: { full_name: string; birth_date: string; gender: string; ethnicity: string; education_level: string; position: string },
    nomination: Record<string, unknown>,
  ) => {
    const row = await createPerson(db, { org_unit_id: unitId, ...p });
    await db
      .insertInto("nomination")
      .values({
        person_id: row.id,
        programme_code: "hd61",
        unit_id: unitId,
        plan_item_id: hd61b,
        created_by: unitId === school ? (secretary?.id ?? null) : null,
        ...nomination,
      })
      .execute();
  };
  await nominee(
    school,
    {
      full_name: "Lê Minh Khôi",
      birth_date: "2007-08-21",
      gender: "nam",
      ethnicity: "Kinh",
      education_level: "thpt",
      position: "Học sinh lớp 12A2",
    },
    {},
  );
  await nominee(
    school,
    {
      full_name: "Phạm Thu Trang",
      birth_date: "1996-05-14",
      gender: "nu",
      ethnicity: "Kinh",
      education_level: "dai_hoc",
      position: "Giáo viên Ngữ văn",
    },
    decided("approved"),
  );
  await nominee(
    school,
    {
      full_name: "Vũ Đức Long",
      birth_date: "2009-01-09",
      gender: "nam",
      ethnicity: "Kinh",
      education_level: "thcs",
      position: "Học sinh lớp 11A1",
    },
    decided("rejected", "Chưa đủ tuổi theo kế hoạch năm 2026 (sinh sau ngày 30/06/2008); đề cử lại vào năm sau."),
  );
  await nominee(
    village,
    {
      full_name: "Lò Văn Páo",
      birth_date: "1994-03-02",
      gender: "nam",
      ethnicity: "Mông",
      education_level: "tieu_hoc",
      position: "Trưởng thôn",
    },
    { note: "Người dân tộc Mông, đề nghị xét ngoại lệ trình độ học vấn" },
  );
  await nominee(
    village,
    {
      full_name: "Đinh Thị Hằng",
      birth_date: "1999-12-30",
      gender: "nu",
      ethnicity: "Kinh",
      education_level: "cao_dang",
      position: "Y sĩ trạm y tế",
    },
    decided("approved"),
  );
}
