import type { PartyStatus } from "../db/schema";
import { parseVnDate } from "../rules/dates";
import { parseBirthDateCell } from "../rules/birth-date";
import { normaliseName } from "../rules/vietnamese-names";
import { headerKey, type Table } from "../imports/table";

/**
 * The nominee list a cell sends (danh sách đề cử; docs/class-plan.md): the template and
 * its row rules. Pure: the caller gives the units the sender may nominate from. A row
 * names the person as the cell's own Excel file does; the service then matches an
 * existing person or creates one in the sending unit.
 */
export const NOMINEE_COLUMNS = [
  { key: "fullName", header: "Họ và tên", required: true, note: "Bắt buộc. Ghi đủ họ, chữ đệm và tên." },
  { key: "birthDate", header: "Ngày sinh", required: true, note: "Bắt buộc. Ngày/tháng/năm, ví dụ 05/03/2006." },
  { key: "gender", header: "Giới tính", required: false, note: "Nam hoặc Nữ." },
  { key: "ethnicity", header: "Dân tộc", required: false, note: "Ví dụ: Kinh, Tày, Mông." },
  { key: "education", header: "Trình độ học vấn", required: false, note: "9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học." },
  { key: "partyStatus", header: "Tình trạng đảng viên", required: false, note: "Quần chúng (mặc định), Đảng viên dự bị, Đảng viên chính thức." },
  { key: "admissionDate", header: "Ngày vào Đảng", required: false, note: "Bắt buộc với đảng viên; để trống với quần chúng." },
  { key: "position", header: "Chức vụ, nghề nghiệp", required: false, note: "Ví dụ: Giáo viên, Học sinh lớp 12A1, Bí thư chi bộ." },
  { key: "phone", header: "Số điện thoại", required: false, note: "Để liên lạc khi triệu tập." },
  { key: "unit", header: "Đơn vị", required: false, note: "Chi bộ, đảng bộ cơ sở cử đi học; để trống là đơn vị chọn khi tải tệp." },
  { key: "note", header: "Ghi chú", required: false, note: "Ví dụ: lý do xét ngoại lệ trình độ (người dân tộc thiểu số, vùng biên giới)." },
] as const;

type ColumnKey = (typeof NOMINEE_COLUMNS)[number]["key"];

export interface NomineeRow {
  row: number;
  fullName: string;
  birthDate: string;
  gender: "nam" | "nu" | null;
  ethnicity: string | null;
  education: string | null;
  partyStatus: PartyStatus;
  admissionDate: string | null;
  position: string | null;
  phone: string | null;
  unitId: number;
  unitName: string;
  note: string | null;
}

export interface RowIssue {
  row: number;
  column: string;
  message: string;
}

export interface UnitRef {
  id: number;
  name: string;
  abbreviation: string;
  shortName: string | null;
}

const EDUCATION: Record<string, string> = {
  "tieu hoc": "tieu_hoc",
  "5 12": "tieu_hoc",
  thcs: "thcs",
  "trung hoc co so": "thcs",
  "9 12": "thcs",
  thpt: "thpt",
  "trung hoc pho thong": "thpt",
  "12 12": "thpt",
  "trung cap": "trung_cap",
  "cao dang": "cao_dang",
  "dai hoc": "dai_hoc",
  "thac si": "sau_dai_hoc",
  "tien si": "sau_dai_hoc",
  "sau dai hoc": "sau_dai_hoc",
};

const PARTY: Record<string, PartyStatus> = {
  "": "quan_chung",
  "quan chung": "quan_chung",
  "dang vien du bi": "du_bi",
  "du bi": "du_bi",
  "dang vien chinh thuc": "chinh_thuc",
  "chinh thuc": "chinh_thuc",
};

export function validateNomineeTable(table: Table, ctx: { units: UnitRef[]; defaultUnit: UnitRef | null; today: string }): { rows: NomineeRow[]; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const index = new Map<ColumnKey, number>();
  const headerKeys = table.header.map(headerKey);
  for (const col of NOMINEE_COLUMNS) {
    // "Chức vụ" alone is accepted for "Chức vụ, nghề nghiệp" (cells' own files).
    const at = headerKeys.findIndex((h) => h === headerKey(col.header) || (col.key === "position" && (h === "chuc vu" || h === "nghe nghiep")));
    if (at >= 0) index.set(col.key, at);
    else if (col.required) issues.push({ row: 1, column: col.header, message: `Thiếu cột “${col.header}” ở dòng tiêu đề. Hãy dùng tệp mẫu.` });
  }
  if (issues.length) return { rows: [], issues };
  if (!index.has("unit") && !ctx.defaultUnit) issues.push({ row: 1, column: "Đơn vị", message: "Tệp không có cột “Đơn vị”: hãy chọn đơn vị cử đi học khi tải tệp lên." });
  if (issues.length) return { rows: [], issues };

  const unitByKey = new Map<string, UnitRef>();
  for (const u of ctx.units) for (const k of [u.name, u.shortName]) if (k) unitByKey.set(headerKey(k), u);

  const rows: NomineeRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const get = (k: ColumnKey) => {
      const i = index.get(k);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    };
    const bad = (k: ColumnKey, message: string) => issues.push({ row, column: NOMINEE_COLUMNS.find((c) => c.key === k)!.header, message });
    const before = issues.length;

    const fullName = normaliseName(get("fullName"));
    if (!fullName) bad("fullName", "Chưa có họ và tên.");
    else if (fullName.split(" ").length < 2) bad("fullName", `“${fullName}”: cần ghi đủ họ và tên.`);
    else if (/[0-9=+@]/.test(fullName)) bad("fullName", `“${fullName}”: họ tên không được chứa chữ số hay ký hiệu.`);

    const birthRaw = get("birthDate");
    // One rule (and one zod schema) for every path a birth date comes in by: server/rules/birth-date.ts.
    const birth = parseBirthDateCell(birthRaw, { row, column: "Ngày sinh", today: ctx.today });
    const birthDate = birth.value;
    if (birth.message) bad("birthDate", birth.message);

    const g = headerKey(get("gender"));
    const gender = g === "nam" ? "nam" : g === "nu" ? "nu" : null;
    if (g && !gender) bad("gender", `“${get("gender")}”: ghi Nam hoặc Nữ.`);

    const eduRaw = get("education");
    const education = eduRaw ? (EDUCATION[headerKey(eduRaw)] ?? null) : null;
    if (eduRaw && !education) bad("education", `“${eduRaw}” chưa rõ; ghi một trong: 9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học.`);

    const partyRaw = get("partyStatus");
    const partyStatus = PARTY[headerKey(partyRaw)];
    if (!partyStatus) bad("partyStatus", `“${partyRaw}”: ghi Quần chúng, Đảng viên dự bị hoặc Đảng viên chính thức.`);

    const admRaw = get("admissionDate");
    const admissionDate = admRaw ? parseVnDate(admRaw) : null;
    if (admRaw && !admissionDate) bad("admissionDate", `“${admRaw}” không phải ngày hợp lệ (ngày/tháng/năm).`);
    if (partyStatus && partyStatus !== "quan_chung" && !admRaw) bad("admissionDate", "Đảng viên cần có ngày vào Đảng.");
    if (partyStatus === "quan_chung" && admRaw) bad("admissionDate", "Quần chúng không có ngày vào Đảng; xóa ô này hoặc sửa tình trạng đảng viên.");

    const phone = get("phone").replace(/[\s.]/g, "") || null;
    if (phone && !/^(\+?84|0)\d{9,10}$/.test(phone)) bad("phone", `“${get("phone")}” không phải số điện thoại hợp lệ.`);

    const unitRaw = get("unit");
    const unit = unitRaw ? unitByKey.get(headerKey(unitRaw)) : ctx.defaultUnit;
    if (!unit) bad("unit", unitRaw ? `Không tìm thấy đơn vị “${unitRaw}” trong phạm vi của bạn; ghi đúng tên đơn vị hoặc để trống.` : "Chưa ghi đơn vị cử đi học.");

    if (fullName && birthDate) {
      const key = `${headerKey(fullName)}|${birthDate}`;
      if (seen.has(key)) bad("fullName", `Trùng người với dòng ${seen.get(key)} (cùng họ tên và ngày sinh).`);
      else seen.set(key, row);
    }

    if (issues.length === before) {
      rows.push({
        row,
        fullName,
        birthDate: birthDate!,
        gender,
        ethnicity: get("ethnicity") || null,
        education,
        partyStatus: partyStatus!,
        admissionDate,
        position: get("position") || null,
        phone,
        unitId: unit!.id,
        unitName: unit!.name,
        note: get("note") || null,
      });
    }
  }
  if (table.rows.length === 0) issues.push({ row: 2, column: "", message: "Tệp chỉ có dòng tiêu đề, chưa có người nào được đề cử." });
  return { rows, issues };
}

/** The template the cells download: header row, two example rows, a notes sheet. */
export async function nomineeTemplateXlsx(): Promise<Uint8Array> {
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Danh sách đề cử");
  ws.addRow(NOMINEE_COLUMNS.map((c) => c.header));
  ws.addRow(["Nguyễn Văn An", "05/03/2006", "Nam", "Kinh", "12/12", "Quần chúng", "", "Học sinh lớp 12A1", "0912345678", "", ""]);
  ws.addRow(["Lò Thị Hoa", "20/11/1999", "Nữ", "Thái", "Tiểu học", "Quần chúng", "", "Nông dân", "", "", "Người dân tộc thiểu số, đề nghị xét ngoại lệ trình độ"]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 22));
  // Dates typed as text so Excel does not turn 05/03 into 3 May.
  ws.getColumn(2).numFmt = "@";
  ws.getColumn(7).numFmt = "@";
  const notes = wb.addWorksheet("Hướng dẫn");
  notes.addRow(["Mỗi dòng một người được đề cử. Xóa hai dòng ví dụ trước khi gửi."]);
  for (const c of NOMINEE_COLUMNS) notes.addRow([`${c.header}: ${c.note}`]);
  notes.addRow(["Người đã có trong hệ thống (cùng họ tên và ngày sinh, trong đơn vị của bạn) được nhận ra, không tạo trùng."]);
  notes.getColumn(1).width = 110;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
