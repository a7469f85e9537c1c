// Over 500 lines (547, 473 before the reformat of decision 034): one reader and writer of the bank spreadsheet; a
// split (reading, writing) is listed in issue #17.
// The Excel/CSV question template (documented in docs/question-formats.md):
//
//   Mã | Bài | Mức độ | Loại | Nội dung câu hỏi | Phương án A … E | Đáp án đúng | Giải thích | Nguồn | Thẻ | Sử dụng
//
// Headers are matched leniently (case, extra spaces, missing diacritics, a few synonyms)
// because lecturers retype them; every problem names the row and the column as Excel
// shows them. Cells that start with = + - @ (or tab/CR) are formula-injection vectors
// when a file is opened in a spreadsheet: on import they are kept as text and flagged,
// on export they are prefixed with an apostrophe so no spreadsheet evaluates them.

import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import type { ImportedQuestion, ParseIssue, ParseResult, QuestionType } from "./model";
import { FALSE_TEXT, LEVEL_LABELS, TRUE_TEXT, TYPE_LABELS } from "./model";
import { DEFAULT_LIMITS, decodeText, type InputLimits } from "./input";
import { assertCsvSize, loadWorkbook } from "../../uploads/bounded";
import { htmlToText } from "./html";
import { labelKey, parseLesson, parseLevel } from "./normalise";
import { parseUse, USE_LABELS } from "../use";

export const COLUMNS = [
  "Mã",
  "Bài",
  "Mức độ",
  "Loại",
  "Nội dung câu hỏi",
  "Phương án A",
  "Phương án B",
  "Phương án C",
  "Phương án D",
  "Phương án E",
  "Đáp án đúng",
  "Giải thích",
  "Nguồn",
  "Thẻ",
  // Last, so files written before it still line up; optional on import (empty = Cả hai).
  "Sử dụng",
] as const;
export type Column = (typeof COLUMNS)[number];
const OPTION_COLUMNS: Column[] = ["Phương án A", "Phương án B", "Phương án C", "Phương án D", "Phương án E"];
const LETTERS = ["A", "B", "C", "D", "E"];

/** Accepted header spellings (compared after lower-casing and collapsing spaces; then without diacritics). */
const SYNONYMS: Record<Column, string[]> = {
  Mã: ["mã", "mã câu hỏi", "mã câu", "id", "code"],
  Bài: ["bài", "bài học", "bài số", "lesson"],
  "Mức độ": ["mức độ", "mức", "cấp độ", "mức độ nhận thức", "level"],
  Loại: ["loại", "loại câu hỏi", "dạng", "dạng câu hỏi", "type"],
  "Nội dung câu hỏi": ["nội dung câu hỏi", "câu hỏi", "nội dung", "đề bài", "question"],
  "Phương án A": ["phương án a", "đáp án a", "lựa chọn a", "a"],
  "Phương án B": ["phương án b", "đáp án b", "lựa chọn b", "b"],
  "Phương án C": ["phương án c", "đáp án c", "lựa chọn c", "c"],
  "Phương án D": ["phương án d", "đáp án d", "lựa chọn d", "d"],
  "Phương án E": ["phương án e", "đáp án e", "lựa chọn e", "e"],
  "Đáp án đúng": ["đáp án đúng", "đáp án", "đáp án chính xác", "phương án đúng", "answer"],
  "Giải thích": ["giải thích", "giải thích đáp án", "lời giải", "explanation"],
  Nguồn: ["nguồn", "nguồn tài liệu", "tài liệu", "source"],
  Thẻ: ["thẻ", "tags", "tag", "từ khóa"],
  "Sử dụng": ["sử dụng", "dùng cho", "mục đích", "use"],
};

function headerSpace(s: string): string {
  return s
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, " ")
    .replace(/\s*\*$/, "")
    .trim();
}
function matchHeader(cell: string): Column | undefined {
  const exact = headerSpace(cell);
  if (!exact) return undefined;
  for (const c of COLUMNS) if (SYNONYMS[c].some((s) => s === exact)) return c;
  const folded = labelKey(cell);
  for (const c of COLUMNS) if (SYNONYMS[c].some((s) => labelKey(s) === folded)) return c;
  return undefined;
}

const TYPE_KEYS: [RegExp, QuestionType][] = [
  [/^(mot lua chon|1 lua chon|mot dap an|chon 1|single|trac nghiem)$/, "single"],
  [/^(nhieu lua chon|nhieu dap an|chon nhieu|multiple)$/, "multiple"],
  [/^(dung ?\/ ?sai|dung sai|dung-sai|true ?\/ ?false|true_false)$/, "true_false"],
  [/^(tu luan|essay)$/, "essay"],
];
function parseType(s: string): QuestionType | undefined {
  const k = labelKey(s);
  for (const [re, t] of TYPE_KEYS) if (re.test(k)) return t;
  return undefined;
}

/** Formula-injection prefixes (OWASP "CSV injection"). */
const DANGEROUS = /^[=+\-@\t\r]/;

/** One row as text cells keyed by template column, with its spreadsheet row number. */
interface Row {
  line: number;
  cells: string[];
}

function cellText(value: ExcelJS.CellValue): { text: string; formula?: boolean; error?: boolean } {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number") return { text: String(value) };
  if (typeof value === "boolean") return { text: value ? TRUE_TEXT : FALSE_TEXT };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) };
  if (typeof value === "object") {
    const v = value as unknown as Record<string, unknown>;
    if (Array.isArray(v.richText)) return { text: (v.richText as { text: string }[]).map((r) => r.text).join("") };
    if ("formula" in v || "sharedFormula" in v) return { text: `=${String(v.formula ?? v.sharedFormula ?? "")}`, formula: true };
    if ("error" in v) return { text: "", error: true };
    if ("text" in v) return cellText(v.text as ExcelJS.CellValue);
  }
  return { text: String(value) };
}

async function readXlsx(bytes: Uint8Array, limits: InputLimits, issues: ParseIssue[]): Promise<Row[][]> {
  // The bounded reader: directory, inflated sizes, rows and cells checked before ExcelJS.
  const wb = await loadWorkbook(bytes, limits);
  const sheets: Row[][] = [];
  wb.eachSheet((ws) => {
    const rows: Row[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const { text, formula, error } = cellText(cell.value);
        cells[col - 1] = text;
        if (formula) {
          issues.push({
            line: rowNumber,
            severity: "warning",
            column: `#${col}`,
            message: `Dòng ${rowNumber}: ô ${cell.address} chứa công thức “${text.slice(0, 40)}”; hệ thống không tính công thức mà lấy nguyên văn làm chữ. Hãy gõ nội dung trực tiếp thay cho công thức.`,
          });
        }
        if (error) {
          issues.push({
            line: rowNumber,
            severity: "warning",
            column: `#${col}`,
            message: `Dòng ${rowNumber}: ô ${cell.address} đang báo lỗi công thức (#REF!, #VALUE!…) nên được coi là trống.`,
          });
        }
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= "";
      rows.push({ line: rowNumber, cells });
    });
    sheets.push(rows);
  });
  return sheets;
}

function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  let inQuotes = false;
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  for (const ch of first) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  // Vietnamese-locale Excel writes ";" (the comma is the decimal separator there).
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][1] > 0 ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0] : ",";
}

function readCsv(text: string, issues: ParseIssue[]): Row[] | undefined {
  try {
    const records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as { record: string[]; info: { records: number } }[];
    return records.map((r) => ({ line: r.info.records, cells: r.record }));
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    const line = err.lines ?? 1;
    issues.push({
      line,
      severity: "error",
      message: `Dòng ${line}: tệp CSV bị lỗi định dạng (thường do dấu ngoặc kép " chưa được đóng). Hãy mở bằng Excel và lưu lại dạng “CSV UTF-8”.`,
    });
    return undefined;
  }
}

function isEmptyRow(r: Row): boolean {
  return r.cells.every((c) => c.trim() === "");
}

/** Parse the question template from .xlsx or .csv bytes. */
export async function parseSpreadsheet(
  bytes: Uint8Array,
  kind: "xlsx" | "csv",
  options: { limits?: Partial<InputLimits>; legacyEncoding?: "reject" | "guess" } = {},
): Promise<ParseResult> {
  const issues: ParseIssue[] = [];
  let sheets: Row[][];
  if (kind === "xlsx") {
    sheets = await readXlsx(bytes, { ...DEFAULT_LIMITS, ...options.limits }, issues);
  } else {
    const text = decodeText(bytes, { legacy: options.legacyEncoding });
    assertCsvSize(text, detectDelimiter(text), { ...DEFAULT_LIMITS, ...options.limits });
    const rows = readCsv(text, issues);
    if (!rows) return { questions: [], issues, unsupported: [] };
    sheets = [rows];
  }

  // The header row: the first row (of the first sheet that has one, within its first
  // 10 rows, so a title row above the header is tolerated) naming the stem column.
  let header: Row | undefined;
  let rows: Row[] = [];
  for (const sheet of sheets) {
    const at = sheet.slice(0, 10).findIndex((r) => r.cells.some((c) => matchHeader(c) === "Nội dung câu hỏi"));
    if (at >= 0) {
      header = sheet[at];
      rows = sheet.slice(at + 1);
      break;
    }
  }
  // Warnings about formulas in other sheets or above the header are noise.
  const keep = new Set(rows.map((r) => r.line));
  for (let i = issues.length - 1; i >= 0; i--) if (!keep.has(issues[i].line) && issues[i].severity === "warning") issues.splice(i, 1);
  if (!header) {
    return {
      questions: [],
      issues: [
        {
          line: 1,
          severity: "error",
          message: `Dòng 1: không tìm thấy dòng tiêu đề của mẫu (cần các cột “Nội dung câu hỏi”, “Phương án A”…, “Đáp án đúng”). Hãy dùng mẫu tải về từ hệ thống và giữ nguyên dòng tiêu đề.`,
        },
      ],
      unsupported: [],
    };
  }

  const colIndex = new Map<Column, number>();
  header.cells.forEach((c, i) => {
    if (c.trim() === "") return;
    const col = matchHeader(c);
    if (!col) {
      issues.push({
        line: header!.line,
        severity: "warning",
        column: c.trim(),
        message: `Dòng ${header!.line}: cột “${c.trim()}” không thuộc mẫu nên được bỏ qua.`,
      });
    } else if (colIndex.has(col)) {
      issues.push({
        line: header!.line,
        severity: "warning",
        column: col,
        message: `Dòng ${header!.line}: cột “${col}” xuất hiện hai lần; chỉ dùng cột đầu tiên.`,
      });
    } else colIndex.set(col, i);
  });
  // Rename the column placeholders ("#7") of formula warnings to template names.
  for (const issue of issues) {
    if (issue.column?.startsWith("#")) {
      const idx = Number(issue.column.slice(1)) - 1;
      const name = [...colIndex.entries()].find(([, i]) => i === idx)?.[0];
      if (name) {
        issue.column = name;
        issue.message = issue.message.replace(/^Dòng (\d+): /, `Dòng $1, cột ${name}: `);
      } else delete issue.column;
    }
  }
  if (!colIndex.has("Đáp án đúng")) {
    issues.push({
      line: header.line,
      severity: "error",
      column: "Đáp án đúng",
      message: `Dòng ${header.line}: thiếu cột “Đáp án đúng” trong dòng tiêu đề. Hãy dùng mẫu tải về từ hệ thống.`,
    });
    return { questions: [], issues, unsupported: [] };
  }

  const questions: ImportedQuestion[] = [];
  // Cells already flagged (formula cells): one warning per cell is enough.
  const flagged = new Set(issues.filter((i) => i.column).map((i) => `${i.line}:${i.column}`));
  for (const row of rows) {
    if (isEmptyRow(row)) continue;
    const n = row.line;
    const get = (c: Column): string => {
      const i = colIndex.get(c);
      let v = i === undefined ? "" : (row.cells[i] ?? "");
      // Our own export neutralises with a leading apostrophe: undo it silently.
      if (/^'[=+\-@\t\r]/.test(v)) return v.slice(1).trim();
      if (DANGEROUS.test(v) && !flagged.has(`${n}:${c}`)) {
        flagged.add(`${n}:${c}`);
        issues.push({
          line: n,
          column: c,
          severity: "warning",
          message: `Dòng ${n}, cột ${c}: nội dung bắt đầu bằng “${v[0] === "\t" ? "tab" : v[0] === "\r" ? "xuống dòng" : v[0]}” có thể bị bảng tính hiểu là công thức; đã nhập nguyên văn dạng chữ. Hãy kiểm tra lại ô này.`,
        });
      }
      v = v.trim();
      return v;
    };
    const err = (column: Column, message: string) =>
      issues.push({ line: n, column, severity: "error", message: `Dòng ${n}, cột ${column}: ${message}` });
    const warn = (column: Column, message: string) =>
      issues.push({ line: n, column, severity: "warning", message: `Dòng ${n}, cột ${column}: ${message}` });

    const q: ImportedQuestion = {
      line: n,
      type: "single",
      stem: get("Nội dung câu hỏi"),
      stemFormat: "plain",
      options: [],
      tags: [],
      images: [],
    };
    const code = get("Mã");
    if (code) q.code = code;
    const lessonText = get("Bài");
    if (lessonText) {
      const lesson = parseLesson(lessonText);
      if (lesson === undefined) warn("Bài", `“${lessonText}” không phải số bài (ghi ví dụ 2 hoặc “Bài 2”).`);
      else q.lesson = lesson;
    }
    const levelText = get("Mức độ");
    if (levelText) {
      const level = parseLevel(levelText);
      if (!level) warn("Mức độ", `“${levelText}” không hợp lệ; chọn “Nhận biết”, “Thông hiểu” hoặc “Vận dụng”.`);
      else q.level = level;
    }
    for (const [key, col] of [
      ["explanation", "Giải thích"],
      ["source", "Nguồn"],
    ] as const) {
      const v = get(col);
      if (v) q[key] = v;
    }
    q.tags = get("Thẻ")
      .split(/[,;]/)
      .map((t) => t.trim())
      .filter(Boolean);
    const useText = get("Sử dụng");
    if (useText) {
      const use = parseUse(useText);
      if (!use) warn("Sử dụng", `“${useText}” không hợp lệ; chọn “Ôn tập”, “Thi” hoặc “Cả hai” (để trống là Cả hai).`);
      else q.use = use;
    }

    // Options: contiguous from A.
    const optionTexts = OPTION_COLUMNS.map((c) => get(c));
    const lastFilled = optionTexts.reduce((last, t, i) => (t ? i : last), -1);
    let gap = false;
    for (let i = 0; i < lastFilled; i++) {
      if (!optionTexts[i]) {
        err(OPTION_COLUMNS[i], `để trống nhưng có ${OPTION_COLUMNS[lastFilled]}; các phương án phải điền liền nhau từ A.`);
        gap = true;
      }
    }
    const present = optionTexts.slice(0, lastFilled + 1);

    const typeText = get("Loại");
    const answerText = get("Đáp án đúng");
    const answerKey = labelKey(answerText);
    const answerIsTF = /^(dung|sai|true|false)$/.test(answerKey);
    let type: QuestionType | undefined;
    if (typeText) {
      type = parseType(typeText);
      if (!type) {
        err("Loại", `“${typeText}” không hợp lệ; chọn “${Object.values(TYPE_LABELS).join("”, “")}”.`);
        continue;
      }
    } else {
      // No type given: infer it, the way a reader of the row would.
      const tfTexts = present.length === 2 && labelKey(present[0]) === "dung" && labelKey(present[1]) === "sai";
      if (present.length === 0 && !answerText) type = "essay";
      else if (tfTexts || (present.length === 0 && answerIsTF)) type = "true_false";
      else type = (answerText.match(/[A-Ea-e]/g) ?? []).length > 1 && /^[A-Ea-e\s,;&/]+$/.test(answerText) ? "multiple" : "single";
    }
    q.type = type;
    if (gap) {
      q.options = present.map((text) => ({ text, fraction: 0 }));
      questions.push(q);
      continue;
    }

    if (type === "essay") {
      if (present.length) warn("Phương án A", "câu Tự luận không dùng phương án; các phương án đã bị bỏ qua.");
      if (answerText) warn("Đáp án đúng", "câu Tự luận không có đáp án đúng; hãy ghi gợi ý chấm vào cột Giải thích.");
      questions.push(q);
      continue;
    }

    if (type === "true_false") {
      if (present.length && !(present.length === 2 && labelKey(present[0]) === "dung" && labelKey(present[1]) === "sai")) {
        err("Phương án A", "câu Đúng/Sai chỉ có hai phương án “Đúng” (A) và “Sai” (B), hoặc để trống các cột phương án.");
      }
      let isTrue: boolean | undefined;
      if (/^(dung|true|a)$/.test(answerKey)) isTrue = true;
      else if (/^(sai|false|b)$/.test(answerKey)) isTrue = false;
      else if (answerText) err("Đáp án đúng", `'${answerText}' không hợp lệ cho câu Đúng/Sai; ghi “Đúng” hoặc “Sai” (hoặc A/B).`);
      q.options = [
        { text: TRUE_TEXT, fraction: isTrue === true ? 1 : 0 },
        { text: FALSE_TEXT, fraction: isTrue === false ? 1 : 0 },
      ];
      questions.push(q);
      continue;
    }

    // single / multiple: letters of the correct options.
    const letters: string[] = [];
    if (answerText) {
      const tokens = answerText
        .toUpperCase()
        .replace(/\s*(?:VÀ|&|\/|\+)\s*/g, ",")
        .split(/[\s,;]+/)
        .filter(Boolean);
      const expanded = tokens.length === 1 && /^[A-Z]{2,5}$/.test(tokens[0]) ? tokens[0].split("") : tokens; // "AC"
      for (const t of expanded) {
        const l = t.replace(/[.)]$/, "");
        if (!/^[A-Z]$/.test(l)) {
          err("Đáp án đúng", `'${answerText}' không hợp lệ; ghi chữ cái của phương án đúng, ví dụ “B” hoặc “A,C”.`);
          break;
        }
        if (LETTERS.indexOf(l) < 0 || LETTERS.indexOf(l) >= present.length) {
          err("Đáp án đúng", `'${l}' không có phương án ${l}.`);
          continue;
        }
        if (!letters.includes(l)) letters.push(l);
      }
    }
    // Even with a bad answer cell the options are kept, so the rejected question is complete.
    const weight = type === "multiple" && letters.length ? 1 / letters.length : 1;
    q.options = present.map((text, i) => ({ text, fraction: letters.includes(LETTERS[i]) ? weight : 0 }));
    questions.push(q);
  }
  return { questions, issues, unsupported: [] };
}

// ---------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------

/** Neutralise a cell so no spreadsheet evaluates it as a formula. */
export function neutraliseCell(s: string): string {
  return DANGEROUS.test(s) ? `'${s}` : s;
}

/** Can the template carry this question without changing its answers? */
export function spreadsheetCanExport(q: ImportedQuestion): string | undefined {
  if (q.type === "essay") return undefined;
  if (q.type === "true_false") return undefined;
  if (q.options.length > 5) return `có ${q.options.length} phương án, mẫu Excel chỉ có 5 cột (A–E)`;
  const positive = q.options.filter((o) => o.fraction > 0);
  if (q.options.some((o) => o.fraction < 0)) return "có phương án điểm âm, mẫu Excel không ghi được";
  if (q.type === "single" && q.options.some((o) => o.fraction !== 0 && o.fraction !== 1))
    return "có phương án được điểm một phần, mẫu Excel không ghi được";
  if (q.type === "multiple" && positive.some((o) => Math.abs(o.fraction - positive[0].fraction) > 1e-9))
    return "các phương án đúng có trọng số khác nhau, mẫu Excel chỉ ghi được trọng số đều";
  return undefined;
}

function rowFor(q: ImportedQuestion): string[] {
  const stem = q.stemFormat === "html" ? htmlToText(q.stem) : q.stem;
  const options = q.type === "essay" ? [] : q.type === "true_false" ? [TRUE_TEXT, FALSE_TEXT] : q.options.map((o) => o.text);
  let answer = "";
  if (q.type === "true_false") {
    const t = q.options.find((o) => o.text === TRUE_TEXT) ?? q.options[0];
    answer = t && t.fraction > 0 ? "A" : "B";
  } else if (q.type !== "essay") {
    answer = q.options
      .map((o, i) => (o.fraction > 0 ? LETTERS[i] : ""))
      .filter(Boolean)
      .join(",");
  }
  return [
    q.code ?? "",
    q.lesson !== undefined ? String(q.lesson) : "",
    q.level ? LEVEL_LABELS[q.level] : "",
    TYPE_LABELS[q.type],
    stem,
    ...LETTERS.map((_, i) => options[i] ?? ""),
    answer,
    q.explanation ?? "",
    q.source ?? "",
    q.tags.join(", "),
    USE_LABELS[q.use ?? "both"],
  ].map(neutraliseCell);
}

/** The template as .xlsx: header row, one question per row, drop-down lists for Loại and Mức độ, and a help sheet. */
export async function toXlsx(questions: ImportedQuestion[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Bồi Dưỡng";
  const ws = wb.addWorksheet("Câu hỏi", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    header: c,
    width: c === "Nội dung câu hỏi" ? 60 : c.startsWith("Phương án") ? 28 : c === "Giải thích" ? 40 : c === "Nguồn" ? 30 : 14,
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
  for (const q of questions) {
    if (spreadsheetCanExport(q)) continue;
    const row = ws.addRow(rowFor(q));
    // Text cells stay text: no number, date or formula guessing by Excel.
    row.eachCell((cell) => {
      cell.numFmt = "@";
      cell.alignment = { wrapText: true, vertical: "top" };
    });
  }
  const last = Math.max(ws.rowCount, 1000);
  for (let r = 2; r <= last; r++) {
    ws.getCell(r, 3).dataValidation = { type: "list", allowBlank: true, formulae: [`"${Object.values(LEVEL_LABELS).join(",")}"`] };
    ws.getCell(r, 4).dataValidation = { type: "list", allowBlank: true, formulae: [`"${Object.values(TYPE_LABELS).join(",")}"`] };
    ws.getCell(r, COLUMNS.indexOf("Sử dụng") + 1).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: [`"${Object.values(USE_LABELS).join(",")}"`],
    };
  }
  const help = wb.addWorksheet("Hướng dẫn");
  help.getColumn(1).width = 110;
  [
    "Mỗi dòng của trang “Câu hỏi” là một câu hỏi; giữ nguyên dòng tiêu đề.",
    "Loại: Một lựa chọn / Nhiều lựa chọn / Đúng/Sai / Tự luận.",
    "Mức độ: Nhận biết / Thông hiểu / Vận dụng. Bài: số bài (ví dụ 2).",
    "Đáp án đúng: chữ cái của phương án đúng, ví dụ B; câu nhiều lựa chọn ghi A,C; câu Đúng/Sai ghi Đúng hoặc Sai.",
    "Thẻ: các thẻ cách nhau bằng dấu phẩy.",
    "Sử dụng: Ôn tập (chỉ trong tự kiểm tra bài học) / Thi (chỉ trong đề kiểm tra) / Cả hai; để trống là Cả hai.",
    "Ô bắt đầu bằng = + - @ được thêm dấu ' ở đầu để bảng tính không coi là công thức.",
  ].forEach((t, i) => (help.getCell(i + 1, 1).value = t));
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

function csvField(s: string): string {
  return /[",;\t\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The template as CSV: UTF-8 with BOM (so Excel reads the Vietnamese correctly), comma-separated, CRLF. */
export function toCsv(questions: ImportedQuestion[]): Uint8Array {
  const lines = [COLUMNS.map(csvField).join(",")];
  for (const q of questions) if (!spreadsheetCanExport(q)) lines.push(rowFor(q).map(csvField).join(","));
  const body = new TextEncoder().encode(lines.join("\r\n") + "\r\n");
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
