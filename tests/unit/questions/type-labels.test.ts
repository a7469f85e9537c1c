import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseGift } from "../../../server/questions/formats/gift";
import { parseMoodleXml } from "../../../server/questions/formats/moodle-xml";
import { QUESTION_TYPE, UNSUPPORTED_QUESTION_TYPE, questionTypeLabel } from "../../../app/lib/labels";

/** Issue 14 item 9: the import preview listed types as "numerical", "matching", "short_answer". */
describe("question type labels (app/lib/labels.ts)", () => {
  const english = /^[a-z_]+$|numerical|matching|short|answer|essay|single|multiple/;

  it("every supported type has a Vietnamese label", () => {
    for (const t of ["single", "multiple", "true_false", "essay"]) expect(questionTypeLabel(t)).toBe(QUESTION_TYPE[t]);
  });

  it("the kinds the GIFT parser reports as unsupported read in Vietnamese", () => {
    const gift = [
      "::n:: Năm thành lập Đảng? {#1930}",
      "::m:: Ghép đôi {=Hà Nội -> Thủ đô =Huế -> Cố đô}",
      "::s:: Người sáng lập Đảng? {=Nguyễn Ái Quốc =Hồ Chí Minh}",
      "::w:: Đảng ra đời năm {~1929 =1930 ~1945} tại Hương Cảng.",
      "::d:: Đoạn mô tả không có đáp án.",
    ].join("\n\n");
    const { unsupported } = parseGift(gift);
    expect(unsupported.map((u) => u.kind).sort()).toEqual(["description", "matching", "missing_word", "numerical", "short_answer"]);
    for (const u of unsupported) {
      const label = questionTypeLabel(u.kind);
      expect(label, u.kind).toBe(UNSUPPORTED_QUESTION_TYPE[u.kind]);
      expect(label).not.toMatch(english);
    }
  });

  it("every kind named in the parsers' source has a label (a new kind cannot slip through in English)", () => {
    const src = ["gift.ts", "moodle-xml.ts"]
      .map((f) => readFileSync(new URL(`../../../server/questions/formats/${f}`, import.meta.url), "utf8"))
      .join("\n");
    const kinds = [...src.matchAll(/kind: "([a-z_]+)"/g)].map((m) => m[1]!);
    expect(kinds.length).toBeGreaterThan(4);
    for (const k of kinds) expect(UNSUPPORTED_QUESTION_TYPE[k], k).toBeTruthy();
  });

  it("Moodle XML types (shortanswer, numerical, matching, cloze) read in Vietnamese", () => {
    const xml = `<?xml version="1.0"?><quiz>${["shortanswer", "numerical", "matching", "multianswer", "ddwtos"]
      .map(
        (t) =>
          `<question type="${t}"><name><text>${t}</text></name><questiontext format="html"><text>Câu?</text></questiontext></question>`,
      )
      .join("")}</quiz>`;
    const { unsupported } = parseMoodleXml(xml);
    expect(unsupported).toHaveLength(5);
    for (const u of unsupported) expect(questionTypeLabel(u.kind)).not.toMatch(english);
    expect(questionTypeLabel("somethingnew")).toBe("Loại chưa hỗ trợ (somethingnew)");
  });
});
