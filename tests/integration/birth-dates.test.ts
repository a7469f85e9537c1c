import { afterAll, beforeAll, describe, expect, it } from "vitest";
import JSZip from "jszip";
import { sql } from "kysely";
import { migrateDownOne, migrateToLatest } from "../../server/db/migrate";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

// Issue 14, item 2: birth dates are checked by the database, the demo data keeps to
// them, and the class papers never fail on one record: they flag it and name it.
describe(`birth dates (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const docxText = async (bytes: Uint8Array) =>
    (await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string")).replace(/<\/w:p>/g, "\n").replace(/<[^>]+>/g, "");

  beforeAll(async () => {
    ({ t, s } = await demoServices());
  });
  afterAll(() => t.destroy());

  it("the demo data has only real birth dates from 1900 to today", async () => {
    const bad = await t.db
      .selectFrom("person")
      .select(["full_name", sql<string>`birth_date::text`.as("birth")])
      .where((eb) => eb.or([eb("birth_date", "<", "1900-01-01"), eb("birth_date", ">", sql<string>`current_date`)]))
      .execute();
    expect(bad).toEqual([]);
    const n = await t.db
      .selectFrom("person")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("birth_date", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(50);
  });

  it("the database refuses a birth date before 1900 or after today, and keeps a blank one", async () => {
    const unit = (await t.db.selectFrom("org_unit").select("id").limit(1).executeTakeFirstOrThrow()).id;
    const insert = (birth: string | null) =>
      t.db
        .insertInto("person")
        .values({ org_unit_id: unit, full_name: "Thử Ngày Sinh", birth_date: birth, gender: null, ethnicity: null, education_level: null })
        .execute();
    for (const bad of ["19100-05-18", "1899-12-31", "2999-01-01"])
      await expect(insert(bad), bad).rejects.toThrow(/person_birth_date_range/);
    await expect(insert(null)).resolves.toBeDefined();
    await expect(insert("1900-01-01")).resolves.toBeDefined();
    await t.db.deleteFrom("person").where("full_name", "=", "Thử Ngày Sinh").execute();
  });

  it("the migration clears an impossible stored date and logs what it was", async () => {
    // Down to just before the check (later migrations first), then up again.
    const undone: string[] = [];
    for (let m = await migrateDownOne(t.db); m; m = m === "20261207_0014_birth_date_check" ? null : await migrateDownOne(t.db))
      undone.push(m);
    expect(undone.at(-1)).toBe("20261207_0014_birth_date_check");
    const unit = (await t.db.selectFrom("org_unit").select("id").limit(1).executeTakeFirstOrThrow()).id;
    const p = await t.db
      .insertInto("person")
      .values({ org_unit_id: unit, full_name: "Hồ Sơ Cũ", birth_date: "19102-04-16", gender: null, ethnicity: null, education_level: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await migrateToLatest(t.db)).toEqual([...undone].reverse());
    expect((await t.db.selectFrom("person").select("birth_date").where("id", "=", p.id).executeTakeFirstOrThrow()).birth_date).toBeNull();
    const log = await t.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("entity_type", "=", "person")
      .where("entity_id", "=", String(p.id))
      .execute();
    expect(log).toEqual([{ action: "person.birth_date_cleared", details: { birthDate: "19102-04-16" } }]);
    await t.db.deleteFrom("person").where("id", "=", p.id).execute();
  });

  it("the nomination form refuses an impossible birth date with a message saying what to fix", async () => {
    const { viewer } = await loginAs(s, "bithu");
    const unit = (await t.db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ Trường THPT Tân Lập").executeTakeFirstOrThrow())
      .id;
    const nominate = (birthDate: string) =>
      s.classPlan.nominate(viewer, { programmeCode: "hd61", unitId: unit, person: { fullName: "Đinh Văn Thử", birthDate } });
    await expect(nominate("1899-12-31")).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("Ngày sinh 31/12/1899 không hợp lý: phải từ 01/01/1900 đến hôm nay"),
    });
    await expect(nominate("2999-01-01")).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("Ngày sinh 01/01/2999 không hợp lý"),
    });
    await expect(nominate("19100-05-18")).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("không phải ngày hợp lệ"),
    });
    expect(await t.db.selectFrom("person").select("id").where("full_name", "=", "Đinh Văn Thử").execute()).toEqual([]);
  });

  it("every demo class's decision renders in PDF and Word", async () => {
    const admins = [(await loginAs(s, "canbo.tanlap")).viewer, (await loginAs(s, "canbo.binhminh")).viewer];
    const classes = await t.db
      .selectFrom("training_class as c")
      .innerJoin("class_enrolment as e", "e.class_id", "c.id")
      .select("c.id")
      .distinct()
      .execute();
    expect(classes.length).toBeGreaterThanOrEqual(4);
    for (const { id } of classes) {
      let done = 0;
      for (const admin of admins) {
        const pdf = await s.classPlan
          .decisionFile(admin, id, "pdf")
          .catch((e: { status?: number }) => (e.status === 403 ? null : Promise.reject(e)));
        if (!pdf) continue;
        expect(pdf.bytes.length, `class ${id}`).toBeGreaterThan(1000);
        expect((await s.classPlan.decisionFile(admin, id, "docx")).bytes.length).toBeGreaterThan(1000);
        done++;
      }
      expect(done, `class ${id}: no centre admin could print its decision`).toBe(1);
    }
  });

  it("a trainee without a birth date is flagged in the decision and the letter and named on the papers page", async () => {
    const { viewer: centre } = await loginAs(s, "canbo.tanlap");
    const klass = await t.db
      .selectFrom("training_class as c")
      .innerJoin("training_centre as tc", "tc.id", "c.centre_id")
      .innerJoin("class_enrolment as e", "e.class_id", "c.id")
      .innerJoin("person as p", "p.id", "e.person_id")
      .select(["c.id", "p.id as person_id", "p.full_name"])
      .where("tc.name", "=", "Trung tâm Chính trị xã Tân Lập")
      .orderBy("c.id")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("person").set({ birth_date: null }).where("id", "=", klass.person_id).execute();

    const papers = await s.classPlan.classPapers(centre, klass.id);
    expect(papers.birthDatesToFix).toEqual([
      expect.objectContaining({ personId: klass.person_id, fullName: klass.full_name, problem: "chưa có ngày sinh" }),
    ]);

    const decision = await docxText((await s.classPlan.decisionFile(centre, klass.id, "docx")).bytes);
    expect(decision).toContain("[Chưa có ngày sinh — cần bổ sung]");
    const letter = await s.classPlan.callUpLetters(centre, klass.id, {
      personId: klass.person_id,
      format: "docx",
      confirm: true,
      origin: "http://bd.test",
    });
    expect(await docxText(letter.bytes)).toContain("Ngày sinh: [Chưa có ngày sinh — cần bổ sung]");
  });

  it("a passed trainee without a birth date is flagged in the results notice and on the certificate, and named on both pages", async () => {
    const { viewer: centre } = await loginAs(s, "canbo.tanlap");
    const mai = await t.db
      .selectFrom("class_result as r")
      .innerJoin("person as p", "p.id", "r.person_id")
      .innerJoin("training_class as c", "c.id", "r.class_id")
      .select(["r.class_id", "p.id", "p.full_name", "p.org_unit_id"])
      .where("p.full_name", "=", "Nguyễn Thị Mai")
      .where("c.name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("person").set({ birth_date: null }).where("id", "=", mai.id).execute();
    const named = [expect.objectContaining({ personId: mai.id, fullName: "Nguyễn Thị Mai", problem: "chưa có ngày sinh" })];

    expect((await s.classRecords.documents(centre, mai.class_id)).birthDatesToFix).toEqual(named);
    const notice = await docxText((await s.classRecords.resultsNotice(centre, mai.class_id, mai.org_unit_id, "docx")).bytes);
    expect(notice).toContain("[Chưa có ngày sinh — cần bổ sung]");

    const register = await s.classRecords.register(centre, mai.class_id);
    expect(register.birthDatesToFix).toEqual(named);
    const cert = register.certificates.find((c) => c.person_id === mai.id && c.status === "valid")!;
    const pdf = await s.classRecords
      .certificatePdf(centre, cert.id)
      .catch((e: { status?: number }) => (e.status === 403 ? null : Promise.reject(e)));
    if (pdf) expect(pdf.bytes.length).toBeGreaterThan(1000);
  });
});
