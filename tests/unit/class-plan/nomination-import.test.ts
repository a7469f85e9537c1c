import { describe, expect, it } from "vitest";
import { validateNomineeTable } from "../../../server/classes/nomination-import";

const units = [
  { id: 7, name: "Chi bộ Trường THPT Tân Lập", abbreviation: "CB", shortName: "CB THPT Tân Lập" },
  { id: 8, name: "Chi bộ thôn Đông Hòa", abbreviation: "CB", shortName: "CB Đông Hòa" },
];
const header = ["Họ và tên", "Ngày sinh", "Trình độ học vấn", "Tình trạng đảng viên", "Ngày vào Đảng", "Chức vụ", "Đơn vị"];
const ctx = { units, defaultUnit: units[0]!, today: "2026-02-10" };

describe("nominee list rows", () => {
  it("reads a good row, the short 'Chức vụ' header and a unit by its short name", () => {
    const r = validateNomineeTable(
      { header, rows: [{ row: 2, cells: ["  Trịnh  Văn Nam ", "15/04/2007", "12/12", "", "", "Học sinh", "CB Đông Hòa"] }] },
      ctx,
    );
    expect(r.issues).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      row: 2,
      fullName: "Trịnh Văn Nam",
      birthDate: "2007-04-15",
      education: "thpt",
      partyStatus: "quan_chung",
      position: "Học sinh",
      unitId: 8,
    });
  });

  it("names every bad row and column in Vietnamese", () => {
    const r = validateNomineeTable(
      {
        header,
        rows: [
          { row: 2, cells: ["Nam", "15/04/2007", "", "", "", "", ""] },
          { row: 3, cells: ["Đặng Thị Thảo", "31/02/2007", "", "", "", "", ""] },
          { row: 4, cells: ["Lê Văn Bảy", "01/01/1990", "lớp 3", "Đảng viên dự bị", "", "", "Chi bộ khu phố 3"] },
          { row: 5, cells: ["Lê Văn Tám", "01/01/1990", "", "", "", "", ""] },
          { row: 6, cells: ["Lê Văn Tám", "01/01/1990", "", "", "", "", ""] },
        ],
      },
      ctx,
    );
    expect(r.issues.map((i) => [i.row, i.column])).toEqual([
      [2, "Họ và tên"],
      [3, "Ngày sinh"],
      [4, "Trình độ học vấn"],
      [4, "Ngày vào Đảng"],
      [4, "Đơn vị"],
      [6, "Họ và tên"],
    ]);
    expect(r.issues[1]!.message).toBe(
      "Dòng 3, cột “Ngày sinh”: “31/02/2007” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.",
    );
    expect(r.issues[4]!.message).toContain("Không tìm thấy đơn vị “Chi bộ khu phố 3” trong phạm vi của bạn");
    expect(r.issues[5]!.message).toBe("Trùng người với dòng 5 (cùng họ tên và ngày sinh).");
    expect(r.rows.map((x) => x.row)).toEqual([5]);
  });

  it("refuses a file without the required columns, or without a unit to send from", () => {
    expect(validateNomineeTable({ header: ["Họ tên", "Ngày sinh"], rows: [] }, ctx).issues[0]).toMatchObject({
      row: 1,
      column: "Họ và tên",
    });
    expect(
      validateNomineeTable(
        { header: ["Họ và tên", "Ngày sinh"], rows: [{ row: 2, cells: ["Trịnh Văn Nam", "15/04/2007"] }] },
        { ...ctx, defaultUnit: null },
      ).issues[0]!.message,
    ).toContain("hãy chọn đơn vị");
    expect(validateNomineeTable({ header, rows: [] }, ctx).issues[0]!.message).toBe(
      "Tệp chỉ có dòng tiêu đề, chưa có người nào được đề cử.",
    );
  });
});
