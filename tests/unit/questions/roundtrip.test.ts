// Export then import gives the same questions, for every export format, on everything the
// fixtures hold plus questions written to hit each format's awkward characters.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { exportProblem, exportQuestionsWithReport, parseQuestionFile, type ExportFormat } from "../../../server/questions/formats/index";
import type { ImportedQuestion } from "../../../server/questions/formats/model";
import { htmlToText } from "../../../server/questions/formats/html";
import { TINY_PNG, buildDocx, lecturerDocument } from "../../fixtures/questions/make-docx";
import { lecturerWorkbook } from "../../fixtures/questions/make-xlsx";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/questions/${name}`, import.meta.url)));

const awkward: ImportedQuestion[] = [
  {
    line: 1,
    type: "single",
    name: "Ký tự: đặc biệt",
    stem: "=Ngoặc {nhọn}, dấu = bằng, ~ ngã, # thăng, : hai chấm, \\ gạch ngược\nvà dòng thứ hai",
    stemFormat: "plain",
    options: [
      { text: "-Phương án #1 ~ có {ngoặc}", fraction: 1, feedback: "Đúng: vì = và ~" },
      { text: '+Phương án 2 "ngoặc kép"; chấm phẩy, phẩy', fraction: 0.5, feedback: "Một nửa" },
      { text: "@Phương án 3 <không phải thẻ> & và", fraction: 0 },
    ],
    explanation: "Giải thích có # và ####?\nhai dòng",
    category: "HD61/Bài 2",
    lesson: 2,
    level: "van_dung",
    tags: ["ký tự đặc biệt", "Cương lĩnh 2011"],
    source: "Cương lĩnh 2011, phần II",
    code: "HD61-B2-X01",
    images: [],
  },
  {
    line: 4,
    type: "single",
    stem: '=SUM(A1:A9) không phải công thức; "ngoặc kép", chấm phẩy; tab\nvà dòng hai',
    stemFormat: "plain",
    options: [
      { text: "-1930", fraction: 0 },
      { text: '+1945; "năm"', fraction: 1 },
      { text: "@Đảng, Nhà nước", fraction: 0 },
      { text: "A. không phải nhãn", fraction: 0 },
    ],
    explanation: "=1+1",
    tags: ["a", "b c"],
    source: "@nguồn",
    code: "-001",
    lesson: 3,
    level: "nhan_biet",
    images: [],
  },
  {
    line: 2,
    type: "multiple",
    stem: "Chọn các phương án đúng (điểm âm cho phương án sai).",
    stemFormat: "plain",
    options: [
      { text: "Một", fraction: 1 / 3 },
      { text: "Hai", fraction: 1 / 3 },
      { text: "Ba", fraction: 1 / 3 },
      { text: "Bốn", fraction: -0.5, feedback: "Trừ điểm" },
    ],
    tags: [],
    images: [],
    level: "thong_hieu",
  },
  {
    line: 3,
    type: "single",
    stem: '<p>Bảng <b>số liệu</b>:</p><table><tr><td>Đại hội</td><td>Năm</td></tr></table><p><img src="@@PLUGINFILE@@/bang.png" alt="bảng"></p>',
    stemFormat: "html",
    options: [
      { text: "A", fraction: 0 },
      { text: "B", fraction: 1 },
    ],
    tags: [],
    images: [{ name: "bang.png", mime: "image/png", data: TINY_PNG }],
    lesson: 7,
  },
];

async function allQuestions(): Promise<ImportedQuestion[]> {
  const files: [string, Uint8Array][] = [
    ["hd61-bai1.gift.txt", fixture("hd61-bai1.gift.txt")],
    ["hd61-moodle-export.xml", fixture("hd61-moodle-export.xml")],
    ["hd60-aiken.txt", fixture("hd60-aiken.txt")],
    ["hd59-bai1.csv", fixture("hd59-bai1.csv")],
    ["cau-hoi.docx", await buildDocx(lecturerDocument())],
    ["bai5.xlsx", await lecturerWorkbook()],
  ];
  const out: ImportedQuestion[] = [];
  for (const [name, bytes] of files) out.push(...(await parseQuestionFile(name, bytes)).questions);
  const normalised = await parseQuestionFile("x.xml", new TextEncoder().encode("<quiz></quiz>"));
  expect(normalised.questions).toEqual([]);
  return [...out, ...awkward.map((q) => structuredClone(q))];
}

/** The fields each format carries. */
function project(q: ImportedQuestion, format: ExportFormat) {
  const stemText = q.stemFormat === "html" ? htmlToText(q.stem) : q.stem;
  switch (format) {
    case "aiken":
      return { type: q.type, stem: stemText, options: q.options.map((o) => ({ text: o.text, fraction: o.fraction })) };
    case "xlsx":
    case "csv":
      return {
        type: q.type,
        stem: stemText,
        options: q.options.map((o) => ({ text: o.text, fraction: o.fraction })),
        explanation: q.explanation,
        lesson: q.lesson,
        level: q.level,
        tags: q.tags,
        source: q.source,
        code: q.code,
      };
    case "gift":
      return {
        type: q.type,
        name: q.name,
        stem: q.stem,
        stemFormat: q.stemFormat,
        options: q.options,
        explanation: q.explanation,
        category: q.category,
        lesson: q.lesson,
        level: q.level,
        tags: q.tags,
        source: q.source,
        code: q.code,
      };
    case "moodle-xml":
      return {
        type: q.type,
        name: q.name,
        stem: q.stem,
        stemFormat: q.stemFormat,
        options: q.options,
        explanation: q.explanation,
        category: q.category,
        lesson: q.lesson,
        level: q.level,
        tags: q.tags,
        code: q.code,
        images: q.images.map((i) => ({ name: i.name, mime: i.mime, data: Buffer.from(i.data).toString("base64") })),
        shuffleAnswers: q.shuffleAnswers ?? true,
      };
  }
}

const FILE: Record<ExportFormat, string> = {
  gift: "xuat.gift",
  aiken: "xuat.aiken.txt",
  "moodle-xml": "xuat.xml",
  xlsx: "xuat.xlsx",
  csv: "xuat.csv",
};

describe.each(["gift", "moodle-xml", "xlsx", "csv", "aiken"] as ExportFormat[])("round trip through %s", (format) => {
  it("export then import gives the same questions", async () => {
    const questions = await allQuestions();
    expect(questions.length).toBeGreaterThan(30);
    const exportable = questions.filter((q) => !exportProblem(q, format));
    expect(exportable.length).toBeGreaterThanOrEqual(format === "aiken" ? 15 : 30);
    // the awkward single-choice question goes through every format
    expect(exportable.some((q) => q.code === "-001")).toBe(true);
    const { bytes, skipped } = await exportQuestionsWithReport(questions, format);
    expect(skipped.length).toBe(questions.length - exportable.length);
    const back = await parseQuestionFile(FILE[format], bytes, { duplicates: false });
    expect(back.rejected).toEqual([]);
    expect(back.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(back.questions.map((q) => project(q, format))).toEqual(exportable.map((q) => project(q, format)));
    // the same file exported again is byte-identical: nothing drifts
    const again = await exportQuestionsWithReport(back.questions, format);
    if (format !== "xlsx") expect(Buffer.from(again.bytes).equals(Buffer.from(bytes))).toBe(true);
  }, 30_000);
});

describe("what each format cannot carry is reported, not silently changed", () => {
  it("lists the skipped questions with a reason", async () => {
    const questions = await allQuestions();
    const aiken = await exportQuestionsWithReport(questions, "aiken");
    expect(aiken.skipped.length).toBeGreaterThan(0);
    expect(new Set(aiken.skipped.map((s) => s.reason))).toEqual(
      new Set(["Aiken chỉ ghi được câu Một lựa chọn có đúng một đáp án đúng (không điểm một phần)"]),
    );
    const xlsx = await exportQuestionsWithReport(questions, "xlsx");
    expect(xlsx.skipped.map((s) => s.reason)).toContain("có phương án điểm âm, mẫu Excel không ghi được");
    await expect(exportQuestionsWithReport(questions, "docx")).rejects.toThrow("Chưa hỗ trợ xuất ngân hàng câu hỏi ra tệp Word");
  });
});
