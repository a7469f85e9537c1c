import { describe, expect, it } from "vitest";
import { checkQuestions, sectionMeans, summarise, validateAnswers } from "../../../server/surveys/rules";
import { COURSE_SURVEY, OBSERVATION_FORM } from "../../../server/surveys/defaults";
import type { SurveyQuestion } from "../../../server/db/schema-surveys";

const qs: SurveyQuestion[] = [
  { key: "a", section: "content", type: "likert", text: "A" },
  { key: "b", section: "lecturer", type: "likert", text: "B" },
  { key: "c", section: "general", type: "choice", text: "C", options: ["x", "y", "z"] },
  { key: "d", section: "general", type: "text", text: "D" },
];

describe("validateAnswers", () => {
  it("accepts a full form and normalises text", () => {
    const r = validateAnswers(qs, { a: "5", b: "1", c: "2", d: "  Tie\u0302\u0301ng Việt  " });
    expect(r.problems).toEqual([]);
    expect(r.answers).toEqual([
      { key: "a", section: "content", value: 5, text: null },
      { key: "b", section: "lecturer", value: 1, text: null },
      { key: "c", section: "general", value: 2, text: null },
      { key: "d", section: "general", value: null, text: "Tiếng Việt" },
    ]);
  });
  it("names each question that is missing or out of range, in Vietnamese", () => {
    const r = validateAnswers(qs, { a: "0", c: "3" });
    expect(r.problems).toEqual([
      "Câu 1: lựa chọn không hợp lệ, hãy chọn lại.",
      "Câu 2: chưa chọn mức đánh giá.",
      "Câu 3: lựa chọn không hợp lệ, hãy chọn lại.",
    ]);
  });
  it("leaves optional free text out when empty and refuses a novel", () => {
    expect(validateAnswers(qs, { a: "3", b: "3", c: "0", d: "" }).answers).toHaveLength(3);
    expect(validateAnswers(qs, { a: "3", b: "3", c: "0", d: "x".repeat(2001) }).problems).toEqual([
      "Câu 4: ý kiến dài quá 2000 ký tự, hãy rút gọn.",
    ]);
  });
});

describe("summarise", () => {
  const stats = [
    { question_key: "a", value: 5, n: 3 },
    { question_key: "a", value: 4, n: 2 },
    { question_key: "b", value: 2, n: 5 },
    { question_key: "c", value: 0, n: 4 },
    { question_key: "c", value: 2, n: 1 },
  ];
  it("hides everything but the count below the minimum group", () => {
    expect(summarise(qs, stats, 4, 5)).toEqual({ hidden: true, responses: 4, minGroup: 5 });
  });
  it("computes means, counts and section means by hand", () => {
    const r = summarise(qs, stats, 5, 5);
    if (r.hidden) throw new Error("hidden");
    expect(r.questions.map((q) => [q.key, q.n, q.mean, q.counts])).toEqual([
      ["a", 5, 4.6, [0, 0, 0, 2, 3]],
      ["b", 5, 2, [0, 5, 0, 0, 0]],
      ["c", 5, null, [4, 0, 1]],
    ]);
    expect(r.sections).toEqual([
      { section: "content", label: "Nội dung chương trình", mean: 4.6 },
      { section: "lecturer", label: "Giảng viên", mean: 2 },
    ]);
  });
  it("weights every answer equally across a section", () => {
    expect(
      sectionMeans([
        { section: "content", type: "likert", counts: [0, 0, 0, 0, 1] },
        { section: "content", type: "likert", counts: [0, 0, 3, 0, 0] },
      ]),
    ).toEqual([{ section: "content", label: "Nội dung chương trình", mean: 3.5 }]);
  });
});

describe("default forms", () => {
  it("are valid templates covering the four areas", () => {
    expect(checkQuestions(COURSE_SURVEY.questions)).toEqual([]);
    expect(checkQuestions(OBSERVATION_FORM.questions)).toEqual([]);
    expect(new Set(COURSE_SURVEY.questions.map((q) => q.section))).toEqual(
      new Set(["content", "lecturer", "organisation", "facilities", "general"]),
    );
  });
  it("reports duplicate keys and choice questions without options", () => {
    expect(checkQuestions([...qs, { key: "a", section: "general", type: "choice", text: "E", options: ["x"] }])).toEqual([
      "Câu 5: mã câu “a” bị trùng.",
      "Câu 5: câu lựa chọn cần ít nhất hai phương án.",
    ]);
  });
});
