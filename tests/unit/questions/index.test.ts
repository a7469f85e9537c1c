import { describe, expect, it } from "vitest";
import { FormatError, parseQuestionFile, validateQuestion } from "../../../server/questions/formats/index";
import type { ImportedQuestion } from "../../../server/questions/formats/model";
import { buildDocx, lecturerDocument } from "../../fixtures/questions/make-docx";

const utf8 = (s: string) => new TextEncoder().encode(s);
const q = (over: Partial<ImportedQuestion>): ImportedQuestion => ({
  line: 12,
  type: "single",
  stem: "Đảng ra đời năm nào?",
  stemFormat: "plain",
  options: [
    { text: "1930", fraction: 1 },
    { text: "1945", fraction: 0 },
  ],
  tags: [],
  images: [],
  ...over,
});

describe("validation common to all formats", () => {
  it("single needs exactly one fully correct option", () => {
    expect(
      validateQuestion(
        q({
          options: [
            { text: "1930", fraction: 0 },
            { text: "1945", fraction: 0 },
          ],
        }),
      ),
    ).toEqual([{ line: 12, severity: "error", message: "Dòng 12: câu hỏi chưa có đáp án đúng (đánh dấu * trước phương án đúng)." }]);
    expect(
      validateQuestion(
        q({
          options: [
            { text: "1930", fraction: 1 },
            { text: "1945", fraction: 1 },
          ],
        }),
        "gift",
      )[0].message,
    ).toBe(
      "Dòng 12: có 2 phương án cùng được đánh dấu đúng (A, B); câu Một lựa chọn chỉ có một đáp án đúng. Nếu câu có nhiều đáp án đúng, hãy chọn loại Nhiều lựa chọn.",
    );
    expect(validateQuestion(q({ options: [{ text: "1930", fraction: 1 }] }))[0].message).toBe(
      "Dòng 12: câu một lựa chọn cần ít nhất 2 phương án.",
    );
    expect(
      validateQuestion(
        q({
          options: [
            { text: "1930", fraction: 1 },
            { text: "1945", fraction: 0.5 },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("multiple needs ≥ 2 positive options summing to 100%", () => {
    const multiple = (fractions: number[]) => q({ type: "multiple", options: fractions.map((f, i) => ({ text: `P${i}`, fraction: f })) });
    expect(validateQuestion(multiple([0.5, 0.5, -1]))).toEqual([]);
    expect(validateQuestion(multiple([1 / 3, 1 / 3, 1 / 3, 0]))).toEqual([]);
    expect(validateQuestion(multiple([0.5, 0.4, 0]))[0].message).toBe(
      "Dòng 12: tổng điểm các phương án đúng (A, B) là 90%, phải bằng 100%.",
    );
    expect(validateQuestion(multiple([1, 0, 0]), "moodle-xml")[0].message).toBe(
      "Dòng 12: câu Nhiều lựa chọn chỉ có một đáp án đúng (A); cần ít nhất hai. Nếu chỉ có một đáp án đúng, hãy chọn loại Một lựa chọn.",
    );
    expect(validateQuestion(multiple([0, 0]), "moodle-xml")[0].message).toBe(
      'Dòng 12: câu hỏi chưa có đáp án đúng (đặt fraction="100" cho phương án đúng).',
    );
  });

  it("true/false has exactly 2 options and one answer; stems and options are not empty or duplicated", () => {
    expect(validateQuestion(q({ type: "true_false", options: [{ text: "Đúng", fraction: 1 }] }))[0].message).toBe(
      "Dòng 12: câu Đúng/Sai phải có đúng 2 phương án (Đúng, Sai), đang có 1.",
    );
    expect(validateQuestion(q({ stem: "  " }))[0].message).toBe("Dòng 12: câu hỏi chưa có nội dung.");
    expect(validateQuestion(q({ stem: "<p></p>", stemFormat: "html" }))[0].message).toBe("Dòng 12: câu hỏi chưa có nội dung.");
    expect(validateQuestion(q({ stem: '<p><img src="@@PLUGINFILE@@/a.png"></p>', stemFormat: "html" }))).toEqual([]);
    expect(
      validateQuestion(
        q({
          options: [
            { text: "1930", fraction: 1 },
            { text: " ", fraction: 0 },
          ],
        }),
      )[0].message,
    ).toBe("Dòng 12: phương án B để trống.");
    expect(
      validateQuestion(
        q({
          options: [
            { text: "Đảng Cộng sản", fraction: 1 },
            { text: "đảng  cộng sản", fraction: 0 },
          ],
        }),
      )[0].message,
    ).toBe("Dòng 12: phương án A và B trùng nhau (“đảng cộng sản”).");
    expect(
      validateQuestion(
        q({
          options: [
            { text: "1930", fraction: 1.5 },
            { text: "1945", fraction: 0 },
          ],
        }),
      )[0].message,
    ).toBe("Dòng 12: phương án A có điểm 150%, phải nằm trong khoảng từ -100% đến 100%.");
  });

  it("names the place as each format shows it", () => {
    const none = {
      options: [
        { text: "1930", fraction: 0 },
        { text: "1945", fraction: 0 },
      ],
    };
    expect(validateQuestion(q({ ...none, number: 7, line: 31 }), "docx")[0].message).toMatch(
      /^Câu 7 \(đoạn 31\): câu hỏi chưa có đáp án đúng/,
    );
    expect(validateQuestion(q({ ...none, line: 14 }), "xlsx")[0]).toMatchObject({
      column: "Đáp án đúng",
      message: expect.stringMatching(/^Dòng 14, cột Đáp án đúng: câu hỏi chưa có đáp án đúng/),
    });
  });
});

describe("parseQuestionFile", () => {
  it("dispatches by format, normalises to NFC and flags duplicates inside the file", async () => {
    const decomposed = "Đảng Cộng sản Việt Nam ra đời năm nào?".normalize("NFD");
    const gift = `${decomposed}{=1930 ~1945}\n\nĐảng Cộng sản Việt Nam ra đời năm nào?{=1930 ~1945}\n\nDang Cong san Viet Nam ra doi nam nao?{=1930 ~1945}\n`;
    const r = await parseQuestionFile("trung.txt", utf8(gift));
    expect(r.questions[0].stem).toBe("Đảng Cộng sản Việt Nam ra đời năm nào?");
    expect(r.questions[0].stem).toBe(r.questions[0].stem.normalize("NFC"));
    expect(r.issues).toEqual([
      { line: 3, severity: "warning", message: "Dòng 3: câu hỏi trùng với dòng 1." },
      { line: 5, severity: "warning", message: "Dòng 5: câu hỏi gần giống dòng 1 (giống 96%); hãy kiểm tra có bị trùng không." },
    ]);
    expect((await parseQuestionFile("trung.txt", utf8(gift), { duplicates: false })).issues).toEqual([]);
  });

  it("names docx duplicates by question number", async () => {
    const doc = lecturerDocument();
    doc.paragraphs.push(
      ...doc.paragraphs
        .slice(4, 9)
        .map((p, i) => (i === 0 ? { runs: ["Câu 10. Đảng Cộng sản Việt Nam được thành lập vào ngày, tháng, năm nào?"] } : p)),
    );
    const r = await parseQuestionFile("lap.docx", await buildDocx(doc));
    expect(r.issues).toContainEqual({ line: 54, severity: "warning", message: "Câu 10 (đoạn 54): câu hỏi trùng với câu 1 (đoạn 5)." });
  });

  it("refuses a Word file renamed to .txt and lets a legacy-encoded file through only when asked", async () => {
    const word = await buildDocx(lecturerDocument());
    const e = await parseQuestionFile("cau-hoi.gift", word).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).message).toContain("là tệp nén");
    // a .txt extension says nothing definite, so the zip directory decides: it is read as Word
    expect((await parseQuestionFile("cau-hoi.txt", word)).questions).toHaveLength(8);
    const cp1258 = Uint8Array.from([...utf8("C"), 0xe2, 0xf5, 0x20, ...utf8("hay kh"), 0xf4, 0x6e, 0x67, ...utf8("?{T}")]);
    await expect(parseQuestionFile("cu.txt", cp1258)).rejects.toThrow("Tệp không phải văn bản UTF-8");
    const guessed = await parseQuestionFile("cu.txt", cp1258, { legacyEncoding: "guess" });
    // C â ơ in Windows-1258 bytes (0xE2, 0xF5), ô as 0xF4
    expect(guessed.questions[0].stem).toBe("Câơ hay không?");
  });
});
