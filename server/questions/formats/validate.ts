// The checks every imported question must pass, whatever the file format.
//
// Parsers report what they could not read; this pass reports questions that were read but
// cannot be used as-is (no correct answer, two "single" answers, duplicated options…).
// Messages name the place the way the lecturer sees it in that format ("Dòng 12" in a
// text file or spreadsheet, with the column in a spreadsheet; "Câu 7 (đoạn 31)" in Word)
// and how to mark a correct answer in that format.

import type { FormatId, ImportedQuestion, ParseIssue } from "./model";
import { htmlToText } from "./html";
import { cleanInline } from "./normalise";

const CORRECT_HINT: Record<FormatId | "default", string> = {
  gift: "đánh dấu = trước phương án đúng, hoặc ~%50% cho từng phương án đúng của câu nhiều lựa chọn",
  aiken: "thêm dòng “ANSWER: B” sau các phương án",
  "moodle-xml": 'đặt fraction="100" cho phương án đúng',
  docx: "đánh dấu * trước phương án đúng như “*B. …”, in đậm cả phương án đúng, hoặc thêm dòng “Đáp án: B” sau các phương án",
  xlsx: "ghi chữ cái của phương án đúng vào cột Đáp án đúng, ví dụ B hoặc A,C",
  csv: "ghi chữ cái của phương án đúng vào cột Đáp án đúng, ví dụ B hoặc A,C",
  default: "đánh dấu * trước phương án đúng",
};

const LETTER = (i: number) => String.fromCharCode(65 + i);
const EPS = 1e-6;

export function locationLabel(q: Pick<ImportedQuestion, "line" | "number">, format?: FormatId): string {
  if (format === "docx") return q.number !== undefined ? `Câu ${q.number} (đoạn ${q.line})` : `Đoạn ${q.line}`;
  return `Dòng ${q.line}`;
}

/** Validate one question; issues carry its line (and the spreadsheet column when there is one). */
export function validateQuestion(q: ImportedQuestion, format?: FormatId): ParseIssue[] {
  const issues: ParseIssue[] = [];
  const sheet = format === "xlsx" || format === "csv";
  const where = locationLabel(q, format);
  const add = (message: string, column?: string, severity: "error" | "warning" = "error") => {
    const at = sheet && column ? `${where}, cột ${column}` : where;
    issues.push({ line: q.line, ...(sheet && column ? { column } : {}), severity, message: `${at}: ${message}` });
  };
  const optionColumn = (i: number) => `Phương án ${LETTER(i)}`;
  const answerColumn = "Đáp án đúng";
  const hint = CORRECT_HINT[format ?? "default"];

  const stemText = q.stemFormat === "html" ? htmlToText(q.stem) : q.stem;
  if (!stemText.trim() && !/<img\b/i.test(q.stem)) add("câu hỏi chưa có nội dung.", "Nội dung câu hỏi");

  q.options.forEach((o, i) => {
    if (!Number.isFinite(o.fraction) || o.fraction < -1 - EPS || o.fraction > 1 + EPS) {
      add(`phương án ${LETTER(i)} có điểm ${Math.round(o.fraction * 100)}%, phải nằm trong khoảng từ -100% đến 100%.`, optionColumn(i));
    }
    if (!o.text.trim()) add(`phương án ${LETTER(i)} để trống.`, optionColumn(i));
  });
  const seen = new Map<string, number>();
  q.options.forEach((o, i) => {
    const key = cleanInline(o.text).toLowerCase();
    if (!key) return;
    const first = seen.get(key);
    if (first !== undefined)
      add(`phương án ${LETTER(first)} và ${LETTER(i)} trùng nhau (“${cleanInline(o.text).slice(0, 40)}”).`, optionColumn(i));
    else seen.set(key, i);
  });

  const full = q.options.map((o, i) => (o.fraction >= 1 - EPS ? i : -1)).filter((i) => i >= 0);
  const positive = q.options.map((o, i) => (o.fraction > EPS ? i : -1)).filter((i) => i >= 0);
  const letters = (idx: number[]) => idx.map(LETTER).join(", ");

  switch (q.type) {
    case "single":
      if (q.options.length < 2) add("câu một lựa chọn cần ít nhất 2 phương án.", optionColumn(Math.min(q.options.length, 1)));
      else if (full.length === 0) add(`câu hỏi chưa có đáp án đúng (${hint}).`, answerColumn);
      else if (full.length > 1) {
        add(
          `có ${full.length} phương án cùng được đánh dấu đúng (${letters(full)}); câu Một lựa chọn chỉ có một đáp án đúng. Nếu câu có nhiều đáp án đúng, hãy chọn loại Nhiều lựa chọn.`,
          answerColumn,
        );
      }
      break;
    case "multiple": {
      if (q.options.length < 2) add("câu nhiều lựa chọn cần ít nhất 2 phương án.", optionColumn(Math.min(q.options.length, 1)));
      else if (positive.length === 0) add(`câu hỏi chưa có đáp án đúng (${hint}).`, answerColumn);
      else if (positive.length === 1) {
        add(
          `câu Nhiều lựa chọn chỉ có một đáp án đúng (${letters(positive)}); cần ít nhất hai. Nếu chỉ có một đáp án đúng, hãy chọn loại Một lựa chọn.`,
          answerColumn,
        );
      } else {
        const sum = positive.reduce((s, i) => s + q.options[i].fraction, 0);
        if (Math.abs(sum - 1) > 0.01) {
          add(`tổng điểm các phương án đúng (${letters(positive)}) là ${Math.round(sum * 1000) / 10}%, phải bằng 100%.`, answerColumn);
        }
      }
      break;
    }
    case "true_false":
      if (q.options.length !== 2) add(`câu Đúng/Sai phải có đúng 2 phương án (Đúng, Sai), đang có ${q.options.length}.`, optionColumn(0));
      else if (full.length === 0)
        add(
          `câu Đúng/Sai chưa có đáp án (${sheet ? "ghi Đúng hoặc Sai vào cột Đáp án đúng" : format === "docx" ? "thêm dòng “Đáp án: Đúng” hoặc “Đáp án: Sai”" : hint}).`,
          answerColumn,
        );
      else if (full.length > 1 || q.options.some((o) => o.fraction < -EPS || (o.fraction > EPS && o.fraction < 1 - EPS))) {
        add("câu Đúng/Sai phải có đúng một đáp án (Đúng hoặc Sai).", answerColumn);
      }
      break;
    case "essay":
      if (q.options.length) add("câu Tự luận không dùng phương án; các phương án sẽ bị bỏ qua.", optionColumn(0), "warning");
      break;
  }
  return issues;
}

export function validateQuestions(questions: ImportedQuestion[], format?: FormatId): ParseIssue[] {
  return questions.flatMap((q) => validateQuestion(q, format));
}
