import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseMoodleXml, toMoodleXml } from "../../../server/questions/formats/moodle-xml";
import { parseQuestionFile } from "../../../server/questions/formats/index";
import { makeMoodleXml } from "../../fixtures/questions/make-moodle-xml";
import { TINY_PNG } from "../../fixtures/questions/make-docx";

const fixturePath = new URL("../../fixtures/questions/hd61-moodle-export.xml", import.meta.url);
const xml = readFileSync(fixturePath, "utf8");

describe("Moodle XML fixture (exported-by-Moodle shape)", async () => {
  const result = await parseQuestionFile("hd61-moodle-export.xml", new TextEncoder().encode(xml));
  const [q1, q2, q3, q4, q5] = result.questions;

  it("reads the 5 supported questions and rejects none", () => {
    expect(result.questions).toHaveLength(5);
    expect(result.rejected).toEqual([]);
  });

  it("multichoice single: CDATA HTML that is only a paragraph becomes plain text; feedback, generalfeedback, idnumber, tags, category", () => {
    expect(q1).toEqual({
      line: 15,
      type: "single",
      name: "HD61-B3-001 Nền tảng tư tưởng",
      code: "HD61-B3-001",
      stem: "Đảng Cộng sản Việt Nam lấy gì làm nền tảng tư tưởng, kim chỉ nam cho hành động?",
      stemFormat: "plain",
      options: [
        { text: "Chủ nghĩa Mác - Lênin và tư tưởng Hồ Chí Minh", fraction: 1, feedback: "Chính xác & đầy đủ." },
        { text: "Chủ nghĩa Mác - Lênin", fraction: 0, feedback: "Còn thiếu tư tưởng Hồ Chí Minh." },
        { text: "Tư tưởng Hồ Chí Minh", fraction: 0 },
        { text: "Truyền thống yêu nước của dân tộc", fraction: 0 },
      ],
      explanation: "Điều lệ Đảng (Đại hội XI): Đảng lấy chủ nghĩa Mác - Lênin và tư tưởng Hồ Chí Minh làm nền tảng tư tưởng.",
      category: "HD61/Bài 3",
      lesson: 3,
      level: "nhan_biet",
      tags: ["Điều lệ Đảng"],
      shuffleAnswers: true,
      images: [],
    });
  });

  it("base64 image referenced through @@PLUGINFILE@@; class/style/onerror and javascript: links are removed", () => {
    expect(q2).toMatchObject({
      line: 76,
      type: "single",
      code: "HD61-B3-002",
      stemFormat: "html",
      shuffleAnswers: false,
      level: "van_dung",
      lesson: 3,
      options: [
        { text: "1925", fraction: 0 },
        { text: "1930", fraction: 1 },
        { text: "1941", fraction: 0 },
      ],
    });
    expect(q2.stem).toBe(
      '<p>Quan sát ảnh tư liệu dưới đây và cho biết <u>sự kiện</u> được nhắc đến diễn ra năm nào?</p><p><img src="@@PLUGINFILE@@/Anh%20tu%20lieu.png" alt="Ảnh tư liệu" width="120" height="80"></p><p>Xem thêm</p>',
    );
    expect(q2.images).toHaveLength(1);
    expect(q2.images[0].name).toBe("Anh tu lieu.png");
    expect(q2.images[0].mime).toBe("image/png");
    expect(Buffer.from(q2.images[0].data).equals(Buffer.from(TINY_PNG))).toBe(true);
    expect(result.issues).toContainEqual({
      line: 76,
      severity: "warning",
      message:
        "Dòng 76: đã bỏ phần HTML không an toàn trong nội dung câu hỏi (thuộc tính sự kiện (onclick, onerror…), liên kết javascript:).",
    });
  });

  it("multichoice with single=false: multiple, fractions 50/50/-50", () => {
    expect(q3).toMatchObject({
      line: 112,
      type: "multiple",
      stem: "<p>Tư tưởng Hồ Chí Minh được hình thành từ những nguồn gốc nào? <em>(Chọn nhiều đáp án)</em></p>",
      stemFormat: "html",
      options: [
        { text: "Giá trị truyền thống tốt đẹp của dân tộc Việt Nam", fraction: 0.5 },
        { text: "Chủ nghĩa Mác - Lênin", fraction: 0.5 },
        { text: "Chủ nghĩa thực dụng phương Tây", fraction: -0.5, feedback: "Không phải nguồn gốc." },
      ],
      level: "thong_hieu",
      shuffleAnswers: false,
    });
  });

  it("truefalse with feedback; level taken from the category path", () => {
    expect(q4).toEqual({
      line: 157,
      type: "true_false",
      name: "HD61-B4-001",
      code: "HD61-B4-001",
      stem: "Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân, đồng thời là đội tiên phong của nhân dân lao động và của dân tộc Việt Nam.",
      stemFormat: "plain",
      options: [
        { text: "Đúng", fraction: 1, feedback: "Đúng theo Điều lệ Đảng." },
        { text: "Sai", fraction: 0, feedback: "Chưa đúng, hãy xem lại phần mở đầu Điều lệ Đảng." },
      ],
      explanation: "Điều lệ Đảng, phần mở đầu.",
      category: "HD61/Bài 4/Nhận biết",
      lesson: 4,
      level: "nhan_biet",
      tags: [],
      images: [],
    });
  });

  it("essay keeps an HTML table, drops the onclick", () => {
    expect(q5).toMatchObject({
      line: 186,
      type: "essay",
      name: "Bài thu hoạch",
      options: [],
      explanation: "Chấm theo thang điểm 10.",
      stem: "<p>Đồng chí hãy liên hệ bản thân về <strong>động cơ phấn đấu</strong> vào Đảng.</p><table><tr><td>Yêu cầu</td><td>Tối thiểu 1.500 từ</td></tr></table>",
    });
    expect(q5.code).toBeUndefined();
  });

  it("lists matching, cloze (multianswer) and description as unsupported, with names and lines", () => {
    expect(result.unsupported).toEqual([
      { line: 218, kind: "matching", name: "Ghép đại hội với năm" },
      { line: 248, kind: "multianswer", name: "Điền khuyết Cương lĩnh" },
      { line: 264, kind: "description", name: "Giới thiệu phần 2" },
    ]);
  });
});

describe("malformed Moodle XML gives exactly one error with a line number", () => {
  it("truncated file: the line where it stops", () => {
    const lines = xml.split("\n");
    const cut = lines.slice(0, 100).join("\n"); // ends inside the second question
    const r = parseMoodleXml(cut);
    expect(r.questions).toEqual([]);
    expect(r.unsupported).toEqual([]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 100, severity: "error" });
    expect(r.issues[0].message).toMatch(/^Dòng 100: tệp XML bị cắt cụt hoặc thiếu thẻ đóng \(.*<\/question>.*<\/quiz>\)/);
  });

  it("mismatched tag: the parser's line", () => {
    const broken = xml.replace("<text>HD61-B4-001</text>", "<text>HD61-B4-001</txt>");
    const r = parseMoodleXml(broken);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].line).toBe(159);
    expect(r.issues[0].message).toMatch(/^Dòng 159, cột \d+: tệp XML bị lỗi cú pháp/);
    expect(r.questions).toEqual([]);
  });

  it("refuses DOCTYPE/ENTITY declarations (entity expansion attacks)", () => {
    const r = parseMoodleXml('<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa">]>\n<quiz></quiz>');
    expect(r.issues).toEqual([{ line: 2, severity: "error", message: expect.stringContaining("Dòng 2: tệp XML có khai báo <!DOCTYPE>") }]);
  });

  it("says so when the XML is not a Moodle quiz", () => {
    const r = parseMoodleXml("<questions><q/></questions>");
    expect(r.issues[0].message).toContain("không phải định dạng Moodle XML");
  });
});

describe("makeMoodleXml (benchmark generator)", () => {
  it("produces n importable questions", async () => {
    const r = await parseQuestionFile("sinh.xml", new TextEncoder().encode(makeMoodleXml(200)));
    expect(r.questions.length + (r.rejected?.length ?? 0)).toBe(200);
    expect(r.rejected).toEqual([]);
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(new Set(r.questions.map((q) => q.type))).toEqual(new Set(["single", "multiple", "true_false", "essay"]));
    expect(r.questions[0]).toMatchObject({ code: "HD61-B1-0001", category: "Mặc định cho HD61/HD61/Bài 1", lesson: 1 });
    expect(r.questions.every((q) => q.level !== undefined && q.tags.length === 1)).toBe(true);
  });
});

describe("toMoodleXml", () => {
  it("writes the Moodle shape: category question, CDATA, base64 file, percent fractions, tags", () => {
    const out = toMoodleXml([
      {
        line: 1,
        type: "single",
        stem: '<p>Ảnh <img src="@@PLUGINFILE@@/a.png" alt=""></p>',
        stemFormat: "html",
        options: [
          { text: "A < B & C", fraction: 1 },
          { text: "Khác", fraction: 0 },
        ],
        category: "HD61/Bài 2",
        lesson: 2,
        level: "van_dung",
        tags: ["ảnh"],
        code: "C1",
        images: [{ name: "a.png", mime: "image/png", data: TINY_PNG }],
      },
    ]);
    expect(out).toContain('<question type="category">');
    expect(out).toContain("<text>$course$/top/HD61/Bài 2</text>");
    expect(out).toContain('<text><![CDATA[<p>Ảnh <img src="@@PLUGINFILE@@/a.png" alt=""></p>]]></text>');
    expect(out).toContain(`<file name="a.png" path="/" encoding="base64">${Buffer.from(TINY_PNG).toString("base64")}</file>`);
    expect(out).toContain('<answer fraction="100" format="html">');
    expect(out).toContain("<text><![CDATA[A &lt; B &amp; C]]></text>");
    expect(out).toContain("<tag><text>Vận dụng</text></tag>");
    expect(out).toContain("<idnumber>C1</idnumber>");
    expect(parseMoodleXml(out).issues).toEqual([]);
  });
});
