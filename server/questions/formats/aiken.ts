// Aiken: the simplest Moodle text format, single-choice only.
//
//   Đảng Cộng sản Việt Nam được thành lập vào ngày nào?
//   A. 03/02/1930
//   B) 19/5/1930
//   ANSWER: A
//
// As in Moodle, an option line is a capital letter, "." or ")", then a space; the ANSWER
// line ends the question. Unlike old Moodle we accept a stem over several lines, lower-case
// option letters and "Đáp án:" for "ANSWER:", since lecturers type these files by hand.

import type { ImportedQuestion, ParseIssue, ParseResult } from "./model";
import { htmlToText } from "./html";

const OPTION_RE = /^([A-Za-z])[.)][ \t]+(.*)$/;
const ANSWER_RE = /^(?:ANSWER|Đáp án|Dap an)\s*:\s*(.*)$/i;

export function parseAiken(text: string): ParseResult {
  const questions: ImportedQuestion[] = [];
  const issues: ParseIssue[] = [];
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);

  let stem: string[] = [];
  let start = 0;
  let options: { letter: string; text: string }[] = [];

  const reset = () => {
    stem = [];
    options = [];
    start = 0;
  };
  const missingAnswer = () => {
    issues.push({
      line: start,
      severity: "error",
      message: `Dòng ${start}: câu hỏi chưa có dòng “ANSWER:” sau các phương án (ví dụ “ANSWER: B”).`,
    });
  };

  for (let i = 0; i < lines.length; i++) {
    const no = i + 1;
    const line = lines[i].trim();
    if (line === "") continue;

    const ans = ANSWER_RE.exec(line);
    if (ans) {
      if (stem.length === 0 && options.length === 0) {
        issues.push({
          line: no,
          severity: "error",
          message: `Dòng ${no}: dòng “ANSWER:” không thuộc câu hỏi nào (thiếu nội dung câu hỏi và các phương án phía trên).`,
        });
        continue;
      }
      const value = ans[1].trim();
      const letters = value
        .toUpperCase()
        .split(/[\s,;]+/)
        .filter(Boolean);
      if (options.length < 2) {
        issues.push({
          line: start,
          severity: "error",
          message: `Dòng ${start}: câu hỏi cần ít nhất hai phương án “A. …”, “B. …” trước dòng “ANSWER:”.`,
        });
      } else if (letters.length !== 1 || !/^[A-Z]$/.test(letters[0])) {
        issues.push({
          line: no,
          severity: "error",
          message:
            letters.length > 1
              ? `Dòng ${no}: Aiken chỉ hỗ trợ câu một lựa chọn, “ANSWER: ${value}” có nhiều đáp án. Hãy dùng mẫu Excel hoặc GIFT cho câu nhiều lựa chọn.`
              : `Dòng ${no}: dòng “ANSWER:” phải ghi một chữ cái của phương án đúng (ví dụ “ANSWER: B”).`,
        });
      } else {
        const correct = options.findIndex((o) => o.letter === letters[0]);
        if (correct < 0) {
          issues.push({
            line: no,
            severity: "error",
            message: `Dòng ${no}: “ANSWER: ${letters[0]}” nhưng câu hỏi không có phương án ${letters[0]} (chỉ có ${options.map((o) => o.letter).join(", ")}).`,
          });
        } else {
          questions.push({
            line: start,
            type: "single",
            stem: stem.join("\n"),
            stemFormat: "plain",
            options: options.map((o, k) => ({ text: o.text, fraction: k === correct ? 1 : 0 })),
            tags: [],
            images: [],
          });
        }
      }
      reset();
      continue;
    }

    const opt = OPTION_RE.exec(line);
    if (opt && stem.length > 0) {
      options.push({ letter: opt[1].toUpperCase(), text: opt[2].trim() });
      continue;
    }
    if (opt && stem.length === 0) {
      issues.push({
        line: no,
        severity: "error",
        message: `Dòng ${no}: phương án “${opt[1]}.” đứng trước nội dung câu hỏi; hãy viết câu hỏi ở dòng phía trên các phương án.`,
      });
      continue;
    }
    // A plain line: the stem (continued), or — after options — the next question, which means
    // the previous one never got its ANSWER line.
    if (options.length > 0) {
      missingAnswer();
      reset();
    }
    if (stem.length === 0) start = no;
    stem.push(line);
  }
  if (stem.length > 0) missingAnswer();
  return { questions, issues, unsupported: [] };
}

/** True if Aiken can carry this question: single choice, one fully correct option, the rest 0, at most 26 options. */
export function aikenCanExport(q: ImportedQuestion): boolean {
  return (
    q.type === "single" &&
    q.options.length >= 2 &&
    q.options.length <= 26 &&
    q.options.filter((o) => o.fraction === 1).length === 1 &&
    q.options.every((o) => o.fraction === 1 || o.fraction === 0)
  );
}

/** Aiken text; questions Aiken cannot carry (see aikenCanExport) are left out. */
export function toAiken(questions: ImportedQuestion[]): string {
  const out: string[] = [];
  for (const q of questions) {
    if (!aikenCanExport(q)) continue;
    const stem = (q.stemFormat === "html" ? htmlToText(q.stem) : q.stem).replace(/\n{2,}/g, "\n");
    out.push(stem);
    q.options.forEach((o, k) => out.push(`${String.fromCharCode(65 + k)}. ${o.text.replace(/\s*\n\s*/g, " ")}`));
    out.push(`ANSWER: ${String.fromCharCode(65 + q.options.findIndex((o) => o.fraction === 1))}`, "");
  }
  return out.join("\n");
}
