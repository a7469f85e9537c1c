// A question's use (issue 13, item 2): parsing, the blueprint rule, and every import/export
// format that can carry it. Files without it still read as "both".

import { describe, expect, it } from "vitest";
import { exportQuestions, parseQuestionFile, type ExportFormat } from "../../../server/questions/formats/index";
import type { ImportedQuestion } from "../../../server/questions/formats/model";
import { canExamine, canPractise, parseUse } from "../../../server/questions/use";
import { checkBlueprint, drawPaper, poolForKind, type Candidate } from "../../../server/exams/blueprint";
import { parseQuestionForm } from "../../../server/questions/form";
import { buildDocx, type Para, type Run } from "../../fixtures/questions/make-docx";

const p = (...runs: Run[]): Para => ({ runs });

const question = (use?: ImportedQuestion["use"]): ImportedQuestion => ({
  line: 1,
  type: "single",
  code: `Q-${use ?? "none"}`,
  stem: `Câu hỏi dùng cho ${use ?? "mặc định"}?`,
  stemFormat: "plain",
  options: [
    { text: "Đúng là vậy", fraction: 1 },
    { text: "Không phải", fraction: 0 },
  ],
  lesson: 1,
  level: "nhan_biet",
  tags: [],
  images: [],
  ...(use ? { use } : {}),
});

describe("question use", () => {
  it("reads the Vietnamese labels, with or without diacritics; empty is the default, unknown is null", () => {
    expect(parseUse("Ôn tập")).toBe("practice");
    expect(parseUse("on tap")).toBe("practice");
    expect(parseUse(" THI ")).toBe("exam");
    expect(parseUse("Cả hai")).toBe("both");
    expect(parseUse("")).toBeUndefined();
    expect(parseUse("thi thử")).toBeNull();
    expect([canPractise("exam"), canPractise("both"), canPractise(undefined), canExamine("practice"), canExamine("exam")]).toEqual([
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it("an official paper never takes a practice-only question, a practice exam never an exam-only one; shortages count only those", () => {
    const pool: Candidate[] = [
      { versionId: 1, lesson: 1, level: "nhan_biet", optionCount: 4, use: "practice" },
      { versionId: 2, lesson: 1, level: "nhan_biet", optionCount: 4, use: "exam" },
      { versionId: 3, lesson: 1, level: "nhan_biet", optionCount: 4 },
    ];
    const cells = [{ lesson: 1, level: "nhan_biet" as const, count: 3, points: 1 }];
    expect(checkBlueprint(cells, poolForKind(pool, "official"))).toEqual([{ lesson: 1, level: "nhan_biet", needed: 3, available: 2 }]);
    expect(checkBlueprint(cells, poolForKind(pool, "practice"))).toEqual([{ lesson: 1, level: "nhan_biet", needed: 3, available: 2 }]);
    for (let i = 0; i < 20; i++) {
      const paper = drawPaper([{ ...cells[0]!, count: 2 }], poolForKind(pool, "official"), `seed-${i}`, {
        shuffleQuestions: true,
        shuffleOptions: true,
      });
      expect(paper.map((x) => x.versionId).sort()).toEqual([2, 3]);
      const practice = drawPaper([{ ...cells[0]!, count: 2 }], poolForKind(pool, "practice"), `seed-${i}`, {
        shuffleQuestions: true,
        shuffleOptions: true,
      });
      expect(practice.map((x) => x.versionId).sort()).toEqual([1, 3]);
    }
  });

  it("the lecturer's form carries the use; a form without the field means both", () => {
    const form = (use?: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({
        type: "single",
        level: "nhan_biet",
        lesson: "1",
        stem: "Câu hỏi thử nghiệm?",
        source: "Điều lệ Đảng",
      }))
        f.set(k, v);
      f.append("option", "Một");
      f.append("option", "Hai");
      f.set("correct", "0");
      if (use !== undefined) f.set("use", use);
      return parseQuestionForm(f);
    };
    expect(form("exam")).toMatchObject({ ok: true, value: { use: "exam" } });
    expect(form()).toMatchObject({ ok: true, value: { use: "both" } });
    expect(form("bừa")).toMatchObject({ ok: false, errors: { use: expect.stringMatching(/Ôn tập, Thi hoặc Cả hai/) } });
  });

  it.each(["xlsx", "csv", "gift", "moodle-xml"] as ExportFormat[])("%s carries the use through export and import", async (format) => {
    const bytes = await exportQuestions([question("exam"), question("practice"), question()], format);
    const ext = { xlsx: "xlsx", csv: "csv", gift: "gift", "moodle-xml": "xml", aiken: "txt" }[format];
    const back = await parseQuestionFile(`bank.${ext}`, bytes, { duplicates: false });
    expect(back.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(back.questions.map((q) => q.use ?? "both")).toEqual(["exam", "practice", "both"]);
    // The use is a field, not a leftover tag.
    for (const q of back.questions) expect(q.tags.join()).not.toMatch(/Sử dụng/);
  });

  it("a spreadsheet without the column (files written before it) imports as before; a bad value is a warning", async () => {
    const csv = (header: string, row: string) => new TextEncoder().encode(`${header}\r\n${row}\r\n`);
    const old = await parseQuestionFile(
      "old.csv",
      csv("Mã,Bài,Mức độ,Nội dung câu hỏi,Phương án A,Phương án B,Đáp án đúng", "X1,1,Nhận biết,Câu hỏi cũ?,Có,Không,A"),
    );
    expect(old.issues).toEqual([]);
    expect(old.questions[0]!.use).toBeUndefined();
    const bad = await parseQuestionFile(
      "bad.csv",
      csv("Nội dung câu hỏi,Phương án A,Phương án B,Đáp án đúng,Sử dụng", "Câu hỏi mới?,Có,Không,A,Thi thử"),
    );
    expect(bad.questions).toHaveLength(1);
    expect(bad.issues).toEqual([
      expect.objectContaining({ severity: "warning", column: "Sử dụng", message: expect.stringMatching(/Ôn tập.*Thi.*Cả hai/) }),
    ]);
  });

  it("a Word document sets it with a “Sử dụng:” line", async () => {
    const bytes = await buildDocx({
      paragraphs: [
        p("Câu 1. Câu hỏi chỉ dùng để thi?"),
        p("*A. Có"),
        p("B. Không"),
        p("Sử dụng: Thi"),
        p("Câu 2. Câu hỏi ôn tập?"),
        p("*A. Có"),
        p("B. Không"),
        p("Su dung: on tap"),
        p("Câu 3. Câu hỏi thường?"),
        p("*A. Có"),
        p("B. Không"),
      ],
    });
    const r = await parseQuestionFile("de.docx", bytes);
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(r.questions.map((q) => q.use ?? "both")).toEqual(["exam", "practice", "both"]);
  });
});
