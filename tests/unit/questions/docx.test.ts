import { describe, expect, it } from "vitest";
import { parseQuestionFile } from "../../../server/questions/formats/index";
import { parseDocx } from "../../../server/questions/formats/docx";
import { TINY_PNG, buildDocx, lecturerDocument, type Para, type Run } from "../../fixtures/questions/make-docx";

const p = (...runs: Run[]): Para => ({ runs });
const docx = (...paragraphs: Para[]) => buildDocx({ paragraphs });

describe("Word document in the lecturers' convention", async () => {
  const result = await parseQuestionFile("Ngân hàng câu hỏi HD61.docx", await buildDocx(lecturerDocument()));
  const byNumber = new Map(result.questions.map((q) => [q.number, q]));

  it("reads 8 questions; the one without a marked answer is rejected with question and paragraph number", () => {
    expect(result.questions.map((q) => q.number)).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
    expect(result.rejected?.map((q) => q.number)).toEqual([6]);
    expect(result.issues).toEqual([
      {
        line: 35,
        severity: "error",
        message:
          "Câu 6 (đoạn 35): câu hỏi chưa có đáp án đúng (đánh dấu * trước phương án đúng như “*B. …”, in đậm cả phương án đúng, hoặc thêm dòng “Đáp án: B” sau các phương án).",
      },
    ]);
  });

  it("Câu 1: text split across runs, bold whole option marks the answer, Mức độ and Nguồn lines, lesson from the heading", () => {
    expect(byNumber.get(1)).toEqual({
      line: 5,
      number: 1,
      type: "single",
      stem: "Đảng Cộng sản Việt Nam được thành lập vào ngày, tháng, năm nào?",
      stemFormat: "plain",
      options: [
        { text: "03/02/1930", fraction: 1 },
        { text: "19/5/1930", fraction: 0 },
        { text: "02/9/1945", fraction: 0 },
        { text: "06/01/1930", fraction: 0 },
      ],
      lesson: 1,
      level: "nhan_biet",
      source: "Lịch sử Đảng Cộng sản Việt Nam, NXB Chính trị quốc gia Sự thật",
      tags: [],
      images: [],
    });
  });

  it("Câu 2: '*B.' marks the answer; hyperlinks and tracked insertions are read, deletions are not; Giải thích", () => {
    expect(byNumber.get(2)).toEqual({
      line: 12,
      number: 2,
      type: "single",
      stem: "Hội nghị hợp nhất các tổ chức cộng sản đầu năm 1930 do ai chủ trì?",
      stemFormat: "plain",
      options: [
        { text: "Trần Phú", fraction: 0 },
        { text: "Nguyễn Ái Quốc", fraction: 1 },
        { text: "Lê Hồng Phong", fraction: 0 },
        { text: "Hà Huy Tập", fraction: 0 },
      ],
      explanation: "Nguyễn Ái Quốc, phái viên của Quốc tế Cộng sản, chủ trì Hội nghị tại Cửu Long (Hương Cảng).",
      lesson: 1,
      tags: [],
      images: [],
    });
  });

  it("Câu 3: two options per paragraph separated by a tab, 'Đáp án: A, B' makes it multiple", () => {
    expect(byNumber.get(3)).toMatchObject({
      line: 18,
      type: "multiple",
      level: "thong_hieu",
      options: [
        { text: "Đảng Cộng sản Đông Dương", fraction: 0.5 },
        { text: "Đảng Lao động Việt Nam", fraction: 0.5 },
        { text: "Đảng Dân chủ Việt Nam", fraction: 0 },
        { text: "Đảng Xã hội Việt Nam", fraction: 0 },
      ],
    });
  });

  it("Câu 4: options Đúng/Sai make a true/false question; underline marks the answer", () => {
    expect(byNumber.get(4)).toMatchObject({
      line: 23,
      type: "true_false",
      stem: "Cương lĩnh chính trị đầu tiên của Đảng do đồng chí Nguyễn Ái Quốc soạn thảo.",
      options: [
        { text: "Đúng", fraction: 1 },
        { text: "Sai", fraction: 0 },
      ],
    });
  });

  it("Câu 5: an embedded picture becomes an HTML stem with the image in place; red marks the answer", () => {
    const q = byNumber.get(5)!;
    expect(q).toMatchObject({ line: 28, type: "single", stemFormat: "html", lesson: 2, level: "van_dung" });
    expect(q.stem).toBe(
      '<p>Quan sát hình dưới đây:</p><p><img src="@@PLUGINFILE@@/image1.png" alt=""></p><p>Hình ảnh trên gợi nhớ Đại hội nào của Đảng, nơi khởi xướng đường lối đổi mới?</p>',
    );
    expect(q.images).toHaveLength(1);
    expect(q.images[0]).toMatchObject({ name: "image1.png", mime: "image/png" });
    expect(Buffer.from(q.images[0].data).equals(Buffer.from(TINY_PNG))).toBe(true);
    expect(q.options).toEqual([
      { text: "Đại hội VI (1986)", fraction: 1 },
      { text: "Đại hội VII (1991)", fraction: 0 },
      { text: "Đại hội XI (2011)", fraction: 0 },
    ]);
  });

  it("Câu 7: no options → essay; a multi-paragraph Giải thích; Bài: 2", () => {
    expect(byNumber.get(7)).toEqual({
      line: 40,
      number: 7,
      type: "essay",
      stem: "Đồng chí hãy trình bày những nội dung cơ bản của Cương lĩnh năm 2011.",
      stemFormat: "plain",
      options: [],
      explanation: "Nêu được 8 đặc trưng, 8 phương hướng cơ bản\nvà 8 mối quan hệ lớn cần giải quyết tốt.",
      lesson: 2,
      tags: [],
      images: [],
    });
  });

  it("Câu 8–9: Word's automatic numbering ('Câu %1.' from 8, lettered options) is rendered; Đáp án and Thẻ lines", () => {
    expect(byNumber.get(8)).toMatchObject({
      line: 44,
      type: "single",
      stem: "Nguyên tắc tổ chức cơ bản của Đảng là gì?",
      options: [
        { text: "Tập trung dân chủ", fraction: 1 },
        { text: "Tập thể lãnh đạo, cá nhân phụ trách", fraction: 0 },
        { text: "Tự phê bình và phê bình", fraction: 0 },
      ],
    });
    expect(byNumber.get(9)).toMatchObject({
      line: 48,
      stem: "Thời gian dự bị của đảng viên là bao lâu?",
      options: [
        { text: "6 tháng", fraction: 0 },
        { text: "12 tháng", fraction: 1 },
        { text: "18 tháng", fraction: 0 },
      ],
      tags: ["Điều lệ Đảng", "đảng viên dự bị"],
    });
  });
});

describe("Word convention: other cases", () => {
  it("'Đáp án: E' without option E, and a '*' that contradicts the Đáp án line", async () => {
    const r = await parseQuestionFile(
      "loi.docx",
      await docx(
        p("Câu 1. Đại hội XIII của Đảng họp năm nào?"),
        p("A. 2016"),
        p("B. 2021"),
        p("Đáp án: E"),
        p("Câu 2: Đại hội VI của Đảng họp năm nào?"),
        p("*A. 1986"),
        p("B. 1991"),
        p("Đáp án: B"),
      ),
    );
    expect(r.questions).toEqual([]);
    expect(r.issues.map((i) => i.message)).toEqual([
      "Câu 1 (đoạn 1): “Đáp án: E” nhưng câu hỏi không có phương án E.",
      "Câu 2 (đoạn 5): dấu * đánh ở phương án A nhưng dòng “Đáp án” ghi B; hãy giữ một cách đánh dấu.",
    ]);
    // Question-level errors carry the line of the question, so the importer can reject it.
    expect(r.issues.map((i) => i.line)).toEqual([1, 5]);
  });

  it("bold everywhere marks nothing; 'Đáp án: Sai' without options makes a true/false question; '1.' numbering", async () => {
    const r = await parseQuestionFile(
      "dam.docx",
      await docx(
        p("1. Cơ quan lãnh đạo cao nhất của Đảng là gì?"),
        p({ t: "A. Đại hội đại biểu toàn quốc", b: true }),
        p({ t: "B. Bộ Chính trị", b: true }),
        p("2. Đảng viên dự bị có quyền biểu quyết."),
        p("Đáp án: Sai"),
        p("Loại: Đúng/Sai"),
      ),
    );
    expect(r.rejected?.map((q) => q.number)).toEqual([1]);
    expect(r.issues[0].message).toContain("Câu 1 (đoạn 1): câu hỏi chưa có đáp án đúng");
    expect(r.questions).toEqual([
      {
        line: 4,
        number: 2,
        type: "true_false",
        stem: "Đảng viên dự bị có quyền biểu quyết.",
        stemFormat: "plain",
        options: [
          { text: "Đúng", fraction: 0 },
          { text: "Sai", fraction: 1 },
        ],
        tags: [],
        images: [],
      },
    ]);
  });

  it("warns about a skipped question number and a stray paragraph", async () => {
    const r = await parseQuestionFile(
      "so.docx",
      await docx(p("Câu 1. A hay B?"), p("*A. A"), p("B. B"), p("Ghi chú của giảng viên"), p("Câu 3. C hay D?"), p("A. C"), p("*B. D")),
    );
    expect(r.questions).toHaveLength(2);
    expect(r.issues.map((i) => [i.line, i.severity, i.message])).toEqual([
      [
        4,
        "warning",
        "Câu 1 (đoạn 4): không rõ đoạn “Ghi chú của giảng viên” thuộc phần nào của câu hỏi nên đã bỏ qua. Phương án phải bắt đầu bằng “A.”, “B.”…; thông tin thêm dùng “Giải thích:”, “Nguồn:”.",
      ],
      [5, "warning", "Câu 3 (đoạn 5): không thấy câu 2; hãy kiểm tra xem có thiếu câu không."],
    ]);
  });

  it("a zip that is not a Word document is refused in Vietnamese", async () => {
    const JSZip = (await import("jszip")).default;
    const zip = new JSZip();
    zip.file("readme.txt", "không phải Word");
    await expect(parseDocx(await zip.generateAsync({ type: "uint8array" }))).rejects.toThrow(
      "Tệp .docx bị hỏng hoặc không phải tài liệu Word",
    );
  });
});
