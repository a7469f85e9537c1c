import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { parseQuestionFile, exportQuestions } from "../../../server/questions/formats/index";
import { COLUMNS, neutraliseCell, parseSpreadsheet } from "../../../server/questions/formats/spreadsheet";
import type { ImportedQuestion } from "../../../server/questions/formats/model";
import { lecturerWorkbook } from "../../fixtures/questions/make-xlsx";

const csvFixture = new Uint8Array(readFileSync(new URL("../../fixtures/questions/hd59-bai1.csv", import.meta.url)));

describe("xlsx template filled in by a lecturer", async () => {
  const r = await parseQuestionFile("Bai 5.xlsx", await lecturerWorkbook());
  const byCode = new Map([...r.questions, ...(r.rejected ?? [])].map((q) => [q.code, q]));

  it("finds the template on the second sheet under a title row, with retyped headers", () => {
    expect(r.questions.map((q) => q.line)).toEqual([3, 4, 6, 7, 9]);
    expect(r.rejected?.map((q) => q.line)).toEqual([8]);
  });

  it("single choice: every column", () => {
    expect(byCode.get("HD61-B5-001")).toEqual({
      line: 3,
      code: "HD61-B5-001",
      type: "single",
      stem: "Đảng viên có mấy nhiệm vụ theo Điều lệ Đảng?",
      stemFormat: "plain",
      options: [
        { text: "3", fraction: 0 },
        { text: "4", fraction: 1 },
        { text: "5", fraction: 0 },
        { text: "6", fraction: 0 },
      ],
      lesson: 5,
      level: "nhan_biet",
      explanation: "Điều 2 Điều lệ Đảng quy định 4 nhiệm vụ của đảng viên.",
      source: "Điều lệ Đảng, Điều 2",
      tags: ["Điều lệ", "đảng viên"],
      images: [],
    });
  });

  it("multiple choice 'A, C' with a rich-text stem and 'Bài 5' as lesson", () => {
    expect(byCode.get("HD61-B5-002")).toEqual({
      line: 4,
      code: "HD61-B5-002",
      type: "multiple",
      stem: "Những việc nào sau đây là quyền của đảng viên?",
      stemFormat: "plain",
      options: [
        { text: "Được thông tin và thảo luận các vấn đề về Cương lĩnh, Điều lệ Đảng", fraction: 0.5 },
        { text: "Được miễn sinh hoạt chi bộ", fraction: 0 },
        { text: "Ứng cử, đề cử và bầu cử cơ quan lãnh đạo các cấp của Đảng", fraction: 0.5 },
        { text: "Không phải đóng đảng phí", fraction: 0 },
      ],
      lesson: 5,
      level: "thong_hieu",
      source: "Điều lệ Đảng, Điều 3",
      tags: [],
      images: [],
    });
  });

  it("true/false from 'Đúng'; essay with a level typed without diacritics", () => {
    expect(byCode.get("HD61-B5-003")).toMatchObject({
      line: 6,
      type: "true_false",
      options: [
        { text: "Đúng", fraction: 1 },
        { text: "Sai", fraction: 0 },
      ],
      source: "Điều lệ Đảng, Điều 3",
    });
    expect(byCode.get("HD61-B5-004")).toEqual({
      line: 7,
      code: "HD61-B5-004",
      type: "essay",
      stem: "Liên hệ việc thực hiện nhiệm vụ đảng viên ở cơ quan, đơn vị của đồng chí.",
      stemFormat: "plain",
      options: [],
      lesson: 5,
      level: "van_dung",
      explanation: "Gợi ý chấm: nêu được ít nhất 3 nhiệm vụ và liên hệ thực tế.",
      tags: ["liên hệ bản thân"],
      images: [],
    });
  });

  it("reports errors and warnings by row and column, in Vietnamese", () => {
    expect(r.issues.map((i) => [i.line, i.severity, i.column, i.message])).toEqual([
      [2, "warning", "Người soạn", "Dòng 2: cột “Người soạn” không thuộc mẫu nên được bỏ qua."],
      [8, "error", "Đáp án đúng", "Dòng 8, cột Đáp án đúng: 'E' không có phương án E."],
      [
        9,
        "warning",
        "Mã",
        'Dòng 9, cột Mã: ô A9 chứa công thức “=CONCATENATE("HD61-B5-","006")”; hệ thống không tính công thức mà lấy nguyên văn làm chữ. Hãy gõ nội dung trực tiếp thay cho công thức.',
      ],
      [
        9,
        "warning",
        "Phương án A",
        "Dòng 9, cột Phương án A: nội dung bắt đầu bằng “=” có thể bị bảng tính hiểu là công thức; đã nhập nguyên văn dạng chữ. Hãy kiểm tra lại ô này.",
      ],
    ]);
  });

  it("formula injection is kept as inert text, never evaluated", () => {
    const q = r.questions.find((x) => x.line === 9)!;
    expect(q.code).toBe('=CONCATENATE("HD61-B5-","006")');
    expect(q.options[0].text).toBe('=HYPERLINK("http://evil.example","Bấm vào đây")');
    expect(q.options[2].fraction).toBe(1);
  });
});

describe("CSV template (UTF-8 with BOM, ';' separated, CRLF, quoted multi-line cell)", async () => {
  const r = await parseQuestionFile("hd59-bai1.csv", csvFixture);

  it("reads every row; rows are numbered as Excel shows them; the empty row is ignored", () => {
    expect(r.questions.map((q) => q.line)).toEqual([2, 3, 5, 6]);
    expect(r.questions[0]).toEqual({
      line: 2,
      code: "HD59-B1-001",
      type: "single",
      stem: "Chương trình bồi dưỡng lý luận chính trị dành cho đảng viên mới theo Hướng dẫn 59 gồm bao nhiêu bài?",
      stemFormat: "plain",
      options: [
        { text: "8", fraction: 1 },
        { text: "9", fraction: 0 },
        { text: "10", fraction: 0 },
        { text: "12", fraction: 0 },
      ],
      lesson: 1,
      level: "nhan_biet",
      source: "Hướng dẫn 59-HD/BTGTW",
      tags: ["đảng viên mới"],
      images: [],
    });
    expect(r.questions[1]).toMatchObject({
      type: "multiple",
      stem: "Đảng viên mới cần:\nChọn các phương án đúng.",
      explanation: 'Trích "Nhiệm vụ của đảng viên".',
      options: [
        { text: "Giữ gìn phẩm chất; đạo đức cách mạng", fraction: 1 / 3 },
        { text: "Chấp hành Cương lĩnh, Điều lệ Đảng", fraction: 1 / 3 },
        { text: "Không tham gia sinh hoạt đoàn thể", fraction: 0 },
        { text: "Thực hiện nghiêm nghị quyết của Đảng", fraction: 1 / 3 },
      ],
    });
    expect(r.questions[2]).toMatchObject({
      type: "true_false",
      options: [
        { text: "Đúng", fraction: 1 },
        { text: "Sai", fraction: 0 },
      ],
    });
  });

  it("warns about a cell starting with @", () => {
    expect(r.questions[3].stem).toBe("@SUM(1+1) là công thức hay chữ?");
    expect(r.issues).toEqual([
      {
        line: 6,
        column: "Nội dung câu hỏi",
        severity: "warning",
        message:
          "Dòng 6, cột Nội dung câu hỏi: nội dung bắt đầu bằng “@” có thể bị bảng tính hiểu là công thức; đã nhập nguyên văn dạng chữ. Hãy kiểm tra lại ô này.",
      },
    ]);
  });
});

describe("merged cells", () => {
  it("a lesson merged down several rows applies to each of them", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Câu hỏi");
    ws.addRow(["Bài", "Nội dung câu hỏi", "Phương án A", "Phương án B", "Đáp án đúng"]);
    ws.addRow([3, "Tư tưởng Hồ Chí Minh là nền tảng tư tưởng của Đảng?", "Đúng", "Sai", "A"]);
    ws.addRow([null, "Cương lĩnh năm 1991 được thông qua tại Đại hội nào?", "Đại hội VII", "Đại hội VIII", "A"]);
    ws.mergeCells("A2:A3");
    const r = await parseQuestionFile("gop.xlsx", new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    expect(r.questions.map((q) => [q.line, q.type, q.lesson])).toEqual([
      [2, "true_false", 3],
      [3, "single", 3],
    ]);
  });
});

describe("spreadsheet errors", () => {
  const csv = (s: string) => new TextEncoder().encode(s);

  it("missing header, gaps between options, bad type, multiple answers for a single question", async () => {
    expect((await parseSpreadsheet(csv("a,b\n1,2\n"), "csv")).issues[0].message).toContain("không tìm thấy dòng tiêu đề");
    const r = await parseQuestionFile(
      "loi.csv",
      csv(
        [
          "Nội dung câu hỏi,Loại,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án đúng",
          "Câu hỏi một?,Một lựa chọn,X,,Z,,A",
          "Câu hỏi hai?,Trắc nghiệm khó,X,Y,,,A",
          'Câu hỏi ba?,Một lựa chọn,X,Y,Z,,"A,C"',
          ",Một lựa chọn,X,Y,,,A",
          'Câu hỏi năm?,Nhiều lựa chọn,X,X,Y,,"A,B"',
        ].join("\n"),
      ),
    );
    expect(r.questions).toEqual([]);
    expect(r.issues.map((i) => i.message)).toEqual([
      "Dòng 2, cột Phương án B: để trống nhưng có Phương án C; các phương án phải điền liền nhau từ A.",
      "Dòng 3, cột Loại: “Trắc nghiệm khó” không hợp lệ; chọn “Một lựa chọn”, “Nhiều lựa chọn”, “Đúng/Sai”, “Tự luận”.",
      "Dòng 4, cột Đáp án đúng: có 2 phương án cùng được đánh dấu đúng (A, C); câu Một lựa chọn chỉ có một đáp án đúng. Nếu câu có nhiều đáp án đúng, hãy chọn loại Nhiều lựa chọn.",
      "Dòng 5, cột Nội dung câu hỏi: câu hỏi chưa có nội dung.",
      "Dòng 6, cột Phương án B: phương án A và B trùng nhau (“X”).",
    ]);
  });

  it("refuses a CSV saved in a legacy code page", async () => {
    const cp1258 = Uint8Array.from([
      ...csv("Nội dung câu hỏi,Đáp án đúng\n").subarray(0, 0),
      0x4e,
      0xd9,
      0x69,
      0x2c,
      0xd0,
      0x61,
      0x2c,
      0x0a,
    ]);
    await expect(parseQuestionFile("cu.csv", cp1258)).rejects.toThrow("Tệp không phải văn bản UTF-8");
  });
});

describe("spreadsheet export", () => {
  const dangerous: ImportedQuestion = {
    line: 1,
    type: "single",
    stem: "=1+1 là gì?",
    stemFormat: "plain",
    options: [
      { text: "+2", fraction: 1 },
      { text: "-3", fraction: 0 },
      { text: "@x", fraction: 0 },
    ],
    explanation: "\tthụt đầu dòng",
    tags: [],
    images: [],
    code: "=cmd|' /C calc'!A0",
  };

  it("neutralises formula-like cells with an apostrophe (xlsx)", async () => {
    expect(neutraliseCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(neutraliseCell("Bình thường")).toBe("Bình thường");
    const bytes = await exportQuestions([dangerous], "xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet("Câu hỏi")!;
    expect(ws.getRow(1).values).toEqual([undefined, ...COLUMNS]);
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toBe("'=cmd|' /C calc'!A0");
    expect(row.getCell(5).value).toBe("'=1+1 là gì?");
    expect(row.getCell(6).value).toBe("'+2");
    expect(row.getCell(7).value).toBe("'-3");
    expect(row.getCell(8).value).toBe("'@x");
    expect(row.getCell(12).value).toBe("'\tthụt đầu dòng");
    for (let c = 1; c <= COLUMNS.length; c++) expect(typeof row.getCell(c).value === "object" && row.getCell(c).value !== null).toBe(false);
    // …and reading our own export back gives the original text, without warnings
    const back = await parseQuestionFile("xuat.xlsx", bytes);
    expect(back.questions[0]).toMatchObject({ stem: "=1+1 là gì?", code: "=cmd|' /C calc'!A0", explanation: "thụt đầu dòng" });
    expect(back.questions[0].options.map((o) => o.text)).toEqual(["+2", "-3", "@x"]);
    expect(back.issues.filter((i) => i.message.includes("công thức"))).toEqual([]);
  });

  it("neutralises formula-like cells in CSV too, with a BOM for Excel", async () => {
    const bytes = await exportQuestions([dangerous], "csv");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.subarray(3));
    expect(text.split("\r\n")[1]).toBe("'=cmd|' /C calc'!A0,,,Một lựa chọn,'=1+1 là gì?,'+2,'-3,'@x,,,A,\"'\tthụt đầu dòng\",,,Cả hai");
  });

  it("leaves out what the template cannot carry, and says why", async () => {
    const { exportQuestionsWithReport } = await import("../../../server/questions/formats/index");
    const many: ImportedQuestion = {
      ...dangerous,
      code: "X",
      options: "ABCDEF".split("").map((l, i) => ({ text: l, fraction: i === 0 ? 1 : 0 })),
    };
    const report = await exportQuestionsWithReport([many], "xlsx");
    expect(report.skipped).toEqual([{ index: 0, line: 1, reason: "có 6 phương án, mẫu Excel chỉ có 5 cột (A–E)" }]);
  });
});
