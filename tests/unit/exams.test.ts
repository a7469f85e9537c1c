import { describe, expect, it } from "vitest";
import { checkBlueprint, drawPaper, totalPoints, type BlueprintCell, type Candidate } from "../../server/exams/blueprint";
import { acceptsAnswers, deadlineFor, secondsLeft } from "../../server/exams/timing";
import { DEFAULT_POLICY, gradeAttempt, receiptCode } from "../../server/exams/scoring";
import { scoreAnswer } from "../../server/questions/grading";

const levels = ["nhan_biet", "thong_hieu", "van_dung"] as const;
const pool: Candidate[] = [];
let id = 1;
for (let lesson = 1; lesson <= 5; lesson++)
  for (const level of levels) for (let k = 0; k < 6; k++) pool.push({ versionId: id++, lesson, level, optionCount: 4 });
const blueprint: BlueprintCell[] = [1, 2, 3, 4, 5].flatMap((lesson) => [
  { lesson, level: "nhan_biet" as const, count: 3, points: 1 },
  { lesson, level: "thong_hieu" as const, count: 2, points: 1 },
  { lesson, level: "van_dung" as const, count: 1, points: 2 },
]);

describe("blueprint draw", () => {
  it("meets the blueprint exactly on every paper", () => {
    for (let s = 0; s < 50; s++) {
      const paper = drawPaper(blueprint, pool, `seed-${s}`, { shuffleQuestions: true, shuffleOptions: true });
      expect(paper).toHaveLength(30);
      expect(new Set(paper.map((p) => p.versionId)).size).toBe(30);
      for (const cell of blueprint) {
        const inCell = paper.filter((p) => {
          const q = pool.find((c) => c.versionId === p.versionId)!;
          return q.lesson === cell.lesson && q.level === cell.level;
        });
        expect(inCell).toHaveLength(cell.count);
        expect(inCell.every((p) => p.points === cell.points)).toBe(true);
      }
      expect(paper.map((p) => p.position)).toEqual([...Array(30).keys()].map((i) => i + 1));
      for (const p of paper) expect([...p.optionOrder].sort()).toEqual([0, 1, 2, 3]);
    }
    expect(totalPoints(blueprint)).toBe(35);
  });

  it("is deterministic for a seed whatever the pool order, and differs between seeds", () => {
    const a = drawPaper(blueprint, pool, "x", { shuffleQuestions: true, shuffleOptions: true });
    const b = drawPaper(blueprint, [...pool].reverse(), "x", { shuffleQuestions: true, shuffleOptions: true });
    expect(b).toEqual(a);
    expect(drawPaper(blueprint, pool, "y", { shuffleQuestions: true, shuffleOptions: true })).not.toEqual(a);
  });

  it("spreads questions fairly over the pool", () => {
    const seen = new Map<number, number>();
    for (let s = 0; s < 600; s++)
      for (const p of drawPaper(blueprint, pool, `f${s}`, { shuffleQuestions: false, shuffleOptions: false }))
        seen.set(p.versionId, (seen.get(p.versionId) ?? 0) + 1);
    // Lesson 1, nhận biết: 3 of 6 drawn each time → each question about half the papers.
    for (const q of pool.filter((c) => c.lesson === 1 && c.level === "nhan_biet"))
      expect(seen.get(q.versionId)! / 600).toBeGreaterThan(0.4);
  });

  it("reports the cells the pool cannot fill", () => {
    expect(checkBlueprint([{ lesson: 2, level: "van_dung", count: 9, points: 1 }], pool)).toEqual([
      { lesson: 2, level: "van_dung", needed: 9, available: 6 },
    ]);
    expect(() =>
      drawPaper([{ lesson: 9, level: "nhan_biet", count: 1, points: 1 }], pool, "s", { shuffleQuestions: true, shuffleOptions: true }),
    ).toThrow();
  });
});

describe("timing", () => {
  const policy = { durationMinutes: 45, closesAt: new Date("2026-03-13T10:00:00+07:00"), graceSeconds: 30 };
  const start = new Date("2026-03-13T08:00:00+07:00");

  it("gives the duration, capped by the window's end, plus the trainee's extra time", () => {
    expect(deadlineFor(start, policy).toISOString()).toBe(new Date("2026-03-13T08:45:00+07:00").toISOString());
    expect(deadlineFor(new Date("2026-03-13T09:40:00+07:00"), policy).toISOString()).toBe(policy.closesAt.toISOString());
    expect(deadlineFor(start, policy, { extraMinutes: 10, multiplier: 1 }).toISOString()).toBe(
      new Date("2026-03-13T08:55:00+07:00").toISOString(),
    );
    expect(deadlineFor(start, policy, { extraMinutes: 0, multiplier: 1.5 }).toISOString()).toBe(
      new Date("2026-03-13T09:07:30+07:00").toISOString(),
    );
    // Extra time runs past the window's end.
    expect(deadlineFor(new Date("2026-03-13T09:40:00+07:00"), policy, { extraMinutes: 5, multiplier: 1 }).toISOString()).toBe(
      new Date("2026-03-13T10:05:00+07:00").toISOString(),
    );
  });

  it("accepts answers until the deadline plus grace, and counts seconds left", () => {
    const deadline = deadlineFor(start, policy);
    expect(acceptsAnswers(deadline, new Date(deadline.getTime() + 30_000), 30)).toBe(true);
    expect(acceptsAnswers(deadline, new Date(deadline.getTime() + 30_001), 30)).toBe(false);
    expect(secondsLeft(deadline, new Date(deadline.getTime() - 61_500))).toBe(61);
    expect(secondsLeft(deadline, new Date(deadline.getTime() + 5_000))).toBe(0);
  });
});

describe("scoring", () => {
  const single = [
    { text: "a", fraction: 0 },
    { text: "b", fraction: 1 },
    { text: "c", fraction: 0 },
  ];
  const multi = [
    { text: "a", fraction: 0.5 },
    { text: "b", fraction: 0.5 },
    { text: "c", fraction: -0.5 },
    { text: "d", fraction: 0 },
  ];

  it("scores single, true/false and multiple answers by the rule", () => {
    expect(scoreAnswer("single", single, [1])).toBe(1);
    expect(scoreAnswer("single", single, [0, 1])).toBe(0);
    expect(scoreAnswer("multiple", multi, [0, 1])).toBe(1);
    expect(scoreAnswer("multiple", multi, [0])).toBe(0);
    expect(scoreAnswer("multiple", multi, [0], "partial")).toBe(0.5);
    expect(scoreAnswer("multiple", multi, [0, 2], "partial")).toBe(0);
    expect(scoreAnswer("multiple", multi, [0, 1, 3], "partial")).toBe(1);
    expect(scoreAnswer("single", single, [7])).toBe(0);
  });

  it("puts the score on the policy's scale with one decimal and bands it", () => {
    const items = (right: number, of: number) =>
      Array.from({ length: of }, (_, i) => ({ type: "single" as const, options: single, points: 1, chosen: i < right ? [1] : [0] }));
    expect(gradeAttempt(items(27, 30), DEFAULT_POLICY)).toMatchObject({ score: 9, passed: true, band: "gioi" });
    expect(gradeAttempt(items(26, 30), DEFAULT_POLICY)).toMatchObject({ score: 8.7, band: "kha" });
    expect(gradeAttempt(items(15, 30), DEFAULT_POLICY)).toMatchObject({ score: 5, passed: true, band: "trung_binh" });
    expect(gradeAttempt(items(14, 30), DEFAULT_POLICY)).toMatchObject({ score: 4.7, passed: false, band: "khong_dat" });
    expect(gradeAttempt([], DEFAULT_POLICY).score).toBe(0);
  });

  it("derives a receipt from the answers, independent of their order", () => {
    const r = receiptCode(7, [
      { position: 2, chosen: [1] },
      { position: 1, chosen: [3, 0] },
    ]);
    expect(r).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(
      receiptCode(7, [
        { position: 1, chosen: [0, 3] },
        { position: 2, chosen: [1] },
      ]),
    ).toBe(r);
    expect(
      receiptCode(7, [
        { position: 1, chosen: [0, 3] },
        { position: 2, chosen: [2] },
      ]),
    ).not.toBe(r);
    expect(
      receiptCode(8, [
        { position: 1, chosen: [0, 3] },
        { position: 2, chosen: [1] },
      ]),
    ).not.toBe(r);
  });
});
