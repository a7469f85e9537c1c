import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseAiken, toAiken } from "../../../server/questions/formats/aiken";
import { parseQuestionFile } from "../../../server/questions/formats/index";

const fixture = new Uint8Array(readFileSync(new URL("../../fixtures/questions/hd60-aiken.txt", import.meta.url)));

describe("Aiken", () => {
  it("reads the fixture: 'A.' and 'C)' labels, a stem over two lines", async () => {
    const r = await parseQuestionFile("hd60-aiken.txt", fixture);
    expect(r.issues).toEqual([]);
    expect(r.unsupported).toEqual([]);
    expect(r.questions).toEqual([
      {
        line: 1,
        type: "single",
        stem: "Đảng Cộng sản Việt Nam lãnh đạo Nhà nước và xã hội bằng những phương thức nào là chủ yếu?",
        stemFormat: "plain",
        options: [
          { text: "Cương lĩnh, chiến lược, định hướng về chính sách và chủ trương lớn", fraction: 1 },
          { text: "Mệnh lệnh hành chính", fraction: 0 },
          { text: "Quyết định của cá nhân người đứng đầu", fraction: 0 },
          { text: "Chỉ thị của Mặt trận Tổ quốc", fraction: 0 },
        ],
        tags: [],
        images: [],
      },
      {
        line: 8,
        type: "single",
        stem: "Cơ quan lãnh đạo cao nhất của Đảng là:",
        stemFormat: "plain",
        options: [
          { text: "Ban Chấp hành Trung ương", fraction: 0 },
          { text: "Đại hội đại biểu toàn quốc", fraction: 1 },
          { text: "Bộ Chính trị", fraction: 0 },
        ],
        tags: [],
        images: [],
      },
      {
        line: 14,
        type: "single",
        stem: "Nhiệm kỳ của Đại hội đại biểu toàn quốc\ncủa Đảng là bao nhiêu năm?",
        stemFormat: "plain",
        options: [
          { text: "4 năm", fraction: 0 },
          { text: "5 năm", fraction: 1 },
          { text: "10 năm", fraction: 0 },
        ],
        tags: [],
        images: [],
      },
    ]);
  });

  it("a question missing ANSWER is an error with its line; the next question still reads", () => {
    const r = parseAiken("Câu một?\nA. X\nB. Y\n\nCâu hai?\nA. Z\nB. W\nANSWER: B\n\nCâu ba?\nA. M\nB. N\n");
    expect(r.issues).toEqual([
      { line: 1, severity: "error", message: "Dòng 1: câu hỏi chưa có dòng “ANSWER:” sau các phương án (ví dụ “ANSWER: B”)." },
      { line: 10, severity: "error", message: "Dòng 10: câu hỏi chưa có dòng “ANSWER:” sau các phương án (ví dụ “ANSWER: B”)." },
    ]);
    expect(r.questions.map((q) => [q.line, q.stem])).toEqual([[5, "Câu hai?"]]);
  });

  it("rejects an answer letter without option, several answers, and an option before the stem", () => {
    const r = parseAiken("A. lạc\nCâu?\nA. X\nB. Y\nANSWER: D\n\nCâu 2?\nA. X\nB. Y\nANSWER: A, B\n");
    expect(r.issues.map((i) => i.message)).toEqual([
      "Dòng 1: phương án “A.” đứng trước nội dung câu hỏi; hãy viết câu hỏi ở dòng phía trên các phương án.",
      "Dòng 5: “ANSWER: D” nhưng câu hỏi không có phương án D (chỉ có A, B).",
      "Dòng 10: Aiken chỉ hỗ trợ câu một lựa chọn, “ANSWER: A, B” có nhiều đáp án. Hãy dùng mẫu Excel hoặc GIFT cho câu nhiều lựa chọn.",
    ]);
    expect(r.questions).toEqual([]);
  });

  it("writes only what Aiken can carry", () => {
    const out = toAiken([
      {
        line: 1,
        type: "single",
        stem: "<p>Đảng ra đời <b>năm</b> nào?</p>",
        stemFormat: "html",
        options: [
          { text: "1930", fraction: 1 },
          { text: "1945", fraction: 0 },
        ],
        tags: [],
        images: [],
      },
      {
        line: 2,
        type: "multiple",
        stem: "Nhiều?",
        stemFormat: "plain",
        options: [
          { text: "a", fraction: 0.5 },
          { text: "b", fraction: 0.5 },
        ],
        tags: [],
        images: [],
      },
    ]);
    expect(out).toBe("Đảng ra đời năm nào?\nA. 1930\nB. 1945\nANSWER: A\n");
  });
});
