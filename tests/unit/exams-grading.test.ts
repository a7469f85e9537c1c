import { describe, expect, it } from "vitest";
import { checkBlueprint, drawPaper, fits, type BlueprintCell, type Candidate } from "../../server/exams/blueprint";
import { DEFAULT_POLICY, gradeAttempt, receiptCode } from "../../server/exams/scoring";
import { formatPoints, parseRubric, scoreWithRubric } from "../../server/exams/rubric";
import { changedOutcomes, correctedOptions } from "../../server/exams/regrade";
import { defaultReviewPolicy, reviewAccess, reviewPolicyProblem } from "../../server/exams/review";
import { parseExamForm } from "../../server/exams/form";
import { examCommand, isTypingTarget, ownsArrowKeys } from "../../app/components/exam/keys";

const opts = (...fractions: number[]) => fractions.map((fraction, i) => ({ text: `P${i}`, fraction }));

describe("rubric", () => {
  const guide = [
    "- Nêu đủ bốn nhiệm vụ (4 điểm)",
    "- Giải thích ý nghĩa (3 điểm)",
    "2) Liên hệ bản thân (2,5 điểm).",
    "Gợi ý: đối chiếu Điều 2 Điều lệ Đảng.",
  ].join("\n");

  it("reads criteria with their points (decimal comma too) and keeps other lines as guidance", () => {
    const r = parseRubric(guide, 5);
    expect(r.criteria).toEqual([
      { label: "Nêu đủ bốn nhiệm vụ", max: 4 },
      { label: "Giải thích ý nghĩa", max: 3 },
      { label: "Liên hệ bản thân", max: 2.5 },
    ]);
    expect(r.total).toBe(9.5);
    expect(r.guidance).toEqual(["Gợi ý: đối chiếu Điều 2 Điều lệ Đảng."]);
  });

  it("falls back to one criterion worth the item's points", () => {
    expect(parseRubric(null, 3)).toEqual({ criteria: [{ label: "Toàn bài", max: 3 }], guidance: [], total: 3 });
    expect(parseRubric("Chấm theo ý.", 2).criteria).toEqual([{ label: "Toàn bài", max: 2 }]);
  });

  it("scales criterion points to the item's points and names the criterion to fix", () => {
    const r = parseRubric("- A (4 điểm)\n- B (3 điểm)\n- C (3 điểm)", 5);
    expect(scoreWithRubric(r, [4, 3, 1], 5)).toEqual({ ok: true, points: 4 });
    expect(scoreWithRubric(r, [1, 1, 1], 5)).toEqual({ ok: true, points: 1.5 });
    expect(scoreWithRubric(r, [5, 0, 0], 5)).toEqual({ ok: false, message: "Tiêu chí 1 (“A”): điểm phải từ 0 đến 4." });
    expect(scoreWithRubric(r, [-1, 0, 0], 5).ok).toBe(false);
    expect(scoreWithRubric(r, [Number.NaN, 0, 0], 5).ok).toBe(false);
    expect(scoreWithRubric(r, [1, 1], 5)).toEqual({ ok: false, message: "Cần nhập điểm cho đủ 3 tiêu chí." });
    expect(formatPoints(0.5)).toBe("0,5");
  });
});

describe("grading with essays", () => {
  const mc = { type: "single" as const, options: opts(1, 0), points: 1, chosen: [0] };
  const essay = { type: "essay" as const, options: [], points: 5, chosen: [] };

  it("keeps the score provisional while an essay is ungraded", () => {
    const g = gradeAttempt([mc, mc, { ...essay, essayPoints: null }], DEFAULT_POLICY);
    expect(g.pending).toBe(1);
    expect(g.earned).toBe(2);
    expect(g.max).toBe(7);
  });

  it("adds the grader's points, clamped to the item's points", () => {
    const g = gradeAttempt([mc, mc, { ...essay, essayPoints: 4 }], DEFAULT_POLICY);
    expect(g).toMatchObject({ pending: 0, earned: 6, max: 7, score: 8.6, band: "kha", passed: true });
    expect(gradeAttempt([{ ...essay, essayPoints: 99 }], DEFAULT_POLICY).score).toBe(10);
    expect(gradeAttempt([{ ...essay, essayPoints: -3 }], DEFAULT_POLICY).score).toBe(0);
  });

  it("receipts of objective papers are unchanged by essay support; an essay's text changes its receipt", () => {
    const plain = [{ position: 1, chosen: [2] }];
    expect(receiptCode(7, plain)).toBe(receiptCode(7, [{ position: 1, chosen: [2], text: null }]));
    const a = receiptCode(7, [...plain, { position: 2, chosen: [], text: "Bài làm" }]);
    const b = receiptCode(7, [...plain, { position: 2, chosen: [], text: "Bài làm khác" }]);
    expect(a).not.toBe(b);
  });
});

describe("blueprint with essay cells", () => {
  const pool: Candidate[] = [
    ...[1, 2].flatMap((lesson) =>
      [0, 1, 2].map((k) => ({ versionId: lesson * 10 + k, lesson, level: "van_dung" as const, optionCount: 4 })),
    ),
    { versionId: 100, lesson: 1, level: "van_dung", optionCount: 0, essay: true },
    { versionId: 101, lesson: 2, level: "van_dung", optionCount: 0, essay: true },
  ];

  it("never gives an essay to an objective cell, and an essay cell with lesson 0 takes any lesson", () => {
    expect(fits({ lesson: 1, level: "van_dung", count: 1, points: 1 }, pool[6]!)).toBe(false);
    expect(fits({ lesson: 0, level: "van_dung", count: 1, points: 1, type: "essay" }, pool[7]!)).toBe(true);
    expect(fits({ lesson: 0, level: "van_dung", count: 1, points: 1, type: "essay" }, pool[0]!)).toBe(false);
    expect(checkBlueprint([{ lesson: 0, level: "van_dung", count: 3, points: 2, type: "essay" }], pool)).toEqual([
      { lesson: 0, level: "van_dung", needed: 3, available: 2 },
    ]);
  });

  it("draws each question once even when an 'any lesson' cell overlaps a lesson cell", () => {
    const cells: BlueprintCell[] = [
      { lesson: 1, level: "van_dung", count: 1, points: 2, type: "essay" },
      { lesson: 0, level: "van_dung", count: 1, points: 2, type: "essay" },
      { lesson: 1, level: "van_dung", count: 3, points: 1 },
    ];
    for (let s = 0; s < 30; s++) {
      const paper = drawPaper(cells, pool, `s${s}`, { shuffleQuestions: true, shuffleOptions: true });
      expect(new Set(paper.map((p) => p.versionId)).size).toBe(5);
      expect(paper.filter((p) => p.versionId >= 100).map((p) => p.optionOrder)).toEqual([[], []]);
    }
  });
});

describe("key corrections", () => {
  it("builds a corrected key, refusing essays, empty or unchanged keys and two answers on a single-choice item", () => {
    expect(correctedOptions("single", opts(1, 0, 0), [2])).toEqual({ ok: true, options: opts(0, 0, 1) });
    expect(correctedOptions("multiple", opts(1, 0, 0), [0, 1])).toEqual({ ok: true, options: opts(0.5, 0.5, 0) });
    expect(correctedOptions("single", opts(1, 0, 0), [0])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/giống đáp án hiện hành/),
    });
    expect(correctedOptions("single", opts(1, 0, 0), [0, 1])).toMatchObject({ ok: false });
    expect(correctedOptions("single", opts(1, 0, 0), [])).toMatchObject({ ok: false, message: "Chọn ít nhất một phương án đúng." });
    expect(correctedOptions("single", opts(1, 0, 0), [7])).toMatchObject({ ok: false });
    expect(correctedOptions("essay", [], [0])).toMatchObject({ ok: false });
  });

  it("lists only attempts whose score, band or pass changes", () => {
    const same = { score: 6, band: "trung_binh", passed: true };
    const rows = [
      { attemptId: 1, before: same, after: same },
      { attemptId: 2, before: same, after: { score: 7, band: "kha", passed: true } },
      { attemptId: 3, before: { score: 4.9, band: "khong_dat", passed: false }, after: { score: 5, band: "trung_binh", passed: true } },
    ];
    expect(changedOutcomes(rows).map((r) => r.attemptId)).toEqual([2, 3]);
  });
});

describe("review policy", () => {
  it("shows nothing under 'none', the score once final under 'score_only', answers only after close", () => {
    expect(reviewAccess("none", { final: true, closed: true })).toMatchObject({ score: false, answers: false });
    expect(reviewAccess("score_only", { final: false, closed: true })).toMatchObject({
      score: false,
      answers: false,
      notice: expect.stringMatching(/chờ giảng viên chấm/),
    });
    expect(reviewAccess("score_only", { final: true, closed: true })).toEqual({ score: true, answers: false, notice: null });
    expect(reviewAccess("answers_after_close", { final: true, closed: false })).toMatchObject({ score: true, answers: false });
    expect(reviewAccess("answers_after_close", { final: true, closed: true })).toEqual({ score: true, answers: true, notice: null });
    expect(reviewAccess("answers_after_close", { final: false, closed: true }).answers).toBe(false);
  });

  it("shows a practice test's answers at once, and an official one's when the centre releases them", () => {
    expect(reviewAccess("answers_after_submit", { final: true, closed: false })).toEqual({ score: true, answers: true, notice: null });
    expect(reviewAccess("answers_after_submit", { final: false, closed: false }).answers).toBe(false);
    expect(reviewAccess("answers_after_close", { final: true, closed: false, released: true })).toEqual({
      score: true,
      answers: true,
      notice: null,
    });
    expect(reviewAccess("score_only", { final: true, closed: false, released: true }).answers).toBe(false);
    expect(reviewAccess("none", { final: true, closed: true, released: true }).score).toBe(false);
  });

  it("defaults by kind, and refuses answers at once for an official exam", () => {
    expect(defaultReviewPolicy("practice")).toBe("answers_after_submit");
    expect(defaultReviewPolicy("official")).toBe("score_only");
    expect(reviewPolicyProblem("official", "answers_after_submit")).toMatch(/chính thức/);
    expect(reviewPolicyProblem("practice", "answers_after_submit")).toBeNull();
    expect(reviewPolicyProblem("official", "answers_after_close")).toBeNull();
  });
});

describe("exam form: essays and review policy", () => {
  const base = {
    title: "Kiểm tra",
    kind: "official",
    opensAt: "2026-03-13T08:00",
    closesAt: "2026-03-13T10:00",
    durationMinutes: "45",
    perLessonNhanBiet: "1",
    perLessonThongHieu: "0",
    perLessonVanDung: "0",
    passMark: "5",
  };
  const form = (extra: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries({ ...base, ...extra })) f.set(k, v);
    return f;
  };

  it("adds an 'any lesson' essay cell and the chosen review policy", () => {
    const r = parseExamForm(form({ essayCount: "2", essayPoints: "2.5", reviewPolicy: "answers_after_close" }), 1, [1, 2]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.blueprint).toContainEqual({ lesson: 0, level: "van_dung", count: 2, points: 2.5, type: "essay" });
    expect(r.value.reviewPolicy).toBe("answers_after_close");
  });

  it("defaults to no essay and score only; explains bad values in Vietnamese", () => {
    const r = parseExamForm(form({}), 1, [1]);
    expect(r.ok && r.value.blueprint.every((c) => c.type !== "essay") && r.value.reviewPolicy === undefined).toBe(true);
    expect(parseExamForm(form({ essayCount: "9" }), 1, [1])).toEqual({ ok: false, errors: { essayCount: "Nhiều nhất 5 câu tự luận." } });
    expect(parseExamForm(form({ reviewPolicy: "all" }), 1, [1])).toEqual({
      ok: false,
      errors: { reviewPolicy: "Chọn chế độ xem lại bài." },
    });
    expect(parseExamForm(form({ reviewPolicy: "answers_after_submit" }), 1, [1])).toMatchObject({
      ok: false,
      errors: { reviewPolicy: expect.stringMatching(/chính thức/) },
    });
    expect(parseExamForm(form({ kind: "practice", reviewPolicy: "answers_after_submit" }), 1, [1])).toMatchObject({
      ok: true,
      value: { reviewPolicy: "answers_after_submit" },
    });
  });
});

describe("keyboard answering", () => {
  it("maps numbers and letters to options within the question's option count", () => {
    expect(examCommand({ key: "1" }, 4)).toEqual({ kind: "choose", option: 0 });
    expect(examCommand({ key: "4" }, 4)).toEqual({ kind: "choose", option: 3 });
    expect(examCommand({ key: "5" }, 4)).toBeNull();
    expect(examCommand({ key: "b" }, 4)).toEqual({ kind: "choose", option: 1 });
    expect(examCommand({ key: "D" }, 2)).toBeNull();
    expect(examCommand({ key: "1" }, 0)).toBeNull(); // an essay has no options
  });

  it("moves with J/K and arrows, flags with F, ignores modified keys", () => {
    expect(examCommand({ key: "j" }, 4)).toEqual({ kind: "next" });
    expect(examCommand({ key: "ArrowLeft" }, 4)).toEqual({ kind: "prev" });
    expect(examCommand({ key: "K" }, 4)).toEqual({ kind: "prev" });
    expect(examCommand({ key: "f" }, 4)).toEqual({ kind: "flag" });
    expect(examCommand({ key: "c", ctrlKey: true }, 4)).toBeNull();
    expect(examCommand({ key: "Enter" }, 4)).toBeNull();
  });

  it("treats text boxes as typing and choice inputs as commands", () => {
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "text" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "radio" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it("leaves ← and → to a focused form control, so a radio group moves between its answers (issue #14)", () => {
    const radio = { tagName: "INPUT", type: "radio" } as unknown as EventTarget;
    expect(examCommand({ key: "ArrowRight", target: radio }, 4)).toBeNull();
    expect(examCommand({ key: "ArrowLeft", target: { tagName: "SELECT" } as unknown as EventTarget }, 4)).toBeNull();
    // Letters, numbers, J and K still work from an answer; arrows still move from elsewhere.
    expect(examCommand({ key: "j", target: radio }, 4)).toEqual({ kind: "next" });
    expect(examCommand({ key: "b", target: radio }, 4)).toEqual({ kind: "choose", option: 1 });
    expect(examCommand({ key: "ArrowRight", target: { tagName: "BODY" } as unknown as EventTarget }, 4)).toEqual({ kind: "next" });
    expect(examCommand({ key: "ArrowLeft", target: { tagName: "BUTTON" } as unknown as EventTarget }, 4)).toEqual({ kind: "prev" });
    expect(ownsArrowKeys({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(ownsArrowKeys(null)).toBe(false);
  });
});
