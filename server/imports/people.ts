import type { PartyStatus } from "../db/schema";
import { parseVnDate } from "../rules/dates";
import { normaliseName } from "../rules/vietnamese-names";
import { headerKey, type Table } from "./table";

/**
 * What the spreadsheet lists of people share — the trainee list (server/accounts/
 * trainee-import.ts) and the nominee list (server/classes/nomination-import.ts): their
 * person columns, header recognition, the cell rules with their Vietnamese messages, and
 * the template workbook. Each list keeps its own column order and its extra columns;
 * every message names the spreadsheet's own row number and the column's header.
 */

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

export interface ImportColumn<K extends string = string> {
  key: K;
  header: string;
  required: boolean;
  /** Other headers accepted for this column (compared as headerKey folds them). */
  aliases?: readonly string[];
  /** The template's notes sheet line for the column. */
  note?: string;
}

/** The person columns, by key, with the template's header; a list picks and orders them. */
export const PERSON_COLUMN = {
  fullName: { key: "fullName", header: "Họ và tên", required: true },
  birthDate: { key: "birthDate", header: "Ngày sinh", required: true },
  gender: { key: "gender", header: "Giới tính", required: false },
  ethnicity: { key: "ethnicity", header: "Dân tộc", required: false },
  education: { key: "education", header: "Trình độ học vấn", required: false },
  partyStatus: { key: "partyStatus", header: "Tình trạng đảng viên", required: false },
  admissionDate: { key: "admissionDate", header: "Ngày vào Đảng", required: false },
  position: { key: "position", header: "Chức vụ", required: false },
  phone: { key: "phone", header: "Số điện thoại", required: false },
} as const;

/**
 * Finds each column in the header row, ignoring case, diacritics and spacing (or by one of
 * its aliases); a missing required column is an issue of row 1.
 */
export function locateColumns<K extends string>(
  header: string[],
  columns: readonly ImportColumn<K>[],
): { index: Map<K, number>; issues: RowIssue[] } {
  const index = new Map<K, number>();
  const issues: RowIssue[] = [];
  const headerKeys = header.map(headerKey);
  for (const col of columns) {
    const keys = [col.header, ...(col.aliases ?? [])].map(headerKey);
    const at = headerKeys.findIndex((h) => keys.includes(h));
    if (at >= 0) index.set(col.key, at);
    else if (col.required)
      issues.push({ row: 1, column: col.header, message: `Thiếu cột “${col.header}” ở dòng tiêu đề. Hãy dùng tệp mẫu.` });
  }
  return { index, issues };
}

/** One data row: its trimmed cells by column key, and an issue filed under the column's header. */
export function rowReader<K extends string>(
  columns: readonly ImportColumn<K>[],
  index: Map<K, number>,
  issues: RowIssue[],
  row: { row: number; cells: string[] },
) {
  return {
    get(k: K): string {
      const i = index.get(k);
      return i === undefined ? "" : (row.cells[i] ?? "").trim();
    },
    bad(k: K, message: string) {
      issues.push({ row: row.row, column: columns.find((c) => c.key === k)!.header, message });
    },
  };
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

/** A cell's value and what is wrong with it (null: nothing). */
export interface Cell<T> {
  value: T;
  message: string | null;
}

export function fullNameCell(raw: string): Cell<string> {
  const value = normaliseName(raw);
  if (!value) return { value, message: "Chưa có họ và tên." };
  if (value.split(" ").length < 2) return { value, message: `“${value}”: cần ghi đủ họ và tên.` };
  if (/[0-9=+@]/.test(value)) return { value, message: `“${value}”: họ tên không được chứa chữ số hay ký hiệu.` };
  return { value, message: null };
}

export function genderCell(raw: string): Cell<"nam" | "nu" | null> {
  const g = headerKey(raw);
  const value = g === "nam" ? "nam" : g === "nu" ? "nu" : null;
  return { value, message: g && !value ? `“${raw}”: ghi Nam hoặc Nữ.` : null };
}

export function educationCell(raw: string): Cell<string | null> {
  const value = raw ? (EDUCATION[headerKey(raw)] ?? null) : null;
  return {
    value,
    message: raw && !value ? `“${raw}” chưa rõ; ghi một trong: 9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học.` : null,
  };
}

/** An empty cell is "Quần chúng" (not a member). */
export function partyStatusCell(raw: string): Cell<PartyStatus | undefined> {
  const value = PARTY[headerKey(raw)];
  return { value, message: value ? null : `“${raw}”: ghi Quần chúng, Đảng viên dự bị hoặc Đảng viên chính thức.` };
}

/** The admission date must be there for a member and absent for a non-member. */
export function admissionDateCell(raw: string, partyStatus: PartyStatus | undefined): { value: string | null; messages: string[] } {
  const value = raw ? parseVnDate(raw) : null;
  const messages: string[] = [];
  if (raw && !value) messages.push(`“${raw}” không phải ngày hợp lệ (ngày/tháng/năm).`);
  if (partyStatus && partyStatus !== "quan_chung" && !raw) messages.push("Đảng viên cần có ngày vào Đảng.");
  if (partyStatus === "quan_chung" && raw) messages.push("Quần chúng không có ngày vào Đảng; xóa ô này hoặc sửa tình trạng đảng viên.");
  return { value, messages };
}

export function phoneCell(raw: string): Cell<string | null> {
  const value = raw.replace(/[\s.]/g, "") || null;
  return { value, message: value && !/^(\+?84|0)\d{9,10}$/.test(value) ? `“${raw}” không phải số điện thoại hợp lệ.` : null };
}

/** The same person twice in one file (same folded name and birth date): the later row is refused. */
export function duplicatePeople() {
  const seen = new Map<string, number>();
  return (row: number, fullName: string, birthDate: string | null): string | null => {
    if (!fullName || !birthDate) return null;
    const key = `${headerKey(fullName)}|${birthDate}`;
    const first = seen.get(key);
    if (first !== undefined) return `Trùng người với dòng ${first} (cùng họ tên và ngày sinh).`;
    seen.set(key, row);
    return null;
  };
}

/** Units by name and the other names given (folded as headers are), for the “Đơn vị” cell. */
export function unitLookup(units: UnitRef[], names: (u: UnitRef) => (string | null)[]): (raw: string) => UnitRef | undefined {
  const byKey = new Map<string, UnitRef>();
  for (const u of units) for (const k of names(u)) if (k) byKey.set(headerKey(k), u);
  return (raw) => byKey.get(headerKey(raw));
}

/** A list's template: the header row, example rows, date columns typed as text, and a notes sheet. */
export async function templateWorkbook(opts: {
  sheet: string;
  columns: readonly ImportColumn[];
  examples: string[][];
  dateColumns: string[];
  notes: string[];
}): Promise<Uint8Array> {
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheet);
  ws.addRow(opts.columns.map((c) => c.header));
  for (const e of opts.examples) ws.addRow(e);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 22));
  // Dates typed as text so Excel does not turn 05/03 into 3 May.
  for (const key of opts.dateColumns) ws.getColumn(opts.columns.findIndex((c) => c.key === key) + 1).numFmt = "@";
  const notes = wb.addWorksheet("Hướng dẫn");
  for (const line of opts.notes) notes.addRow([line]);
  notes.getColumn(1).width = 110;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export type { Table };
