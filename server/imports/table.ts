import type ExcelJS from "exceljs";
import { BadRequest } from "../errors";
import { TABLE_LIMITS, assertCsvSize, assertUploadSize, loadWorkbook } from "../uploads/bounded";
import { parse as parseCsv } from "csv-parse/sync";

/**
 * Reads the first sheet of an .xlsx or a .csv upload into rows of trimmed NFC text.
 * Row numbers are the spreadsheet's own (header = 1), so messages point where the
 * user looks.
 */
export class FileProblem extends BadRequest {}

export const MAX_TABLE_BYTES = TABLE_LIMITS.maxBytes;

export interface Table {
  header: string[];
  /** Data rows with their spreadsheet row number; fully empty rows are dropped. */
  rows: { row: number; cells: string[] }[];
}

export async function readTable(fileName: string, bytes: Uint8Array): Promise<Table> {
  // Every limit of the bounded upload reader (server/uploads/bounded.ts, TABLE_LIMITS).
  assertUploadSize(bytes, MAX_TABLE_BYTES, "Hãy chia nhỏ danh sách.", "Tệp rỗng. Hãy chọn tệp Excel (.xlsx) hoặc CSV theo mẫu.");
  const lower = fileName.toLowerCase();
  let grid: string[][];
  if (lower.endsWith(".xlsx")) grid = await readXlsx(bytes);
  else if (lower.endsWith(".csv")) grid = readCsv(bytes);
  else throw new FileProblem("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv). Nếu tệp là .xls, hãy mở bằng Excel và lưu lại dưới dạng .xlsx.");
  const firstNonEmpty = grid.findIndex((r) => r.some((c) => c !== ""));
  if (firstNonEmpty < 0) throw new FileProblem("Tệp không có dữ liệu.");
  const header = grid[firstNonEmpty]!;
  const rows = grid
    .map((cells, i) => ({ row: i + 1, cells }))
    .slice(firstNonEmpty + 1)
    .filter((r) => r.cells.some((c) => c !== ""));
  return { header, rows };
}

function clean(s: string): string {
  return s.normalize("NFC").replace(/\s+/g, " ").trim();
}

function readCsv(bytes: Uint8Array): string[][] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FileProblem("Tệp CSV không phải mã hóa UTF-8. Trong Excel, chọn Lưu thành → “CSV UTF-8 (Comma delimited)”.");
  }
  text = text.replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  assertCsvSize(text, delimiter, TABLE_LIMITS);
  try {
    const records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
    return records.map((r) => r.map((c) => clean(String(c))));
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new FileProblem(`Tệp CSV bị lỗi định dạng${line ? ` ở dòng ${line}` : ""} (thường do dấu ngoặc kép không đóng).`);
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (v instanceof Date) {
    // Excel stores dates as UTC midnight of the calendar day.
    const d = String(v.getUTCDate()).padStart(2, "0");
    const m = String(v.getUTCMonth() + 1).padStart(2, "0");
    return `${d}/${m}/${v.getUTCFullYear()}`;
  }
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("text" in v) return String(v.text);
    if ("error" in v) return "";
  }
  return String(v);
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  // Refuses a zip bomb, a lying zip and a sheet over the row/cell caps before ExcelJS
  // inflates anything (issue 13, item 8: a 150 KB file used to become 150 MB here).
  const wb = await loadWorkbook(bytes, TABLE_LIMITS);
  const ws = wb.worksheets[0];
  if (!ws) throw new FileProblem("Tệp Excel không có trang tính nào.");
  const grid: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = clean(cellText(cell.value));
    });
    grid[rowNumber - 1] = Array.from(cells, (c) => c ?? "");
  });
  return Array.from(grid, (r) => r ?? []);
}

/** Header lookup that ignores case, diacritics and spacing ("Ho va ten" finds "Họ và tên"). */
export function headerKey(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
