import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));

describe(`trainee account import (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-05T08:00:00+07:00");
  const count = async (table: "person" | "user_account") =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    s = await testServices(t, clock);
  });
  afterAll(() => t.destroy());

  it("previews a valid CSV, imports it, and the issued accounts must change password", async () => {
    const { viewer } = await loginAs(s, "canbo.tanlap");
    const before = await count("person");
    const preview = await s.accounts.previewTraineeImport(viewer, { name: "hoc-vien-hop-le.csv", bytes: fixture("hoc-vien-hop-le.csv") });
    expect(preview.issues).toEqual([]);
    expect(preview.rows.map((r) => [r.row, r.fullName, r.birthDate, r.unitName, r.partyStatus])).toEqual([
      [2, "Lê Thị Thu Hằng", "2006-02-14", "Chi bộ Trường THPT Tân Lập", "quan_chung"],
      [3, "Vàng A Páo", "1999-11-03", "Chi bộ thôn Đông Hòa", "quan_chung"],
      [4, "Nguyễn Văn Đức", "1995-07-20", "Chi bộ thôn Đông Hòa", "du_bi"],
    ]);
    expect(preview.rows[1]!.education).toBe("thcs");
    expect(preview.rows[2]!.position).toBe("Trưởng thôn, tổ trưởng tổ hòa giải");
    expect(await count("person")).toBe(before); // preview changes nothing

    const creds = await s.accounts.commitTraineeImport(viewer, preview.batchId, { onlyValid: false });
    expect(creds.map((c) => c.username)).toEqual(["hv260001", "hv260002", "nvduc95"]);
    expect(await count("person")).toBe(before + 3);
    const login = await s.auth.login({ username: creds[0]!.username, password: creds[0]!.password, ip: "10.9.0.1" });
    expect(login).toMatchObject({ ok: true, viewer: { mustChangePassword: true, displayName: "Lê Thị Thu Hằng" } });
    const stored = await t.db
      .selectFrom("user_account")
      .select("password_hash")
      .where("username", "=", "hv260001")
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    const entry = await t.db.selectFrom("audit_log").selectAll().where("action", "=", "accounts.imported").executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ created: 3 });
    await expect(s.accounts.commitTraineeImport(viewer, preview.batchId, { onlyValid: false })).rejects.toMatchObject({ status: 400 });
  });

  it("lists every bad row with its number and column, and imports nothing unless told to skip them", async () => {
    const { viewer } = await loginAs(s, "canbo.tanlap");
    const before = await count("user_account");
    const preview = await s.accounts.previewTraineeImport(viewer, { name: "hoc-vien-co-loi.csv", bytes: fixture("hoc-vien-co-loi.csv") });
    expect(preview.issues.map((i) => [i.row, i.column])).toEqual([
      [3, "Ngày sinh"],
      [4, "Đơn vị"],
      [5, "Ngày vào Đảng"],
      [6, "Tên đăng nhập"],
    ]);
    expect(preview.issues[0]!.message).toContain("31/02/2005");
    expect(preview.issues[1]!.message).toContain("Chi bộ khu phố 3"); // another commune: out of scope
    expect(preview.issues[3]!.message).toContain("đã có người dùng");
    await expect(s.accounts.commitTraineeImport(viewer, preview.batchId, { onlyValid: false })).rejects.toMatchObject({ status: 400 });
    expect(await count("user_account")).toBe(before);
    const creds = await s.accounts.commitTraineeImport(viewer, preview.batchId, { onlyValid: true });
    expect(creds.map((c) => c.fullName)).toEqual(["Phạm Minh Tuấn"]);
    expect(creds[0]!.username).toBe("hv260003");
  });

  it("reads a real .xlsx with date cells and rich text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("DS");
    ws.addRow(["HỌ VÀ TÊN", "Ngày sinh", "Đơn vị"]);
    ws.addRow([
      { richText: [{ text: "Trịnh " }, { text: "Thị Yến", font: { bold: true } }] },
      new Date(Date.UTC(2005, 8, 2)),
      "CB THPT Tân Lập",
    ]);
    ws.addRow([]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const { viewer } = await loginAs(s, "canbo.tanlap");
    const preview = await s.accounts.previewTraineeImport(viewer, { name: "danh-sach.xlsx", bytes });
    expect(preview.issues).toEqual([]);
    expect(preview.rows).toMatchObject([
      { row: 2, fullName: "Trịnh Thị Yến", birthDate: "2005-09-02", unitName: "Chi bộ Trường THPT Tân Lập" },
    ]);
  });

  it("gives a clear message for a wrong encoding, a broken workbook or a missing column", async () => {
    const { viewer } = await loginAs(s, "canbo.tanlap");
    await expect(s.accounts.previewTraineeImport(viewer, { name: "sai-ma-hoa.csv", bytes: fixture("sai-ma-hoa.csv") })).rejects.toThrow(
      /UTF-8/,
    );
    await expect(
      s.accounts.previewTraineeImport(viewer, { name: "hong.xlsx", bytes: new TextEncoder().encode("không phải excel") }),
    ).rejects.toThrow(/bị hỏng/);
    await expect(s.accounts.previewTraineeImport(viewer, { name: "ds.pdf", bytes: new Uint8Array([1]) })).rejects.toThrow(
      /Chỉ nhận tệp Excel/,
    );
    const p = await s.accounts.previewTraineeImport(viewer, {
      name: "thieu-cot.csv",
      bytes: new TextEncoder().encode("Họ và tên,Đơn vị\nA B,CB Đông Hòa\n"),
    });
    expect(p.issues).toEqual([{ row: 1, column: "Ngày sinh", message: expect.stringContaining("Thiếu cột") }]);
  });

  it("refuses the import to people without the centre role, and someone else's batch", async () => {
    const { viewer: secretary } = await loginAs(s, "bithu");
    await expect(
      s.accounts.previewTraineeImport(secretary, { name: "a.csv", bytes: fixture("hoc-vien-hop-le.csv") }),
    ).rejects.toMatchObject({ status: 403 });
    const { viewer: tanLap } = await loginAs(s, "canbo.tanlap");
    const preview = await s.accounts.previewTraineeImport(tanLap, { name: "hoc-vien-hop-le.csv", bytes: fixture("hoc-vien-hop-le.csv") });
    const { viewer: binhMinh } = await loginAs(s, "canbo.binhminh");
    await expect(s.accounts.commitTraineeImport(binhMinh, preview.batchId, { onlyValid: true })).rejects.toMatchObject({ status: 403 });
  });
});
