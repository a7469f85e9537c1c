import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config";
import { validateTraineeTable } from "../../server/accounts/trainee-import";
import { headerKey } from "../../server/imports/table";

describe("configuration", () => {
  it("defaults to the embedded database", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.DEMO_SEED).toBe(false);
  });

  it("stops with a Vietnamese message that names the bad variable", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x", PORT: "cổng" })).toThrow(/PORT[\s\S]*DATABASE_URL phải bắt đầu bằng postgres/);
  });

  it("reads how many answer statements a process keeps in flight, within bounds", () => {
    expect(loadConfig({}).ANSWER_WRITERS).toBe(4);
    expect(loadConfig({ ANSWER_WRITERS: "2" }).ANSWER_WRITERS).toBe(2);
    expect(() => loadConfig({ ANSWER_WRITERS: "0" })).toThrow(/ANSWER_WRITERS/);
  });
});

describe("trainee list rows", () => {
  const units = [
    { id: 1, name: "Chi bộ Trường THPT Tân Lập", abbreviation: "CB", shortName: "CB THPT Tân Lập" },
    { id: 2, name: "Chi bộ thôn Đông Hòa", abbreviation: "CB", shortName: "CB Đông Hòa" },
  ];
  const header = [
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Tình trạng đảng viên",
    "Ngày vào Đảng",
    "Tên đăng nhập",
    "Số điện thoại",
    "Giới tính",
  ];
  const run = (...rows: string[][]) =>
    validateTraineeTable(
      { header, rows: rows.map((cells, i) => ({ row: i + 2, cells })) },
      { units, takenUsernames: new Set(["admin"]), today: "2026-03-05" },
    );

  it("matches headers without caring about case or diacritics", () => {
    expect(headerKey("  HỌ VÀ  TÊN ")).toBe(headerKey("Ho va ten"));
    expect(headerKey("Đơn vị")).toBe("don vi");
  });

  it("accepts a good row and finds the unit by its short name, ignoring diacritic-free spelling", () => {
    const r = run(["Lê Văn Tám", "1/1/2000", "cb dong hoa", "", "", "", "0912 345 678", "nam"]);
    expect(r.issues).toEqual([]);
    expect(r.rows[0]).toMatchObject({ unitId: 2, birthDate: "2000-01-01", partyStatus: "quan_chung", phone: "0912345678", gender: "nam" });
  });

  it("reports every problem of a row with its column", () => {
    const r = run(["Tám", "2027-01-01", "Chi bộ ma", "Đảng viên", "", "ad", "12345", "không rõ"]);
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => i.column)).toEqual([
      "Họ và tên",
      "Ngày sinh",
      "Giới tính",
      "Đơn vị",
      "Tình trạng đảng viên",
      "Số điện thoại",
      "Tên đăng nhập",
    ]);
  });

  it("finds duplicates inside the file and taken usernames", () => {
    const r = run(
      ["Lê Văn Tám", "01/01/2000", "CB Đông Hòa", "", "", "tam01", "", ""],
      ["Lê  Văn Tám", "1/1/2000", "CB Đông Hòa", "", "", "tam01", "", ""],
      ["Lê Văn Chín", "01/01/2000", "CB Đông Hòa", "", "", "admin", "", ""],
    );
    expect(r.issues).toEqual([
      { row: 3, column: "Tên đăng nhập", message: "Tên đăng nhập “tam01” trùng với dòng 2." },
      { row: 3, column: "Họ và tên", message: "Trùng người với dòng 2 (cùng họ tên và ngày sinh)." },
      { row: 4, column: "Tên đăng nhập", message: "Tên đăng nhập “admin” đã có người dùng." },
    ]);
  });

  it("needs an admission date for party members and refuses one for non-members", () => {
    const r = run(
      ["Lê Văn Tám", "01/01/2000", "CB Đông Hòa", "Đảng viên dự bị", "", "", "", ""],
      ["Lê Văn Mười", "01/01/2000", "CB Đông Hòa", "Quần chúng", "01/01/2025", "", "", ""],
    );
    expect(r.issues.map((i) => [i.row, i.column])).toEqual([
      [2, "Ngày vào Đảng"],
      [3, "Ngày vào Đảng"],
    ]);
  });
});
