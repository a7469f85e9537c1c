// Entry point of the question-bank file-format library (pure: no database, no HTTP).
//
//   parseQuestionFile(filename, bytes)  → guards → parser → NFC/whitespace → validation → ParseResult
//   exportQuestions(questions, format)  → bytes
//
// File-level refusals (too large, not UTF-8, zip bomb, not a Word/Excel file, unknown
// format) are thrown as FormatError with a Vietnamese message. Everything about single
// questions comes back in ParseResult.issues with a line number, so the lecturer can fix
// all of it in one pass.

import type { FormatId, ImportedQuestion, ParseIssue, ParseResult } from "./model";
import { DEFAULT_LIMITS, FormatError, assertSize, decodeText, detectFormat, guardZip, isZip, type InputLimits } from "./input";
import { parseGift, toGift } from "./gift";
import { aikenCanExport, parseAiken, toAiken } from "./aiken";
import { parseMoodleXml, toMoodleXml } from "./moodle-xml";
import { parseDocx } from "./docx";
import { parseSpreadsheet, spreadsheetCanExport, toCsv, toXlsx } from "./spreadsheet";
import { findNearDuplicates, normaliseQuestion } from "./normalise";
import { locationLabel, validateQuestion } from "./validate";

export * from "./model";
export {
  FormatError,
  DEFAULT_LIMITS,
  assertSize,
  decodeText,
  decodeTextDetailed,
  detectFormat,
  guardZip,
  readZipDirectory,
  guessLegacyEncoding,
} from "./input";
export type { InputLimits, FormatErrorCode, DecodeOptions, ZipEntryInfo } from "./input";
export { parseGift, toGift } from "./gift";
export { parseAiken, toAiken, aikenCanExport } from "./aiken";
export { parseMoodleXml, toMoodleXml } from "./moodle-xml";
export { parseDocx } from "./docx";
export { parseSpreadsheet, toXlsx, toCsv, COLUMNS as SPREADSHEET_COLUMNS, neutraliseCell } from "./spreadsheet";
export {
  findNearDuplicates,
  questionSimilarity,
  cleanText,
  cleanInline,
  nfc,
  foldDiacritics,
  parseLevel,
  parseLesson,
  normaliseQuestion,
} from "./normalise";
export type { DuplicateCandidate, ExistingQuestion, NearDuplicate } from "./normalise";
export { validateQuestion, validateQuestions } from "./validate";
export { sanitiseHtml, htmlToText } from "./html";

export interface ParseOptions {
  /** Skip detection (e.g. the user picked the format). */
  format?: FormatId;
  limits?: Partial<InputLimits>;
  /** Text not in UTF-8/UTF-16: refuse (default) or decode with the guessed Windows code page. */
  legacyEncoding?: "reject" | "guess";
  /** Warn about near-duplicate questions inside the file (default true, threshold 0.9). */
  duplicates?: boolean | { threshold?: number };
}

const TEXT_FORMATS = new Set<FormatId>(["gift", "aiken", "moodle-xml", "csv"]);

export async function parseQuestionFile(filename: string, bytes: Uint8Array, options: ParseOptions = {}): Promise<ParseResult> {
  const limits: InputLimits = { ...DEFAULT_LIMITS, ...options.limits };
  assertSize(bytes, limits.maxBytes);
  const format = options.format ?? detectFormat(filename, bytes);
  if (TEXT_FORMATS.has(format) && isZip(bytes)) {
    throw new FormatError(
      "unknown_format",
      `Tệp “${filename}” là tệp nén (có thể là tài liệu Word/Excel) chứ không phải văn bản ${format === "csv" ? "CSV" : format === "moodle-xml" ? "XML" : "GIFT/Aiken"}. Hãy kiểm tra đuôi tệp hoặc lưu lại đúng định dạng.`,
    );
  }

  let result: ParseResult;
  switch (format) {
    case "docx":
      guardZip(bytes, "docx", limits);
      result = await parseDocx(bytes, { limits });
      break;
    case "xlsx":
      guardZip(bytes, "xlsx", limits);
      result = await parseSpreadsheet(bytes, "xlsx", { limits });
      break;
    case "csv":
      result = await parseSpreadsheet(bytes, "csv", { legacyEncoding: options.legacyEncoding });
      break;
    default: {
      const text = decodeText(bytes, { legacy: options.legacyEncoding });
      result = format === "gift" ? parseGift(text) : format === "aiken" ? parseAiken(text) : parseMoodleXml(text);
    }
  }
  return finish(result, format, options);
}

/** Normalise, validate, flag in-file duplicates and split valid from rejected questions. */
export function finish(result: ParseResult, format: FormatId, options: Pick<ParseOptions, "duplicates"> = {}): ParseResult {
  const issues: ParseIssue[] = [...result.issues];
  const questions: ImportedQuestion[] = [];
  const rejected: ImportedQuestion[] = [];
  // Lines that already have a parser error: the question is not usable as read.
  const parserErrors = new Set(result.issues.filter((i) => i.severity === "error").map((i) => i.line));
  for (const q of result.questions) {
    normaliseQuestion(q);
    if (parserErrors.has(q.line)) {
      // The parser already said what is wrong with this question; validating what it could
      // read would only repeat that in other words.
      rejected.push(q);
      continue;
    }
    const own = validateQuestion(q, format);
    issues.push(...own);
    if (own.some((i) => i.severity === "error")) rejected.push(q);
    else questions.push(q);
  }

  if (options.duplicates !== false) {
    const threshold = typeof options.duplicates === "object" ? options.duplicates.threshold : undefined;
    const all = [...questions, ...rejected].sort((a, b) => a.line - b.line);
    const reported = new Set<number>();
    for (const d of findNearDuplicates(all, [], { threshold })) {
      // One warning per question, naming its closest (then earliest) look-alike.
      if (reported.has(d.candidate)) continue;
      reported.add(d.candidate);
      const q = all[d.candidate];
      const other = all[d.other];
      issues.push({
        line: q.line,
        severity: "warning",
        message:
          d.similarity >= 1
            ? `${locationLabel(q, format)}: câu hỏi trùng với ${locationLabel(other, format).replace(/^Dòng/, "dòng").replace(/^Câu/, "câu").replace(/^Đoạn/, "đoạn")}.`
            : `${locationLabel(q, format)}: câu hỏi gần giống ${locationLabel(other, format).replace(/^Dòng/, "dòng").replace(/^Câu/, "câu").replace(/^Đoạn/, "đoạn")} (giống ${Math.round(d.similarity * 100)}%); hãy kiểm tra có bị trùng không.`,
      });
    }
  }
  issues.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { questions, issues, unsupported: result.unsupported, rejected };
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

export type ExportFormat = Exclude<FormatId, "docx">;

/** Why `format` cannot carry `q` without changing its answers (undefined: it can). */
export function exportProblem(q: ImportedQuestion, format: FormatId): string | undefined {
  switch (format) {
    case "aiken":
      return aikenCanExport(q) ? undefined : "Aiken chỉ ghi được câu Một lựa chọn có đúng một đáp án đúng (không điểm một phần)";
    case "xlsx":
    case "csv":
      return spreadsheetCanExport(q);
    case "docx":
      return "chưa hỗ trợ xuất ra Word";
    default:
      return undefined;
  }
}

export interface ExportReport {
  bytes: Uint8Array;
  /** Questions left out, by index in the input, with the reason (Vietnamese). */
  skipped: { index: number; line: number; reason: string }[];
}

export async function exportQuestionsWithReport(questions: ImportedQuestion[], format: FormatId): Promise<ExportReport> {
  if (format === "docx")
    throw new FormatError(
      "unsupported_export",
      "Chưa hỗ trợ xuất ngân hàng câu hỏi ra tệp Word (.docx); hãy chọn Excel, GIFT, Aiken hoặc Moodle XML.",
    );
  const skipped: ExportReport["skipped"] = [];
  const kept: ImportedQuestion[] = [];
  questions.forEach((q, index) => {
    const reason = exportProblem(q, format);
    if (reason) skipped.push({ index, line: q.line, reason });
    else kept.push(q);
  });
  const utf8 = (s: string) => new TextEncoder().encode(s);
  let bytes: Uint8Array;
  switch (format) {
    case "gift":
      bytes = utf8(toGift(kept));
      break;
    case "aiken":
      bytes = utf8(toAiken(kept));
      break;
    case "moodle-xml":
      bytes = utf8(toMoodleXml(kept));
      break;
    case "xlsx":
      bytes = await toXlsx(kept);
      break;
    case "csv":
      bytes = toCsv(kept);
      break;
  }
  return { bytes, skipped };
}

/** Export to bytes; questions the format cannot carry are left out (see exportQuestionsWithReport for which and why). */
export async function exportQuestions(questions: ImportedQuestion[], format: FormatId): Promise<Uint8Array> {
  return (await exportQuestionsWithReport(questions, format)).bytes;
}

/** File name extension for an export format. */
export const EXPORT_EXTENSION: Record<ExportFormat, string> = {
  xlsx: ".xlsx",
  csv: ".csv",
  gift: ".gift.txt",
  aiken: ".aiken.txt",
  "moodle-xml": ".xml",
};
