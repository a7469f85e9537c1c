import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../server/seed/demo";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import { createUnit } from "../../server/organisations/service";

describe(`organisations and scope (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    s = await testServices(t);
  });
  afterAll(() => t.destroy());

  it("keeps a materialised path for every unit", async () => {
    const cell = await t.db.selectFrom("org_unit").selectAll().where("name", "=", "Chi bộ Trường THPT Tân Lập").executeTakeFirstOrThrow();
    const parts = cell.path.split("/").filter(Boolean);
    expect(parts).toHaveLength(3);
    const added = await createUnit(t.db, { parentId: cell.id, kind: "cell", name: "Tổ đảng khối 12", abbreviation: "TĐ" });
    expect(added.path).toBe(`${cell.path}${added.id}/`);
  });

  it("shows a centre admin only its own commune's units and people", async () => {
    const { viewer } = await loginAs(s, "canbo.tanlap");
    const units = await s.organisations.visibleUnits(viewer);
    expect(units.map((u) => u.name)).toContain("Chi bộ thôn Đông Hòa");
    expect(units.map((u) => u.name)).not.toContain("Chi bộ khu phố 3");
    const people = await s.organisations.people(viewer);
    expect(people.map((p) => p.full_name)).not.toContain("Đỗ Thu Hà");
    // Sorted by given name: Bình, Mai, Toàn.
    expect(people.map((p) => p.full_name)).toEqual(["Trần Văn Bình", "Nguyễn Thị Mai", "Hoàng Văn Toàn"]);
  });

  it("refuses a person of another commune, but lets the committee of the province see it", async () => {
    const ha = await t.db.selectFrom("person").select("id").where("full_name", "=", "Đỗ Thu Hà").executeTakeFirstOrThrow();
    const { viewer: tanLap } = await loginAs(s, "canbo.tanlap");
    await expect(s.organisations.person(tanLap, ha.id)).rejects.toMatchObject({ status: 403 });
    const { viewer: committee } = await loginAs(s, "bantuyengiao");
    expect((await s.organisations.person(committee, ha.id)).full_name).toBe("Đỗ Thu Hà");
    await expect(s.organisations.person(committee, 999_999)).rejects.toMatchObject({ status: 404 });
  });

  it("lets a trainee see only their own record", async () => {
    const { viewer } = await loginAs(s, "hocvien");
    expect((await s.organisations.person(viewer, viewer.personId!)).full_name).toBe("Nguyễn Thị Mai");
    const binh = await t.db.selectFrom("person").select("id").where("full_name", "=", "Trần Văn Bình").executeTakeFirstOrThrow();
    await expect(s.organisations.person(viewer, binh.id)).rejects.toMatchObject({ status: 403 });
    expect(await s.organisations.people(viewer)).toEqual([]);
  });

  it("limits a cell secretary to the cell", async () => {
    const { viewer } = await loginAs(s, "bithu");
    const people = await s.organisations.people(viewer);
    expect(people.map((p) => p.full_name).sort()).toEqual(["Nguyễn Thị Mai", "Trần Văn Bình"].sort());
  });
});
