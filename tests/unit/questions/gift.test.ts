import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseGift, toGift } from "../../../server/questions/formats/gift";
import { parseQuestionFile } from "../../../server/questions/formats/index";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/questions/${name}`, import.meta.url)));

describe("GIFT fixture (hd61-bai1.gift.txt)", async () => {
  const result = await parseQuestionFile("hd61-bai1.gift.txt", fixture("hd61-bai1.gift.txt"));
  const [q1, q2, q3, q4, q5, q6, q7] = result.questions;

  it("reads 7 questions and rejects none", () => {
    expect(result.questions).toHaveLength(7);
    expect(result.rejected).toEqual([]);
  });

  it("single choice: title, [id:]/[tag:] comments, source comment, per-answer feedback, #### general feedback, $CATEGORY", () => {
    expect(q1).toEqual({
      line: 8,
      type: "single",
      name: "Ngày thành lập Đảng",
      stem: "Đảng Cộng sản Việt Nam được thành lập vào ngày, tháng, năm nào?",
      stemFormat: "plain",
      options: [
        {
          text: "03/02/1930",
          fraction: 1,
          feedback: "Chính xác: Hội nghị hợp nhất họp từ 6/1 đến 7/2/1930, lấy ngày 3/2 làm ngày thành lập.",
        },
        { text: "19/5/1930", fraction: 0, feedback: "Đây là ngày sinh của Chủ tịch Hồ Chí Minh (19/5/1890), không phải năm 1930." },
        { text: "02/9/1945", fraction: 0 },
        { text: "06/01/1930", fraction: 0 },
      ],
      explanation: "Hội nghị hợp nhất các tổ chức cộng sản họp tại Cửu Long (Hương Cảng, Trung Quốc).",
      category: "HD61/Bài 1",
      lesson: 1,
      level: "nhan_biet",
      tags: ["lịch sử Đảng"],
      source: "Văn kiện Đảng toàn tập, tập 2",
      code: "HD61-B1-001",
      images: [],
    });
  });

  it("multiple choice over several lines with ~% weights, a negative weight and feedback", () => {
    expect(q2).toEqual({
      line: 18,
      type: "multiple",
      name: "Tên gọi của Đảng",
      stem: "Trong lịch sử, Đảng ta đã mang những tên gọi nào?\nChọn tất cả các phương án đúng (mỗi phương án đúng được 1/3 số điểm).",
      stemFormat: "plain",
      options: [
        { text: "Đảng Cộng sản Việt Nam", fraction: 1 / 3 },
        { text: "Đảng Cộng sản Đông Dương", fraction: 1 / 3 },
        { text: "Đảng Lao động Việt Nam", fraction: 1 / 3 },
        { text: "Đảng Nhân dân Cách mạng", fraction: -1, feedback: "Sai: đây không phải tên gọi của Đảng Cộng sản Việt Nam." },
      ],
      category: "HD61/Bài 1",
      lesson: 1,
      level: "thong_hieu",
      tags: [],
      code: "HD61-B1-002",
      images: [],
    });
  });

  it("true/false {T#wrong#right} and {FALSE####general}", () => {
    expect(q3).toMatchObject({
      line: 28,
      type: "true_false",
      stem: "Nguyên tắc tổ chức cơ bản của Đảng là nguyên tắc tập trung dân chủ.",
      options: [
        { text: "Đúng", fraction: 1, feedback: "Đúng: Điều 9 Điều lệ Đảng." },
        { text: "Sai", fraction: 0, feedback: "Sai rồi: Điều 9 Điều lệ Đảng quy định rõ nguyên tắc này." },
      ],
      code: "HD61-B1-003",
      level: "nhan_biet",
    });
    expect(q4).toEqual({
      line: 31,
      type: "true_false",
      stem: "Đảng viên dự bị được xét công nhận chính thức sau 6 tháng kể từ ngày kết nạp.",
      stemFormat: "plain",
      options: [
        { text: "Đúng", fraction: 0 },
        { text: "Sai", fraction: 1 },
      ],
      explanation: "Thời gian dự bị là 12 tháng.",
      category: "HD61/Bài 1",
      lesson: 1,
      tags: [],
      code: "HD61-B1-004",
      images: [],
    });
  });

  it("escapes \\= \\~ \\# \\{ \\} \\: \\n and \\\\", () => {
    expect(q5.stem).toBe("Biểu thức 1 = 1 ~ đúng # trong { ngoặc } và dấu hai chấm : đều là chữ.\nDòng thứ hai.");
    expect(q5.options).toEqual([
      { text: "Đúng vậy \\ cả dấu gạch chéo ngược", fraction: 1 },
      { text: "Không", fraction: 0 },
    ]);
    expect(q5).toMatchObject({ line: 34, name: "Ký hiệu", type: "single" });
  });

  it("[html] is sanitised (script dropped, with a warning); a second $CATEGORY and lesson/level tags apply", () => {
    expect(q6).toEqual({
      line: 42,
      type: "single",
      name: "Đặc trưng XHCN",
      stem: "<p>Theo <b>Cương lĩnh 2011</b>, xã hội xã hội chủ nghĩa mà nhân dân ta xây dựng có <em>bao nhiêu</em> đặc trưng?</p>",
      stemFormat: "html",
      options: [
        { text: "6", fraction: 0 },
        { text: "8", fraction: 1, feedback: "Đúng: Cương lĩnh (bổ sung, phát triển năm 2011) nêu 8 đặc trưng." },
        { text: "10", fraction: 0 },
        { text: "4", fraction: 0 },
      ],
      category: "HD61/Bài 2",
      lesson: 2,
      level: "van_dung",
      tags: ["Cương lĩnh 2011"],
      code: "HD61-B2-001",
      images: [],
    });
    expect(result.issues).toEqual([
      { line: 42, severity: "warning", message: "Dòng 42: đã bỏ phần HTML không an toàn trong câu hỏi (mã script)." },
    ]);
  });

  it("essay {####…} with a [markdown] marker (kept as text)", () => {
    expect(q7).toEqual({
      line: 50,
      type: "essay",
      stem: "Đồng chí hãy trình bày **ý nghĩa** của Cương lĩnh xây dựng đất nước trong thời kỳ quá độ lên chủ nghĩa xã hội (bổ sung, phát triển năm 2011).",
      stemFormat: "plain",
      options: [],
      explanation: "Bài làm cần nêu được vị trí, nội dung cơ bản và ý nghĩa của Cương lĩnh.",
      category: "HD61/Bài 2",
      lesson: 2,
      level: "thong_hieu",
      tags: [],
      code: "HD61-B2-002",
      images: [],
    });
  });

  it("lists numerical, matching, short answer, missing word, cloze and description as unsupported", () => {
    expect(result.unsupported).toEqual([
      { line: 53, kind: "numerical", name: "Năm thành lập" },
      { line: 55, kind: "matching", name: "Ghép cặp" },
      { line: 61, kind: "short_answer", name: "Trả lời ngắn" },
      { line: 63, kind: "missing_word", name: "Điền từ" },
      { line: 65, kind: "cloze", name: "Nhiều chỗ trống" },
      { line: 67, kind: "description" },
    ]);
  });
});

describe("parseGift details", () => {
  it("accepts {T} {TRUE} {F} {FALSE} and CRLF line ends", () => {
    const r = parseGift("Câu A{T}\r\n\r\nCâu B{TRUE}\r\n\r\nCâu C{F}\r\n\r\nCâu D{FALSE}\r\n");
    expect(r.questions.map((q) => [q.line, q.options.map((o) => o.fraction)])).toEqual([
      [1, [1, 0]],
      [3, [1, 0]],
      [5, [0, 1]],
      [7, [0, 1]],
    ]);
  });

  it("keeps a question together across a blank line inside its answer block", () => {
    const r = parseGift("Đảng ra đời năm nào?{\n=1930\n\n~1945\n}\n\nCâu tiếp theo{T}");
    expect(r.questions).toHaveLength(2);
    expect(r.questions[0].options.map((o) => o.text)).toEqual(["1930", "1945"]);
    expect(r.questions[1].line).toBe(7);
  });

  it("reports a missing closing brace with its line, in Vietnamese", () => {
    const r = parseGift("// ghi chú\n::Q1::Câu một?{\n=A\n~B\n\nCâu hai?{=C ~D}");
    expect(r.issues).toEqual([
      {
        line: 2,
        severity: "error",
        message: "Dòng 2: thiếu dấu “}” đóng phần đáp án (mở bằng “{”). Nếu “{” là chữ trong câu hỏi, hãy viết “\\{”.",
      },
    ]);
    expect(r.questions.map((q) => q.line)).toEqual([6]);
    expect(parseGift("Câu hỏi } lạc {=A ~B}").issues[0].message).toBe(
      "Dòng 1: có dấu “}” nhưng thiếu dấu “{” mở phần đáp án. Nếu “}” là chữ trong câu hỏi, hãy viết “\\}”.",
    );
  });

  it("reports text before the first answer marker", () => {
    const r = parseGift("Câu hỏi?{ 1930 =A ~B}");
    expect(r.issues[0]).toMatchObject({ line: 1, severity: "error" });
    expect(r.issues[0].message).toContain("trước phương án đầu tiên");
  });

  it("writes GIFT Moodle can read: escapes, weights, TF feedback, essay, category, tags", () => {
    const text = toGift([
      {
        line: 1,
        type: "multiple",
        name: "Tên: Đảng",
        stem: "Chọn {các} tên = đúng",
        stemFormat: "plain",
        options: [
          { text: "A~1", fraction: 0.5 },
          { text: "B#2", fraction: 0.5, feedback: "Đúng: 50%" },
          { text: "C", fraction: -1 },
        ],
        category: "HD61/Bài 1",
        lesson: 1,
        level: "thong_hieu",
        tags: ["tên gọi"],
        code: "X-1",
        source: "Điều lệ Đảng",
        images: [],
      },
      {
        line: 2,
        type: "true_false",
        stem: "Đúng hay sai?",
        stemFormat: "plain",
        options: [
          { text: "Đúng", fraction: 0, feedback: "sai rồi" },
          { text: "Sai", fraction: 1, feedback: "chính xác" },
        ],
        tags: [],
        images: [],
      },
    ]);
    expect(text).toContain("$CATEGORY: $course$/top/HD61/Bài 1");
    expect(text).toContain("// [id:X-1] [tag:tên gọi] [tag:Thông hiểu]");
    expect(text).toContain("// Nguồn: Điều lệ Đảng");
    expect(text).toContain("::Tên\\: Đảng::Chọn \\{các\\} tên \\= đúng{");
    expect(text).toContain("\t~%50%A\\~1\n\t~%50%B\\#2#Đúng\\: 50%\n\t~%-100%C\n}");
    expect(text).toContain("$CATEGORY: $course$/top\n");
    // {FALSE#feedback when wrong#feedback when right}, as Moodle writes it
    expect(text).toContain("Đúng hay sai?{FALSE#sai rồi#chính xác}");
  });
});
