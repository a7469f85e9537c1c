import type { PartyStatus } from "../db/schema";
import { parseVnDate } from "../rules/dates";
import { parseBirthDateCell } from "../rules/birth-date";
import { normaliseName } from "../rules/vietnamese-names";
import { headerKey, type Table } from "../imports/table";
export { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../organisations/labels";

/**
 * The trainee list template (docs/imports.md) and its row rules. Pure: the caller
 * supplies the units in scope and the usernames already taken.
 */
export const TRAINEE_COLUMNS = [
  { key: "fullName", header: "Họ và tên", required: true },
  { key: "birthDate", header: "Ngày sinh", required: true },
  { key: "gender", header: "Giới tính", required: false },
  { key: "ethnicity", header: "Dân tộc", required: false },
  { key: "education", header: "Trình độ học vấn", required: false },
  { key: "unit", header: "Đơn vị", required: true },
  { key: "partyStatus", header: "Tình trạng đảng viên", required: false },
  { key: "admissionDate", header: "Ngày vào Đảng", required: false },
  { key: "position", header: "Chức vụ", required: false },
  { key: "phone", header: "Số điện thoại", required: false },
  { key: "username", header: "Tên đăng nhập", required: false },
] as const;

type ColumnKey = (typeof TRAINEE_COLUMNS)[number]["key"];

export interface TraineeRow {
  row: number;
  fullName: string;
  birthDate: string;
  gender: "nam" | "nu" | null;
  ethnicity: string | null;
  education: string | null;
  unitId: number;
  unitName: string;
  partyStatus: PartyStatus;
  admissionDate: string | null;
  position: string | null;
  phone: string | null;
  username: string | null;
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

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export function validateTraineeTable(
  table: Table,
  ctx: { units: UnitRef[]; takenUsernames: Set<string>; today: string },
): { rows: TraineeRow[]; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const index = new Map<ColumnKey, number>();
  const headerKeys = table.header.map(headerKey);
  for (const col of TRAINEE_COLUMNS) {
    const at = headerKeys.indexOf(headerKey(col.header));
    if (at >= 0) index.set(col.key, at);
    else if (col.required) issues.push({ row: 1, column: col.header, message: `Thiếu cột “${col.header}” ở dòng tiêu đề. Hãy dùng tệp mẫu.` });
  }
  if (issues.length) return { rows: [], issues };

  const unitByKey = new Map<string, UnitRef>();
  for (const u of ctx.units) for (const k of [u.name, u.abbreviation, u.shortName]) if (k) unitByKey.set(headerKey(k), u);

  const rows: TraineeRow[] = [];
  const seenPeople = new Map<string, number>();
  const seenUsernames = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const get = (k: ColumnKey) => {
      const i = index.get(k);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    };
    const bad = (k: ColumnKey, message: string) =>
      issues.push({ row, column: TRAINEE_COLUMNS.find((c) => c.key === k)!.header, message });
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

    const unitRaw = get("unit");
    const unit = unitRaw ? unitByKey.get(headerKey(unitRaw)) : undefined;
    if (!unitRaw) bad("unit", "Chưa ghi đơn vị (chi bộ, đảng bộ cơ sở) cử đi học.");
    else if (!unit) bad("unit", `Không tìm thấy đơn vị “${unitRaw}” trong phạm vi của bạn; ghi đúng tên hoặc tên viết tắt của đơn vị.`);

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

    const username = get("username").toLowerCase() || null;
    if (username) {
      if (!USERNAME.test(username)) bad("username", `“${username}”: tên đăng nhập gồm 3–32 chữ cái không dấu, chữ số, dấu chấm, gạch ngang.`);
      else if (ctx.takenUsernames.has(username)) bad("username", `Tên đăng nhập “${username}” đã có người dùng.`);
      else if (seenUsernames.has(username)) bad("username", `Tên đăng nhập “${username}” trùng với dòng ${seenUsernames.get(username)}.`);
      else seenUsernames.set(username, row);
    }

    if (fullName && birthDate) {
      const key = `${headerKey(fullName)}|${birthDate}`;
      if (seenPeople.has(key)) bad("fullName", `Trùng người với dòng ${seenPeople.get(key)} (cùng họ tên và ngày sinh).`);
      else seenPeople.set(key, row);
    }

    if (issues.length === before) {
      rows.push({
        row,
        fullName,
        birthDate: birthDate!,
        gender,
        ethnicity: get("ethnicity") || null,
        education,
        unitId: unit!.id,
        unitName: unit!.name,
        partyStatus: partyStatus!,
        admissionDate,
        position: get("position") || null,
        phone,
        username,
      });
    }
  }
  if (table.rows.length === 0) issues.push({ row: 2, column: "", message: "Tệp chỉ có dòng tiêu đề, chưa có học viên nào." });
  return { rows, issues };
}

/** The template users download: header row, one example row, column notes. */
export async function traineeTemplateXlsx(): Promise<Uint8Array> {
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Danh sách học viên");
  ws.addRow(TRAINEE_COLUMNS.map((c) => c.header));
  ws.addRow(["Nguyễn Văn An", "05/03/2006", "Nam", "Kinh", "12/12", "Chi bộ Trường THPT Tân Lập", "Quần chúng", "", "Học sinh", "0912345678", ""]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 22));
  // Dates typed as text so Excel does not turn 05/03 into 3 May.
  ws.getColumn(2).numFmt = "@";
  ws.getColumn(8).numFmt = "@";
  const notes = wb.addWorksheet("Hướng dẫn");
  for (const line of [
    "Mỗi dòng một học viên. Các cột bắt buộc: Họ và tên, Ngày sinh, Đơn vị.",
    "Ngày sinh, Ngày vào Đảng: ghi ngày/tháng/năm, ví dụ 05/03/2006.",
    "Giới tính: Nam hoặc Nữ. Trình độ học vấn: 9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học.",
    "Đơn vị: tên đầy đủ hoặc tên viết tắt của chi bộ, đảng bộ cơ sở cử đi học.",
    "Tình trạng đảng viên: Quần chúng (mặc định), Đảng viên dự bị, Đảng viên chính thức.",
    "Tên đăng nhập: để trống thì hệ thống tự cấp (hv + năm + số thứ tự).",
  ])
    notes.addRow([line]);
  notes.getColumn(1).width = 110;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
